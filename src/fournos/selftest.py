"""`fournos test` (what `make test` runs): the kit's tests, in stages that never compete
for the cores: data and library, then the notebooks, then the browser (where there is one).

Without make (Windows, a hub terminal) this is the same check, with the same settings.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from fournos.kit import KitNotFound, current_kit

NOTEBOOK_FOLDERS = ("notebooks", "solutions", "exercises")


def _separate(root) -> list:
    """Test folders run apart from the quick stage: the browser's (its own stage), the hub's
    (`make test-hub`) and the install stage's (`make test-install`), where the kit has them."""
    return [
        root / "tests" / name
        for name in ("browser", "hub", "install")
        if (root / "tests" / name).is_dir()
    ]


STAGES = ("unit", "notebooks", "browser")


def stages(root, workers: int = 2) -> dict[str, list[str]]:
    """The pytest command line of each stage, in order, for the folders this kit has."""
    pytest = [sys.executable, "-m", "pytest"]
    spread = ["-n", str(workers), "--dist", "loadscope"]
    found = [name for name in NOTEBOOK_FOLDERS if (root / name).is_dir()]
    apart = [f"--ignore={p.relative_to(root).as_posix()}" for p in _separate(root)]
    runs = {"unit": [*pytest, "tests", *apart, *spread], "notebooks": [*pytest, *found, *spread]}
    if any((root / "tests" / "browser").glob("test_*.py")):
        runs["browser"] = [*pytest, "tests/browser"]
    return runs


PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """On Linux, become the parent of the stages' orphaned processes (the grading sandbox's
    end as orphans: bubblewrap does not wait for them), so that once reaped their CPU time
    counts in the stage's."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphans(seconds: float = 30) -> None:
    """Wait for the adopted processes still ending: at most `seconds`, which only a process
    left running after its stage (itself a fault) would take."""
    end = time.monotonic() + seconds
    while sys.platform.startswith("linux") and time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def _children_cpu() -> float:
    """User + system seconds of every finished child process so far, orphans adopted and
    reaped included (0 where the system does not say, as on Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fournos test",
        description="Check that the kit works on this machine: its tests, then every "
        "notebook (the same as `make test`). Takes several minutes; each stage prints how "
        "long it took as it ends.",
    )
    parser.add_argument("--stage", choices=STAGES, help="run only this stage")
    parser.add_argument("--workers", type=int, default=2, help="pytest workers a stage uses")
    args = parser.parse_args(argv)
    try:
        root = current_kit()
    except KitNotFound as err:
        print(err, file=sys.stderr)
        return 1
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / "jupyter-config")}
    runs = stages(root, args.workers)
    adopt_orphans()
    for name, command in runs.items():
        if args.stage and name != args.stage:
            continue
        print("  " + " ".join(["python", *command[1:]]), flush=True)
        started, cpu = time.perf_counter(), _children_cpu()
        code = subprocess.run(command, cwd=root, env=env, check=False).returncode
        reap_orphans()
        wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
        print(f"  stage {name}: {wall:.0f} s wall, {cpu:.0f} s CPU (user + system)", flush=True)
        if code != 0:
            from fournos.commands import how_to_run

            print(
                f"Some checks failed (above). Run {how_to_run('doctor')} to check your set-up, "
                "or show this output to your instructor.",
                file=sys.stderr,
            )
            return code
    if "browser" not in runs and args.stage in (None, "browser"):
        print(
            "  stage browser: not in this copy of the kit (it drives JupyterLab and the site in "
            "a real browser; the instructors' copy runs it)",
            flush=True,
        )
    print("Every check passed: the kit works on this machine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
