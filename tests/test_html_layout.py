"""The HTML report's layout in a real headless Chromium at 1280 and 400 pixels wide: errors first,
the index ordered by severity, no horizontal overflow, a link back to the index from each page,
citations opening in a new tab, and the technical details folded away.

The tests skip, saying so, where no Chromium is installed (nothing is downloaded). Screenshots are
saved to ``test-artifacts/`` for a person to look at.
"""
import datetime as dt
import json
import re
import struct
from pathlib import Path

import pytest

from factories import FACTBASE, AS_OF, HC194, make_document, make_finding, make_report, sample_report
from guidance_audit.models import Citation
from guidance_audit.reports.html import render_html, write_html_reports
from test_html_browser import ARTIFACTS, browse, chromium

pytestmark = pytest.mark.slow

WIDTHS = (1280, 400)
LONG_URL = ("https://www.gov.uk/government/publications/statement-of-changes-to-the-immigration-rules-"
            "hc-194-13-june-2012/a-very-long-address-without-any-spaces-in-it-at-all-" + "x" * 80)
LONG_SOURCE = "guidance/" + "a-folder-name-without-spaces-" * 4 + "force-policy-on-victims-with-insecure-status.pdf"

# Writes what the layout test measures into the page, where --dump-dom can read it. The page's own
# Content-Security-Policy would (rightly) refuse this script, so the test copy of the page drops it.
_PROBE = """<script>
(function () {
  var W = window.innerWidth, all = document.querySelectorAll('body *'), wide = [];
  for (var i = 0; i < all.length; i++) {
    var r = all[i].getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1) { wide.push(all[i].tagName + '.' + all[i].className + ' ' + Math.round(r.right)); }
  }
  var q = function (s) { return Array.prototype.slice.call(document.querySelectorAll(s)); };
  var out = {
    width: W, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10),
    severities: q('.ga-finding[data-severity]').map(function (e) { return e.getAttribute('data-severity'); }),
    details: q('details.ga-tech').map(function (d) { return d.open; }),
    fingerprints: q('.ga-fp').map(function (e) { return e.textContent; }),
    visibleText: document.body.innerText,
    citeLinks: q('.ga-cites a').map(function (a) { return [a.target, a.rel]; }),
    indexLinks: q('a.ga-index-link').map(function (a) { return a.getAttribute('href'); }),
    rows: q('tr.ga-doc a').map(function (a) { return a.getAttribute('href'); })
  };
  window.parent.postMessage(JSON.stringify(out), '*');
})();
</script>"""


# Chromium will not make a window narrower than 500 px, so the page is laid out in a frame of the
# width under test (media queries and percentages then see that width, as on a phone).
_FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{src}" style="border:0;width:{width}px;height:{height}px"></iframe>
<script>
window.addEventListener('message', function (e) {{
  var pre = document.createElement('pre'); pre.id = 'ga-probe'; pre.textContent = e.data;
  document.body.appendChild(pre);
}});
</script></body></html>"""


def framed(page: Path, width: int, height: int = 1600, probe: bool = False) -> Path:
    """A page that shows ``page`` in a frame ``width`` pixels wide (with the probe when asked)."""
    target = page
    if probe:
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
        target = page.with_name("probe-" + page.name)
        target.write_text(html.replace("</body>", _PROBE + "\n</body>"), encoding="utf-8")
    frame = page.with_name(f"frame-{width}-" + page.name)
    frame.write_text(_FRAME.format(src=target.name, width=width, height=height), encoding="utf-8")
    return frame


def _window(width: int, height: int) -> str:
    return f"--window-size={max(width, 500)},{height}"


def _probe(page: Path, tmp_path: Path, width: int) -> dict:
    dom = browse(framed(page, width, probe=True), tmp_path, "--dump-dom", _window(width, 900), "--hide-scrollbars",
                 "--virtual-time-budget=10000")
    m = re.search(r'<pre id="ga-probe">(.*?)</pre>', dom, re.S)
    assert m, "the probe did not run"
    import html as _html

    result = json.loads(_html.unescape(m.group(1)))
    assert result["width"] == width, f"the browser window is {result['width']} px wide, not {width}"
    return result


def _mixed_report(source="mixed.txt", warnings_only=False):
    """A warning before an error in document order, an info, a long unbroken path and a long URL."""
    doc = make_document([
        "Contact the UK Border Agency if in doubt.",
        "Spouses can settle after two years.",
        "Officers must record every crime reported to them.",
        "See " + LONG_URL + " for the rules.",
    ], source=source)
    long_cite = Citation(title="A source whose address is very long", provision="para 1", date=dt.date(2012, 7, 9),
                         url=LONG_URL)
    findings = [make_finding(doc, "UK Border Agency", kind="outdated-term", severity="warning", rule="body.ukba",
                             citations=(long_cite,))]
    if not warnings_only:
        findings.append(make_finding(doc, "Spouses can settle after two years.", citations=(HC194, long_cite)))
    findings.append(make_finding(doc, "Officers must record every crime reported to them.", kind="supported",
                                 severity="info", rule="crime.record"))
    return make_report(doc, findings)


@pytest.fixture(scope="module", autouse=True)
def _have_chromium():
    chromium()  # skips the module, saying why, when there is none


@pytest.mark.parametrize("width", WIDTHS)
def test_a_report_page_lists_errors_first_fits_the_width_and_folds_technical_details(tmp_path, width):
    report = _mixed_report(LONG_SOURCE)
    page = tmp_path / "report.html"
    page.write_text(render_html([report], FACTBASE, AS_OF), encoding="utf-8")
    r = _probe(page, tmp_path, width)
    assert r["severities"] == ["error", "warning", "info"]
    assert r["scrollWidth"] <= width and not r["wide"], r["wide"]
    # technical details are there but folded: fingerprints, rule ids and the fact base hash are not shown
    assert r["details"] and not any(r["details"])
    assert len(r["fingerprints"]) == 3 and not any(fp in r["visibleText"] for fp in r["fingerprints"])
    assert FACTBASE["sha256"] not in r["visibleText"] and "partner.settlement_period" not in r["visibleText"]
    assert "Technical details" in r["visibleText"] and "UK Border Agency" in r["visibleText"]
    # every citation link opens in a new tab, without giving the source a handle on this page
    assert r["citeLinks"] and all(t == "_blank" and "noopener" in rel for t, rel in r["citeLinks"])
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-{width}.png"
    shot.unlink(missing_ok=True)
    browse(framed(page, width), tmp_path, f"--screenshot={shot}", _window(width, 1600), "--hide-scrollbars",
           "--virtual-time-budget=5000")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", png[16:20])[0] == max(width, 500)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_index_orders_documents_by_severity_and_each_page_links_back(tmp_path, width):
    from guidance_audit.reports.model import ErrorEntry

    clean = make_report(make_document(["Officers must record every crime."], source="clean.txt"), [])
    warnings = _mixed_report("warnings.txt", warnings_only=True)
    errors = sample_report("errors.txt")
    unreadable = make_report(None, [], source="broken.pdf", errors=(ErrorEntry("unreadable-file", "corrupt PDF"),))
    out = tmp_path / "out"
    index = write_html_reports([clean, warnings, errors, unreadable], FACTBASE, AS_OF, out)
    r = _probe(index, tmp_path, width)
    order = [re.sub(r"^\d+-", "", h) for h in r["rows"]]
    assert order == ["broken.html", "errors.html", "warnings.html", "clean.html"]
    assert r["scrollWidth"] <= width and not r["wide"], r["wide"]
    for href in r["rows"]:
        page = _probe(out / href, tmp_path, width)
        assert page["indexLinks"] and all(h == "index.html" for h in page["indexLinks"])
        assert (out / page["indexLinks"][0]).resolve() == index.resolve()
        assert page["scrollWidth"] <= width and not page["wide"], (href, page["wide"])
    ARTIFACTS.mkdir(exist_ok=True)
    browse(framed(index, width), tmp_path, f"--screenshot={ARTIFACTS / f'index-{width}.png'}", _window(width, 1200),
           "--hide-scrollbars", "--virtual-time-budget=5000")
