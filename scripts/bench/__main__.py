"""``python -m scripts.bench``: the same as ``policykb bench``."""

from scripts.bench.cli import main

main()
