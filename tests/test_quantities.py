"""Quantity parsing and normalisation: statements written differently compare equal."""
import datetime as dt

import pytest

from guidance_audit.quantities import describe_quantity, parse_quantities, parse_value, same_quantity


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
