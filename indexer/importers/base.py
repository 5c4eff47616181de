"""What every importer shares: row errors, the import report, readers with line numbers, batched upserts."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from pydantic import BaseModel, Field

from kb.models import Interpretation, Policy, QAPair, record_key
from kb.store.reports import UpsertReport

Record = Policy | Interpretation | QAPair
ProgressCallback = Callable[[int], None]


class RecordSink(Protocol):
    """Where imported records go: ``kb.store.Store`` (or anything with the same three upserts)."""

    def upsert_policies(self, items: Iterable[Policy]) -> UpsertReport: ...
    def upsert_interpretations(self, items: Iterable[Interpretation]) -> UpsertReport: ...
    def upsert_qa_pairs(self, items: Iterable[QAPair]) -> UpsertReport: ...


class RowError(BaseModel):
    """A row that was not imported: where it is and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class KindCounts(BaseModel):
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


class ImportReport(BaseModel):
    """The summary printed at the end of an import."""

    dataset: str
    path: str
    rows_read: int = 0
    records: dict[str, int] = Field(default_factory=dict, description="produced per kind")
    written: dict[str, KindCounts] = Field(default_factory=dict)
    errors: list[RowError] = Field(default_factory=list)
    notes: dict[str, int] = Field(default_factory=dict, description="quirks handled, links found, ...")

    def note(self, name: str, count: int = 1) -> None:
        """Count a quirk or a finding (e.g. 'duplicate skipped', 'linked by doc number')."""
        self.notes[name] = self.notes.get(name, 0) + count

    def error(self, file: str | Path, line: int, reason: str) -> None:
        self.errors.append(RowError(file=str(file), line=line, reason=reason))

    def add_upsert(self, kind: str, report: UpsertReport) -> None:
        counts = self.written.setdefault(kind, KindCounts())
        counts.inserted += report.inserted
        counts.updated += report.updated
        counts.unchanged += report.unchanged
        counts.failed += len(report.failed)
        for failed in report.failed:
            self.errors.append(
                RowError(file=self.path, line=0, reason=f"store refused {failed.key}: {failed.reason}")
            )

    @property
    def total_written(self) -> int:
        return sum(c.inserted + c.updated for c in self.written.values())


def open_text(path: Path) -> IO[str]:
    """Open a text file, transparently gunzipping ``*.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return path.open(encoding="utf-8-sig", newline="")


def count_lines(path: Path) -> int:
    """Number of lines (for progress bars)."""
    with open_text(path) as handle:
        return sum(1 for _ in handle)


def read_jsonl(path: Path, report: ImportReport) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each good line; bad lines go to the report with the reason."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            report.rows_read += 1
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                report.error(path, number, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                report.error(path, number, f"expected a JSON object, got {type(obj).__name__}")
                continue
            yield number, obj


def clean(value: Any) -> str | None:
    """A stripped string, with the datasets' stand-ins for nothing ('None', 'nan', '无', '') as None."""
    if value is None:
        return None
    text = str(value).strip()
    return None if text in {"", "None", "none", "null", "nan", "NaN", "无", "-"} else text


class Batcher:
    """Collect records per kind and upsert them in batches (one transaction per batch in the store)."""

    def __init__(self, sink: RecordSink, report: ImportReport, batch_size: int = 500) -> None:
        self.sink = sink
        self.report = report
        self.batch_size = batch_size
        self._pending: dict[str, list[Any]] = {"policy": [], "interpretation": [], "qa": []}
        self._seen: set[tuple[str, str]] = set()

    def add(self, record: Record, *, file: str | Path = "", line: int = 0) -> None:
        kind = _kind(record)
        key = (kind, record_key(record.provenance))
        if key in self._seen:
            # Two rows with one key in a single import would make the second silently win.
            self.report.error(
                file or self.report.path, line, f"duplicate key {key[1]} in this import; kept the first"
            )
            return
        self._seen.add(key)
        self.report.records[kind] = self.report.records.get(kind, 0) + 1
        pending = self._pending[kind]
        pending.append(record)
        if len(pending) >= self.batch_size:
            self._flush(kind)

    def _flush(self, kind: str) -> None:
        items = self._pending[kind]
        if not items:
            return
        if kind != "policy":
            self._flush("policy")
        self._pending[kind] = []
        if kind == "policy":
            report = self.sink.upsert_policies(items)
        elif kind == "interpretation":
            report = self.sink.upsert_interpretations(items)
        else:
            report = self.sink.upsert_qa_pairs(items)
        self.report.add_upsert(kind, report)

    def close(self) -> None:
        # Policies first so that interpretations and Q&A can resolve their policy keys.
        for kind in ("policy", "interpretation", "qa"):
            self._flush(kind)


def _kind(record: Record) -> str:
    if isinstance(record, Policy):
        return "policy"
    if isinstance(record, Interpretation):
        return "interpretation"
    return "qa"


class RecordsFn(Protocol):
    """What a dataset module's ``records`` is: (path, report, context) -> (record, line) pairs."""

    def __call__(self, path: Path, report: ImportReport, context: Any) -> Iterator[tuple[Record, int]]: ...
