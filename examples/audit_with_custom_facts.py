"""Audit guidance against your own facts as well as the bundled ones.

Usage::

    python examples/audit_with_custom_facts.py [PACK.yaml] [DOCUMENT]

Without arguments it writes the example pack below (a force's own facts: a unit that was renamed and
a local time limit that changed) to a temporary folder and audits a short example text against it.
Pack format: ``claims/README.md`` (shipped as ``guidance_audit/claims/README.md``). Check a pack with
``guidance-audit facts validate PACK.yaml``.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import guidance_audit as ga

# The organisation and its notices are invented for this example; a real pack cites real sources.
EXAMPLE_PACK = """\
pack: northshire-local
description: Example of a force's own facts (invented for the guidance_audit examples).
facts:
  - id: northshire.victim_care_unit
    kind: term
    title: Northshire Victim Care Unit
    aliases: [Victim Care Unit]
    until: 2023-03-31
    successor: Northshire Victim and Witness Hub
    successor_aliases: [Victim and Witness Hub]
    confidence: high
    reviewed: 2026-11-21
    citation:
      title: Northshire Police notice 2023/14 (example)
      date: 2023-03-20

  - id: northshire.referral_review
    kind: value
    title: Time within which a referral to the victim hub is reviewed
    quantity: duration
    confidence: high
    reviewed: 2026-11-21
    recognise:
      all:
        - [referral, referrals]
        - [review, reviewed]
    values:
      - value: 28 days
        until: 2023-03-31
        citation: {title: Northshire Police victim care procedure 2019 (example), date: 2019-06-01}
      - value: 14 days
        from: 2023-04-01
        citation: {title: Northshire Police notice 2023/14 (example), date: 2023-03-20}
"""

EXAMPLE_TEXT = """\
Victim care: officer guidance. Last updated 1 June 2024.

Every referral is reviewed within 28 days by the Victim Care Unit.

People on a spouse visa can apply for indefinite leave to remain after two years in the UK.
"""


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        if argv:
            pack = Path(argv[0])
        else:
            pack = Path(tmp) / "northshire_local.yaml"
            pack.write_text(EXAMPLE_PACK, encoding="utf-8")
        auditor = ga.Auditor(factbase=ga.load_factbase(extra=[pack]))
        print(f"Loaded {auditor.factbase!r}")
        if len(argv) > 1:
            report = auditor.audit(argv[1])
        else:
            report = auditor.audit_text(EXAMPLE_TEXT)
    for f in report.findings:
        print(f"- [{f.severity}] {f.kind} ({f.rule}) at {f.location.describe()}")
        print(f"  \"{f.quote}\"")
        print(f"  {f.message}")
    print(report.to_text().splitlines()[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
