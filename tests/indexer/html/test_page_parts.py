"""Decoding, metadata label variants, body cleaning and attachments on pages written for these tests."""

from __future__ import annotations

import codecs

import pytest

from indexer.errors import ContentError
from indexer.html.decode import decode_html
from indexer.html.page import parse_page

BEIJING_STYLE = """<html><head><meta charset="gbk">
<title>关于做好养老服务补贴发放工作的通知_北京市人民政府</title></head>
<body><div class="nav">首页 > 政策 > 文件</div>
<ul class="xxgk-meta">
  <li><span>发文机构：</span>北京市民政局</li>
  <li><span>联合发文单位：</span></li>
  <li><span>文号：</span>京民养老发〔2025〕12号</li>
  <li><span>发文日期：</span>2025年03月02日</li>
  <li><span>发布日期：</span>2025-03-05</li>
  <li><span>时效性：</span>现行有效</li>
  <li><span>主题分类：</span>民政、扶贫、救灾</li>
</ul>
<h1>关于做好养老服务补贴发放工作的通知</h1>
<div class="view TRS_UEDITOR trs_paper_default">
  <p>各区民政局：</p>
  <p>　　为落实养老服务补贴制度，现就有关事项通知如下。来源：本局</p>
  <script>var share = 1;</script>
  <div class="bdsharebuttonbox">分享到：微信 微博</div>
  <div id="qr_container">扫一扫在手机打开当前页</div>
  <p>　　附件：<a href="./P0202503.pdf">补贴申请表</a> <a href="/files/清单.xlsx">发放清单</a>
     <a href="/files/说明.ofd"></a> <a href="/other.html">相关链接</a></p>
</div></body></html>"""


def test_list_style_metadata_with_label_variants_and_clean_body() -> None:
    page = parse_page(BEIJING_STYLE.encode("gb18030"), "https://mzj.beijing.gov.cn/zwxx/2025/t1.html")
    meta = page.metadata
    assert meta.issuing_body == "北京市民政局"
    assert meta.doc_number == "京民养老发〔2025〕12号"
    assert meta.written_date == "2025年03月02日"
    assert meta.publish_date == "2025-03-05"
    assert meta.validity == "现行有效"
    assert meta.subject_category == "民政、扶贫、救灾"
    assert page.title == "关于做好养老服务补贴发放工作的通知"
    assert page.text.splitlines()[0] == "各区民政局："
    for noise in ("分享到", "扫一扫", "var share", "首页"):
        assert noise not in page.text
    assert "来源：本局" in page.text  # body text is never mistaken for metadata
    assert [(a.title, a.file_type) for a in page.attachments] == [
        ("补贴申请表", "pdf"),
        ("发放清单", "xlsx"),
        ("说明.ofd", "ofd"),
    ]
    assert page.attachments[0].url == "https://mzj.beijing.gov.cn/zwxx/2025/P0202503.pdf"
    assert page.encoding == "gb18030"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("索 引 号", "index_number"),
        ("索引号", "index_number"),
        ("发文字号", "doc_number"),
        ("文号", "doc_number"),
        ("成文日期", "written_date"),
        ("发文日期", "written_date"),
        ("发文机关", "issuing_body"),
        ("发布机构", "issuing_body"),
        ("主题词", "keywords"),
        ("有效性", "validity"),
        ("时效性", "validity"),
        ("是否有效", "validity"),
        ("标　　题", "title"),
    ],
)
def test_table_label_variants(label: str, field: str) -> None:
    html = (
        f"<html><body><table><tr><td><b>{label}：</b></td><td> 值\u3000甲 </td></tr></table>"
        "<div id='UCAP-CONTENT'><p>正文。</p></div></body></html>"
    )
    page = parse_page(html.encode("utf-8"))
    assert getattr(page.metadata, field) == "值\u3000甲"


def test_gbk_page_that_claims_utf8_is_detected() -> None:
    text = "<html><head><meta charset='utf-8'></head><body><p>" + "关于进一步优化营商环境的若干措施。" * 20
    decoded = decode_html(text.encode("gbk"), "text/html; charset=utf-8")
    assert "优化营商环境" in decoded.text
    assert decoded.lied and decoded.encoding in {"gb18030", "gbk", "gb2312"}


def test_utf8_page_that_claims_gbk_stays_utf8() -> None:
    decoded = decode_html("<p>政府信息公开目录</p>".encode(), "text/html; charset=GBK")
    assert decoded.text == "<p>政府信息公开目录</p>" and decoded.lied


def test_bom_wins_and_meta_charset_is_read() -> None:
    assert decode_html(codecs.BOM_UTF8 + "解读".encode()).method == "bom"
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + "政策解读".encode("gbk")
    decoded = decode_html(meta)
    assert decoded.method == "meta" and "政策解读" in decoded.text


@pytest.mark.parametrize("content", [b"", b"   \n ", bytes(range(256)) * 50])
def test_empty_and_binary_content_is_rejected_with_a_reason(content: bytes) -> None:
    with pytest.raises(ContentError):
        parse_page(content, "http://example.gov.cn/x")


def test_truncated_html_still_yields_its_text() -> None:
    page = parse_page("<html><body><div id='zoom'><p>第一条 为了规范".encode(), "http://x.gov.cn/a")
    assert page.text == "第一条 为了规范"
