"""NB4xx: do fresh outputs still match the reviewed golden copy?

All reported by the snapshot engine (:mod:`pytest_nbgate.snapshots`) after
the ``::execute`` item ran the notebook, or at the end of the session for
unused goldens.
"""

from __future__ import annotations

from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.findings import Severity


class _SnapshotRule(Rule):
    severity = Severity.ERROR
    phase = Phase.REPORTED


class OutputMismatch(_SnapshotRule):
    """A cell's fresh output differs from its golden copy.

    What it does:
        Compares each executed cell's outputs with the golden copy (the
        outputs saved in the notebook, or the external golden file) after
        normalising volatile text (addresses, timestamps, durations, UUIDs,
        temporary paths, progress bars), with a tolerance for floats and for
        image pixels. Reports one finding per cell with a unified diff per
        differing output and mime type, saying which normalisers and
        tolerances were in effect. For images, the golden, fresh and diff
        images are written to the image-diff folder.

    Why is this bad?
        The notebook now computes something else than what was reviewed: a
        changed number, a changed table, a changed plot.

    Example:
        A refactoring of ``clean()`` drops a row, and ``df.describe()`` now
        shows ``count 99`` instead of ``count 100``.

    Use instead:
        Fix the regression, or, when the change is intended, run
        ``pytest --nbgate --nbgate-update`` and commit the new golden so the
        reviewer sees the change. For output that is volatile by nature, add
        a ``scrubbers`` entry, loosen ``tolerance`` (or tag the cell
        ``nbgate-tolerance=1e-6``), or tag it ``nbgate-ignore-output``.

    Options:
        The profile's ``snapshots:`` section: ``store``, ``mode``,
        ``mime-types``, ``ignore-stderr``, ``normalizers``, ``scrubbers``,
        ``tolerance``, ``image``, ``image-diff-folder``, ``max-diff-lines``.
    """

    id = "NB401"
    name = "output-mismatch"
    message = "Output differs from the golden copy in {what}"


class GoldenMissing(_SnapshotRule):
    """A notebook or cell that is checked has no golden copy yet.

    What it does:
        Reports a notebook without its external golden file, a cell without
        a section in it, or (notebook store) a notebook whose checked cells
        have no saved outputs at all.

    Why is this bad?
        Nothing is compared, so regressions pass silently.

    Example:
        A new notebook added with its outputs stripped, in a project using
        the external store.

    Use instead:
        Run ``pytest --nbgate --nbgate-update`` and commit the golden file,
        or set ``create-missing: true`` to create goldens on first run.

    Options:
        ``snapshots.create-missing`` (default ``false``).
    """

    id = "NB402"
    name = "golden-missing"
    message = "{what} has no golden copy; run pytest --nbgate --nbgate-update to create it"


class GoldenUnused(_SnapshotRule):
    """A golden file or a cell section in it belongs to no notebook cell.

    What it does:
        After the run, lists external golden files whose notebook no longer
        exists and, for notebooks that ran, sections whose cell is gone or no
        longer checked, and image files nothing refers to.

    Why is this bad?
        Stale goldens mislead reviewers and hide renamed or deleted cells.

    Example:
        A cell was deleted, but its ``[cell 3f2a9c1e]`` section remains.

    Use instead:
        Run ``pytest --nbgate --nbgate-update``, which removes them.

    Options:
        None.
    """

    id = "NB403"
    name = "golden-unused"
    severity = Severity.WARNING
    message = "{what} is unused; pytest --nbgate --nbgate-update removes it"
    evidence_fields = ("what",)


class GoldenInvalid(_SnapshotRule):
    """The external golden file cannot be read.

    What it does:
        Parses the golden file and reports the first line that is neither a
        ``[cell ID]`` header, an item header nor a ``|`` content line.

    Why is this bad?
        No cell of the notebook can be compared; usually a merge conflict
        or a hand edit broke the file.

    Example:
        ``<<<<<<< HEAD`` left in the golden file by a merge.

    Use instead:
        Resolve the conflict, or delete the file and run
        ``pytest --nbgate --nbgate-update``.

    Options:
        None.
    """

    id = "NB404"
    name = "golden-invalid"
    message = "Golden file {path} cannot be read: {problem}"


RULES: tuple[type[Rule], ...] = (OutputMismatch, GoldenMissing, GoldenUnused, GoldenInvalid)
