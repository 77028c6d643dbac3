"""Reading dates: single expressions and the date a document gives for itself."""
from __future__ import annotations

import datetime as dt

import pytest

from guidance_audit.dates import find_dates, find_publication_date, parse_date

D = dt.date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("23 April 2020", D(2020, 4, 23)),
        ("23rd April 2020", D(2020, 4, 23)),
        ("1st of May 2019", D(2019, 5, 1)),
        ("23 Apr 2020", D(2020, 4, 23)),
        ("April 23, 2020", D(2020, 4, 23)),
        ("April 2020", D(2020, 4, 1)),
        ("Sept 2019", D(2019, 9, 1)),
        ("2020-04-23", D(2020, 4, 23)),
        ("2020-04-23T10:15:00Z", D(2020, 4, 23)),
        ("23/04/2020", D(2020, 4, 23)),
        ("03/04/2020", D(2020, 4, 3)),  # UK day first
        ("23.04.2020", D(2020, 4, 23)),
        ("23-04-20", D(2020, 4, 23)),
        ("  9 July 2012  ", D(2012, 7, 9)),
        ("31/02/2020", None),
        ("13/13/2020", None),
        ("2020", None),
        ("two years", None),
        ("23 April 2020 and more", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Domestic abuse guidance\n\nlast updated 3 March 2021\n\nText.", D(2021, 3, 3)),
        ("Last updated: 03/03/2021", D(2021, 3, 3)),
        ("Date of issue: 14 January 2019", D(2019, 1, 14)),
        ("Published June 2022", D(2022, 6, 1)),
        ("Approved by the Chief Constables' Council on 23 April 2020.", D(2020, 4, 23)),
        ("Issue date\n\n1 May 2019", D(2019, 5, 1)),
        ("Version 3.0, 12 May 2015", D(2015, 5, 12)),
        ("Version 1.0, 2 May 2014\n\nVersion 3.0, 12 May 2015", D(2015, 5, 12)),
        ("Published 10 March 2019\nLast updated 3 March 2021", D(2021, 3, 3)),
        ("Published: 1 May 2020. Review date: 1 May 2022", D(2020, 5, 1)),
        ("Last reviewed on 2 May 2020", D(2020, 5, 2)),
        ("Date: 23/04/2020", D(2020, 4, 23)),
        ("Effective from 6 April 2020", D(2020, 4, 6)),
        ("Posted 22 June 2015 by Priya Anand, Senior Associate", D(2015, 6, 22)),  # a blog post
        # a letter's own date line, not the date of a paper it mentions
        ("Our ref: TL/204\nDate: 15 October 2024\nDear Ms Begum,\nYour certificate dated 2 September 2024 "
         "is enclosed.", D(2024, 10, 15)),
        ("Guidance title\n\nApril 2020\n\nBody text.", D(2020, 4, 1)),  # cover date
        # never a publication date
        ("Review date: 1 May 2021", None),
        ("Review date\n\n1 May 2021", None),
        ("Next review: March 2023", None),
        ("This guidance is valid until 1 May 2025.", None),
        ("The five-year route began on 9 July 2012.", None),
        ("Spouses could settle after two years before July 2012.", None),
        ("", None),
    ],
)
def test_find_publication_date(text, expected):
    found = find_publication_date(text)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        date, start, end = found
        assert date == expected
        assert parse_date(text[start:end]) == expected


def test_review_date_does_not_beat_publication():
    text = "Review date: 1 May 2025\n\nDate of issue: 14 January 2019"
    assert find_publication_date(text)[0] == D(2019, 1, 14)


@pytest.mark.parametrize(
    "position, found",
    [("head", True), ("middle", False), ("tail", True)],
)
def test_only_head_and_tail_are_searched(position, found):
    filler = "Officers must record the report. " * 200  # about 6600 characters
    phrase = "Last updated 3 March 2021."
    text = {
        "head": phrase + " " + filler,
        "middle": filler[:3300] + phrase + filler[3300:],
        "tail": filler + phrase,
    }[position]
    result = find_publication_date(text)
    assert (result is not None) is found
    if found:
        assert text[result[1]:result[2]] == "3 March 2021"


def test_find_dates_offsets_and_precision():
    text = "From 9 July 2012 to April 2020 and 31/02/2020."
    found = find_dates(text)
    assert [(d.date, d.precision) for d in found] == [(D(2012, 7, 9), "day"), (D(2020, 4, 1), "month")]
    assert [text[d.start:d.end] for d in found] == ["9 July 2012", "April 2020"]
