"""Runtime faults: each is reported on its cell and leaves no kernel or child process.

``process_mark`` puts a token in the environment every process started by the
test inherits (kernels, their children, daemons); after the test none may live.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from tests import factory
from tests.procs import marked_processes

FAST = ("--nbgate", "-p", "no:cacheprovider", "--nbgate-timeout=3")


def run(pytester: pytest.Pytester, *cells: dict, args: tuple[str, ...] = ()) -> pytest.RunResult:
    factory.write(
        pytester.path / "fault.ipynb", factory.notebook(*cells, factory.code("print('after')"))
    )
    result = pytester.runpytest(*FAST, *args)
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    return result


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("while True:\n    pass", "*fault.ipynb:cell 0*: NB303*longer than 3s*"),
        (
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
            "*fault.ipynb:cell 0*: NB303*longer than 3s*",
        ),
        ("import os\nos._exit(7)", "*fault.ipynb:cell 0*: NB305*Kernel died*(exit code 7)*"),
        (
            "import ctypes\nctypes.string_at(0)",
            "*fault.ipynb:cell 0*: NB305*killed by signal SIGSEGV*",
        ),
        (
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
            "*fault.ipynb:cell 0*: NB305*SIGKILL*",
        ),
        (
            "name = input('Your name? ')",
            "*fault.ipynb:cell 0 [[]1[]]:1: NB301*StdinNotImplementedError*",
        ),
        ("import sys\nsys.exit(3)", "*fault.ipynb:cell 0*NB301*SystemExit*"),
        ("raise KeyboardInterrupt", "*fault.ipynb:cell 0 [[]1[]]:1: NB301*KeyboardInterrupt*"),
    ],
    ids=[
        "infinite-loop",
        "ignores-sigint",
        "os-exit",
        "segfault",
        "sigkill",
        "stdin",
        "sys-exit",
        "raises-ctrl-c",
    ],
)
def test_fault_is_one_finding_on_its_cell(
    pytester: pytest.Pytester, process_mark: str, source: str, expected: str
) -> None:
    result = run(pytester, factory.code(source))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([expected])


@pytest.mark.parametrize(
    "source",
    [
        "import subprocess\nchild = subprocess.Popen(['sleep', '300'])",
        "import os, time\nif os.fork() == 0:\n    time.sleep(300)\n    os._exit(0)",
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(300,), daemon=True).start()",
        "import multiprocessing, time\n"
        "multiprocessing.Process(target=time.sleep, args=(300,)).start()",
    ],
    ids=["subprocess", "fork", "daemon-thread", "multiprocessing"],
)
def test_children_and_threads_do_not_outlive_the_item(
    pytester: pytest.Pytester, process_mark: str, source: str
) -> None:
    run(pytester, factory.code(source)).assert_outcomes(passed=2)


def test_daemonised_child_does_not_outlive_the_item(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    source = "import subprocess\nsubprocess.Popen(['sleep', '300'], start_new_session=True)"
    run(pytester, factory.code(source)).assert_outcomes(passed=2)
    left = marked_processes(process_mark, wait=5.0)
    for entry in left:  # ours (they carry this test's token): do not leak them into CI
        with contextlib.suppress(OSError):
            os.kill(int(entry.partition(":")[0]), signal.SIGKILL)
    assert not left


def test_memory_blow_up_is_an_error_not_a_dead_machine(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    # The address-space cap is the test's own seat belt: without it this cell takes the machine.
    prefix = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))\n"
    grow = prefix + "hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024**2))"
    result = run(pytester, factory.code(grow), args=("--nbgate-timeout=60",))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*fault.ipynb:cell 0*NB30[15]*"])


def test_output_flood_is_bounded(pytester: pytest.Pytester, process_mark: str) -> None:
    flood = "line = 'x' * 999\nfor _ in range(100_000):\n    print(line)"  # 100 MB
    result = run(pytester, factory.code(flood), args=("--nbgate-timeout=60",))
    result.assert_outcomes(passed=2)


def test_cell_that_deletes_or_rewrites_its_notebook(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    cells = (
        factory.code("import os\nos.remove('fault.ipynb')"),
        factory.code("open('other.ipynb', 'w').write('{broken')"),
    )
    factory.write(pytester.path / "other.ipynb", factory.notebook(factory.code("x = 1")))
    result = run(pytester, *cells, args=("fault.ipynb", "other.ipynb"))
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    result.stdout.fnmatch_lines(["*fault.ipynb*", "*other.ipynb*"])


def test_cwd_and_environment_changes_stay_in_their_kernel(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    factory.write(
        pytester.path / "a" / "first.ipynb",
        factory.notebook(factory.code("import os\nos.chdir('/')\nos.environ['NBGATE_LEAK'] = '1'")),
    )
    factory.write(
        pytester.path / "b" / "second.ipynb",
        factory.notebook(
            factory.code(
                "import os\nassert os.path.basename(os.getcwd()) == 'b', os.getcwd()\n"
                "assert 'NBGATE_LEAK' not in os.environ"
            )
        ),
    )
    before = Path.cwd()
    result = pytester.runpytest(*FAST, "-p", "no:randomly")
    result.assert_outcomes(passed=4)
    assert Path.cwd() == before


def test_kernel_that_never_becomes_ready(
    pytester: pytest.Pytester, process_mark: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = pytester.path / "share" / "jupyter" / "kernels" / "sleepy"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "import time; time.sleep(300)", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Sleepy", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    pytester.makefile(".yaml", profile="extends: default\nexecution:\n  startup-timeout: 3\n")
    monkeypatch.setenv("JUPYTER_PATH", str(pytester.path / "share" / "jupyter"))
    factory.write(
        pytester.path / "fault.ipynb", factory.notebook(factory.code("x = 1"), kernel="sleepy")
    )
    result = pytester.runpytest(*FAST, "--nbgate-profile=profile.yaml")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*fault.ipynb: NB3*sleepy*"])
