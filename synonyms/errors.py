"""Errors of the synonyms data loader."""

from __future__ import annotations

from pathlib import Path


class DataFileError(ValueError):
    """A data file under synonyms/data has a bad line; the message names file:line and how to fix it."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}:{line}: {problem}")
