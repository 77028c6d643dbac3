"""HTML reader: visible text only, block kinds, heading paths, metadata, encodings, limits."""
from __future__ import annotations

import datetime as dt

import pytest

from builders import assert_spans, make_html
from guidance_audit.errors import NoTextError, TooLargeError
from guidance_audit.limits import Limits
from guidance_audit.readers import read_bytes, read_document

PAGE_BODY = """
<header><div class="banner">Cookies on this site</div></header>
<nav><a href="/">Home</a> <a href="/x">Guidance</a></nav>
<main><article>
  <header><h1>Domestic abuse: police guidance</h1></header>
  <h2>2. Information sharing</h2>
  <p>Officers &amp; staff should <b>not</b> share
     victims'&nbsp;data with   Immigration Enforcement.
  <p>Second paragraph.
  <ul><li>First item<li>Second <em>item</em></ul>
  <ol><li>(a) lettered</li></ol>
  <table><tr><th>Route<th>Years</tr><tr><td>Spouse<td>5</table>
  <h3>Safeguarding</h3>
  <dl><dt>Term<dd>Definition</dl>
  <blockquote>A quoted view.</blockquote>
  <h2>3. Annex</h2>
  <div>Loose div text<br><br>after a double break</div>
</article></main>
<aside>Related links</aside>
<footer>Crown copyright footer</footer>
"""

EXPECTED = [
    ("heading", "Domestic abuse: police guidance", None, ()),
    ("heading", "Information sharing", "2.", ("Domestic abuse: police guidance",)),
    ("paragraph", "Officers & staff should not share victims' data with Immigration Enforcement.", None,
     ("Domestic abuse: police guidance", "Information sharing")),
    ("paragraph", "Second paragraph.", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("list_item", "First item", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("list_item", "Second item", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("list_item", "lettered", "(a)", ("Domestic abuse: police guidance", "Information sharing")),
    ("table_cell", "Route", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("table_cell", "Years", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("table_cell", "Spouse", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("table_cell", "5", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("heading", "Safeguarding", None, ("Domestic abuse: police guidance", "Information sharing")),
    ("paragraph", "Term", None, ("Domestic abuse: police guidance", "Information sharing", "Safeguarding")),
    ("paragraph", "Definition", None, ("Domestic abuse: police guidance", "Information sharing", "Safeguarding")),
    ("paragraph", "A quoted view.", None, ("Domestic abuse: police guidance", "Information sharing", "Safeguarding")),
    ("heading", "Annex", "3.", ("Domestic abuse: police guidance",)),
    ("paragraph", "Loose div text", None, ("Domestic abuse: police guidance", "Annex")),
    ("paragraph", "after a double break", None, ("Domestic abuse: police guidance", "Annex")),
]


def test_structure(tmp_path):
    path = make_html(tmp_path / "page.html", PAGE_BODY, title="Domestic abuse guidance - GOV.UK")
    doc = read_document(path)
    assert_spans(doc)
    assert [(b.kind, b.text, b.number, b.heading_path) for b in doc.blocks] == EXPECTED
    assert doc.metadata.format == "html"
    assert doc.metadata.title == "Domestic abuse guidance"
    assert all(b.page is None for b in doc.blocks)


@pytest.mark.parametrize(
    "hidden",
    [
        "<script>var s = '<p>script text</p>';</script>",
        "<style>p { color: red } /* style text */</style>",
        "<noscript>noscript text</noscript>",
        "<template><p>template text</p></template>",
        "<nav>nav text</nav>",
        "<aside>aside text</aside>",
        "<form><label>form text</label><input value='x'></form>",
        "<header>banner text</header>",
        "<footer>footer text</footer>",
        "<div hidden>hidden text</div>",
        "<p aria-hidden=\"true\">aria text</p>",
        "<div style=\"display: none\">styled text</div>",
        "<svg><title>svg title text</title><text>svg text</text></svg>",
        "<button>button text</button>",
        "<div class=\"cookie-banner\"><p>We use cookies text.</p></div>",
        "<section id=\"global-cookie-message\" aria-label=\"Cookies on this site\"><p>cookie text</p></section>",
        "<div id=\"cookie-law-info-bar\">consent text</div>",
    ],
)
def test_invisible_content_is_skipped(hidden):
    html = f"<html><head><title>T</title></head><body><p>Before.</p>{hidden}<p>After.</p></body></html>"
    doc = read_bytes(html.encode(), "page.html")
    assert [b.text for b in doc.blocks] == ["Before.", "After."]
    assert "text" not in doc.text


def test_a_paragraph_about_cookies_inside_the_main_content_is_kept():
    html = ("<html><body><main><h1>Privacy</h1><div class=\"cookie-policy\"><p>We set two cookies.</p></div>"
            "</main></body></html>")
    doc = read_bytes(html.encode(), "page.html")
    assert "We set two cookies." in doc.text


def test_title_falls_back_to_first_h1():
    doc = read_bytes(b"<body><h1>Only heading</h1><p>Text.</p></body>", "p.html")
    assert doc.metadata.title == "Only heading"


@pytest.mark.parametrize(
    "head, body, published, source",
    [
        ('<meta name="DC.date.issued" content="2019-03-10">', "<p>Text.</p>", dt.date(2019, 3, 10), "metadata"),
        ('<meta property="article:published_time" content="2020-04-23T09:00:00+01:00">', "<p>Text.</p>",
         dt.date(2020, 4, 23), "metadata"),
        ('<meta name="date" content="23/04/2020">', "<p>Text.</p>", dt.date(2020, 4, 23), "metadata"),
        ("", '<p>Published <time datetime="2018-02-01">1 February 2018</time></p>', dt.date(2018, 2, 1), "text"),
        ("", '<p>Text.</p><p><time datetime="2018-02-01">Feb</time></p>', dt.date(2018, 2, 1), "metadata"),
        ('<meta name="DC.date.issued" content="2019-03-10">', "<p>Last updated 3 March 2021</p>",
         dt.date(2021, 3, 3), "text"),
        ("", "<p>Text without dates.</p>", None, None),
    ],
)
def test_dates(head, body, published, source):
    doc = read_bytes(make_page(body, head), "p.html")
    assert doc.metadata.published == published
    assert doc.metadata.published_from == source


def make_page(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


@pytest.mark.parametrize(
    "encoding, declare, bom",
    [
        ("utf-8", True, False),
        ("utf-8", False, True),
        ("utf-8", False, False),
        ("utf-16-le", False, True),
        ("utf-16-be", False, True),
        ("windows-1252", True, False),
        ("iso-8859-1", True, False),
    ],
)
def test_encodings(tmp_path, encoding, declare, bom):
    body = "<p>Fee \u00a3100 for caf\u00e9 r\u00e9sum\u00e9.</p>"
    path = make_html(tmp_path / "p.html", body, encoding=encoding, declare_charset=declare, bom=bom)
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["Fee \u00a3100 for caf\u00e9 r\u00e9sum\u00e9."]


def test_entities_and_whitespace():
    doc = read_bytes(b"<p>  A&nbsp;&amp;&#160;B &lt;tag&gt; &eacute;&#x27;s\n\n   end </p>", "e.html")
    assert doc.blocks[0].text == "A & B <tag> \u00e9's end"


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<html><head><title>T</title><body><p>Unclosed head.</p>", ["Unclosed head."]),
        ("<p>One<p>Two<div>Three</div>", ["One", "Two", "Three"]),
        ("<ul><li>One<li>Two</ul><p>After", ["One", "Two", "After"]),
        ("<table><tr><td>a<td>b<tr><td>c</table>", ["a", "b", "c"]),
        ("<div>Outer <p>inner</p> tail</div>", ["Outer", "inner", "tail"]),
        ("<p>Stray end tags</span></div></p><p>ok</p>", ["Stray end tags", "ok"]),
        ("<li><p>Item para</p></li>", ["Item para"]),
        ("<title>Unclosed title<body><p>Body text.</p>", ["Body text."]),
    ],
)
def test_sloppy_markup(markup, expected):
    doc = read_bytes(markup.encode(), "s.html")
    assert_spans(doc)
    assert [b.text for b in doc.blocks] == expected


def test_list_item_with_paragraph_is_list_item():
    doc = read_bytes(b"<ul><li><p>Item para</p></li></ul>", "s.html")
    assert doc.blocks[0].kind == "list_item"


def test_depth_limit():
    deep = "<div>" * 600 + "deep" + "</div>" * 600
    with pytest.raises(TooLargeError):
        read_bytes(deep.encode(), "deep.html")
    doc = read_bytes(deep.encode(), "deep.html", limits=Limits(max_html_depth=1000))
    assert doc.blocks[0].text == "deep"


@pytest.mark.parametrize(
    "markup",
    [
        b"<html><head><title>Only a title</title></head><body></body></html>",
        b"<html><body><script>x()</script></body></html>",
    ],
)
def test_no_visible_text(markup):
    with pytest.raises(NoTextError):
        read_bytes(markup, "empty.html")


def test_html_with_text_suffix_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_bytes(make_page("<p>Visible.</p><script>hidden()</script>"))
    doc = read_document(path)
    assert doc.metadata.format == "html"
    assert [b.text for b in doc.blocks] == ["Visible."]


def test_nothing_is_fetched(tmp_path):
    # External references are inert: no network, and their text never appears.
    body = '<img src="http://127.0.0.1:9/x.png" alt="alt text"><iframe src="http://127.0.0.1:9/"></iframe><p>Body.</p>'
    doc = read_bytes(make_page(body, '<link rel="stylesheet" href="http://127.0.0.1:9/s.css">'), "x.html")
    assert [b.text for b in doc.blocks] == ["Body."]
