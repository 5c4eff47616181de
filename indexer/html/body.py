"""Find the article body (UCAP-CONTENT, TRS_UEDITOR, …) and turn it into clean lines of text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from lxml import etree
from lxml import html as lxml_html
from pydantic import BaseModel

from indexer.errors import ProfileError

RULES_FILE = Path(__file__).with_name("data") / "body_rules.yaml"
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "hr",
    "center",
    "tbody",
    "thead",
}
_CELL = {"td", "th"}
_LINE_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0\u2002\u2003\u200b]+")


class BodyRules(BaseModel):
    containers: list[str]
    drop_tags: list[str]
    drop_markers: list[str]


@lru_cache(maxsize=8)
def load_body_rules(path: Path = RULES_FILE) -> BodyRules:
    """Body rules from YAML; raises ProfileError naming the file."""
    try:
        return BodyRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ProfileError(f"{path}: invalid body rules ({exc})") from exc


def find_body(
    root: lxml_html.HtmlElement, containers: list[str] | None = None
) -> lxml_html.HtmlElement | None:
    """The first element matched by the container XPaths, else the densest text block."""
    for xpath in containers or load_body_rules().containers:
        try:
            matches = root.xpath(xpath)
        except etree.XPathError as exc:
            raise ProfileError(f"invalid body XPath {xpath!r}: {exc}") from exc
        matches = [m for m in matches if isinstance(m, lxml_html.HtmlElement)]
        if matches:
            return max(matches, key=lambda m: len(m.text_content()))
    return densest_block(root)


def densest_block(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """Heuristic for unknown sites: the element whose own paragraphs carry the most text."""
    best, best_score = None, 0
    for element in root.iter("div", "td", "article", "section", "main"):
        paragraphs = [c for c in element if isinstance(c.tag, str) and c.tag in ("p", "br", "span", "font")]
        own = sum(len((c.text_content() or "").strip()) for c in paragraphs) + len(
            (element.text or "").strip()
        )
        links = sum(len(a.text_content()) for a in element.iter("a"))
        score = own - 2 * links
        if score > best_score:
            best, best_score = element, score
    return best


def clean_body(body: lxml_html.HtmlElement, rules: BodyRules | None = None) -> lxml_html.HtmlElement:
    """A copy of the body without scripts, navigation, share buttons and QR codes."""
    rules = rules or load_body_rules()
    body = lxml_html.fromstring(lxml_html.tostring(body, encoding="unicode"))
    drop_tags = set(rules.drop_tags)
    for element in list(body.iter()):
        if element is body or not isinstance(element.tag, str):
            if not isinstance(element.tag, str) and element.getparent() is not None:
                element.drop_tree()  # comments and processing instructions
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if element.tag in drop_tags or any(m in marker for m in rules.drop_markers):
            element.drop_tree()
    return body


def element_lines(element: lxml_html.HtmlElement) -> list[str]:
    """Text of an element as lines: block elements and <br> break lines, inline ones join."""
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK:
            parts.append("\n")
        if node.text and tag not in ("script", "style"):
            parts.append(node.text)
        for child in node:
            walk(child)
            if isinstance(child.tag, str) and child.tag in _CELL:
                parts.append(" ")
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK:
            parts.append("\n")

    walk(element)
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def extract_body_text(root: lxml_html.HtmlElement, containers: list[str] | None = None) -> str:
    """The cleaned article text of a page ('' when no body is found)."""
    body = find_body(root, containers)
    if body is None:
        return ""
    return "\n".join(element_lines(clean_body(body)))
