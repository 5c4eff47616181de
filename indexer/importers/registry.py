"""The datasets we can import, and the runner that streams their records into the store in batches."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Protocol

from indexer.errors import DatasetError
from indexer.importers import bj_zyj, govcn, hebei, lawrefbook, ncp, tipdm, zhongshan
from indexer.importers.base import Batcher, ImportReport, RecordsFn, RecordSink, count_lines
from indexer.importers.context import ImportContext
from indexer.importers.linking import normalize_title
from kb.models import Policy

#: In load-shared order: sources of policies before the 解读 and Q&A that link to them.
DATASETS: dict[str, ModuleType] = {
    m.NAME: m for m in (govcn, lawrefbook, bj_zyj, hebei, ncp, tipdm, zhongshan)
}


class Progress(Protocol):
    """What the CLI's progress bar offers the runner."""

    def start(self, description: str, total: int | None) -> None: ...
    def update(self, completed: int) -> None: ...


def _total_rows(path: Path, module: ModuleType) -> int | None:
    """Rows the progress bar expects: the dataset's own files (ROW_FILES) or every JSONL in the folder."""
    if path.is_file():
        files = [path]
    else:
        names = getattr(module, "ROW_FILES", None)
        files = (
            [path / n for n in names]
            if names
            else [p for p in path.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz"))]
        )
    try:
        return sum(count_lines(p) for p in files if p.exists())
    except OSError:
        return None


def _seen_elsewhere(policy: Policy, context: ImportContext) -> bool:
    index = context.policy_index
    keys = index.by_number(policy.doc_number_key) if policy.doc_number_key else []
    keys = keys or (index.by_title.get(normalize_title(policy.title), []) if len(policy.title) >= 8 else [])
    return any(not k.startswith(f"{policy.provenance.source}:") for k in keys)


def run_records(
    dataset: str,
    path: Path,
    produce: RecordsFn,
    sink: RecordSink,
    *,
    context: ImportContext | None = None,
    progress: Progress | None = None,
    batch_size: int = 500,
    total: int | None = None,
) -> ImportReport:
    """Stream records from ``produce`` into ``sink``; row errors land in the report, never abort the run."""
    context = context or ImportContext()
    report = ImportReport(dataset=dataset, path=str(path))
    batcher = Batcher(sink, report, batch_size=batch_size)
    if progress is not None:
        progress.start(f"import {dataset}", total)
    for count, (record, line) in enumerate(produce(path, report, context), start=1):
        if isinstance(record, Policy):
            if _seen_elsewhere(record, context):
                # One policy, several sources (国发〔2018〕39号 in govcn and hebei): both kept, counted here.
                report.note("same 文号 or title already imported from another dataset")
            context.policy_index.add(record)
        batcher.add(record, line=line)
        # Records done (plus rows rejected), not rows read: some datasets read everything before yielding.
        if progress is not None and count % 50 == 0:
            progress.update(count + len(report.errors))
    batcher.close()
    if progress is not None:
        progress.update(report.rows_read)
    return report


def context_from_store(sink: RecordSink) -> ImportContext:
    """An index of the policies already in the store, so a dataset imported alone can link 解读 to them."""
    context = ImportContext()
    iter_policies = getattr(sink, "iter_policies", None)
    if callable(iter_policies):
        for policy in iter_policies():
            context.policy_index.add(policy)
    return context


def import_dataset(
    dataset: str,
    path: Path,
    sink: RecordSink,
    *,
    context: ImportContext | None = None,
    progress: Progress | None = None,
    batch_size: int = 500,
) -> ImportReport:
    """Import one named dataset from ``path`` (its folder or file)."""
    module = DATASETS.get(dataset)
    if module is None:
        raise DatasetError(
            f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}", message_zh=f"未知数据集 {dataset}"
        )
    if not path.exists():
        raise DatasetError(f"{path} does not exist", message_zh=f"路径不存在：{path}")
    if context is None and getattr(module, "LINKS_POLICIES", False):
        context = context_from_store(sink)
    return run_records(
        dataset,
        path,
        module.records,
        sink,
        context=context,
        progress=progress,
        batch_size=batch_size,
        total=_total_rows(path, module),
    )


def load_shared(
    root: Path,
    sink: RecordSink,
    *,
    progress: Progress | None = None,
    batch_size: int = 500,
    only: list[str] | None = None,
) -> list[ImportReport]:
    """Import every dataset found under ``root`` (../shared/data) in dependency order, one shared context."""
    if not root.is_dir():
        raise DatasetError(f"{root} is not a directory", message_zh=f"目录不存在：{root}")
    context = ImportContext()
    reports: list[ImportReport] = []
    for name, module in DATASETS.items():
        if only and name not in only:
            continue
        path = root / module.DEFAULT_PATH
        if not path.exists():
            report = ImportReport(dataset=name, path=str(path))
            report.note("dataset not present, skipped")
            reports.append(report)
            continue
        reports.append(
            import_dataset(name, path, sink, context=context, progress=progress, batch_size=batch_size)
        )
    return reports
