"""Parse the 政府信息公开 metadata table (索引号, 文号, 成文日期, ...) with all its label variants."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from lxml import html as lxml_html
from pydantic import BaseModel

from indexer.errors import ProfileError

LABELS_FILE = Path(__file__).with_name("data") / "metadata_labels.yaml"
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_COLONS = "：:"
_INLINE_TAGS = {"li", "p", "span", "div", "dd", "dt", "em", "strong", "b", "font", "label"}


class PageMetadata(BaseModel):
    """The metadata fields as written on the page (raw strings; conversion happens later)."""

    index_number: str | None = None
    subject_category: str | None = None
    issuing_body: str | None = None
    written_date: str | None = None
    doc_number: str | None = None
    publish_date: str | None = None
    title: str | None = None
    keywords: str | None = None
    validity: str | None = None
    effective_date: str | None = None
    expiry_date: str | None = None
    disclosure: str | None = None


def clean_text(text: str) -> str:
    """Collapse whitespace (including full-width and non-breaking spaces) and strip."""
    return _SPACES.sub(" ", text).strip()


def value_text(text: str) -> str:
    """A metadata value as written: line breaks and runs of ASCII spaces go, inner 　 separators stay."""
    text = re.sub(r"[ \t\r\xa0]*\n[ \t\r\n\xa0]*", "", text)
    return re.sub(r"[ \t\xa0]{2,}", " ", text).strip(" \t\r\n\xa0\u3000")


def _label_key(text: str) -> str:
    return _SPACES.sub("", text).rstrip(_COLONS)


@lru_cache(maxsize=4)
def load_labels(path: Path = LABELS_FILE) -> dict[str, str]:
    """Map every normalized label variant to its field name; raises ProfileError on a bad file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read metadata labels ({exc})") from exc
    fields = set(PageMetadata.model_fields)
    mapping: dict[str, str] = {}
    for field, variants in (data or {}).items():
        if field not in fields or not isinstance(variants, list):
            raise ProfileError(f"{path}: unknown field {field!r} or not a list; fields are {sorted(fields)}")
        for variant in variants:
            mapping[_label_key(str(variant))] = field
    return mapping


def _text(element: lxml_html.HtmlElement) -> str:
    return clean_text(element.text_content())


def _from_cells(root: lxml_html.HtmlElement, labels: dict[str, str], found: dict[str, str]) -> None:
    """Tables: a cell holding a label, the next cell its value."""
    for row in root.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        for i, cell in enumerate(cells[:-1]):
            raw = _text(cell)
            field = labels.get(_label_key(raw)) if len(raw) <= 12 else None
            if field and field not in found:
                found[field] = value_text(cells[i + 1].text_content())


def _from_inline(root: lxml_html.HtmlElement, labels: dict[str, str], found: dict[str, str]) -> None:
    """Lists and paragraphs: ``<li><span>发文机构：</span>北京市…</li>`` or ``文号：京政发〔2024〕1号``."""
    for element in root.iter(*_INLINE_TAGS):
        raw = value_text(element.text_content())
        if not raw or len(raw) > 120:
            continue
        # 'label：value' or the bracketed '[ 索 引 号 ] value' / '【发文机构】value' of TRS portals
        match = re.match(r"^([^：:\[\]【】]{1,12})[：:]\s*(.*)$", raw) or re.match(
            r"^[\[【〔]\s*([^\]】〕]{1,14}?)\s*[\]】〕]\s*[：:]?\s*(.*)$", raw
        )
        if not match:
            continue
        field = labels.get(_label_key(match.group(1)))
        if field and field not in found and match.group(2):
            # A container holding several "label：value" children matches greedily; prefer the leaf.
            if any(
                re.search(r"[：:]", _text(child))
                for child in element
                if isinstance(child.tag, str)
                and child.tag in _INLINE_TAGS
                and _text(child) != raw
                and len(_text(child)) > 12
            ):
                continue
            found[field] = value_text(match.group(2))


def parse_metadata(root: lxml_html.HtmlElement, exclude: lxml_html.HtmlElement | None = None) -> PageMetadata:
    """Read the metadata table of a page, ignoring anything inside ``exclude`` (the body)."""
    labels = load_labels()
    scope = root
    removed_parent = None
    if exclude is not None and exclude.getparent() is not None:
        # Work on the tree without the body so that "来源：" inside the text is not taken for metadata.
        removed_parent = exclude.getparent()
        index = removed_parent.index(exclude)
        removed_parent.remove(exclude)
    try:
        found: dict[str, str] = {}
        _from_cells(scope, labels, found)
        _from_inline(scope, labels, found)
    finally:
        if removed_parent is not None:
            removed_parent.insert(index, exclude)
    return PageMetadata(**found)
