"""Synonym expansion reads synonyms/ at query time, so an edited file changes results without a reindex."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kb.query import SynonymExpander, expansion
from synonyms import DATA_DIR


def _copy_data(tmp_path: Path) -> Path:
    for name in ("synonyms.txt", "glossary.tsv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_equivalent_words_expand_both_ways_at_half_weight() -> None:
    expander = SynonymExpander()
    forward = {e.term: e for e in expander.expand("社保缴费")}
    assert "社会保险" in forward and forward["社会保险"].weight == 0.5
    assert "社保" in {e.term for e in expander.expand("社会保险缴费")}


def test_word_inside_a_longer_word_expands_by_substitution() -> None:
    terms = [e.term for e in SynonymExpander().expand("个税专项附加扣除")]
    assert "个人所得税专项附加扣除" in terms
    assert not any(t.count("个税") > 1 for t in terms)


def test_edited_synonym_file_is_picked_up_without_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(expansion, "monotonic", lambda: clock[0])
    data = _copy_data(tmp_path)
    expander = SynonymExpander(data_dir=data)
    assert "惠民小程序" not in {e.term for e in expander.expand("随申办")}
    path = data / "synonyms.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n随申办,惠民小程序\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    # The files are looked at no more than once per RELOAD_CHECK_SECONDS, not on every query ...
    assert "惠民小程序" not in {e.term for e in expander.expand("随申办")}
    clock[0] += expansion.RELOAD_CHECK_SECONDS
    # ... and the edit is in effect at the next query after that.
    assert "惠民小程序" in {e.term for e in expander.expand("随申办")}


def test_unchanged_files_are_not_reparsed(tmp_path: Path) -> None:
    expander = SynonymExpander(data_dir=_copy_data(tmp_path))
    assert expander.maybe_reload() is False
