"""Check a corpus section's labels against its documents without auditing anything.

    python corpora/check_labels.py [SECTION ...]     # designed | realistic | blind (default: all)

For every label file: the YAML is well formed, the document exists, every quote (expected,
related and must-not-flag) is found exactly once in the document's extracted text, and the date
the reader finds is the labelled ``published`` date. It reads documents only: it never runs the
audit, so people writing blind documents can use it without seeing what the audit would say.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTIONS = {"designed": HERE, "realistic": HERE / "realistic", "former-blind": HERE / "former-blind",
            "former-blind-2": HERE / "former-blind-2",
            "former-blind-3": HERE / "former-blind-3", "former-blind-4": HERE / "former-blind-4",
            "former-blind-5": HERE / "former-blind-5",
            "former-blind-6": HERE / "former-blind-6", "former-blind-7": HERE / "former-blind-7",
            "former-blind-8": HERE / "former-blind-8", "blind": HERE / "blind"}


def check_section(root: Path) -> list[str]:
    """Every problem found in one section's labels, as ``label-file: message`` lines."""
    import guidance_audit as ga
    from guidance_audit.evaluate import load_labels, score_document

    problems: list[str] = []
    labels_dir, docs_dir = root / "labels", root / "docs"
    if not labels_dir.is_dir():
        return problems
    labelled = set()
    for path in sorted(labels_dir.glob("*.yaml")):
        try:
            lab = load_labels(path)
            labelled.add(lab.document)
            doc = ga.read_document(docs_dir / lab.document)
            score_document(lab, doc.text, [], document=doc)
            if doc.metadata.published != lab.published:
                problems.append(f"{path.name}: the reader finds the date "
                                f"{doc.metadata.published}, the label says {lab.published}")
        except Exception as exc:  # report every problem, not just the first
            problems.append(f"{path.name}: {exc}")
    if docs_dir.is_dir():
        for doc_path in sorted(docs_dir.iterdir()):
            if doc_path.is_file() and doc_path.name not in labelled:
                problems.append(f"{doc_path.name}: no label file")
    return problems


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(SECTIONS)
    bad = 0
    for name in names:
        problems = check_section(SECTIONS[name])
        for line in problems:
            print(f"{name}/{line}")
        bad += len(problems)
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
