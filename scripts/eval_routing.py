"""Measure department routing on the tipdm labelled 12345 messages (how often the suggestion is right).

Each message's subject (plus the start of its text) is searched against a policy index built from the shared
data; the router suggests a directory department (kb/workflow/data/departments.yaml), and the suggestion is
right when that department's category equals the message's first-level label (category_l1).

Run: .venv/bin/python scripts/eval_routing.py [--work var/routing-eval] [--datasets govcn,hebei,...]
The first run imports the datasets into <work>/policykb.db and indexes them (SQLite FTS5); later runs
reuse it.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

from indexer.importers.registry import load_shared
from indexer.index_sync import sync_index
from kb.search import get_backend
from kb.settings import Settings
from kb.store import Store
from kb.workflow.routing import default_directory
from kb.workflow.routing_search import build_router

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYKB_SHARED_DATA", REPO.parent / "shared" / "data"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=REPO / "var" / "routing-eval")
    parser.add_argument("--datasets", default="govcn,hebei,bj_zyj,zhongshan")
    parser.add_argument("--detail-chars", type=int, default=60, help="text chars added to the subject")
    parser.add_argument("--top-k", type=int, default=10)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    settings = Settings(database_url=f"sqlite:///{args.work / 'policykb.db'}", data_dir=args.work)
    store = Store.from_settings(settings)
    backend = get_backend(settings)
    if store.count_policies() == 0:
        for report in load_shared(SHARED, store, only=args.datasets.split(",")):
            print(report)
        print(sync_index(store, backend).summary())
    directory = default_directory()
    router = build_router(backend, store, directory, top_k=args.top_k)

    with (SHARED / "tipdm" / "messages_labeled.jsonl").open(encoding="utf-8") as fh:
        messages = [json.loads(line) for line in fh]
    right = suggested = 0
    per_label: Counter[str] = Counter()
    per_label_right: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for msg in messages:
        text = (msg["subject"] + " " + msg.get("detail", "")[: args.detail_chars]).strip()
        suggestion = router.suggest(text)
        label = msg["category_l1"]
        per_label[label] += 1
        department = directory.by_name(suggestion.department) if suggestion.department else None
        if department is None:
            confusion[(label, "(none)")] += 1
            continue
        suggested += 1
        if department.category == label:
            right += 1
            per_label_right[label] += 1
        else:
            confusion[(label, department.category or "?")] += 1
    total = len(messages)
    majority = per_label.most_common(1)[0]
    print(f"policies indexed: {store.count_policies()}  messages: {total}  datasets: {args.datasets}")
    print(f"suggestion right: {right}/{total} = {right / total:.3f}   "
          f"(made a suggestion for {suggested}/{total} = {suggested / total:.3f}; "
          f"right when suggested {right / max(suggested, 1):.3f})")
    print(f"baseline 'always {majority[0]}': {majority[1] / total:.3f}")
    for label, count in per_label.most_common():
        print(f"  {label:<10} {per_label_right[label]:>4}/{count:<4} = {per_label_right[label] / count:.3f}")
    print("most frequent misroutes (label -> suggested category):")
    for (label, got), count in confusion.most_common(8):
        print(f"  {label} -> {got}: {count}")


if __name__ == "__main__":
    main()
