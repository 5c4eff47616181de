"""The query mix: judged dev queries (文号, clause, keyword...), Q&A lookups, search-box prefixes."""

from __future__ import annotations

import json
import random
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "eval"
#: Share of each request kind in the mix (policy search, agent Q&A lookup, suggestion per keystroke).
MIX = {"search": 0.5, "qa": 0.3, "suggest": 0.2}


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def query_pools(eval_dir: Path = EVAL) -> dict[str, list[str]]:
    """Texts per request kind: eval/queries.jsonl, eval/qa_dev.jsonl, and 1-4 character prefixes of both."""
    searches = [str(q["query"]) for q in _jsonl(eval_dir / "queries.jsonl")]
    questions = [str(q["query"]) for q in _jsonl(eval_dir / "qa_dev.jsonl")]
    prefixes = sorted({t[:n] for t in searches + questions for n in (1, 2, 4) if len(t.strip()) >= n})
    return {"search": searches, "qa": questions, "suggest": [p for p in prefixes if p.strip()]}


def query_mix(count: int, seed: int = 9, eval_dir: Path = EVAL) -> list[dict[str, str]]:
    """count requests drawn with the MIX weights, same seed, same list (API and engine share it)."""
    pools = query_pools(eval_dir)
    rng = random.Random(seed)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    out = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        out.append({"kind": kind, "q": rng.choice(pools[kind])})
    return out
