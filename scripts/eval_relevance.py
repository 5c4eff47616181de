"""Relevance evaluation: judged sets x (our pipeline, pipeline without understanding, engine baselines).

.venv/bin/python -m scripts.eval_relevance --search-url http://127.0.0.1:9201 --report var/eval/report.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.relevance.main import EvalConfig, evaluate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--search-url", default="http://127.0.0.1:9201")
    parser.add_argument("--shared-data", type=Path, default=EvalConfig().shared_data)
    parser.add_argument("--work-dir", type=Path, default=EvalConfig().work_dir)
    parser.add_argument("--sets", default="own,ncp,qa", help="comma-separated: own, ncp, qa")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--reindex", action="store_true", help="rebuild the eval indexes from the store")
    parser.add_argument(
        "--calibrate", action="store_true", help="store the Q&A threshold found on the dev set"
    )
    parser.add_argument("--report", type=Path, default=None, help="write the markdown tables here")
    args = parser.parse_args(argv)
    config = EvalConfig(
        search_url=args.search_url,
        shared_data=args.shared_data,
        work_dir=args.work_dir,
        sets=[s.strip() for s in args.sets.split(",") if s.strip()],
        baselines=not args.no_baselines,
        reindex=args.reindex,
        calibrate=args.calibrate,
        report_path=args.report,
        command="python -m scripts.eval_relevance " + " ".join(argv if argv is not None else sys.argv[1:]),
    )
    print(evaluate(config))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
