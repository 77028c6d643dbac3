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


# Date lines the reader once missed or misread, each with near misses: a date in body text that
# must not be taken. (text, expected date or None)
OWN_DATE_LINES = [
    # a weekday before the date, after a cue or as a dateline block of its own
    ("Date: Wednesday 16 May 2018", D(2018, 5, 16)),
    ("Posted on Wednesday 20 March 2024 by Admin", D(2024, 3, 20)),
    ("Home Office news\n\nTuesday 22 July 2025\n\nThe Home Secretary said today that the rules "
     "will change on 1 September 2025.", D(2025, 7, 22)),
    ("NEWS RELEASE\n\nWednesday, 20 March 2024, 10:30\n\nText.", D(2024, 3, 20)),
    ("The new rules apply from Monday 1 February 2016.", None),
    ("The panel will meet on Tuesday 22 July 2025.", None),
    ("Minutes published: 14 December 2023 (meeting of 7 December 2023)\n\nMINUTES of the meeting "
     "held on Thursday 7 December 2023 at 10.00am", D(2023, 12, 14)),
    ("Broadcast notes\n\nWe spoke to her on Tuesday 22 July 2025.", None),
    # a page's review line, a report's own date and a meeting's date (stop 27); a review planned
    # or done by someone else is no date of the page
    ("Harbour Council\n\nPage reviewed: 9 March 2023\n\nSome text.", D(2023, 3, 9)),
    ("Committee report\n\nDate of meeting: 23 September 2026\n\nDate of report: 14 September 2026\n\nText.",
     D(2026, 9, 14)),
    ("Minutes\n\nDate of meeting: 23 September 2026\n\nText.", D(2026, 9, 23)),
    ("Policy\n\nThe page was reviewed on 3 March 2023 by staff.", None),
    # a blog or forum post: "Posted by ... on", "Posted in ... on"
    ("Posted by Jo Smith on 12 May 2025, 9:14am", D(2025, 5, 12)),
    ("Posted by J. Smith on 12 May 2025", D(2025, 5, 12)),
    ("Posted in Family visas on 12 May 2025", D(2025, 5, 12)),
    ("Posted by Jo Smith on Monday 12 May 2025", D(2025, 5, 12)),
    ("Posted by Jo. She said the rule changed on 12 May 2025.", None),
    # email headers
    ("From: Amal Hussein <amal@example.org>\nSent: Thursday 12 March 2026 09:12\nTo: Case team\n"
     "Subject: Your letter of 3 March 2026", D(2026, 3, 12)),
    ("From: Amal Hussein Sent: Thursday 12 March 2026 09:12 To: Case team Subject: visa",
     D(2026, 3, 12)),
    ("We sent the form on 3 March 2026.", None),
    ("The letter was sent 3 March 2026 and came back.", None),
    # pages, threads, submissions
    ("Page added 4 March 2019", D(2019, 3, 4)),
    ("Thread started 14 August 2025 by quietriver88", D(2025, 8, 14)),
    ("Date of submission: 9 February 2026", D(2026, 2, 9)),
    ("Submitted: 9 February 2026", D(2026, 2, 9)),
    ("Date of birth: 9 February 1990", None),
    ("Paragraph 5 was added on 4 March 2019.", None),
    ("Her application was submitted on 9 February 2026.", None),
    # a blog byline
    ("By Jo Smith | 2 May 2024 | Family law", D(2024, 5, 2)),
    ("By Jo Smith, 2 May 2024", D(2024, 5, 2)),
    ("By 1 May 2025 every applicant must enrol.", None),
    ("By Friday, 1 May 2025 every applicant must enrol.", None),
    ("Applications made by Jo Smith, 2 May 2024, were refused.", None),
    # the document's own cue in a header beats a cue in running prose
    ("Chapter owner: Board Business Manager. Last reviewed on 17 June 2014. Next review: June 2015."
     "\n\nThe Code of Practice for Victims of Crime, revised in December 2013, sets out what victims "
     "can expect.", D(2014, 6, 17)),
    ("Last updated 3 March 2021\n\nThe Immigration Rules were amended on 9 November 2023.", D(2021, 3, 3)),
    ("Version 6\n\nPublished 1 September 2024\n\nThis version replaces version 5, issued in July 2024.",
     D(2024, 9, 1)),
    ("Published 1 January 2019\n\nA Home Office report (published 3 March 2019) found delays.",
     D(2019, 1, 1)),
    ("Published 1 May 2020\n\nNext review due April 2022", D(2020, 5, 1)),
    ("This guidance was last updated on 3 March 2021.", D(2021, 3, 3)),
    ("Guidance title\n\nApril 2020\n\nThe rules were revised in December 2019 to add a route.",
     D(2020, 4, 1)),
    # a lowercase cue heading a line or field is no prose: it beats a cover date and a prose cue
    ("Tenant guide\n\nMarch 2026\n\nGuide 9, April 2026 edition (published 20 April 2026)", D(2026, 4, 20)),
    ("Leaflet updated July 2023\n\nThe rules were revised in December 2023.", D(2023, 7, 1)),
    ("Slide handout for delegates. Version 1.2, issued 10 March 2016\n\nThe guidance was revised in "
     "May 2016.", D(2016, 3, 10)),
    # a cue in prose is still taken when nothing better is there
    ("The Code of Practice for Victims of Crime, revised in December 2013, sets out rights.",
     D(2013, 12, 1)),
]


@pytest.mark.parametrize("text, expected", OWN_DATE_LINES)
def test_own_date_lines(text, expected):
    found = find_publication_date(text)
    if expected is None:
        assert found is None, text[found[1]:found[2]]
    else:
        assert found is not None
        date, start, end = found
        assert date == expected
        assert parse_date(text[start:end]) == expected


# A plain-text dateline is a line of its own, though the text reader joins the lines of a run into
# one block: the reader passes where each source line starts. (text, line starts, expected)
DATELINES = [
    ("Home Office news Tuesday 15 May 2018\n\nThe rules change on 1 June 2018.", [0, 17], D(2018, 5, 15)),
    ("Home Office news Tuesday 15 May 2018, 06:00\n\nText.", [0, 17], D(2018, 5, 15)),
    ("Home Office news Tuesday 15 May 2018\n\nText.", None, None),  # no line information
    # a weekday date inside a line, or a line that goes on after it
    ("Home Office news Tuesday 15 May 2018\n\nText.", [0], None),
    ("News The panel meets Tuesday 15 May 2018 at noon\n\nText.", [0, 5], None),
    ("Home Office news Tuesday 15 May 2018 Published 16 May 2018\n\nText.", [0, 17, 37], D(2018, 5, 16)),
]


@pytest.mark.parametrize("text, lines, expected", DATELINES)
def test_dateline_on_a_line_of_its_own(text, lines, expected):
    found = find_publication_date(text, line_starts=lines)
    assert (found[0] if found else None) == expected


def test_text_reader_reads_a_dateline():
    from guidance_audit.readers.text import read_text

    data = b"Home Office news\nTuesday 15 May 2018\n\nThe Home Secretary said the rules change on 1 June 2018.\n"
    assert read_text(data, "news.txt").metadata.published == D(2018, 5, 15)


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
