"""Shared test setup: every test starts in Japanese (the default) with no user environment."""

from __future__ import annotations

import compileall
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from install_support import OfflineInstall, background_result, build_and_install, start_in_background
from xtalent.i18n import DEFAULT_LANGUAGE, set_language


ROOT = Path(__file__).resolve().parent.parent


# Whether a property test passes must not depend on how busy the machine is: generating examples
# slowly (HealthCheck.too_slow, seen at load 14 on test_firstscreen) or one example taking longer
# than 200 ms (the default deadline) is the machine, not the code. Tests that set their own
# settings still get these unless they say otherwise; example counts are unchanged.
settings.register_profile("xtalent", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("xtalent")


def pytest_configure(config: pytest.Config) -> None:
    # These machines set PYTHONDONTWRITEBYTECODE, so every process of a run (each xdist worker,
    # each `xtalent` a test starts, ~60 of them) compiled xtalent and the UI from source again,
    # and pytest rewrote every test module again. Byte code (gitignored __pycache__) is written
    # once, as a first run of xtalent does (bench/run.py does the same); a process started with
    # the variable still reads it.
    sys.dont_write_bytecode = False
    if not hasattr(config, "workerinput"):  # the controller: once, before any worker starts
        _temporary_files_in_memory()
        for folder in ("xtalent", "screens"):
            compileall.compile_dir(ROOT / folder, quiet=1)
        if _runs_the_install_tests(config):
            out = Path(tempfile.mkdtemp(prefix="xtalent-bundle-"))
            config.stash[_BUNDLE] = (out, start_in_background(out))



_MEMORY = Path("/dev/shm")
_MEMORY_FREE = 2 << 30  # a run writes ~190 MB there (only failed tests' folders are kept: pyproject); Docker gives 64 MB


def _temporary_files_in_memory() -> None:
    """The run's temporary files (tmp_path, the bundle build, every `xtalent` a test starts) in
    a memory file system, unless TMPDIR names a place already.

    Every save ends in fsyncs (xtalent/atomic.py: the file, then its folder). On a disk they wait
    for it, the more so when other processes write too: a whole run's two workers waited 89 s in
    13,909 fsyncs on /tmp (2026-12-02, load 9-12), not counting the processes tests start; with
    -n 0, test_people, test_store, test_permissions, test_merge and test_reliability_badfiles
    waited 19.9 s in 3,436 fsyncs on /tmp, 0.03 s on /dev/shm. The same code runs and every
    fsync is still made; only what a power cut would need (the data on the disk) is not there to
    wait for, which no test checks. Set before the workers start, so they and their basetemp
    (given by this process) inherit it."""
    if os.environ.get("TMPDIR") or not _MEMORY.is_dir() or not os.access(_MEMORY, os.W_OK):
        return
    stats = os.statvfs(_MEMORY)
    if stats.f_bavail * stats.f_frsize < _MEMORY_FREE or stats.f_flag & getattr(os, "ST_NOEXEC", 0):
        return  # too small, or mounted noexec: the bundle's venv (install_support.py) runs from there
    os.environ["TMPDIR"] = str(_MEMORY)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again


def pytest_collection_finish(session: pytest.Session) -> None:
    """The collector in a test process, as a launch leaves it, and walking less often.

    What the collection imported lives as long as the process: frozen, as `xtalent` freezes what
    its launch imported (cli/tui.build_app), so no full collection walks it again. And a test
    process runs hundreds of apps one after another, and Textual keeps up to ~1,000 rendered
    widgets' style caches and strips in its own bounded caches: with the default thresholds a
    full collection ran every ~2 tests and walked 100,000-200,000 objects each time, a sixth of
    a Pilot test's CPU time. The oldest generation is collected 10x less often (threshold 10 ->
    100; the young generations as before). Measured with -n 0 on test_tui_engagement,
    test_tui_lifecycle and test_tui_staff together: CPU 74 -> 58-62 s, the process's resident
    size 118 -> 160 MB (threshold 1000 grew it to 406 MB). Nothing a test checks depends on
    when a cycle is freed; test_launch_collector.py checks the launch's own freeze."""
    import gc

    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


@pytest.fixture(autouse=True)
def _notices_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every notification recorded on its app (tui_support.notices), as it reaches Textual."""
    from textual.app import App

    from tui_support import Notice, notices

    shown = App.notify

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):  # noqa: ANN001
        notices(self).append(Notice(message, title, severity, markup))
        return shown(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(App, "notify", notify)

# ----- the offline bundle, built in the background from the start of the run ---------------------

_BUNDLE = pytest.StashKey[tuple[Path, "subprocess.Popen[bytes]"]]()
_INSTALL_TESTS = ("test_bundle.py", "test_packaging.py")


def _runs_the_install_tests(config: pytest.Config) -> bool:
    """Whether this run includes the tests that need the built bundle (test_bundle.py,
    test_packaging.py), judged from the paths asked for. Only a plain run starts the build early
    (a run narrowed by -k or -m, or one only collecting, builds it when a test first needs it)."""
    option = config.option
    if getattr(option, "keyword", "") or getattr(option, "markexpr", "") or getattr(option, "collectonly", False):
        return False
    tests = Path(__file__).resolve().parent
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path.is_dir() and (path == tests or path in tests.parents):
            return True
        if path.parent == tests and path.name in _INSTALL_TESTS and "::" not in arg:
            return True
    return False


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # pytest-xdist: what each worker is given
    started = node.config.stash.get(_BUNDLE, None)
    if started is not None:
        node.workerinput["xtalent_bundle"] = str(started[0])


def pytest_unconfigure(config: pytest.Config) -> None:
    started = config.stash.get(_BUNDLE, None)
    if started is None:
        return
    out, process = started
    if process.poll() is None:  # the run ended first (a failure, ctrl+c, -x): stop the build
        os.killpg(process.pid, signal.SIGTERM)
    process.wait()  # reaped here, so its CPU time counts in the run's (time -v, rusage)
    shutil.rmtree(out, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject addopts): half as many workers again as there are cores (3 on 2).

    A Pilot test waits as much as it computes: every key press waits for the app to go idle in
    steps of 20 ms (Textual's wait_for_idle), every click four times, and the tests that start
    xtalent, a server or Chromium wait for them. With one worker per core the cores sat idle
    during those waits: the whole run used 429 of its 606 core-seconds (303 s wall on 2 cores,
    idle machine). A third worker computes while the other two wait; it costs ~2 s of CPU for
    its collection. PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores + max(1, cores // 2)


# The files holding the longest tests (CPU-seconds measured on the 2-core machine: each
# hostile-text tour ~17, the killed writers ~13, the two-user and form workflows 3-6, the
# 300-engagement migration ~6). pytest-xdist hands tests to its workers in collection
# order, so these go first and the short ones fill in around them: a long test started last
# would run alone at the end. The install tests go last: their bundle is built in the
# background meanwhile (pytest_configure), so their worker does not sit waiting for it.
_LONG_FIRST = (
    "test_usertext_tui.py", "test_reliability_crash.py", "test_two_users.py", "test_tui_forms.py",
    "test_people.py", "test_pitfalls_property.py", "test_reliability_concurrency.py",
    "test_tui_indicator_readings.py", "test_pitfalls_lifecycle.py", "test_check_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        if name in _INSTALL_TESTS:
            return len(_LONG_FIRST) + 1
        return _LONG_FIRST.index(name) if name in _LONG_FIRST else len(_LONG_FIRST)

    items.sort(key=rank)  # stable: the order within a file is kept


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    # Never touch the user's database or settings, and never follow the machine's locale.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XTALENT_DB", str(home / "db"))
    monkeypatch.setenv("XTALENT_CONFIG", str(home / "settings.toml"))
    monkeypatch.setenv("XTALENT_CACHE", str(home / "cache"))
    monkeypatch.setenv("XTALENT_LOG", str(home / "log" / "crash.log"))
    # Nor the runner's terminal: pytest-xdist gives its workers COLUMNS=80, a terminal its own.
    for var in ("XTALENT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "XTALENT_IMPORT_MAX_MB",
                "XTALENT_IMPORT_MAX_ENGAGEMENTS", "XTALENT_IMPORT_MAX_RECORDS", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)
    # A launch built but never run (cli.tui.build_app alone) leaves its row helper waiting for a
    # first load: ended here, so no later test's launch takes it and no child outlives its test.
    rowhelper = sys.modules.get("xtalent.views.rowhelper")
    if rowhelper is not None:
        rowhelper.stop_waiting()


@pytest.fixture(scope="session")
def offline_install(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> OfflineInstall:
    """The offline bundle built from this tree and installed with no index (install_support.py).

    Session-wide: building and installing is most of the packaging tests' time, and the bundle's
    install is a fresh venv holding the wheel, which is what the packaging tests need too. The
    two files form one xdist group, so a parallel run builds it once. A plain run starts the
    build in the background when it begins (pytest_configure) and this waits for it; a narrowed
    run builds it here.
    """
    workerinput = getattr(request.config, "workerinput", {})
    if "xtalent_bundle" in workerinput:  # started by the controller when the run began
        return background_result(Path(workerinput["xtalent_bundle"]))
    started = request.config.stash.get(_BUNDLE, None)
    if started is not None:  # started by this process (-n 0) when the run began
        return background_result(started[0])
    return build_and_install(tmp_path_factory.mktemp("bundle"))
