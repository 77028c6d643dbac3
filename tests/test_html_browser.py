"""The HTML report in a real browser (headless Chromium): quotes rendered, injected scripts inert.

``.ci/run`` installs Debian's ``chromium``; these tests skip, saying so, only where no Chromium can
be found. A screenshot is saved to ``test-artifacts/report.png`` for a person to look at.
"""
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factories import HOSTILE_PARAGRAPHS, hostile_report, sample_report

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium found (CI installs Debian's 'chromium'; run 'apt-get install chromium')")


def browse(page_path, tmp_path, *extra):
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", *extra, page_path.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.text, self.body_attrs, self.forms = "", [], {}, []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "body":
            self.body_attrs = attrs
        elif tag == "form":
            self.forms.append(attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        else:
            self.text.append(data)


def dom_of(html):
    d = _Dom()
    d.feed(html)
    return d


def test_hostile_document_text_renders_as_text_and_never_runs(tmp_path):
    report = hostile_report()
    page = tmp_path / "hostile.html"
    page.write_text(report.to_html(), encoding="utf-8")
    dom = dom_of(browse(page, tmp_path, "--dump-dom"))
    assert "PWNED" not in dom.title
    assert dom.title.startswith("Guidance audit")
    assert "data-pwned" not in dom.body_attrs
    text = "".join(dom.text)
    for f in report.findings:
        assert f.quote.replace("\n", "") in text.replace("\n", "")
    assert HOSTILE_PARAGRAPHS[0] in text
    # the page's own filter script did run: the policy admits it by its hash
    assert dom.forms and "hidden" not in dom.forms[0]
    assert "3 of 3 findings shown" in text


def test_policy_blocks_markup_that_escaped_escaping(tmp_path):
    html = sample_report().to_html()
    injected = ("<script>document.title='PWNED';document.body.setAttribute('data-pwned','1')</script>"
                "<img src=x onerror=\"document.title='PWNED2'\">")
    html = html.replace("<h2>Summary</h2>", "<h2>Summary</h2>" + injected, 1)
    page = tmp_path / "broken-escaping.html"
    page.write_text(html, encoding="utf-8")
    dom = dom_of(browse(page, tmp_path, "--dump-dom"))
    assert "PWNED" not in dom.title
    assert "data-pwned" not in dom.body_attrs
    assert re.search(r"\d+ of \d+ findings shown", "".join(dom.text))


def test_screenshot_of_a_report(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    page = tmp_path / "report.html"
    page.write_text(sample_report().to_html(), encoding="utf-8")
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    browse(page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars")
    assert shot.exists() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
