"""解读 → policy linking by explicit link, named title, 文号 and title in the text."""

from __future__ import annotations

import asyncio

from indexer.crawler.ratelimit import HostLimiter
from indexer.importers.convert import doc_number_key
from indexer.importers.linking import (
    PolicyIndex,
    interpretation_kind,
    is_interpretation_title,
    link_interpretation,
)
from kb.models import InterpretationKind, Policy, Provenance


def _policy(source_id: str, title: str, number: str | None = None) -> Policy:
    return Policy(
        provenance=Provenance(source="t", source_id=source_id),
        title=title,
        doc_number=number,
        doc_number_key=doc_number_key(number),
    )


def _index() -> PolicyIndex:
    index = PolicyIndex()
    index.add(
        _policy(
            "1", "北京市人民政府关于印发《北京市促进数字经济创新发展若干措施》的通知", "京政发〔2024〕5号"
        )
    )
    index.add(_policy("2", "关于进一步优化营商环境更好服务市场主体的实施意见", "京政办发〔2023〕9号"))
    index.add(_policy("3", "北京市养老服务补贴管理办法"))
    return index


def test_named_title_inside_an_issuing_notice() -> None:
    result = link_interpretation("一图读懂《北京市促进数字经济创新发展若干措施》", "", _index())
    assert (result.policy_keys, result.evidence) == (["t:1"], "title_named")


def test_issuer_prefix_differs_but_the_about_part_matches() -> None:
    title = "《北京市人民政府办公厅关于进一步优化营商环境更好服务市场主体的实施意见》政策解读"
    assert link_interpretation(title, "", _index()).policy_keys == ["t:2"]


def test_doc_number_in_the_opening_text() -> None:
    text = "近日，市政府办公厅印发实施意见（京政办发[2023]9号），现就有关内容解读如下。"
    result = link_interpretation("优化营商环境实施意见答记者问", text, _index())
    assert (result.policy_keys, result.evidence) == (["t:2"], "doc_number")


def test_bare_title_with_graphic_prefix_and_explicit_links_win() -> None:
    assert link_interpretation("【图解】北京市养老服务补贴管理办法", "", _index()).policy_keys == ["t:3"]
    explicit = link_interpretation("【图解】北京市养老服务补贴管理办法", "", _index(), explicit=["t:9"])
    assert (explicit.policy_keys, explicit.evidence) == (["t:9"], "explicit")


def test_no_evidence_no_link() -> None:
    result = link_interpretation("专家谈数字经济", "数字经济是未来发展方向。", _index())
    assert (result.policy_keys, result.evidence) == ([], None)


def test_kinds_and_recognition() -> None:
    assert interpretation_kind("一图读懂《某办法》") is InterpretationKind.GRAPHIC
    assert interpretation_kind("市人社局负责人就《某办法》答记者问") is InterpretationKind.QA
    assert interpretation_kind("《某办法》政策解读") is InterpretationKind.TEXT
    assert is_interpretation_title("《某办法》政策解读") and not is_interpretation_title("某办法")


def test_host_limiter_caps_requests_in_flight_per_host() -> None:
    limiter = HostLimiter(requests_per_second=1000, concurrency=2)

    async def one(host: str) -> None:
        async with limiter.slot(host):
            await asyncio.sleep(0.01)

    async def main() -> None:
        await asyncio.gather(*(one("a.gov.cn") for _ in range(8)), *(one("b.gov.cn") for _ in range(3)))

    asyncio.run(main())
    assert limiter.max_in_flight == {"a.gov.cn": 2, "b.gov.cn": 2}
