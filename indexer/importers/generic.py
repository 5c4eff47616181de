"""Generic JSONL / CSV / XLSX importer driven by a column-mapping YAML file (policies, 解读 or Q&A)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticValidationError

from indexer.errors import MappingError
from indexer.importers.base import ImportReport, Record, RecordsFn, clean
from indexer.importers.context import ImportContext
from indexer.importers.convert import (
    clauses_of,
    doc_number_key,
    guess_document_type,
    parse_date,
    parse_validity,
    split_list,
)
from indexer.importers.linking import link_interpretation
from indexer.importers.tabular import read_rows
from kb.models import Interpretation, Policy, Provenance, QAPair, Validity

NAME = "generic"
_MODELS: dict[str, type[Policy] | type[Interpretation] | type[QAPair]] = {
    "policy": Policy,
    "interpretation": Interpretation,
    "qa": QAPair,
}
# Pseudo-fields that are not model fields but help linking or provenance.
_EXTRA_FIELDS = {"url", "policy_doc_number", "policy_title"}


class ColumnRule(BaseModel):
    column: str
    split: str | None = None  # split into a list on any of these characters


class ColumnMapping(BaseModel):
    """A mapping file: which column feeds which model field."""

    kind: Literal["policy", "interpretation", "qa"]
    source: str = Field(min_length=1)
    id: str | None = Field(default=None, description="column with the stable id; else a hash of the row")
    sheet: str | None = None
    columns: dict[str, str | ColumnRule]
    defaults: dict[str, Any] = Field(default_factory=dict)


def load_mapping(path: Path) -> ColumnMapping:
    """Read and check a mapping file; MappingError names the file and the bad field."""
    try:
        mapping = ColumnMapping.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, PydanticValidationError) as exc:
        raise MappingError(
            f"{path}: invalid column mapping ({exc})", message_zh=f"字段映射文件有误：{path}"
        ) from exc
    model = _MODELS[mapping.kind]
    unknown = [
        f
        for f in [*mapping.columns, *mapping.defaults]
        if f not in model.model_fields and f not in _EXTRA_FIELDS
    ]
    if unknown:
        raise MappingError(
            f"{path}: unknown {mapping.kind} fields {unknown}; known: {sorted(model.model_fields)}",
            message_zh=f"字段映射文件有未知字段：{unknown}",
        )
    return mapping


def _value(row: dict[str, Any], rule: str | ColumnRule) -> Any:
    rule = ColumnRule(column=rule) if isinstance(rule, str) else rule
    value = row.get(rule.column)  # absent in a JSONL row = empty; required fields then fail validation
    if rule.split is not None:
        return split_list(clean(value), rule.split)
    return value


def _types_of(model: type[BaseModel], field: str) -> set[Any]:
    annotation = model.model_fields[field].annotation if field in model.model_fields else None
    args = set(get_args(annotation)) or {annotation}
    return {get_origin(a) or a for a in args}


def _coerce(field: str, value: Any, model: type[BaseModel]) -> Any:
    types = _types_of(model, field)
    if date in types and datetime not in types:
        return parse_date(value)
    if field == "validity":
        return parse_validity(clean(value))
    if list in types and not isinstance(value, list):
        return split_list(clean(value))
    if isinstance(value, str | int | float) or value is None:
        return clean(value)
    return value


def row_to_record(mapping: ColumnMapping, row: dict[str, Any], context: ImportContext) -> Record:
    """One mapped row as a model; raises KeyError (missing column) or pydantic's ValidationError."""
    model = _MODELS[mapping.kind]
    data: dict[str, Any] = dict(mapping.defaults)
    for field, rule in mapping.columns.items():
        data[field] = _coerce(field, _value(row, rule), model)
    data = {k: v for k, v in data.items() if v is not None}
    source_id = clean(row.get(mapping.id)) if mapping.id else None
    if mapping.id and not source_id:
        raise ValueError(f"empty id column {mapping.id!r}")
    if source_id is None:
        source_id = hashlib.sha1(repr(sorted(row.items(), key=str)).encode()).hexdigest()[:16]
    data["provenance"] = Provenance(source=mapping.source, source_id=source_id, url=data.pop("url", None))
    policy_number, policy_title = data.pop("policy_doc_number", None), data.pop("policy_title", None)
    if mapping.kind == "policy":
        data.setdefault("doc_number_key", doc_number_key(data.get("doc_number")))
        data.setdefault(
            "document_type", guess_document_type(str(data.get("title", "")), data.get("doc_number"))
        )
        data.setdefault("clauses", clauses_of(str(data.get("text", ""))))
        if "validity" in data:
            data.setdefault("validity_stated", data["validity"] is not Validity.UNKNOWN)
    elif mapping.kind == "interpretation" and not data.get("policy_keys"):
        hint = " ".join(f"《{t}》" for t in [policy_title] if t) + f" {policy_number or ''}"
        data["policy_keys"] = link_interpretation(
            f"{data.get('title', '')} {hint}", str(data.get("text", "")), context.policy_index
        ).policy_keys
    return model.model_validate(data)


def make_records(mapping: ColumnMapping) -> RecordsFn:
    """A records() function for the runner, bound to one mapping."""

    def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
        columns = {r if isinstance(r, str) else r.column for r in mapping.columns.values()}
        seen: set[str] = set()
        for line, row in read_rows(path, report, sheet=mapping.sheet):
            seen.update(c for c in columns if c in row)
            try:
                yield row_to_record(mapping, row, context), line
            except PydanticValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                report.error(path, line, problems)
            except ValueError as exc:
                report.error(path, line, str(exc))
        for column in sorted(columns - seen):
            # Most likely a typo in the mapping file: say so once instead of failing every row silently.
            report.error(path, 0, f"mapped column {column!r} never appears in the file (映射的列不存在)")

    return records
