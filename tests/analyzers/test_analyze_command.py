"""``policykb analyze TEXT --json``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from search_api.cli.main import app


def test_analyze_json_reports_every_part() -> None:
    text = "根据國發〔2018〕39號第二十四条之一，社保怎么办？"
    result = CliRunner().invoke(app, ["analyze", text, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["normalized"] == "根据国发〔2018〕39号第24条之1,社保怎么办?"
    assert "社保" in data["tokens"]
    assert data["doc_numbers"] == [
        {"raw": "國發〔2018〕39號", "key": "国发|2018|39", "agency": "国发", "year": 2018, "serial": 39}
    ]
    clauses = [(c["label"], c["number"], c["sub_number"]) for c in data["clauses"]]
    assert clauses == [("第二十四条之一", 24, 1)]
    assert data["glossary_terms"] == ["社会保险"]


def test_analyze_without_json_prints_a_table() -> None:
    result = CliRunner().invoke(app, ["analyze", "公积金怎么取"])
    assert result.exit_code == 0, result.output
    assert "glossary_terms: [\"住房公积金\"]" in result.output
