"""The ``guidance-audit`` command line.

Exit status: 0 when nothing at or above ``--fail-on`` was found, 1 when something was, 2 on a
usage error or when no input could be read.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gc
import re
import sys
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

_gc_was_enabled = gc.isenabled()
gc.disable()  # put off while importing, as in the package's __init__
try:
    from .config import select_findings
    from .errors import AuditError, FactBaseError, OutputError
    from .limits import DEFAULT_LIMITS, Limits
    from .reports.formats import RENDERERS, render_plain
    from .models import SEVERITY_RANK

    from .inputs import SUPPORTED_SUFFIXES  # noqa: F401 - kept importable from here
finally:
    if _gc_was_enabled:
        gc.enable()
    del _gc_was_enabled


class UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


class _Terminated(BaseException):
    """SIGTERM arrived: the run ends as after Ctrl-C (outputs closed, workers stopped), exit 143."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def _catch_sigterm():
    """Turn SIGTERM into :class:`_Terminated` in the main thread; returns the previous handler."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _on_sigterm)


def _date(value: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date YYYY-MM-DD: {value!r}") from None


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])i?b?|b)?\s*$", re.I)
_SIZE_UNITS = {None: 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def _size(value: str) -> int:
    """A size in bytes: ``1000000``, ``500K``, ``50MB``, ``2G`` (K, M and G are powers of 1024)."""
    m = _SIZE.match(value)
    size = int(float(m.group(1)) * _SIZE_UNITS[(m.group(2) or "").lower() or None]) if m else 0
    if size <= 0:
        raise argparse.ArgumentTypeError(f"not a size such as 50MB: {value!r}")
    return size


def _count(value: str) -> int:
    try:
        n = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return n


def _seconds(value: str) -> float:
    try:
        s = float(value)
    except ValueError:
        s = 0.0
    if not s > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {value!r}")
    return s


def _limits(args: argparse.Namespace) -> Limits:
    """The limits of the ``--max-*`` options, the defaults for those not given."""
    from dataclasses import replace

    given = {name: getattr(args, name) for name in ("max_bytes", "max_pages", "max_chars", "max_seconds")}
    return replace(DEFAULT_LIMITS, **{k: v for k, v in given.items() if v is not None})


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Files to audit, as a list (see :func:`guidance_audit.expand_inputs`, which also says what
    was skipped)."""
    from .inputs import expand_inputs as _expand

    return list(_expand(paths).files)


EXIT_STATUS = """exit status:
  0  nothing at or above --fail-on was found (default: error)
  1  a finding at or above --fail-on was found, or a document could not be read
  2  a usage or configuration error, no input could be read, an output could not be
     written, or an internal error"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the epilog's layout and ends each option's help with its default, where it has one
    that its help does not already give."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if ("default" not in text and default not in (None, False, [], argparse.SUPPRESS)
                and action.option_strings and not isinstance(action, argparse._VersionAction)):
            shown = ", ".join(map(str, default)) if isinstance(default, (list, tuple)) else default
            text += f" (default: {shown})"
        return text


def _profile_help(profiles: Sequence[str] | None) -> str:
    text = ("audit against this guidance profile instead of the one the document's genre calls for "
            "(omissions are judged against its list of topics)")
    if profiles:
        return text + "; the fact base's profiles: " + ", ".join(profiles)
    return text + "; 'guidance-audit audit --help' lists the fact base's profiles"


def bundled_profiles() -> list[str]:
    """The ids of the profiles in the bundled fact base (for ``--help``)."""
    from .factbase import load_factbase

    try:
        return sorted(p.id for p in load_factbase().profiles)
    except Exception:  # noqa: BLE001 - help must never fail
        return []


def build_parser(config: dict | None = None, profiles: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; ``config`` (see :mod:`guidance_audit.config`) gives the ``audit`` defaults and
    ``profiles`` the profile ids ``--help`` lists."""
    parser = argparse.ArgumentParser(prog="guidance-audit", formatter_class=_HelpFormatter, epilog=EXIT_STATUS,
                                     description="Audit immigration guidance against a dated, cited fact base.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_subparser_class())

    a = sub.add_parser("audit", help="audit documents (files or directories)", epilog=EXIT_STATUS,
                       description="Audit documents (PDF, DOCX, HTML or text) against the fact base and\n"
                                   "report outdated, incorrect and missing statements.")
    a.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or folders to audit; - reads one document from standard input")
    a.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="leave out paths below a folder that match this gitignore-style pattern, relative to "
                        "the folder (repeatable), e.g. 'drafts/' or '*.md'")
    a.add_argument("--no-gitignore", action="store_true",
                   help="also audit files that a .gitignore inside a folder ignores")
    a.add_argument("--follow-symlinks", action="store_true",
                   help="below a folder, also audit files that symbolic links lead to outside the folder")
    a.add_argument("--stdin-filename", metavar="NAME",
                   help="the name to report for the document read from standard input (default: <stdin>); "
                        "its format is read from the content")
    a.add_argument("--as-of", type=_date, metavar="DATE", help="take the rules as at this date (default: today)")
    a.add_argument("--published", type=_date, metavar="DATE", help="the documents' publication date (overrides the document)")
    a.add_argument("--format", choices=sorted(RENDERERS), default="text",
                   help="the report's form: " + ", ".join(sorted(RENDERERS)))
    a.add_argument("--output", "-o", metavar="FILE",
                   help="write the report to this file instead of standard output (with --format html and "
                        "several documents: a folder of pages with an index)")
    a.add_argument("--facts", action="append", default=[], metavar="FILE", help="extra fact pack (repeatable)")
    a.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                   help="exit 1 when a finding of this severity or worse is found (never: always exit 0 "
                        "unless nothing could be audited)")
    a.add_argument("--include-supported", action="store_true", help="also report statements that agree with the rules")
    a.add_argument("--profile", metavar="ID", help=_profile_help(profiles))
    from .genre import GENRES
    a.add_argument("--genre", choices=GENRES[:-1], default=None,
                   help="the documents' genre, instead of detecting it (omissions apply only to the genres a profile names)")
    a.add_argument("--omit-later-requirements", action="store_true",
                   help="leave out omissions of topics that became expected only after a document was published")
    a.add_argument("--jobs", "-j", type=_count, default=1, metavar="N", help="worker processes (default: 1)")
    a.add_argument("--pdf-backend", choices=("pdfminer", "pdfium"), default="pdfminer",
                   help="library that extracts PDF text: pdfminer (default) or pdfium (faster; "
                        "pip install \"guidance-audit[pdfium]\")")
    d = DEFAULT_LIMITS
    a.add_argument("--max-bytes", type=_size, metavar="SIZE",
                   help=f"refuse larger files, e.g. 20MB (default: {d.max_bytes // 1024 ** 2}MB)")
    a.add_argument("--max-pages", type=_count, metavar="N",
                   help=f"refuse PDFs with more pages (default: {d.max_pages:,})")
    a.add_argument("--max-chars", type=_count, metavar="N",
                   help=f"refuse documents with more characters of text (default: {d.max_chars:,})")
    a.add_argument("--max-seconds", type=_seconds, metavar="S",
                   help=f"give up on a document after this many seconds of reading and auditing it "
                        f"(default: {d.max_seconds:g})")
    a.add_argument("--resume", action="store_true",
                   help="with --format jsonl --output FILE: skip the documents FILE already has, append the rest")
    a.add_argument("--resume-anyway", action="store_true",
                   help="with --resume: resume a FILE written with another --as-of date or fact base")
    a.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR "
                        "forces it), always or never; never when TERM=dumb (default: auto)")
    a.add_argument("--excel", action="store_true",
                   help="with --format csv: a byte-order mark and CRLF line ends, so Excel reads the file as UTF-8")
    a.add_argument("--statistics", action="store_true",
                   help="with the text format, begin with the number of findings by rule")
    a.add_argument("--quiet", "-q", action="store_true",
                   help="no progress or per-file error lines on standard error, and a text report of only "
                        "each finding's header line and the summary")
    a.add_argument("--baseline", metavar="FILE",
                   help="suppress the findings this baseline file accepts (they are still counted, not failed on)")
    a.add_argument("--write-baseline", metavar="FILE",
                   help="write a baseline accepting every current finding to FILE (reasons to be filled in)")
    a.add_argument("--store", metavar="FILE",
                   help="record this run in an SQLite audit history (documents already stored with the same "
                        "content, fact base and date are not audited again)")
    _add_history_parser(sub)
    _add_diff_parser(sub)
    _add_impact_parser(sub)

    a.add_argument("--select", action="append", default=[], metavar="GLOB",
                   help="report only findings whose kind or rule id matches (repeatable), "
                        "e.g. outdated-term or 'body.*'")
    a.add_argument("--ignore", action="append", default=[], metavar="GLOB",
                   help="leave out findings whose kind or rule id matches (repeatable)")
    a.add_argument("--config", metavar="FILE",
                   help="read settings from this TOML file (default: the first .guidance-audit.toml, or "
                        "pyproject.toml with [tool.guidance-audit], in this folder or one above)")
    a.add_argument("--isolated", action="store_true", help="read no configuration file")
    if config:
        a.set_defaults(**config)

    f = sub.add_parser("facts", help="list, show or validate facts")
    fsub = f.add_subparsers(dest="facts_command", required=True)
    facts_help = "also load this fact pack (repeatable)"
    fl = fsub.add_parser("list", help="list the loaded facts")
    fl.add_argument("--facts", action="append", default=[], metavar="FILE", help=facts_help)
    fs = fsub.add_parser("show", help="show one fact with its dated values and sources")
    fs.add_argument("id", metavar="ID", help="the fact's id, e.g. partner.settlement_period")
    fs.add_argument("--facts", action="append", default=[], metavar="FILE", help=facts_help)
    fv = fsub.add_parser("validate", help="validate fact packs (default: the bundled packs)",
                         epilog="exit status: 0 when every pack is valid, 2 when one has problems")
    fv.add_argument("files", nargs="*", metavar="FILE", help="the fact packs to check (default: the bundled packs)")
    fst = fsub.add_parser("stale", help="list facts due for review: reviewed long ago, low confidence, "
                                        "or with an announced value whose date has come")
    fst.add_argument("--older-than", default="180d", metavar="AGE",
                     help="how old a review may be, in days (180d), weeks (26w) or years (1y); default 180d")
    fst.add_argument("--as-of", default=None, metavar="DATE", help="the date to judge from (default: today)")
    fst.add_argument("--facts", action="append", default=[], metavar="FILE", help=facts_help)

    e = sub.add_parser("evaluate", help="score the library against a labelled corpus, section by section")
    e.add_argument("corpus", nargs="?", default="corpora", metavar="CORPUS",
                   help="the labelled corpus folder (default: corpora)")
    e.add_argument("--details", action="append", default=None, metavar="SECTION",
                   help="print every miss and false positive of this section (repeatable; default: "
                        "every section but blind, whose details are printed only when named)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    return parser


def _subparser_class():
    """Sub-commands' parsers, formatted as the main one."""

    class _Parser(argparse.ArgumentParser):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("formatter_class", _HelpFormatter)
            super().__init__(*args, **kwargs)

    return _Parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        # Run as the program (not called with arguments from other code): the objects made by
        # the imports live as long as the process, so the garbage collector need not look at
        # them again (a fresh process spends a tenth of its start otherwise in collections).
        gc.freeze()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        config = _config_for(argv)
    except UsageError as exc:
        print(f"guidance-audit: {exc}", file=sys.stderr)
        return 2
    wants_help = any(a in ("-h", "--help") for a in argv)
    parser = build_parser(config, profiles=bundled_profiles() if wants_help and "audit" in argv else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    previous = _catch_sigterm()
    try:
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"guidance-audit: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"guidance-audit: {exc}", file=sys.stderr)
        return 2
    except FactBaseError as exc:
        print("guidance-audit: invalid fact pack:", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        print("guidance-audit: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("guidance-audit: terminated", file=sys.stderr)
        return 143
    except Exception as exc:  # noqa: BLE001 - exit 1 means "findings", so a crash must never end with it
        return _crashed(exc)
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


def _config_for(argv: list[str]) -> dict:
    """The ``audit`` settings of the configuration file (none with ``--isolated`` or for other
    commands), checked so that a bad value fails loudly."""
    from .config import ConfigError, find_config, load_config

    if "audit" not in argv:
        return {}
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    pre.add_argument("--isolated", action="store_true")
    known, _ = pre.parse_known_args(argv[argv.index("audit") + 1:])
    if known.isolated:
        return {}
    path = Path(known.config) if known.config else find_config()
    if path is None:
        return {}
    try:
        config = load_config(path)
    except ConfigError as exc:
        raise UsageError(f"bad configuration: {exc}") from None
    allowed = {"format": sorted(RENDERERS), "fail_on": ["error", "warning", "never"]}
    for key, choices in allowed.items():
        if key in config and config[key] not in choices:
            raise UsageError(f"bad configuration: {path}: {key.replace('_', '-')} must be one of "
                             f"{', '.join(choices)}, not {config[key]!r}")
    if "as_of" in config:
        try:
            config["as_of"] = _date(str(config["as_of"]))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"bad configuration: {path}: as-of: {exc}") from None
    return config


def _crashed(exc: BaseException) -> int:
    """One line on standard error and exit status 2 for an output problem or a bug, so that a CI
    job never reads a crash as "findings" (status 1)."""
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"guidance-audit: {where}{exc.strerror or exc}", file=sys.stderr)
    else:
        print(f"guidance-audit: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 2


def _closed_pipe() -> int:
    """The reader of standard output went away (``| head -1``): stop quietly. Standard output
    is pointed at /dev/null so that Python's flush at exit does not raise again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def _files(args: argparse.Namespace) -> list[str]:
    """The files of an ``audit`` run, saying on standard error what the folders' walk skipped."""
    from .inputs import expand_inputs as _expand

    inputs = _expand(args.paths, exclude=args.exclude, gitignore=not args.no_gitignore,
                     follow_symlinks=args.follow_symlinks)
    if inputs.skipped and not args.quiet:
        print(f"guidance-audit: {inputs.skipped_text()}", file=sys.stderr)
    return list(inputs.files)


def _load_factbase(extra: list[str]):
    from .factbase import load_factbase

    for f in extra:
        if not Path(f).exists():
            raise UsageError(f"fact pack not found: {f}")
    return load_factbase(extra=extra)


def _cmd_audit(args: argparse.Namespace) -> int:
    from .auditor import Auditor

    files = _files(args)
    if args.paths.count(STDIN) > 1:
        raise UsageError("standard input (-) can be given only once")
    args.resume = args.resume or args.resume_anyway
    if args.resume and (args.format != "jsonl" or not args.output):
        raise UsageError("--resume needs --format jsonl and --output FILE")
    if args.resume and args.write_baseline:
        raise UsageError("--write-baseline needs every document's findings; run it without --resume")
    if args.output and Path(args.output).is_dir() and args.format != "html":
        raise UsageError(f"--output {args.output} is a folder; only --format html writes a folder of pages")
    if not files:
        raise UsageError("no supported files found in " + ", ".join(args.paths))
    _check_outputs(args, files)
    try:
        if args.pdf_backend == "pdfium":
            from .readers.pdfium import available

            if not available():
                raise UsageError('--pdf-backend pdfium needs the pypdfium2 package: '
                                 'pip install "guidance-audit[pdfium]"')
        auditor = Auditor(_load_factbase(args.facts), include_supported=args.include_supported, profile=args.profile,
                          genre=args.genre, include_later_requirements=not args.omit_later_requirements,
                          limits=_limits(args), pdf_backend=args.pdf_backend, store=args.store)
    except AuditError as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    as_of = args.as_of or _dt.date.today()
    baseline = _read_baseline(args.baseline, args.quiet) if args.baseline else None
    if args.format == "jsonl":
        return _audit_jsonl(args, auditor, files, as_of, baseline)
    reports = []
    progress = _progress(len(files), args.quiet)
    for report in _audit_inputs(auditor, files, args, as_of):
        if report.errors and not args.quiet:
            for e in report.errors:
                _say(f"guidance-audit: {report.source}: [{e.code}] {e.message}", progress)
        if baseline is not None:
            from .baseline import apply_baseline

            report = apply_baseline(report, baseline)
        reports.append(report)
        if progress is not None:
            progress.update(1)
    if progress is not None:
        progress.close()
    if _html_folder(args, len(reports)):
        from .reports.html import write_html_reports

        index = write_html_reports(reports, auditor.factbase.info(), as_of, args.output)
        if not args.quiet:
            print(f"guidance-audit: wrote {len(reports) + 1} pages; open {index}", file=sys.stderr)
    else:
        if args.format == "text":
            color = use_color(args.color, to_terminal=args.output is None and sys.stdout.isatty())
            out = render_plain(reports, auditor.factbase.info(), as_of, color=color,
                               width=_text_width(args.output), quiet=args.quiet)
            if args.statistics:
                out = statistics_text(reports) + "\n" + out
        elif args.format == "csv" and args.excel:
            from .reports.formats import render_csv

            out = render_csv(reports, auditor.factbase.info(), as_of, excel=True)
        else:
            out = RENDERERS[args.format](reports, auditor.factbase.info(), as_of)
        _write(out, args.output)
    if not _baseline_written(args, baseline, reports):
        return 2
    if all(r.errors for r in reports):
        return 2
    return _exit_status(reports, args.fail_on)


def _html_folder(args: argparse.Namespace, documents: int) -> bool:
    """Whether ``--format html --output`` writes a folder of pages (an index and one per document)."""
    return bool(args.format == "html" and args.output
                and (Path(args.output).is_dir() or (documents > 1 and _is_html_dir(args.output))))


def _baseline_written(args: argparse.Namespace, baseline, reports) -> bool:
    """The baseline steps after the report is written, so that a baseline that cannot be
    written never costs the report; false (exit status 2) when it could not be written."""
    try:
        _finish_baseline(args, baseline, reports)
    except (OutputError, OSError) as exc:
        print(f"guidance-audit: the report was written, but not the baseline: {exc}", file=sys.stderr)
        return False
    return True


def _check_outputs(args: argparse.Namespace, files: list[str]) -> None:
    """Refuse, before any document is read, outputs that cannot be written or would overwrite
    an input."""
    from .outputs import check_output

    inputs = [*files, *args.facts, *([args.baseline] if args.baseline else [])]
    if args.output:
        check_output(args.output, inputs=inputs, folder=_html_folder(args, len(files)))
    if args.write_baseline:
        check_output(args.write_baseline, what="--write-baseline", inputs=files)


STDIN = "-"


def _audit_inputs(auditor, files: list[str], args: argparse.Namespace, as_of: _dt.date):
    """The reports of ``files`` in order: ``-`` is the document on standard input, the others
    are audited by ``audit_many`` (with ``--jobs`` workers)."""
    run: list[str] = []
    for f in [*files, None]:
        if f is not None and f != STDIN:
            run.append(f)
            continue
        if run:
            from .corpus_run import worker_count

            for report in auditor.audit_many(run, as_of=as_of, published=args.published,
                                             n_process=worker_count(args.jobs, len(run))):
                yield select_findings(report, args.select, args.ignore)
            run = []
        if f == STDIN:
            report = _audit_stdin(auditor, args.stdin_filename or "<stdin>", as_of, args.published)
            yield select_findings(report, args.select, args.ignore)


def _audit_stdin(auditor, name: str, as_of: _dt.date, published):
    """Audit the document on standard input as ``name``; a document that cannot be read gives
    a report with its error, as a file would."""
    from .auditor import _error_report
    from .readers import read_bytes

    limit = auditor.limits.max_bytes
    data = sys.stdin.buffer.read(limit + 1)
    try:
        if len(data) > limit:
            from .errors import TooLargeError

            raise TooLargeError(f"standard input is larger than the limit of {limit:,} bytes", source=name)
        document = read_bytes(data, name, limits=auditor.limits)
        return auditor.audit_document(document, as_of=as_of, published=published)
    except AuditError as exc:
        return _error_report(name, as_of, exc.code, exc.detail, auditor)


def _audit_jsonl(args: argparse.Namespace, auditor, files: list[str], as_of: _dt.date, baseline) -> int:
    """``--format jsonl``: one JSON object per document, written and flushed as each is audited,
    so a long run can be followed, and with ``--resume`` continued after a crash."""
    import dataclasses
    import json

    from .reports.json_report import jsonl_record

    factbase = auditor.factbase.info()
    done = (_resume_jsonl(args.output, as_of, factbase, args.quiet, args.resume_anyway) if args.resume
            else _Done())
    todo = [f for f in files if resume_key(f) not in done.sources]
    worst, documents, unreadable = done.worst, done.documents, done.unreadable
    kept = []  # reports without their document text, for the baseline steps after the run
    progress = _progress(len(todo), args.quiet)
    from .reports.escaping import ESCAPE_ERRORS, json_text

    stream = (open(args.output, "a" if args.resume else "w", encoding="utf-8", errors=ESCAPE_ERRORS)
              if args.output else sys.stdout)
    try:
        for report in _audit_inputs(auditor, todo, args, as_of):
            if report.errors and not args.quiet:
                for e in report.errors:
                    _say(f"guidance-audit: {report.source}: [{e.code}] {e.message}", progress)
            if baseline is not None:
                from .baseline import apply_baseline

                report = apply_baseline(report, baseline)
            stream.write(json_text(json.dumps(jsonl_record(report, factbase, as_of), ensure_ascii=False)) + "\n")
            stream.flush()
            documents += 1
            unreadable += bool(report.errors)
            worst = max([worst] + [SEVERITY_RANK[f.severity] for f in report.findings])
            if baseline is not None or args.write_baseline:
                kept.append(dataclasses.replace(report, document=None))
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
        if stream is not sys.stdout:
            stream.close()
    if not _baseline_written(args, baseline, kept):
        return 2
    if documents and unreadable == documents:
        return 2
    return _status(worst, unreadable > 0, args.fail_on)


class _Done:
    """What an earlier ``--format jsonl`` run already wrote: its sources and a summary."""

    def __init__(self) -> None:
        self.sources: set[str] = set()  # resume keys (resolved paths)
        self.mismatch: str | None = None
        self.worst = -1
        self.documents = 0
        self.unreadable = 0


def resume_key(source: str) -> str:
    """What identifies a document between a run and its ``--resume``: its resolved path, so
    ``docs/a.txt``, ``./docs/a.txt`` and the absolute path are one document."""
    if source == STDIN or source.startswith("<"):
        return source
    try:
        return str(Path(source).resolve())
    except (OSError, RuntimeError, ValueError):
        import os

        return os.path.abspath(source)


def _resume_jsonl(path: str, as_of: _dt.date, factbase: dict, quiet: bool, anyway: bool = False) -> _Done:
    """Read the JSON Lines an earlier run wrote to ``path``. A last line cut short by a crash
    (no newline, or not JSON) is removed from the file, so that document is audited again."""
    import json

    done = _Done()
    p = Path(path)
    if not p.exists():
        return done
    data = p.read_bytes()
    keep = 0
    lines = data.splitlines(keepends=True)
    for n, line in enumerate(lines, start=1):
        try:
            record = json.loads(line) if line.endswith(b"\n") else None
        except ValueError:
            record = None
        if not isinstance(record, dict) or not isinstance(record.get("source"), str):
            if n == len(lines):
                break  # cut short by a crash: dropped below, and that document is audited again
            raise UsageError(f"{path}:{n}: not a line written by --format jsonl; cannot resume")
        keep += len(line)
        if not done.mismatch and (record.get("as_of") != as_of.isoformat()
                                  or (record.get("factbase") or {}).get("sha256") != factbase.get("sha256")):
            done.mismatch = f"{path}:{n}"
            if not anyway:
                raise UsageError(f"{path} was written with another --as-of date or fact base (line {n}); resuming "
                                 "would mix the two: use the same --as-of and --facts, another --output, or "
                                 "--resume-anyway")
            if not quiet:
                print(f"guidance-audit: warning: {path} was written with another --as-of date or fact base; "
                      "resuming mixes the two (--resume-anyway)", file=sys.stderr)
        done.sources.add(resume_key(record["source"]))
        done.documents += 1
        done.unreadable += bool(record.get("errors"))
        for f in record.get("findings") or ():
            done.worst = max(done.worst, SEVERITY_RANK.get(f.get("severity"), -1))
    if keep < len(data):
        with open(p, "r+b") as fh:
            fh.truncate(keep)
    return done


def _read_baseline(path: str, quiet: bool):
    from .baseline import BaselineError, load_baseline

    try:
        baseline = load_baseline(path)
    except BaselineError as exc:
        raise UsageError(f"bad baseline: {exc}") from None
    missing = baseline.without_reason
    if missing:
        # Said even with --quiet: an accepted finding nobody explained is what a reviewer must see.
        print(f"guidance-audit: warning: {missing} of {len(baseline.entries)} baseline entries in {path} "
              "have no reason", file=sys.stderr)
    return baseline


def _is_html_dir(output: str) -> bool:
    """Whether ``--output`` names a folder for an index page and one page per document."""
    p = Path(output)
    return p.is_dir() or p.suffix.lower() not in (".html", ".htm")


def _progress(total: int, quiet: bool):
    """A progress bar on standard error for multi-document runs, only on a terminal."""
    if quiet or total < 2 or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True)


def _say(line: str, progress) -> None:
    from .reports.escaping import terminal_safe

    line = terminal_safe(line)  # escapes in a file name or message never reach the terminal
    if progress is not None:
        progress.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr)


def _finish_baseline(args: argparse.Namespace, baseline, reports) -> None:
    """After a run: say which baseline entries matched nothing, and write a new baseline if asked."""
    if baseline is not None and not args.quiet:
        from .baseline import unused_entries

        unused = unused_entries(baseline, reports)
        if unused:
            print(f"guidance-audit: {len(unused)} baseline entr{'y' if len(unused) == 1 else 'ies'} matched no "
                  "finding (fixed, or for documents not audited)", file=sys.stderr)
    if args.write_baseline:
        from .baseline import write_baseline

        written = write_baseline(reports, args.write_baseline, previous=baseline)
        if not args.quiet:
            print(f"guidance-audit: wrote {len(written.entries)} baseline entr"
                  f"{'y' if len(written.entries) == 1 else 'ies'} to {args.write_baseline}; "
                  "fill in each entry's \"reason\"", file=sys.stderr)


def use_color(choice: str, *, to_terminal: bool, env: Mapping[str, str] | None = None) -> bool:
    """Whether to colour the text report: never on ``TERM=dumb``; else as ``--color`` says, and
    for ``auto`` off when ``NO_COLOR`` is set, on when ``FORCE_COLOR`` is set, else on a terminal."""
    import os

    environ: Mapping[str, str] = os.environ if env is None else env
    if environ.get("TERM") == "dumb" or choice == "never":
        return False
    if choice == "always":
        return True
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return to_terminal


def _text_width(output: str | None) -> int:
    """The width the text report is wrapped to: the terminal's (or ``COLUMNS``) on standard
    output, 100 in a file."""
    import os
    import shutil

    if output is None or os.environ.get("COLUMNS"):
        return shutil.get_terminal_size((100, 24)).columns
    return 100


def statistics_text(reports) -> str:
    """The number of findings by rule, most first: ``3  outdated-term  body.ukba``."""
    from collections import Counter

    counts = Counter((f.kind, f.rule) for r in reports for f in r.findings)
    lines = [f"{n:>4}  {kind:<24} {rule}" for (kind, rule), n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return "\n".join(lines + [f"{sum(counts.values()):>4}  findings by rule"])


def _exit_status(reports, fail_on: str) -> int:
    """0, or 1 when a finding at or above ``fail_on`` was found or a document could not be read
    (an input that was never audited counts as an error, as linters treat unparseable files)."""
    worst = max((SEVERITY_RANK[f.severity] for r in reports for f in r.findings), default=-1)
    return _status(worst, any(r.errors for r in reports), fail_on)


def _status(worst: int, unreadable: bool, fail_on: str) -> int:
    """The exit status for the worst severity found (-1 for none) and whether any document was
    unreadable."""
    if fail_on == "never":
        return 0
    if unreadable:
        worst = max(worst, SEVERITY_RANK["error"])
    return 1 if worst >= SEVERITY_RANK[fail_on] else 0


def _write(text: str, output: str | None, newline: str | None = None) -> None:
    """Write a report: to ``output`` atomically (temporary file and rename), or to standard
    output; a non-UTF-8 file name's bytes are written as visible escapes, never an error."""
    from .reports.escaping import encode_output
    from .outputs import write_atomic

    text = text + ("" if text.endswith("\n") else "\n")
    if output:
        write_atomic(output, text, newline=newline)
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(encode_output(text).decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(encode_output(text, getattr(sys.stdout, "encoding", None) or "utf-8"))
    buffer.flush()


def _age(text: str) -> "_dt.timedelta":
    import datetime as dt
    import re as _re

    m = _re.fullmatch(r"\s*(\d+)\s*([dwy]?)\s*", text or "")
    if not m:
        raise UsageError(f"--older-than takes a number of days, weeks or years (180d, 26w, 1y), got {text!r}")
    n, unit = int(m.group(1)), m.group(2) or "d"
    return dt.timedelta(days=n * {"d": 1, "w": 7, "y": 365}[unit])


def _cmd_facts(args: argparse.Namespace) -> int:
    if args.facts_command == "stale":
        import datetime as dt
        fb = _load_factbase(args.facts)
        on = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
        due = fb.stale(on, _age(args.older_than))
        for fact in due:
            why = []
            if fact.reviewed < on - _age(args.older_than):
                why.append(f"reviewed {fact.reviewed.isoformat()}")
            if fact.confidence == "low":
                why.append("low confidence")
            if any(v.status == "announced" and v.start and v.start <= on for v in fact.values):
                why.append("an announced value's date has come")
            print(f"{fact.id}\t{fact.kind}\t{'; '.join(why)}\t{fact.title}")
        horizon = fb.horizon.isoformat() if fb.horizon else "unknown"
        print(f"{len(due)} of {len(fb)} fact(s) due for review; sources checked up to {horizon}")
        return 0
    if args.facts_command == "validate":
        from .factbase import bundled_pack_paths, validate_packs

        files = args.files or [str(p) for p in bundled_pack_paths()]
        for f in files:
            if not Path(f).exists():
                raise UsageError(f"fact pack not found: {f}")
        problems = validate_packs(files)
        for p in problems:
            print(p)
        if problems:
            print(f"{len(problems)} problem(s) in {len(files)} pack(s)", file=sys.stderr)
            return 1
        print(f"{len(files)} pack(s) valid")
        return 0
    fb = _load_factbase(args.facts)
    if args.facts_command == "list":
        for fact in sorted(fb, key=lambda f: f.id):
            print(f"{fact.id:45} {fact.kind:10} {fact.confidence:6} reviewed {fact.reviewed}  {fact.title}")
        print(f"{len(fb)} facts, fact base {fb.version} (sha256 {fb.sha256[:12]})")
        return 0
    fact = fb.get(args.id)
    if fact is None:
        from rapidfuzz import process

        close = process.extract(args.id, list(fb.facts), limit=3, score_cutoff=60)
        hint = f"; did you mean {', '.join(c[0] for c in close)}?" if close else ""
        raise UsageError(f"no fact with id {args.id!r}{hint}")
    print(describe_fact(fact))
    return 0


def describe_fact(fact) -> str:
    """A readable account of one fact: its dated values, citations and sources."""
    lines = [f"{fact.id}  ({fact.kind}, confidence {fact.confidence}, reviewed {fact.reviewed})", f"  {fact.title}"]
    if fact.description:
        lines.append(f"  {fact.description}")
    if fact.kind in ("term", "provision"):
        lines.append(f"  names: {', '.join(fact.aliases)}")
        lines.append(f"  in use {fact.start or '?'} to {fact.end}; replaced by {fact.successor}")
        lines += [f"    source: {c}{' <' + c.url + '>' if c.url else ''}" for c in fact.citations]
    for v in fact.values:
        status = " (announced)" if v.status == "announced" else ""
        lines.append(f"  - {v.text}: {v.start or '?'} to {v.end or 'now'}{status}")
        lines += [f"      source: {c}{' <' + c.url + '>' if c.url else ''}" for c in v.citations]
        if v.transitional:
            lines.append(f"      transitional: {v.transitional}")
    if fact.note:
        lines.append(f"  note: {fact.note}")
    lines.append(f"  defined at {fact.source}")
    return "\n".join(lines)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    try:
        from .evaluate import SECTIONS, evaluate_sections, format_sections
    except ImportError as exc:  # pragma: no cover - the module ships with the package
        raise UsageError(f"evaluation is unavailable: {exc}") from None
    if not Path(args.corpus).is_dir():
        raise UsageError(f"not a corpus directory: {args.corpus}")
    try:
        sev = evaluate_sections(args.corpus)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        import json
        print(json.dumps(sev.to_dict(), indent=2))
        return 0
    details = (args.details if args.details is not None
               else [name for name in SECTIONS if name != "blind"])
    print(format_sections(sev, details=details))
    return 0


def _add_history_parser(sub) -> None:
    h = sub.add_parser("history", help="ask an audit history (--store) about runs, open errors and changes")
    hsub = h.add_subparsers(dest="history_command", required=True)
    for name, text in (("runs", "list the runs"),
                       ("open", "documents whose latest audit has errors, by publisher and year"),
                       ("changes", "findings fixed and introduced between two runs (default: the last two)")):
        p = hsub.add_parser(name, help=text)
        p.add_argument("--store", required=True, metavar="FILE", help="the SQLite audit store written by audit --store")
        p.add_argument("--format", choices=("text", "csv", "json"), default="text", help="text, csv or json")
        if name == "changes":
            p.add_argument("--from", dest="first", type=int, metavar="RUN",
                           help="the earlier run's number (default: the one before --to)")
            p.add_argument("--to", dest="second", type=int, metavar="RUN", help="the later run's number (default: the last)")


def _existing_store(path: str):
    from .store import Store

    if not Path(path).is_file():
        raise UsageError(f"no audit store at {path}")
    try:
        return Store(path)
    except AuditError as exc:
        raise UsageError(str(exc)) from None


def _add_diff_parser(sub) -> None:
    from .diff import DEFAULT_THRESHOLD, DIFF_FORMATS

    d = sub.add_parser("diff", help="findings fixed, introduced and still present between two editions",
                       epilog="exit status: 0, or 1 when the new edition introduces a finding at or above "
                              "--fail-on; 2 on a usage error or when an edition cannot be read")
    d.add_argument("old", metavar="OLD", help="the earlier edition")
    d.add_argument("new", metavar="NEW", help="the later edition")
    d.add_argument("--as-of", type=_date, metavar="DATE", help="take the rules as at this date (default: today)")
    d.add_argument("--format", choices=DIFF_FORMATS, default="text", help=", ".join(DIFF_FORMATS))
    d.add_argument("--output", "-o", metavar="FILE", help="write to this file instead of standard output")
    d.add_argument("--facts", action="append", default=[], metavar="FILE", help="extra fact pack (repeatable)")
    d.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                   help=f"how alike (0-100) a reworded statement must read to be the same finding "
                        f"(default {DEFAULT_THRESHOLD:g})")
    d.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                   help="exit 1 when the new edition introduces a finding at or above this severity")


def _cmd_diff(args: argparse.Namespace) -> int:
    from .auditor import Auditor
    from .diff import diff_documents, render_diff

    if not 0 <= args.threshold <= 100:
        raise UsageError("--threshold is a number from 0 to 100")
    auditor = Auditor(_load_factbase(args.facts))
    try:
        d = diff_documents(args.old, args.new, auditor=auditor, as_of=args.as_of, threshold=args.threshold)
    except AuditError as exc:
        print(f"guidance-audit: {exc}", file=sys.stderr)
        return 2
    _write(render_diff(d, args.format), args.output)
    if args.fail_on == "never":
        return 0
    worst = max((SEVERITY_RANK[e.finding.severity] for e in d.introduced), default=-1)
    return 1 if worst >= SEVERITY_RANK[args.fail_on] else 0


def _add_impact_parser(sub) -> None:
    i = sub.add_parser("impact", help="stored documents a fact base change makes newly wrong or newly correct",
                       epilog="exit status: 0, or 1 when a stored statement becomes newly outdated or incorrect; "
                              "2 on a usage error")
    i.add_argument("--facts", action="append", required=True, metavar="FILE",
                   help="the new or changed fact pack (repeatable)")
    i.add_argument("--store", required=True, metavar="FILE", help="the SQLite audit store written by audit --store")
    i.add_argument("--base-facts", action="append", default=[], metavar="FILE",
                   help="extra packs the stored audits were made with (default: the bundled fact base only)")
    i.add_argument("--as-of", type=_date, metavar="DATE", help="judge at this date (default: each document's stored audit date)")
    i.add_argument("--format", choices=("text", "json", "csv"), default="text", help="text, json or csv")
    i.add_argument("--output", "-o", metavar="FILE", help="write to this file instead of standard output")


def _cmd_impact(args: argparse.Namespace) -> int:
    from .impact import impact

    store = _existing_store(args.store)
    before = _load_factbase(args.base_facts)
    after = _load_factbase([*args.base_facts, *args.facts])
    result = impact(store, after, before=before, as_of=args.as_of)
    out = {"text": result.to_text, "json": result.to_json, "csv": result.to_csv}[args.format]()
    _write(out, args.output)
    return 1 if any(e.change != "newly-correct" for e in result.entries) else 0


def _cmd_history(args: argparse.Namespace) -> int:
    from . import history

    store = _existing_store(args.store)
    try:
        if args.history_command == "runs":
            rows = store.runs()
        elif args.history_command == "open":
            rows = history.open_errors(store)
        else:
            rows = history.changes(store, args.first, args.second)
    except AuditError as exc:
        raise UsageError(str(exc)) from None
    _write(history.render_rows(rows, args.format), None)
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "audit": _cmd_audit, "facts": _cmd_facts, "evaluate": _cmd_evaluate, "history": _cmd_history, "diff": _cmd_diff, "impact": _cmd_impact,
}
