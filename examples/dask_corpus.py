"""Audit a folder of guidance documents on a local Dask cluster and summarise the findings.

Usage::

    python examples/dask_corpus.py [DIR] [--workers 2] [--as-of YYYY-MM-DD] [--csv OUT.csv]

DIR defaults to the sample corpus shipped with the project (``corpora/docs``, else
``corpora/src``). Each worker process builds its Auditor once; the findings come back as a pandas
DataFrame with one row per finding. Needs the ``dask`` extra: ``pip install "guidance-audit[dask]"``.
On a real cluster, pass ``Client("scheduler-address:8786")`` instead of the LocalCluster, with
the documents on a file system every worker can read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guidance_audit.cli import expand_inputs
from guidance_audit.dask import audit_corpus_dask

ROOT = Path(__file__).resolve().parent.parent


def default_folder() -> Path:
    docs = ROOT / "corpora" / "docs"
    return docs if docs.is_dir() and any(docs.iterdir()) else ROOT / "corpora" / "src"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(default_folder()))
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--as-of", help="take the rules as at this date (default: today)")
    parser.add_argument("--csv", help="also write the findings to this CSV file")
    args = parser.parse_args(argv)

    paths = expand_inputs([args.folder])
    if not paths:
        print(f"no supported documents in {args.folder}", file=sys.stderr)
        return 2

    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        findings = audit_corpus_dask(paths, client, as_of=args.as_of, partition_size=4)

    for error in findings.attrs["errors"]:
        print(f"{error['source']}: could not be audited [{error['code']}] {error['message']}", file=sys.stderr)
    print(f"{findings.attrs['documents']} document(s) audited on {args.workers} workers, "
          f"{len(findings)} finding(s)")
    if len(findings):
        summary = findings.groupby(["kind", "severity"]).size().rename("findings").reset_index()
        print(summary.to_string(index=False))
        top = findings["rule"].value_counts().head(5)
        print("\nmost frequent rules:")
        print(top.to_string())
    if args.csv:
        findings.to_csv(args.csv, index=False)
        print(f"\nwritten to {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
