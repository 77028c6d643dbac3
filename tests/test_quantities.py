"""Quantity parsing and normalisation: statements written differently compare equal."""
import datetime as dt

from pathlib import Path

import pytest

from guidance_audit.quantities import describe_quantity, parse_quantities, parse_value, resolve_yearless, same_quantity


@pytest.mark.parametrize("text, kind, value, quoted", [
    ("after two years in the UK", "duration", 24, "two years"),
    ("after 24 months", "duration", 24, "24 months"),
    ("a two-year probationary period", "duration", 24, "two-year"),
    ("on the five-year route", "duration", 60, "five-year"),
    ("sixty months' residence", "duration", 60, "sixty months"),
    ("twenty-four months", "duration", 24, "twenty-four months"),
    ("leave for 2 yrs", "duration", 24, "2 yrs"),
    ("three months' leave outside the rules", "duration", 3, "three months"),
    ("six and a half years", "duration", 78, "six and a half years"),
    ("an income of £18,600", "money", 18600, "£18,600"),
    ("at least £29k a year", "money", 29000, "£29k"),
    ("£1.5 million of funding", "money", 1.5e6, "£1.5 million"),
    ("18,600 pounds", "money", 18600, "18,600 pounds"),
    ("the test costs thirty-five pounds", "money", 35, "thirty-five pounds"),
    ("fined up to ten thousand pounds for each worker", "money", 10000, "ten thousand pounds"),
    ("eighteen thousand six hundred pounds a year", "money", 18600, "eighteen thousand six hundred pounds"),
    ("two hundred and fifty pounds", "money", 250, "two hundred and fifty pounds"),
    ("60% of forces", "percent", 60, "60%"),
    ("sixty per cent", "percent", 60, "sixty per cent"),
    ("2,656 victims were referred", "count", 2656, "2,656"),
])
def test_quantity_is_found_and_normalised(text, kind, value, quoted):
    qs = [q for q in parse_quantities(text) if q.kind == kind]
    assert len(qs) == 1
    q = qs[0]
    assert q.value == pytest.approx(value)
    assert q.text == quoted
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("text, date, precision", [
    ("from 9 July 2012", dt.date(2012, 7, 9), "day"),
    ("on 1st April 2003", dt.date(2003, 4, 1), "day"),
    ("before July 2012", dt.date(2012, 7, 1), "month"),
    ("until 2012", dt.date(2012, 1, 1), "year"),
    ("dated 2020-04-23", dt.date(2020, 4, 23), "day"),
    ("dated 23/04/2020", dt.date(2020, 4, 23), "day"),
])
def test_dates_keep_their_precision(text, date, precision):
    dates = [q for q in parse_quantities(text) if q.kind == "date"]
    assert [(q.date, q.precision) for q in dates] == [(date, precision)]


@pytest.mark.parametrize("text", [
    "paragraph 289A of the Immigration Rules",
    "section 29 of the Data Protection Act 1998",
    "Tier 4 students",
    "HC 194 and Part 8",
    "see para 6.2",
])
def test_labels_of_provisions_are_not_quantities(text):
    assert [q for q in parse_quantities(text) if q.kind in ("count", "duration", "money")] == []


def test_a_salary_rate_is_not_a_duration():
    qs = parse_quantities("a sponsor earning £18,600 a year")
    assert [q.kind for q in qs] == ["money"]


def test_offset_shifts_every_span():
    text = "settle after two years"
    q = parse_quantities(text, offset=100)[0]
    assert (q.start, q.end) == (113, 122)


@pytest.mark.parametrize("a, b, equal", [
    ("2 years", "24 months", True),
    ("5 years", "60 months", True),
    ("2 years", "27 months", False),
    ("£18,600", "£18600", True),
    ("3 months", "12 weeks", False),
    ("60%", "60 months", False),
])
def test_same_quantity(a, b, equal):
    assert same_quantity(parse_value(a), parse_value(b)) is equal


@pytest.mark.parametrize("value, text", [("24 months", "2 years"), ("30 months", "30 months"),
                                         ("£29,000", "£29,000"), ("12 weeks", "12 weeks")])
def test_describe_quantity(value, text):
    assert describe_quantity(parse_value(value)) == text


@pytest.mark.parametrize("text, months, described", [
    ("48 hours", 48 / 24 * 12 / 365.25, "2 days"),
    ("36 hours", 36 / 24 * 12 / 365.25, "36 hours"),
    ("a 24-hour period", 12 / 365.25, "1 day"),
    ("72 hrs", 3 * 12 / 365.25, "3 days"),
    ("14 days", 14 * 12 / 365.25, "14 days"),
    ("a 28-day period", 28 * 12 / 365.25, "28 days"),
    ("12 weeks", 12 * 12 / 52, "12 weeks"),
    ("6 months", 6, "6 months"),
    ("five years", 60, "5 years"),
])
def test_every_duration_unit_a_fact_pack_may_use(text, months, described):
    from guidance_audit.quantities import describe_quantity, parse_value

    q = parse_value(text)
    assert q is not None and q.kind == "duration" and q.value == pytest.approx(months, abs=1e-6)
    assert describe_quantity(q) == described


def test_a_fact_pack_value_in_hours_loads_and_matches_the_same_period_in_days(tmp_path):
    """Every unit documented in claims/README.md loads as a value, and statements in another unit
    of the same length compare equal."""
    import re

    import guidance_audit as ga
    from guidance_audit.quantities import parse_value, same_quantity

    readme = (Path(ga.__file__).parent.parent / "claims" / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Units of a value"):readme.index("## Kind `statistic`")]
    documented = re.findall(r"^\| (hours|days|weeks|months|years) \|", table, re.M)
    assert documented == ["hours", "days", "weeks", "months", "years"]
    pack = tmp_path / "units.yaml"
    values = "".join(f"""
    - value: 2 {unit}
      from: 20{10 + i}-01-01
      {'until: 20%d-12-31' % (10 + i) if i < 4 else ''}
      citation:
        title: Test instrument {i}
        date: 20{10 + i}-01-01
        url: https://example.org/{i}"""
                     for i, unit in enumerate(documented))
    pack.write_text(f"""pack: units
facts:
  - id: test.deadline
    kind: value
    title: A deadline
    quantity: duration
    confidence: high
    reviewed: 2026-01-01
    recognise:
      all:
        - [deadline]
    values:{values}
""", encoding="utf-8")
    fb = ga.load_factbase(extra=[str(pack)])
    fact = fb.facts["test.deadline"]
    assert [v.quantities[0].value for v in fact.values] == pytest.approx(
        [2 / 24 * 12 / 365.25, 2 * 12 / 365.25, 2 * 12 / 52, 2, 24], abs=1e-6)
    assert same_quantity(parse_value("48 hours"), fact.values[1].quantities[0])


@pytest.mark.parametrize("text", ["up to 20 hours a week in term time", "10 hours per week", "15 hours each week",
                                  "8 hours a day", "20 hours weekly"])
def test_hours_of_work_per_week_are_a_rate_not_a_period(text):
    """Fact packs count weekly working hours ("20 hours a week") as a number, not a duration."""
    from guidance_audit.quantities import parse_quantities

    found = parse_quantities(text)
    assert not [q for q in found if q.kind == "duration" and "hour" in q.text]
    assert [q.kind for q in found if q.text.isdigit()] == ["count"]


@pytest.mark.parametrize("text,reference,expected", [
    ("From 11 April the threshold will be £29,000.", dt.date(2024, 3, 20), dt.date(2024, 4, 11)),  # to come
    ("The threshold rose on 11 April.", dt.date(2025, 2, 1), dt.date(2024, 4, 11)),  # what happened
    ("The threshold is £29,000 after 11 April.", dt.date(2024, 4, 20), dt.date(2024, 4, 11)),  # nearest
    ("It applies from 1 January.", dt.date(2023, 12, 20), dt.date(2024, 1, 1)),  # across the new year
])
def test_a_day_and_month_without_a_year_takes_the_year_from_the_page(text, reference, expected):
    dates = [q for q in resolve_yearless(text, parse_quantities(text), reference) if q.kind == "date"]
    assert [q.date for q in dates] == [expected]
    assert not [q for q in resolve_yearless(text, parse_quantities(text), reference) if q.kind == "count"]


def test_a_date_with_its_year_and_a_bare_month_are_left_as_they_are():
    text = "On 11 April 2024 the rules changed; in May the fees rose."
    found = parse_quantities(text)
    assert resolve_yearless(text, found, dt.date(2025, 1, 1)) == found


def test_words_that_are_no_number_before_pounds_are_no_amount():
    assert [q for q in parse_quantities("it saved them pounds") if q.kind == "money"] == []
    assert [q.text for q in parse_quantities("a few pounds and five pounds") if q.kind == "money"] == ["five pounds"]
