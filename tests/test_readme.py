"""The README's example runs and prints what the README says it prints."""
import contextlib
import io
import re
from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_example_output_is_current():
    m = re.search(r"## Ten lines of Python\n\n```python\n(.*?)```\n\nprints\n\n```\n(.*?)```", README, re.S)
    assert m, "the README's example section has moved"
    code, expected = m.group(1), m.group(2)
    assert len(code.strip().splitlines()) <= 10
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue() == expected
