"""zhongshan: Guangdong / Zhongshan 办事指南 (service guides) as policies carrying one BenefitItem."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from kb.models import BenefitItem, DocumentType, Policy, Provenance

NAME = "zhongshan"
DESCRIPTION = "广东省/中山市 政务服务事项办事指南 service_matters.jsonl"
DEFAULT_PATH = "zhongshan_guide/service_matters.jsonl"


def _as_list(value: Any) -> list[str]:
    # Lists arrive as Python repr strings: "['自然人', '企业法人']".
    if isinstance(value, list):
        return [str(v) for v in value if clean(v)]
    text = clean(value)
    if not text:
        return []
    if text.startswith("["):
        try:
            return [str(v) for v in ast.literal_eval(text) if clean(v)]
        except (ValueError, SyntaxError):
            pass
    return [text]


def _guide_text(row: dict[str, Any], materials: list[str], audiences: list[str]) -> str:
    parts = [
        ("事项名称", clean(row.get("matter_name"))),
        ("事项类型", clean(row.get("matter_type"))),
        ("实施主体", clean(row.get("DEPT_NAME"))),
        ("服务对象", "、".join(audiences) or None),
        ("受理条件", clean(row.get("accept_standard"))),
        ("申请材料", "；".join(materials) or None),
        ("办理地点", clean(row.get("handle_location"))),
        ("法定办结时限", clean(row.get("handle_time"))),
        ("承诺办结时限", clean(row.get("handle_time_limit"))),
        ("咨询电话", clean(row.get("consult_phone"))),
        ("投诉电话", clean(row.get("complain_phone"))),
        ("办理平台", clean(row.get("bear_paltform"))),
    ]
    return "\n".join(f"{label}：{value}" for label, value in parts if value)


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """Each TASK_CODE one guide; its fields fill the article-24 BenefitItem."""
    source = path / "service_matters.jsonl" if path.is_dir() else path
    for line, row in read_jsonl(source, report):
        name = clean(row.get("matter_name")) or clean(row.get("TASK_NAME"))
        if not clean(row.get("TASK_CODE")) or not name:
            report.error(source, line, "missing TASK_CODE or matter_name")
            continue
        materials = _as_list(row.get("material_intro"))
        audiences = _as_list(row.get("service_object_name"))
        location = clean(row.get("handle_location"))
        item = BenefitItem(
            name=name,
            target="、".join(audiences) or None,
            conditions=clean(row.get("accept_standard")),
            materials="；".join(materials) or None,
            channel=clean(row.get("bear_paltform")),
            online_url=clean(row.get("URL")),
            address=location.removeprefix("办理地点：") if location else None,
            time_limit=clean(row.get("handle_time_limit")),
            phone=clean(row.get("consult_phone")),
        )
        department = clean(row.get("DEPT_NAME"))
        yield (
            Policy(
                provenance=Provenance(
                    source=NAME, source_id=str(row["TASK_CODE"]), url=clean(row.get("URL"))
                ),
                title=f"{name}办事指南",
                issuing_bodies=[department] if department else [],
                document_type=DocumentType.OTHER,
                level=clean(row.get("matter_level")),
                region=clean(row.get("AREA_CODE_TEXT")),
                subject_category=[c for c in _as_list(row.get("theme_category")) if c != "其他"],
                audiences=audiences,
                text=_guide_text(row, materials, audiences),
                benefit_items=[item],
            ),
            line,
        )
