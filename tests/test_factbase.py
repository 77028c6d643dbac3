"""The fact-pack loader is strict: every problem is reported as file:line: problem."""
import datetime as dt
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.factbase import load_factbase, read_pack, validate_packs

DATA = Path(__file__).parent / "data"

GOOD_FACT = """\
pack: t
facts:
  - id: t.fact
    kind: value
    title: A fact
    quantity: duration
    confidence: high
    reviewed: 2026-11-21
    recognise: {all: [[spouse], [settle]]}
    values:
      - value: 2 years
        from: 2003-04-01
        until: 2012-07-08
        citation: {title: HC 538}
      - value: 5 years
        from: 2012-07-09
        citation: {title: HC 194, url: "https://example.org"}
"""


def problems(text):
    return read_pack(text, "pack.yaml")[1]


def test_a_valid_pack_loads_with_dated_values_and_citations():
    pack, found = read_pack(GOOD_FACT, "pack.yaml")
    assert found == []
    fact = pack.facts[0]
    assert [v.text for v in fact.values] == ["2 years", "5 years"]
    assert fact.values_in_force(dt.date(2010, 1, 1))[0].text == "2 years"
    assert fact.values_in_force(dt.date(2012, 7, 9))[0].text == "5 years"
    assert fact.successor_of(fact.values[0]).text == "5 years"
    assert fact.values[1].citations[0].url == "https://example.org"


@pytest.mark.parametrize("old, new, expected", [
    ("    title: A fact\n", "    title: A fact\n    colour: red\n", "pack.yaml:6: unknown key 'colour'"),
    ("    title: A fact\n", "    title: A fact\n    title: Again\n", "pack.yaml:6: duplicate key 'title'"),
    ("reviewed: 2026-11-21", "reviewed: 21/11/2026", "pack.yaml:8: 'reviewed' must be an ISO date"),
    ("reviewed: 2026-11-21", "reviewed: 2026-02-30", "pack.yaml:8: 'reviewed' is not a real date"),
    ("        citation: {title: HC 538}\n", "", "pack.yaml:11: a value of t.fact has no citation"),
    ("value: 2 years", "value: [2 years, lots]", "cannot read 'lots'"),
    ("value: 2 years", "value: £18,600", "is a money, but the fact states a duration"),
    ("confidence: high", "confidence: certain", "'confidence' must be high, medium or low"),
    ("kind: value", "kind: rumour", "'kind' must be one of"),
    ("recognise: {all: [[spouse], [settle]]}", "recognise: {all: spouse}", "must be a list of lists"),
    ("from: 2012-07-09", "from: 2011-01-01", "overlap"),
    ("value: 2 years", "value: !!python/object/apply:os.system [echo hacked]",
     "pack.yaml:11: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("pack: t\n", "pack: t\nsurprise: 1\n", "pack.yaml:2: unknown key 'surprise' in pack"),
    ("      - value: 5 years\n", "      - value: 5 years\n        url: x\n", "unknown key 'url' in a value"),
])
def test_bad_packs_are_refused_with_file_and_line(old, new, expected):
    assert old in GOOD_FACT
    found = problems(GOOD_FACT.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_yaml_syntax_errors_name_the_line():
    found = problems("pack: t\nfacts:\n  - id: [unclosed\n")
    assert found and found[0].startswith("pack.yaml:") and "YAML error" in found[0]


def test_an_unsafe_tag_is_never_constructed(tmp_path):
    marker = tmp_path / "ran"
    text = GOOD_FACT.replace("value: 2 years", f"value: !!python/object/apply:os.system ['touch {marker}']")
    assert problems(text)
    assert not marker.exists()


def test_duplicate_ids_across_bundled_packs_are_errors(tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(GOOD_FACT)
    b.write_text(GOOD_FACT)
    from guidance_audit.factbase import _load

    with pytest.raises(ga.FactBaseError) as err:
        _load([a, b], [])
    assert "duplicate fact id 't.fact'" in str(err.value)


def test_a_users_pack_overrides_by_id_and_the_report_says_so(tmp_path):
    base = load_factbase()
    some = next(iter(base))
    user = tmp_path / "mine.yaml"
    user.write_text(GOOD_FACT.replace("t.fact", some.id))
    fb = load_factbase(extra=[user])
    assert fb.get(some.id).title == "A fact"
    assert fb.info()["overridden"] == [some.id]
    assert fb.sha256 != base.sha256


def test_bundled_packs_are_valid_and_every_value_is_cited():
    from guidance_audit.factbase import bundled_pack_paths

    assert validate_packs([str(p) for p in bundled_pack_paths()]) == []
    fb = load_factbase()
    assert len(fb) > 0
    for fact in fb:
        assert fact.reviewed > dt.date(2000, 1, 1), fact.id
        if fact.kind in ("term", "provision"):
            assert fact.citations, fact.id
        for v in fact.values:
            assert v.citations, f"{fact.id}: {v.text}"


def test_mini_pack_in_test_data_is_valid():
    assert validate_packs([DATA / "mini_pack.yaml"]) == []


def test_an_installed_package_can_ship_packs_through_the_entry_point_group(tmp_path, monkeypatch):
    import importlib.metadata as md
    import sys

    pack = tmp_path / "shipped.yaml"
    pack.write_text(GOOD_FACT.replace("t.fact", "shipped.fact"))
    module = tmp_path / "shipped_packs.py"
    module.write_text(f"def packs():\n    return [{str(pack)!r}]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ep = md.EntryPoint(name="shipped", value="shipped_packs:packs", group="guidance_audit.factpacks")
    real = md.entry_points

    def fake(**kw):
        return [ep] if kw.get("group") == "guidance_audit.factpacks" else real(**kw)

    monkeypatch.setattr(md, "entry_points", fake)
    sys.modules.pop("shipped_packs", None)
    assert load_factbase().get("shipped.fact") is not None
    assert load_factbase(entry_points=False).get("shipped.fact") is None


STANCE_PACK = """pack: test
stances:
  - id: stance.ask_status
    topic: asking about status
    object_required: {required}
    object: [immigration status]
    target: [caller]
    act: [ask]
"""


def test_a_stance_can_require_its_object_and_the_flag_is_checked():
    pack, found = read_pack(STANCE_PACK.format(required="true"), "pack.yaml")
    assert found == [] and pack.stances[0].object_required is True
    assert any("object_required must be true or false" in str(p) for p in problems(STANCE_PACK.format(required="'yes'")))
    assert any("act_to_target must be" in str(p)
               for p in problems(STANCE_PACK.format(required="true") + "    act_to_target: near\n"))
