"""Write a deterministic scaled corpus (default 100k policies) made by recombining real paragraphs.

    python scripts/gen_scaled_corpus.py OUT_DIR [--docs 100000] [--seed 9] [--data ../shared/data]

Paragraphs, titles, issuing bodies and 文号 prefixes come from the shared data (lawrefbook, hebei, ncp);
each generated policy takes a few paragraphs from different real documents, so term statistics stay those of
real policy text. A third of the documents are numbered 第一条, 第二条, … so clause search has work to do.
OUT_DIR gets ``policies.jsonl`` (one policy per line), ``mapping.yaml`` (for ``policykb import generic``) and
``manifest.json`` (seed, counts, SHA-256). The same seed and data give byte-identical files.
OUT_DIR must not be inside the repository: the shared data is never copied into it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
SOURCE = "scaled"
MIN_PARAGRAPH, MAX_PARAGRAPH = 30, 600
_ARTICLE_HEAD = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条\s*")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fa5]{2,8})〔(\d{4})〕(\d{1,4})号")
_DIGITS = "零一二三四五六七八九"

MAPPING_YAML = """\
# policykb import generic OUT/policies.jsonl --mapping OUT/mapping.yaml (written by gen_scaled_corpus.py)
kind: policy
source: scaled
id: id
columns:
  title: title
  doc_number: doc_number
  issuing_bodies: {column: issuing_body, split: "、"}
  publish_date: publish_date
  validity: validity
  text: text
defaults:
  region: 综合
"""


class CorpusError(Exception):
    """The shared data is missing or unusable, or OUT_DIR is a bad place; the message says which."""


@dataclass
class Pools:
    """What generated documents are made of, all taken from real records."""

    paragraphs: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


def _rows(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def chinese_number(n: int) -> str:
    """1..999 in Chinese numerals as used in article numbers (十二, 一百零三)."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def collect_pools(data: Path) -> Pools:
    """Paragraphs, titles and agencies from the shared data, in file order (deterministic)."""
    files = [
        (data / "lawrefbook" / "laws.jsonl.gz", "title"),
        (data / "hebei" / "documents.jsonl.gz", "title"),
        (data / "ncp_qa" / "corpus_docs.jsonl", "title_guess"),
    ]
    pools = Pools()
    agencies: dict[str, int] = {}
    for path, title_key in files:
        if not path.exists():
            raise CorpusError(f"missing {path}: point --data at the shared data folder")
        for row in _rows(path):
            text = str(row.get("text") or "")
            title = str(row.get(title_key) or "").strip()
            if 6 <= len(title) <= 60:
                pools.titles.append(title)
            for match in _DOC_NUMBER.finditer(text[:3000]):
                agencies[match.group(1)] = agencies.get(match.group(1), 0) + 1
            for para in text.splitlines():
                para = _ARTICLE_HEAD.sub("", para.strip().lstrip("#").strip())
                if MIN_PARAGRAPH <= len(para) <= MAX_PARAGRAPH:
                    pools.paragraphs.append(para)
    # Agencies seen at least three times: real 文号 prefixes, not accidental matches.
    pools.agencies = sorted(a for a, n in agencies.items() if n >= 3)
    if not pools.paragraphs or not pools.titles or not pools.agencies:
        raise CorpusError(f"no usable paragraphs/titles/agencies under {data}")
    return pools


def generate(pools: Pools, docs: int, seed: int) -> Iterator[dict[str, str]]:
    """The generated policies as rows of the mapping's columns, fully determined by pools and seed."""
    rng = random.Random(seed)
    for i in range(docs):
        count = rng.randint(2, 8)
        paragraphs = [rng.choice(pools.paragraphs) for _ in range(count)]
        numbered = rng.random() < 1 / 3
        if numbered:
            paragraphs = [f"第{chinese_number(n)}条 {p}" for n, p in enumerate(paragraphs, start=1)]
        year = rng.randint(2000, 2024)
        agency = rng.choice(pools.agencies)
        doc_number = f"{agency}〔{year}〕{rng.randint(1, 300)}号" if rng.random() < 0.6 else ""
        base = rng.choice(pools.titles)
        yield {
            "id": f"s{i:06d}",
            "title": f"{base}（汇编{i % 997 + 1}）",
            "doc_number": doc_number,
            "issuing_body": agency,
            "publish_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "validity": rng.choice(["有效", "有效", "有效", "失效", "未知"]),
            "text": "\n".join(paragraphs),
        }


def write_corpus(
    out: Path, data: Path, docs: int, seed: int, pools: Pools | None = None
) -> dict[str, object]:
    """Write policies.jsonl, mapping.yaml and manifest.json into out; returns the manifest."""
    out = out.resolve()
    if out == REPO or REPO in out.parents:
        raise CorpusError(f"{out} is inside the repository; write the scaled corpus elsewhere (e.g. /tmp)")
    pools = pools or collect_pools(data)
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    chars = 0
    with (out / "policies.jsonl").open("w", encoding="utf-8") as handle:
        for row in generate(pools, docs, seed):
            line = json.dumps(row, ensure_ascii=False) + "\n"
            digest.update(line.encode("utf-8"))
            chars += len(row["text"])
            handle.write(line)
    (out / "mapping.yaml").write_text(MAPPING_YAML, encoding="utf-8")
    manifest: dict[str, object] = {
        "docs": docs,
        "seed": seed,
        "text_chars": chars,
        "paragraph_pool": len(pools.paragraphs),
        "title_pool": len(pools.titles),
        "agency_pool": len(pools.agencies),
        "sha256": digest.hexdigest(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output folder (outside the repository)")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    try:
        manifest = write_corpus(args.out, args.data, args.docs, args.seed)
    except CorpusError as exc:
        print(f"生成失败 / cannot generate: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
