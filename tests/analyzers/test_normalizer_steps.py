"""Unit tests for each normalizer step, and for the pipeline that orders them."""

from __future__ import annotations

import pytest

from analyzers.normalizers import ALIGNED_PIPELINE, PIPELINE, normalize, normalize_aligned
from analyzers.normalizers.clause_numerals import clause_numerals_to_digits
from analyzers.normalizers.controls import replace_controls
from analyzers.normalizers.punctuation import unify_punctuation
from analyzers.normalizers.traditional import to_simplified
from analyzers.normalizers.whitespace import collapse_spaces, spaces_to_blank
from analyzers.normalizers.width import fold_width_chars, fold_width_full

TRICKY = [
    "国发〔２０１８〕３９号　ＰＭ２．５",
    "①②③ 50㎡ 25℃ m² CO₂ ……",
    "Ⅳ类 ﬁle ㍻ ¨",
    "國務院關於發展與資訊的通知",
    "a\u200bb\ufeffc\x00d\u202ee",
    "“引号”「括号」【方括号】——破折号・点",
    "第十二条\t第二十四条之一\n\n第一百零三条",
]


class TestControls:
    def test_zero_width_and_control_characters_become_spaces(self) -> None:
        assert replace_controls("政\u200b策\ufeff\x00") == "政 策  "

    def test_lone_surrogate_becomes_replacement_character(self) -> None:
        assert replace_controls("a\ud800b") == "a\ufffdb"

    def test_newlines_and_tabs_are_left_for_the_whitespace_step(self) -> None:
        assert replace_controls("a\nb\tc") == "a\nb\tc"


class TestWidth:
    @pytest.mark.parametrize(
        ("raw", "folded"),
        [
            ("ＡＢＣ１２３", "abc123"), ("　", " "), ("（）", "()"), ("，：；", ",:;"), ("⼀⼆", "一二"),
            ("ＰＭ２．５", "pm2.5"),
        ],
    )
    def test_full_width_folds_char_by_char(self, raw: str, folded: str) -> None:
        assert fold_width_chars(raw) == folded

    @pytest.mark.parametrize("kept", ["①", "⑴", "⒈", "㈠", "㊀", "㎡", "㎏", "℃", "²", "₂", "…"])
    def test_symbols_users_mean_literally_are_kept(self, kept: str) -> None:
        assert fold_width_chars(kept) == kept
        assert fold_width_full(kept) == kept

    def test_multi_char_expansions_only_in_the_full_step(self) -> None:
        assert fold_width_chars("Ⅳ") == "Ⅳ"
        assert fold_width_full("Ⅳ") == "iv"
        assert fold_width_full("ﬁ") == "fi"

    def test_ascii_letters_are_lower_cased_other_scripts_keep_case(self) -> None:
        assert fold_width_chars("ABC Σ") == "abc Σ"


class TestTraditional:
    def test_traditional_becomes_simplified(self) -> None:
        assert to_simplified("國務院關於發展") == "国务院关于发展"

    def test_simplified_and_ascii_are_unchanged(self) -> None:
        assert to_simplified("国务院关于发展 abc") == "国务院关于发展 abc"

    def test_conversion_is_repeated_until_stable(self) -> None:
        # OpenCC t2s maps 薴 → 苧 and 苧 → 苎; one pass would make normalize non-idempotent.
        assert to_simplified("薴") == to_simplified(to_simplified("薴")) == "苎"

    def test_length_is_kept_on_real_traditional_text(self) -> None:
        text = "臺灣的資訊軟體與網際網路發展，後來頭髮乾燥；著作權與於是"
        assert len(to_simplified(text)) == len(text)


class TestPunctuation:
    def test_variants_map_to_one_form_each(self) -> None:
        assert unify_punctuation("“a”「b」") == '"a""b"'
        assert unify_punctuation("[2018]【2018】［2018］") == "〔2018〕〔2018〕〔2018〕"
        assert unify_punctuation("2019—2021–2022") == "2019-2021-2022"
        assert unify_punctuation("•・") == "··"

    def test_chinese_sentence_punctuation_is_kept(self) -> None:
        assert unify_punctuation("一、二。三…") == "一、二。三…"


class TestWhitespace:
    def test_every_space_becomes_one_blank(self) -> None:
        assert spaces_to_blank("a\tb\nc\u3000d\u00a0e") == "a b c d e"

    def test_collapse_joins_runs_and_trims(self) -> None:
        assert collapse_spaces("  a   b ") == "a b"


class TestClauseNumerals:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("第十二条", "第12条"),
            ("第一百零三条", "第103条"),
            ("第二十四条之一", "第24条之1"),
            ("第24条之一", "第24条之1"),
            ("第十章", "第10章"),
            ("第三节", "第3节"),
            ("第二款第三项", "第2款第3项"),
            ("依据第十条和第二十条", "依据第10条和第20条"),
        ],
    )
    def test_clause_references_get_digits(self, raw: str, expected: str) -> None:
        assert clause_numerals_to_digits(raw) == expected

    @pytest.mark.parametrize("untouched", ["一件事", "一网通办", "十二345", "第一批", "三条措施", "第十十条"])
    def test_numerals_outside_clause_references_stay(self, untouched: str) -> None:
        assert clause_numerals_to_digits(untouched) == untouched


class TestPipeline:
    def test_aligned_pipeline_is_the_length_preserving_subset_in_order(self) -> None:
        assert [s.name for s in ALIGNED_PIPELINE] == [s.name for s in PIPELINE if s.length_preserving]
        assert {"width_full", "whitespace_collapse", "clause_numerals"} == {
            s.name for s in PIPELINE if not s.length_preserving
        }

    @pytest.mark.parametrize("text", TRICKY)
    def test_steps_that_claim_length_preservation_keep_it(self, text: str) -> None:
        for step in ALIGNED_PIPELINE:
            assert len(step(text)) == len(text), step.name

    def test_normalize_runs_every_step(self) -> None:
        raw = "國發［２０１８］３９號　第十二條  一件事"
        assert normalize(raw) == "国发〔2018〕39号 第12条 一件事"

    def test_normalize_aligned_keeps_offsets(self) -> None:
        raw = "國發［２０１８］３９號　第十二條"
        aligned = normalize_aligned(raw)
        assert aligned == "国发〔2018〕39号 第十二条"
        assert len(aligned) == len(raw)
