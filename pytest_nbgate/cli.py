"""``nbgate``: a thin command over the same engine, for people who do not think in pytest flags.

Exit codes: 0 no finding reaches ``fail-on``; 1 findings do (or tests failed);
2 usage or configuration error; other codes come from pytest for ``run``/``update``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pytest_nbgate import __version__, registry, ruledoc
from pytest_nbgate.baseline import Baseline, BaselineError
from pytest_nbgate.cache.entries import prepare_directory
from pytest_nbgate.cache.session_cache import Caches
from pytest_nbgate.changes.selection import Changes, ChangesError
from pytest_nbgate.checks.validity import reading_failure
from pytest_nbgate.config import ConfigError, GateConfig, RawOptions, build
from pytest_nbgate.files import relative_path
from pytest_nbgate.findings import Finding
from pytest_nbgate.fix.command import describe_fixable, fixable_count
from pytest_nbgate.fix.plan import fix_note
from pytest_nbgate.gate import Runtime, lint, lint_source
from pytest_nbgate.notebook import gcpause
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.source import NotebookSource
from pytest_nbgate.parallel.ahead import LintAhead, parse_jobs
from pytest_nbgate.reporters import REPORTERS
from pytest_nbgate.reporters import json as json_report
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData
from pytest_nbgate.reporters.html_evidence import EXTRA_PREFIX
from pytest_nbgate.reporters.html_evidence import collect as collect_evidence

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if args.command not in ("run", "update") and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return int(args.handler(args, rest))
    except (ConfigError, BaselineError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        print(f"nbgate: error: {message}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nbgate", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"nbgate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="Static checks (lint, secrets, personal data); no kernel")
    _gate_options(check)
    check.add_argument("--format", choices=tuple(REPORTERS), default="text", help="Output format")
    check.add_argument(
        "--cache",
        choices=("off", "static"),
        help="Cache static results by content in .pytest_cache (default: static)",
    )
    check.add_argument(
        "--changed",
        metavar="REF",
        help="Only notebooks changed since the merge base with REF ('auto': the CI's base)",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default="auto",
        metavar="N",
        help="Processes linting at once (default 'auto': one per core, up to 4; 1: no workers)",
    )
    check.add_argument("--output", "-o", type=Path, help="Write the report here instead of stdout")
    check.set_defaults(handler=_check)
    fix = sub.add_parser("fix", help="Repair in place what the static checks find and can fix")
    _gate_options(fix)
    fix.add_argument("--diff", action="store_true", help="Print a unified diff; change nothing")
    fix.set_defaults(handler=_fix)
    for name, text in (("run", "Full gate via pytest"), ("update", "Refresh goldens via pytest")):
        runner = sub.add_parser(name, help=f"{text} (extra arguments go to pytest)")
        runner.set_defaults(handler=_run)
    explain = sub.add_parser("explain", help="Print a rule's documentation")
    explain.add_argument("rule")
    explain.set_defaults(handler=lambda a, _: _print(ruledoc.explain(a.rule)))
    rules = sub.add_parser("rules", help="List every rule")
    rules.add_argument("--markdown", action="store_true", help="The full Markdown reference")
    rules.set_defaults(handler=_rules)
    base = sub.add_parser(
        "baseline", help="Record today's findings of every rule as accepted (fingerprints only)"
    )
    _gate_options(base)
    base.add_argument("--output", "-o", type=Path, default=Path(".nbgate-baseline.json"))
    base.set_defaults(handler=_baseline)
    merge = sub.add_parser("merge", help="Merge per-shard reports (json, sarif, gitlab) into one")
    merge.add_argument("output", type=Path)
    merge.add_argument("inputs", type=Path, nargs="+")
    merge.set_defaults(handler=_merge)
    return parser


def _gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, default=[Path(".")])
    parser.add_argument("--profile", help="Built-in profile name or YAML path")
    parser.add_argument("--select", help="Only these rules (ids, prefixes, names; comma-separated)")
    parser.add_argument("--ignore", help="Skip these rules (comma-separated)")
    parser.add_argument("--fail-on", choices=("info", "warning", "error"))
    parser.add_argument(
        "--baseline",
        "--secrets-baseline",
        dest="secrets_baseline",
        help="Baseline of accepted findings (stale entries are reported)",
    )


def _print(text: str) -> int:
    print(text)
    return EXIT_OK


def _codes(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(c.strip() for c in value.split(",") if c.strip())


def _gate(args: argparse.Namespace) -> GateConfig:
    raw = RawOptions(
        profile=args.profile,
        select=_codes(args.select),
        ignore=_codes(args.ignore) or (),
        fail_on=args.fail_on,
        no_execute=True,
        baseline=args.secrets_baseline,
        cache=getattr(args, "cache", None),
        changed=getattr(args, "changed", None),
    )
    return build(raw, Path.cwd(), os.environ)


def notebooks(paths: Sequence[Path]) -> Iterator[Path]:
    """Every ``*.ipynb`` under ``paths`` (sorted), skipping ``.ipynb_checkpoints``."""
    for path in paths:
        if path.is_dir():
            found = (
                p for p in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
            )
            yield from found
        elif path.suffix == ".ipynb" or path.is_file():
            yield path


def static_findings(
    gate: GateConfig,
    paths: Sequence[Path],
    fixable: dict[str, int] | None = None,
    evidence: dict[str, dict[str, Any]] | None = None,
    *,
    cache: bool = False,
    runtime: Runtime | None = None,
    jobs: int = 1,
) -> tuple[list[Finding], list[str]]:
    """Every notebook's static findings; ``fixable`` gets how many ``nbgate fix`` would repair,
    ``evidence`` (when given) the HTML report's extras. With ``cache``, results are cached
    by content (the HTML report's evidence needs the notebooks: it is never cached).
    ``jobs`` processes lint at once (see :mod:`pytest_nbgate.parallel.ahead`)."""
    runtime = runtime or Runtime.for_gate(gate)
    if cache and evidence is None and gate.cache.static and runtime.caches is None:
        runtime.caches = cli_caches(gate)
    # Paths outside the project stay as the user typed them (``../data/x.ipynb``).
    sources = [
        NotebookSource(path, relative_path(path, gate.paths_root))
        for path in selected(gate, notebooks(paths))
    ]
    checked = [source.relpath for source in sources]
    if evidence is not None:
        found = [_check_file(s.path, s.relpath, gate, runtime, fixable, evidence) for s in sources]
        return [finding for findings in found for finding in findings], checked
    describe = describe_fixable(gate.ruleset)
    runtime.ahead = LintAhead.plan(sources, gate, runtime, describe, jobs)
    findings: list[Finding] = []
    try:
        for source in sources:
            result = lint_source(source, gate, runtime, describe=describe)
            findings.extend(result.findings)
            if fixable is not None:
                fixable[source.relpath] = int(result.extra.get("fixable", 0))
    finally:
        if runtime.ahead is not None:
            runtime.ahead.close()
            runtime.ahead = None
    return findings, checked


def _jobs(text: str) -> int:
    try:
        return parse_jobs(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cli_caches(gate: GateConfig) -> Caches:
    """The same folder pytest's cache provider uses, so both front ends share entries."""
    folder = gate.root / ".pytest_cache"
    prepare_directory(folder)
    return Caches.open(folder / "d" / "nbgate", gate, _warn)


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def selected(gate: GateConfig, paths: Iterable[Path]) -> Iterator[Path]:
    """``paths``, narrowed to the changed and dependent notebooks under ``--changed``."""
    if gate.changed is None:
        yield from paths
        return
    changes = Changes.since(gate, os.environ)
    skipped = 0
    for path in paths:
        if changes.selects(path):
            yield path
        else:
            skipped += 1
    print(f"nbgate: {skipped} unchanged notebook(s) deselected", file=sys.stderr)


def _check_file(
    path: Path,
    relpath: str,
    gate: GateConfig,
    runtime: Runtime,
    fixable: dict[str, int] | None = None,
    evidence: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    # The notebook is dropped before the collector resumes: it never sees its objects.
    with gcpause.paused():
        try:
            notebook = Notebook.read(path, gate.paths_root, relpath=relpath)
        except NotebookError as exc:
            return [reading_failure(exc, relpath)]
        findings = lint(notebook, gate, runtime)
        if fixable is not None:
            fixable[relpath] = fixable_count(notebook, findings, gate.ruleset)
        if evidence is not None:
            shown = collect_evidence(notebook, findings, redactor=runtime.redactor(notebook))
            evidence[relpath] = {f"{EXTRA_PREFIX}lint": shown}
        del notebook
    return findings


def _check(args: argparse.Namespace, _rest: list[str]) -> int:
    gate = _gate(args)
    fixable: dict[str, int] = {}
    evidence: dict[str, dict[str, Any]] | None = {} if args.format == "html" else None
    runtime = Runtime.for_gate(gate)
    try:
        findings, checked = static_findings(
            gate, args.paths, fixable, evidence, cache=True, runtime=runtime, jobs=args.jobs
        )
    except ChangesError as exc:
        raise ConfigError(str(exc)) from None
    if runtime.baseline is not None:
        for entry in runtime.baseline.stale(runtime.baselined, checked):
            print(f"nbgate: stale baseline entry: {entry.describe()}", file=sys.stderr)
    failing = {f.location.path for f in findings if f.severity >= gate.fail_on}
    data = ReportData(
        tool_version=__version__,
        root=str(gate.root),
        fail_on=gate.fail_on,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        notebooks=tuple(
            NotebookOutcome(
                path,
                {"lint": "failed" if path in failing else "passed"},
                extra={
                    **({"fixable": fixable[path]} if fixable.get(path) else {}),
                    **(evidence or {}).get(path, {}),
                },
            )
            for path in checked
        ),
        profile=gate.profile.name,
    )
    text = REPORTERS[args.format].render(data)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if failing else EXIT_OK


def _fix(args: argparse.Namespace, _rest: list[str]) -> int:
    from pytest_nbgate.fix import command

    return command.run(_gate(args), notebooks(args.paths), diff=args.diff, out=sys.stdout)


def _run(args: argparse.Namespace, rest: list[str]) -> int:
    import pytest

    extra = ["--nbgate-update"] if args.command == "update" else []
    return int(pytest.main(["--nbgate", *extra, *rest]))


def _rules(args: argparse.Namespace, _rest: list[str]) -> int:
    if args.markdown:
        return _print(ruledoc.reference().rstrip("\n"))
    for rule in registry.RULES:
        flag = "" if rule.default_enabled else "  (off by default)"
        fixable = "fixable" if fix_note(rule.id) else ""
        print(f"{rule.id:7} {rule.name:32} {rule.severity!s:8} {fixable:8} {rule.summary()}{flag}")
    return EXIT_OK


def _baseline(args: argparse.Namespace, _rest: list[str]) -> int:
    gate = _gate(args)
    findings, _ = static_findings(gate, args.paths)
    Baseline.from_findings(findings).save(args.output)
    print(f"nbgate: recorded {len(findings)} finding(s) in {args.output} (fingerprints only)")
    return EXIT_OK


def _merge(args: argparse.Namespace, _rest: list[str]) -> int:
    merge = importlib.import_module("pytest_nbgate.reporters.merge")
    reports = [json.loads(path.read_text("utf-8")) for path in args.inputs]
    if args.output.suffix == ".sarif" or all(isinstance(r, dict) and "runs" in r for r in reports):
        merged = merge.merge_sarif(reports)
    elif all(isinstance(r, list) for r in reports):
        merged = merge.merge_gitlab(reports)
    else:
        merged = merge.merge_json(reports)
        fail_on = str(merged.get("fail_on", "error"))
        notebooks = len(merged.get("notebooks", []))
        merged["summary"] = json_report.summary(merged.get("findings", []), notebooks, fail_on)
    args.output.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
