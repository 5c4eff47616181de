"""Demo data of the fictional 示例市, written for policykb in our own words (see kb/demo/data/)."""

from kb.demo.loader import DemoDataError, DemoRecords, demo_records

__all__ = ["DemoDataError", "DemoRecords", "demo_records"]
