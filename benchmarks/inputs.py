"""Inputs for the benchmarks, generated on the fly: guidance prose, PDFs and synthetic fact packs.

Text prose is composed from parts (subjects, verbs, objects, clauses) with made-up names, places,
numbers and references, so its vocabulary keeps growing as real prose does, and about one
sentence in eight is a statement about immigration rules (some outdated, some correct, some
framed as history). PDFs and short corpus documents use a few dozen template sentences.
Everything is seeded, so every run audits the same text.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator

# Statements about immigration rules, names, provisions and data sharing.
RULE_SENTENCES = (
    "People on a spouse visa can apply for indefinite leave to remain after two years.",
    "A partner of a British citizen can usually settle after five years on the partner route.",
    "Before July 2012, a spouse could apply for settlement after two years of marriage.",
    "Applicants on the partner route are normally granted {n} months' leave at a time.",
    "The minimum income requirement for sponsoring a partner is £{money}.",
    "Contact the UK Border Agency if you are unsure of a person's status.",
    "The former UK Border Agency was replaced by UK Visas and Immigration in 2013.",
    "Students who came to the UK under Tier 4 may still hold a biometric residence permit.",
    "Victims of domestic abuse may be able to apply for settlement under paragraph 289A.",
    "The destitution domestic violence concession gives three months' leave while an application is made.",
    "Officers must never pass a victim's details to Immigration Enforcement solely because of their status.",
    "Where there are concerns, officers may share information with the Home Office.",
    "Asylum seekers can apply for permission to work after waiting {n} months for a decision.",
    "A person with no recourse to public funds cannot usually claim most welfare benefits.",
    "Long residence settlement requires ten years' continuous lawful residence in the UK.",
    "The EU Settlement Scheme closed to most new applications on 30 June 2021.",
    "Skilled workers can normally apply to settle after five years in the route.",
    "The Overseas Domestic Worker visa is granted for six months and cannot be extended.",
    "Under the Data Protection Act 2018 the immigration exemption must be applied case by case.",
    "The Victims' Code sets out the services victims of crime are entitled to receive.",
    "Around {pct}% of migrant victims said they feared being reported to the authorities.",
    "In {year}, the force recorded {count} reports from victims with insecure immigration status.",
    "If the proposals were adopted, partners would need to wait ten years before settling.",
    "The old leaflet said that a spouse could settle after two years.",
)

# The ordinary prose of guidance documents.
PLAIN_SENTENCES = (
    "Officers should record every report in full and note who was present.",
    "The first priority is always the safety of the victim and any children in the household.",
    "Call handlers should ask whether it is safe for the caller to speak.",
    "Where an interpreter is needed, use a professional interpreter rather than a family member.",
    "Supervisors must review the risk assessment within {n} hours of the report.",
    "A victim may be reluctant to engage because of previous experiences with the police.",
    "Record the victim's preferred language and any communication needs on the crime report.",
    "Refer the victim to a specialist support service with their consent.",
    "The independent domestic violence adviser can help with safety planning and housing.",
    "This guidance applies to all officers and staff, including volunteers and contractors.",
    "Safeguarding referrals should be made on the same working day wherever possible.",
    "Keep the victim informed about the progress of the investigation at agreed intervals.",
    "Evidence gathered at the scene may support a prosecution even without the victim's statement.",
    "Body-worn video should be switched on as soon as officers arrive at an incident.",
    "Consider whether a Domestic Violence Protection Notice is appropriate in the circumstances.",
    "The duty inspector is responsible for ensuring that the relevant checks have been completed.",
    "Do not assume that a person who speaks little English has no right to be in the UK.",
    "A multi-agency risk assessment conference will consider cases assessed as high risk.",
    "Training on this guidance is mandatory for all response and neighbourhood officers.",
    "Questions about this policy should be sent to the public protection unit (see para. 4.2).",
    "Dr. Smith of the safeguarding board reviewed section 3 of this document in {year}.",
    "Forms PP/{count} and PP/{count2} must be completed before the end of the shift.",
    "Partner agencies include housing providers, health services and children's social care.",
    "Where the suspect has left the scene, officers should carry out an immediate search.",
    "Victims should be told how to contact the officer in the case and the witness care unit.",
    "Each paragraph of this guidance should be read together with the force's data protection policy.",
)

HEADINGS = (
    "Purpose of this guidance", "Scope", "Responding to a report", "Immigration status",
    "Information sharing", "Safeguarding and referrals", "Support for victims", "Evidence",
    "Roles and responsibilities", "Training", "Review and monitoring", "Related documents",
)


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.choice((6, 12, 24, 30, 33)), money=rng.choice(("18,600", "29,000", "38,700")),
        pct=rng.choice((40, 55, 62)), year=rng.choice((2009, 2015, 2019, 2021, 2023)),
        count=rng.randint(10, 999), count2=rng.randint(10, 999),
    )


def paragraph(rng: random.Random) -> str:
    """One paragraph of template sentences: three to six, about a quarter about immigration rules
    (short corpus documents and the PDFs; a tokenizer caches their few hundred distinct words)."""
    sentences = []
    for _ in range(rng.randint(3, 6)):
        pool = RULE_SENTENCES if rng.random() < 0.25 else PLAIN_SENTENCES
        sentences.append(_fill(rng.choice(pool), rng))
    return " ".join(sentences)


# Varied prose: sentences composed from parts, with made-up names, places, numbers, references
# and dates, so that the vocabulary keeps growing as real prose does (a tokenizer's cache of
# words it has seen then helps as little as it does on real documents).
_SUBJECTS = ("the officer in the case", "a call handler", "the duty sergeant", "each supervisor", "the investigator",
             "a neighbourhood officer", "the safeguarding lead", "the custody sergeant", "any member of staff",
             "the witness care unit", "the public protection unit", "a response officer", "the force control room",
             "the independent adviser", "the case reviewer", "a detective constable", "the local authority",
             "the housing provider", "a health visitor", "the school's designated lead", "the interpreter")
_MODALS = ("should", "must", "may", "will", "can", "is expected to", "is asked to", "needs to", "ought to")
_VERBS = ("record", "review", "explain", "check", "confirm", "share", "discuss", "arrange", "document", "refer",
          "escalate", "assess", "consider", "note", "update", "photograph", "secure", "summarise", "report",
          "agree", "monitor", "revisit", "clarify", "forward", "countersign", "retain", "disclose", "verify")
_OBJECTS = ("the risk assessment", "any injuries", "the victim's account", "the suspect's movements",
            "previous call-outs", "the safety plan", "the referral form", "relevant third-party material",
            "the chronology", "the body-worn footage", "contact arrangements", "the victim's wishes",
            "outstanding actions", "the occurrence log", "the support options", "the bail conditions",
            "next steps", "the outcome code", "the witness statement", "the exhibits list")
_TAILS = ("before the end of the shift", "within {n} hours", "at the earliest opportunity", "with the victim's consent",
          "unless it would put someone at risk", "as set out in section {sec}", "on the crime record",
          "in line with local procedures", "where it is safe to do so", "after speaking to {name}",
          "at the {place} station", "by {day} {month} {year}", "using form {form}", "(see paragraph {sec})",
          "if the victim lives in {place}", "with support from {name}'s team", "for reference {ref}",
          "with {name} of {place}", "near {place} or {place2}", "as {name} advised on {day} {month}")
_OPENERS = ("In most cases,", "Where possible,", "If in doubt,", "As a rule,", "At every stage,", "Before closing a case,",
            "When a report is made,", "In {place},", "Since {month} {year},", "According to {name},",
            "Following the {place} review,", "For incident {ref},", "")
_NAME_SYLLABLES = ("ab", "ar", "bel", "bro", "cal", "den", "dor", "el", "fen", "gar", "hal", "ing", "ker", "lan", "mor",
              "nes", "ol", "par", "quin", "ros", "sel", "tam", "ur", "ven", "wick", "yar", "zel", "ton", "ley",
              "ham", "by", "ford", "well", "ster", "wyn", "ock", "ett", "ova", "ski", "ani")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _word(rng: random.Random, lo: int = 2, hi: int = 4) -> str:
    return "".join(rng.choice(_NAME_SYLLABLES) for _ in range(rng.randint(lo, hi)))


def _fill_varied(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(2, 96), sec=f"{rng.randint(1, 14)}.{rng.randint(1, 30)}",
        name=f"{_word(rng, 1, 2).title()} {_word(rng).title()}", place=_word(rng).title(), place2=_word(rng).title(),
        day=rng.randint(1, 28), month=rng.choice(_MONTHS), year=rng.randint(1998, 2026),
        form=f"{_word(rng, 1, 1).upper()}{rng.randint(1, 99)}/{rng.randint(100, 9999)}",
        ref=f"{rng.randint(10, 99)}/{rng.randint(10000, 999999)}/{rng.randint(20, 26)}",
    )


def varied_sentence(rng: random.Random) -> str:
    """One sentence composed from parts, with made-up names, places, numbers and references."""
    opener = _fill_varied(rng.choice(_OPENERS), rng)
    subject = rng.choice(_SUBJECTS)
    body = f"{subject} {rng.choice(_MODALS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    for _ in range(rng.randint(0, 2)):
        body += " " + _fill_varied(rng.choice(_TAILS), rng)
    if rng.random() < 0.3:
        body += f" and {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    text = f"{opener} {body}" if opener else body[0].upper() + body[1:]
    return text + "."


def varied_paragraph(rng: random.Random) -> str:
    """Three to seven sentences of varied prose; about one in eight is a statement about
    immigration rules (from :data:`RULE_SENTENCES`), so the audit has findings to make."""
    sentences = []
    for _ in range(rng.randint(3, 7)):
        if rng.random() < 0.125:
            sentences.append(_fill(rng.choice(RULE_SENTENCES), rng))
        else:
            sentences.append(varied_sentence(rng))
    return " ".join(sentences)


def paragraphs(n_chars: int, seed: int = 7, varied: bool = True) -> list[str]:
    """Paragraphs of guidance prose totalling at least ``n_chars`` characters (varied prose, or
    the template sentences)."""
    rng = random.Random(seed)
    make = varied_paragraph if varied else paragraph
    out: list[str] = []
    total = 0
    while total < n_chars:
        p = make(rng)
        out.append(p)
        total += len(p) + 2
    return out


def guidance_text(n_chars: int, seed: int = 7, varied: bool = True) -> tuple[str, list[str]]:
    """A plain-text guidance document of about ``n_chars`` characters, and its paragraphs."""
    paras = paragraphs(n_chars, seed, varied)
    head = "Force policy: victims and witnesses with insecure immigration status\n\nLast updated 23 April 2020\n\n"
    return head + "\n\n".join(paras) + "\n", paras


def short_document(i: int) -> str:
    """A small document (a few paragraphs) for corpus runs; ``i`` varies the content."""
    rng = random.Random(1000 + i)
    paras = [paragraph(rng) for _ in range(rng.randint(3, 8))]
    return f"Guidance note {i}\n\n" + "\n\n".join(paras) + "\n"


# ------------------------------------------------------------------------------------------------
# PDF


def write_pdf(path: Path, pages: int, seed: int = 11) -> Path:
    """Write a text-dense guidance PDF of exactly ``pages`` pages with reportlab.

    A4, 10 pt body text, numbered headings every few paragraphs, a running header and a page
    number in the footer (so the reader's furniture removal has work to do).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    rng = random.Random(seed)
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontSize, body.leading = 10, 12.5
    heading = styles["Heading2"]

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, "Force policy: victims and witnesses with insecure immigration status")
        canvas.drawRightString(A4[0] - 2 * cm, 1.0 * cm, f"Page {doc.page}")
        canvas.restoreState()

    story: list = []
    # About 4,600 characters fill one page at this size; build each page's text and break.
    for page in range(pages):
        if page == 0:
            story.append(Paragraph("Force policy: victims and witnesses with insecure immigration status",
                                   styles["Title"]))
            story.append(Paragraph("Last updated 23 April 2020", body))
        budget = 3900
        section = 0
        while budget > 0:
            if section % 3 == 0:
                story.append(Paragraph(f"{page + 1}.{section // 3 + 1} {rng.choice(HEADINGS)}", heading))
                budget -= 350
            text = paragraph(rng)
            story.append(Paragraph(text.replace("&", "&amp;"), body))
            story.append(Spacer(1, 4))
            budget -= len(text) + 80
            section += 1
        story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title="Victims with insecure status")
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


# ------------------------------------------------------------------------------------------------
# Synthetic fact packs

_SYLLABLES = ("zor", "vel", "quin", "brax", "tal", "mir", "dun", "osk", "pel", "rav", "yth", "gol",
              "fen", "kir", "lux", "nor", "wib", "jax", "cel", "drom")


def _nonce(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


_CITATION = '{title: "Synthetic Statement of Changes HC %d", provision: "para %d", date: 2015-04-06, url: "https://example.org/hc%d"}'


def _value_fact(i: int, rng: random.Random, kind: str) -> Iterator[str]:
    a, b = _nonce(rng), _nonce(rng)
    yield f"  - id: synthetic.{kind}_{i}"
    yield f"    kind: {kind}"
    yield f"    title: Synthetic {kind} {i}"
    yield f"    quantity: {'duration' if kind == 'value' else 'percent'}"
    yield "    confidence: high"
    yield "    reviewed: 2026-11-21"
    if kind == "statistic":
        yield "    publisher: Synthetic Office for Statistics"
    yield "    recognise:"
    yield f"      all: [[{a} permit, {a} visa, {a}], [{b} period, {b}ing, {b}]]"
    yield f"      none: [{_nonce(rng)}]"
    yield "    values:"
    if kind == "value":
        yield "      - value: 2 years"
        yield "        until: 2015-04-05"
        yield f"        citation: {_CITATION % (i, i, i)}"
        yield "      - value: 5 years"
        yield "        from: 2015-04-06"
        yield f"        citation: {_CITATION % (i + 1, i, i)}"
    else:
        yield f"      - value: {rng.randint(2, 90)}%"
        yield "        from: 2015-04-06"
        yield f"        citation: {_CITATION % (i, i, i)}"


def _position_fact(i: int, rng: random.Random) -> Iterator[str]:
    a = _nonce(rng)
    yield f"  - id: synthetic.position_{i}"
    yield "    kind: position"
    yield f"    title: Synthetic position {i}"
    yield "    confidence: high"
    yield "    reviewed: 2026-11-21"
    yield "    recognise:"
    yield f"      all: [[{a} firewall, {a} protocol]]"
    yield "    values:"
    yield f"      - says: [\"reject\\\\w* .*{a}\"]"
    yield "        from: 2021-12-15"
    yield f"        citation: {_CITATION % (i, i, i)}"
    yield f"    incorrect_if: [\"(introduc|agree)\\\\w* .*{a}\"]"


def _name_fact(i: int, rng: random.Random, kind: str) -> Iterator[str]:
    a, b = _nonce(rng).capitalize(), _nonce(rng).capitalize()
    if kind == "term":
        aliases = [f"{a} {b} Agency", f"{a} {b} Agency (UK)", f"{a[:1]}{b[:1]}A{i}"]
    else:
        aliases = [f"paragraph {a}{i}", f"{a} Rules paragraph {i}"]
    yield f"  - id: synthetic.{kind}_{i}"
    yield f"    kind: {kind}"
    yield f"    title: Synthetic {kind} {i}"
    yield f"    aliases: [{', '.join(aliases)}]"
    yield "    from: 2008-04-01"
    yield "    until: 2013-03-31"
    yield f"    successor: The {b} {a} Service"
    yield f"    successor_aliases: [{b} {a} Service]"
    yield "    confidence: high"
    yield "    reviewed: 2026-11-21"
    yield f"    citation: {_CITATION % (i, i, i)}"


def synthetic_packs(directory: Path, n_facts: int, seed: int = 3, per_pack: int = 200) -> list[Path]:
    """Write ``n_facts`` synthetic facts, spread evenly over the five kinds, into YAML packs.

    Every alias and recognition phrase is made of nonce words, so none occurs in guidance prose:
    auditing with these packs added must give exactly the findings of the bundled fact base.
    """
    rng = random.Random(seed)
    kinds = ("value", "statistic", "position", "term", "provision")
    lines: list[str] = []
    paths: list[Path] = []
    directory.mkdir(parents=True, exist_ok=True)

    def flush() -> None:
        if not lines:
            return
        path = directory / f"synthetic_{len(paths):03d}.yaml"
        path.write_text(f"pack: synthetic-{len(paths)}\nfacts:\n" + "\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
        lines.clear()

    for i in range(n_facts):
        kind = kinds[i % len(kinds)]
        if kind in ("value", "statistic"):
            lines.extend(_value_fact(i, rng, kind))
        elif kind == "position":
            lines.extend(_position_fact(i, rng))
        else:
            lines.extend(_name_fact(i, rng, kind))
        if (i + 1) % per_pack == 0:
            flush()
    flush()
    return paths
