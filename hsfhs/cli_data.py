"""``hsfhs load`` and ``hsfhs validate``: data files in, a report out (a table or JSON).

The report names each file's layout, framework and year (and where the year came from),
then every invalid or skipped cell by file, sheet, row and column; exit 1 when invalid,
and then nothing is written.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from hsfhs.cli_store import store_options
from hsfhs.output import format_table
from hsfhs.store import Store, StoreError

BUNDLED_CONTEXT = ("worldbank_CLASS_2023.xlsx", "naphs_dates_cghss.tsv")  # data/reference
DATA_FORMATS = ["espar", "jee", "gho", "tidy", "worldbank", "naphs"]  # hsfhs.loaders.detect.FORMATS, kept light


@dataclass(frozen=True)
class DataFiles:
    """What ``load`` and ``validate`` share: the files and how to read and report them."""

    fmt: str | None
    period: int | None
    skip_invalid: bool
    report_path: Path | None
    as_json: bool
    paths: tuple[Path, ...]

    def run(self, paths: tuple[Path, ...], work: Callable[..., Any], done: str) -> None:
        """``work(files, tick, fmt=, period=, skip_invalid=)`` over the expanded ``paths``,
        then the report printed (and written with --report); exit 1 when invalid."""
        report = _run_with_progress(
            paths,
            lambda files, tick: work(
                files, tick, fmt=self.fmt, period=self.period, skip_invalid=self.skip_invalid
            ),
        )
        _finish_data_report(report, self.report_path, self.as_json, done)


def data_file_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format``, ``--period``, ``--skip-invalid``, ``--report``, ``--json`` and FILEs,
    handed to the command as one ``files: DataFiles``."""

    @functools.wraps(func)
    def wrapper(*args: Any, fmt: str | None, period: int | None, skip_invalid: bool,
                report_path: Path | None, as_json: bool, paths: tuple[Path, ...],
                **kwargs: Any) -> Any:
        files = DataFiles(fmt, period, skip_invalid, report_path, as_json, paths)
        return func(*args, files=files, **kwargs)

    for decorator in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(DATA_FORMATS),
                help="Layout of the files; detected from their content when not given.",
            ),
            click.option(
                "--period",
                type=click.IntRange(1990, 2100),
                metavar="YEAR",
                help="Report year of files that state none (the e-SPAR portal's "
                "IHRScoreperCapacity_<timestamp> export); wins over a file name, and a "
                "file or row stating another year is an error.",
            ),
            click.option(
                "--skip-invalid",
                is_flag=True,
                help="Load the valid cells and skip invalid ones, each listed in the report "
                "and counted in the file's PROV record (default: any invalid cell, nothing "
                "is written).",
            ),
            click.option(
                "--report",
                "report_path",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Write the SHACL validation report to this file as Turtle.",
            ),
            click.option("--json", "as_json", is_flag=True, help="Print the report as JSON."),
            click.argument(
                "paths", nargs=-1, required=False, metavar="FILE_OR_DIR...",
                type=click.Path(exists=True, path_type=Path),
            ),
        ]
    ):
        wrapper = decorator(wrapper)
    return wrapper


@click.command()
@store_options
@data_file_options
@click.option(
    "--bundled",
    is_flag=True,
    help="Also load the real WHO data shipped with hsfhs (data/espar, data/jee, data/gho) and "
    "the country context (World Bank income groups, CGHSS NAPHS dates in data/reference).",
)
def load(store: Store, files: DataFiles, bundled: bool) -> None:
    """Validate data files (e-SPAR, JEE, GHO, tidy CSV) and load them, all or nothing.

    FILE_OR_DIR: files, or directories whose .tsv/.csv/.xlsx files are loaded. Each file
    goes to its own named graph; loading a file again replaces it. Exit 1 if any file is
    invalid (nothing is written then).
    """
    from hsfhs.loaders.load import load_files
    from hsfhs.resources import data_dir

    paths = files.paths
    if bundled:
        paths = (*paths, *(data_dir() / name for name in ("espar", "jee", "gho")),
                 *(data_dir() / "reference" / name for name in BUNDLED_CONTEXT))
    catalogue = _catalogue_of(store)
    files.run(paths, lambda fs, tick, **kw: load_files(fs, store, catalogue, progress=tick, **kw),
              "loaded")


@click.command()
@data_file_options
def validate(files: DataFiles) -> None:
    """Check data files against the catalogue and the SHACL shapes without loading them.

    Exit 1 if any file is invalid.
    """
    from hsfhs.loaders import catalogue_slice
    from hsfhs.loaders.load import validate_files

    catalogue = catalogue_slice.bundled()
    files.run(files.paths,
              lambda fs, tick, **kw: validate_files(fs, catalogue, progress=tick, **kw), "valid")


def _catalogue_of(store: Store) -> Any:
    """What a load reads of the store's catalogue; of the bundled one (with a warning) if
    the store has none yet."""
    from hsfhs.loaders import catalogue_slice

    try:
        catalogue = catalogue_slice.from_store(store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if not catalogue:
        click.echo("warning: the store has no catalogue yet (run 'hsfhs build'); "
                   "validating against the bundled code lists", err=True)
        catalogue = catalogue_slice.bundled()
    return catalogue


def _run_with_progress(paths: tuple[Path, ...], run: Callable[..., Any]) -> Any:
    """Run a load or validation, with a progress bar over the files on a terminal."""
    from hsfhs.loaders.load import expand

    files = expand(paths)
    if not files:
        raise click.UsageError("no data files (.tsv, .csv, .xlsx) in the given paths")
    try:
        if sys.stderr.isatty():
            with click.progressbar(
                length=len(files), label="reading", file=sys.stderr,
                item_show_func=lambda p: p.name if p else "",
            ) as bar:
                return run(files, lambda path: bar.update(1, path))
        return run(files, None)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _finish_data_report(report: Any, report_path: Path | None, as_json: bool, done: str) -> None:
    """Print the files, errors and skipped rows; write --report; exit 1 when invalid."""
    if report_path is not None and report.shacl is not None:
        try:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            report.shacl.serialize(report_path, format="turtle")
        except OSError as exc:
            raise click.ClickException(f"cannot write the report to {report_path}: {exc}") from exc
        click.echo(f"SHACL report written to {report_path}", err=True)
    if as_json:
        click.echo(report.to_json())
    else:
        _print_data_report(report, done)
    if not report.valid:
        sys.exit(1)


def _print_data_report(report: Any, done: str) -> None:
    from collections import Counter

    for f in report.files:
        click.echo(
            f"{f.path.name}: {f.format or '?'}, {f.rows} rows, {f.observations} observations, "
            f"{f.triples} triples -> {f.graph}"
        )
        for line in _file_summary(f):
            click.echo(f"  {line}")
    skipped = Counter(n.type for n in report.notices)
    if skipped:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        click.echo(f"skipped or noted: {listed} (--json lists each row)")
    if report.skipped:
        click.echo(f"skipped cells (--skip-invalid), {len(report.skipped)}:")
        _print_cell_table(report.skipped, "Rule", lambda e: e.rule or e.type)
    if report.errors:
        _print_cell_table(report.errors, "Message", lambda e: e.message)
        click.echo(f"{len(report.errors)} error(s); nothing was written.", err=True)
    else:
        verb = "loaded into the store" if done == "loaded" else "valid"
        click.echo(f"{len(report.files)} file(s) {verb}.")


def _file_summary(f: Any) -> list[str]:
    """What the reader recognised in a file: layout, framework, year and its source, counts."""
    lines = []
    if f.layout:
        lines.append(f"layout: {f.layout}")
    if f.framework:
        lines.append(f"framework: {f.framework}")
    if f.period:
        source = f" (from {f.period_source})" if f.period_source else ""
        lines.append(f"{'years' if '-' in f.period else 'report year'}: {f.period}{source}")
    lines.append(f"{f.countries} countries, {f.observations} observations, "
                 f"{f.skipped} skipped cells, {f.absent} absent values (NA, no data)")
    if f.capacity_scores:
        lines.append(f"{f.capacity_scores} capacity scores computed (score, level 1-5, method)")
    return lines


def _print_cell_table(errors: list[Any], last: str, text_of: Callable[[Any], str]) -> None:
    """File, sheet, row, column, type and value of each cell problem, then ``last``."""
    header = ("File", "Sheet", "Row", "Column", "Type", "Value", last)
    rows = [(e.file, e.sheet or "", "" if e.row is None else str(e.row),
             _clip(e.column or "", 24), e.type, _clip(e.value or "", 24), text_of(e))
            for e in errors]
    if not any(r[1] for r in rows):  # no workbook sheets: keep the table narrow
        header, rows = header[:1] + header[2:], [r[:1] + r[2:] for r in rows]
    click.echo(format_table(header, rows, rule=False, count=False), nl=False)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
