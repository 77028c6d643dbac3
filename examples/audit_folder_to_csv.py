"""Audit every guidance document in a folder and write one CSV row per finding.

Usage::

    python examples/audit_folder_to_csv.py DIR OUT.csv [--as-of YYYY-MM-DD]

The CSV has the stable columns of ``guidance_audit.tabular.COLUMNS`` (source, page, quote,
message, stated, expected, citations, ...). Documents that cannot be read are listed on standard
error and the others are still audited.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import guidance_audit as ga
from guidance_audit.cli import expand_inputs
from guidance_audit.tabular import render_csv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("out_csv")
    parser.add_argument("--as-of", help="take the rules as at this date (default: today)")
    args = parser.parse_args(argv)

    files = expand_inputs([args.folder])
    if not files:
        print(f"no supported documents in {args.folder}", file=sys.stderr)
        return 2
    auditor = ga.Auditor()
    reports = list(auditor.audit_many(files, as_of=args.as_of))
    for r in reports:
        for e in r.errors:
            print(f"{r.source}: could not be audited [{e.code}] {e.message}", file=sys.stderr)

    Path(args.out_csv).write_text(render_csv(reports), encoding="utf-8")
    found = sum(len(r.findings) for r in reports)
    print(f"{len(reports)} document(s), {found} finding(s) written to {args.out_csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
