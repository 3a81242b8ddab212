"""Big notebooks: bounded time and memory, one clear finding, never a crash.

Peak memory is measured in a fresh wrapper process whose only child is the
pytest run, so ``RUSAGE_CHILDREN`` sees that run and nothing else.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import Limits, NotebookError, read_bytes
from tests import factory

MB = 1024 * 1024
WRAPPER = textwrap.dedent(
    """
    import resource, subprocess, sys
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(done.stdout + done.stderr)
    print(f"PEAK={peak} RC={done.returncode}")
    """
)


def gate_in_subprocess(folder: Path, *args: str) -> tuple[str, int, int]:
    """Output, exit code and peak RSS (bytes) of ``pytest --nbgate --nbgate-no-execute``."""
    command = [
        sys.executable,
        "-c",
        WRAPPER,
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
    ]
    command += ["--nbgate", "--nbgate-no-execute", *args]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    out, _, tail = done.stdout.rpartition("PEAK=")
    peak, _, code = tail.strip().partition(" RC=")
    return out, int(code), int(peak)


def write_image_notebook(path: Path, size: int) -> int:
    """A notebook of ``size`` bytes or a bit more: 4 MB base64 PNG outputs, written streaming."""
    blob = base64.b64encode(os.urandom(3 * MB)).decode()
    cell = factory.code(
        "plot()", outputs=[factory.display({"image/png": blob, "text/plain": "<Figure>"})]
    )
    count = size // len(blob) + 1
    nb = factory.notebook(*[{**cell, "id": f"c{i}"} for i in range(count)])
    with path.open("w", encoding="utf-8") as handle:
        json.dump(nb, handle, indent=1)
    return path.stat().st_size


def test_200_mb_notebook_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    size = write_image_notebook(tmp_path / "huge.ipynb", 200 * MB)
    out, code, peak = gate_in_subprocess(tmp_path)
    print(f"200 MB notebook ({size / MB:.0f} MB): peak RSS {peak / MB:.0f} MB")
    assert code == 1, out
    assert "huge.ipynb: NB004 [error] file is 2" in out
    assert "over the 100.0 MB limit for notebooks; not read" in out
    assert peak < 200 * MB


def test_90_mb_notebook_is_read_and_linted_in_bounded_memory(tmp_path: Path) -> None:
    size = write_image_notebook(tmp_path / "big.ipynb", 90 * MB)
    out, code, peak = gate_in_subprocess(tmp_path, "--nbgate-select=NB113")
    print(f"90 MB notebook ({size / MB:.0f} MB): peak RSS {peak / MB:.0f} MB")
    assert "big.ipynb: NB113 [warning] Notebook file is 9" in out
    assert code == 0, out
    assert peak < 5 * size


def test_100_000_cells_read_and_mapped(tmp_path: Path) -> None:
    # How fast is the benchmarks' business; here, that the last cell is found on its line.
    nb = factory.notebook(*[factory.code(f"x{i} = {i}", cell_id=f"c{i}") for i in range(100_000)])
    path = factory.write(tmp_path / "many.ipynb", nb)
    notebook = Notebook.read(path, tmp_path)
    line = notebook.file_line(99_999, 1)
    assert len(notebook.cells) == 100_000
    assert (
        line is not None and path.read_text().splitlines()[line - 1].strip() == '"x99999 = 99999"'
    )


def test_100_000_cells_end_to_end(tmp_path: Path) -> None:
    nb = factory.notebook(*[factory.code(f"x{i} = {i}", cell_id=f"c{i}") for i in range(100_000)])
    factory.write(tmp_path / "many.ipynb", nb)
    out, code, _peak = gate_in_subprocess(tmp_path)
    assert "many.ipynb: NB102 [warning] Notebook has 100000 cells (max 120)" in out
    assert "INTERNALERROR" not in out and code == 0, out


def test_1_mb_single_line_source(tmp_path: Path) -> None:
    source = "x = [" + ", ".join(str(i) for i in range(180_000)) + "]"
    assert len(source) > MB
    factory.write(tmp_path / "wide.ipynb", factory.notebook(factory.code(source)))
    factory.write(tmp_path / "good.ipynb", factory.notebook(factory.code("y = 1")))
    out, _code, _peak = gate_in_subprocess(tmp_path, "-q")
    assert "INTERNALERROR" not in out and "Traceback" not in out, out
    assert "2 notebook(s) checked" in out


@pytest.mark.parametrize("depth", [99, 100_000])
def test_deep_nesting_never_recurses(depth: int) -> None:
    nb = factory.notebook(factory.code("x = 1"))
    text = factory.dumps(nb)
    deep = "[" * depth + "]" * depth
    text = text.replace('"metadata": {', f'"metadata": {{"deep": {deep},', 1)
    try:
        notebook = Notebook.from_bytes(text.encode(), Path("nb.ipynb"), "nb.ipynb")
    except Exception as exc:
        assert type(exc).__name__ == "NotebookError", repr(exc)
    else:
        notebook.to_node()
        assert notebook.file_line(0, 1) is not None


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_file_whose_stat_size_is_wrong_is_still_read_whole() -> None:
    # /proc files stat as regular files of size 0: the reader must read past the stat size.
    data = read_bytes(Path("/proc/self/status"), "status.ipynb")
    assert data.startswith(b"Name:") and len(data) > 100


def test_file_that_grows_after_the_stat_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grows.ipynb"
    path.write_bytes(b'{"cells": []}' + b" " * 20)
    real_stat = os.stat

    def stale_stat(target: object) -> os.stat_result:
        # The race: the file was 2 bytes when stat-ed and is longer by the read.
        info = real_stat(target)  # type: ignore[arg-type]
        return os.stat_result((info.st_mode, *info[1:6], 2, *info[7:]))

    monkeypatch.setattr("pytest_nbgate.notebook.reading.os.stat", stale_stat)
    assert read_bytes(path, "grows.ipynb") == path.read_bytes()
    with pytest.raises(NotebookError, match="over the"):
        read_bytes(path, "grows.ipynb", Limits(max_bytes=10))
