"""The real Tribute suite for the tests: `./suite run` started once per session in its own process group,
stopped with SIGINT (like Ctrl-C) at the end, then SIGKILL for anything left."""
from __future__ import annotations

import atexit
import collections
import os
import shlex
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from tribute_client import Endpoints, TributeClient

REPOSITORY = Path(__file__).resolve().parents[3]
READY_LINE = "Tribute is up"
# The first `./suite run` builds the Java services; later ones start in well under a minute.
START_TIMEOUT = float(os.environ.get("TRIBUTE_SUITE_START_TIMEOUT", "1200"))
STOP_TIMEOUT = float(os.environ.get("TRIBUTE_SUITE_STOP_TIMEOUT", "60"))
CURRENCY = "eip155:31337/slip44:60"


class RunningSuite:
    """`./suite run` as a child process group; its output is kept for error messages."""

    def __init__(self, command: list[str], home: str) -> None:
        env = {**os.environ, "TRIBUTE_HOME": home}
        self.postmaster_pid = REPOSITORY / home / "postgres" / "postmaster.pid"
        self.output: collections.deque[str] = collections.deque(maxlen=200)
        self.up = threading.Event()
        self.process = subprocess.Popen(command, cwd=REPOSITORY, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True, preexec_fn=_default_sigint)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            if READY_LINE in line:
                self.up.set()

    def wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.up.wait(0.5):
            if self.process.poll() is not None:
                self._reader.join(5)
                raise RuntimeError("the suite exited before it was up:\n" + "\n".join(self.output))
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the suite was not up within {timeout:.0f} s:\n" + "\n".join(self.output))

    def stop(self) -> None:
        group = self.process.pid
        try:
            os.killpg(group, signal.SIGINT)
        except ProcessLookupError:
            return
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        # The launcher is gone (or stuck): whatever is left of its group (services, PostgreSQL) goes too.
        deadline = time.monotonic() + STOP_TIMEOUT
        while _group_alive(group) and time.monotonic() < deadline:
            time.sleep(0.5)
        if _group_alive(group):
            os.killpg(group, signal.SIGKILL)
        self.process.wait(10)
        self._stop_orphaned_postgres()

    def _stop_orphaned_postgres(self) -> None:
        """PostgreSQL runs in a session of its own (pg_ctl daemonizes it), so the group signals above miss it;
        the launcher stops it, but not if the launcher itself had to be killed."""
        try:
            pid = int(self.postmaster_pid.read_text().split("\n", 1)[0])
            if b"postgres" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                return
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast shutdown"
        except ProcessLookupError:
            return
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)


def _default_sigint() -> None:
    # A shell without job control starts background commands with SIGINT ignored, and the JVM then never
    # reacts to it: restore the default so that SIGINT stops the suite as Ctrl-C does.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


_started: list[RunningSuite] = []


@pytest.fixture(scope="session")
def suite():
    """Starts the suite unless TRIBUTE_TEST_USE_RUNNING=1 (then the running one at the default ports is used).
    TRIBUTE_SUITE_COMMAND replaces `./suite run` (e.g. to run an already built launcher jar)."""
    if os.environ.get("TRIBUTE_TEST_USE_RUNNING") == "1":
        yield Endpoints()
        return
    command = shlex.split(os.environ.get("TRIBUTE_SUITE_COMMAND", "./suite run"))
    running = RunningSuite(command, os.environ.get("TRIBUTE_TEST_HOME", ".tribute/python-tests"))
    _started.append(running)
    atexit.register(running.stop)
    try:
        running.wait_until_up(START_TIMEOUT)
        yield Endpoints()
    finally:
        running.stop()


@pytest.fixture(scope="session")
def chain(suite):
    """The suite settles on a local chain (the launcher printed the TributePayouts contract), else the test is
    skipped; with TRIBUTE_TEST_USE_RUNNING=1, set TRIBUTE_TEST_CHAIN=1 to say the running suite has one."""
    printed = ""
    for _ in range(50):  # the contract lines follow the ready line: let the reader catch up with them
        printed = "\n".join(_started[0].output) if _started else ""
        if not _started or "Try:" in printed:
            break
        time.sleep(0.1)
    if "TributePayouts" not in printed and os.environ.get("TRIBUTE_TEST_CHAIN") != "1":
        pytest.skip("the suite runs without a local chain")
    return suite


@pytest.fixture(scope="session")
def tribute(suite):
    with TributeClient(suite, timeout=20) as client:
        yield client


@pytest.fixture
def unique():
    """A short random suffix: the suite's database outlives a test run, so names must not collide."""
    return uuid.uuid4().hex[:12]


@pytest.fixture
def people(tribute, unique):
    """Three fresh contributors: a model builder, a data curator and a data author."""
    return {name: tribute.create_contributor(name.title(), f"{name}-{unique}")
            for name in ("builder", "curator", "author")}


@pytest.fixture
def data_files(tmp_path, unique):
    files = []
    for i in range(7):
        path = tmp_path / f"shard-{i}.jsonl"
        path.write_text(f'{{"text": "example {i} of run {unique}"}}\n')
        files.append(path)
    return files

