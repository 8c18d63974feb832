"""Who may read a database: repaired to owner-only by default, shared with a group in team mode.

The two-user tests run xtalent as two real uids that share one group (setpriv, numeric ids:
nothing is added to /etc/passwd), so the kernel checks every open, rename, link and lock.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from test_store_support import engagement, open_store, run_cli
from tui_support import notices
from xtalent.permissions import PRIVATE_DIR, PRIVATE_FILE, TEAM_DIR, TEAM_FILE, secure
from xtalent.store import Store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEMO = ROOT / "data" / "demo.json"

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; on Windows the folder's ACLs decide")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def everything(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


@posix_only
def test_a_database_others_can_read_is_made_owner_only_with_a_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    store = open_store(db)
    store.save(engagement("en-sato"))
    store.backup_now()
    for path in everything(db):
        path.chmod(0o777 if path.is_dir() else 0o666)  # as a careless copy or `chmod -R` leaves it

    code, out, err = run_cli(capsys, "--db", str(db), "list", lang="en")
    assert code == 0
    assert "could be read by other users; made it owner-only" in err and str(db) in err
    assert "owner-only" not in out  # stdout stays the listing, for pipes
    for path in everything(db):
        assert mode(path) == (PRIVATE_DIR if path.is_dir() else PRIVATE_FILE), path

    code, out, err = run_cli(capsys, "--db", str(db), "list", lang="en")
    assert err == ""  # nothing left to repair: no notice


@posix_only
def test_a_private_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "db"
    open_store(db).save(engagement("en-sato"))
    (db / "engagements" / "en-sato.json").chmod(0o400)  # tighter than ours is the owner's choice
    assert not Store.open(db).repaired
    assert mode(db / "engagements" / "en-sato.json") == 0o400


@posix_only
def test_only_a_database_is_repaired_never_a_folder_that_is_not_one(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir(mode=0o755)
    (folder / "a.jpg").write_bytes(b"x")
    (folder / "a.jpg").chmod(0o644)
    from xtalent.errors import StoreError

    with pytest.raises(StoreError):
        Store.open(folder)
    assert mode(folder) == 0o755 and mode(folder / "a.jpg") == 0o644


@posix_only
async def test_the_tui_says_what_was_repaired(tmp_path: Path) -> None:
    from tui_support import TODAY
    from xtalent_screens.app import XtalentApp

    db = tmp_path / "db"
    open_store(db).save(engagement("en-sato"))
    db.chmod(0o755)
    app = XtalentApp(store=Store.open(db), today=TODAY, lang="en")
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = [str(n.message) for n in notices(app)]
    assert any(str(db) in message and "0700" in message for message in shown), shown


@posix_only
def test_team_mode_shares_the_database_and_its_exports_with_the_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "db"
    code, _, err = run_cli(capsys, "--team", "--db", str(db), "import", str(DEMO), lang="en")
    assert code == 0, err
    code, _, err = run_cli(capsys, "--db", str(db), "backup", lang="en")  # no flag: the folder keeps it
    assert code == 0, err
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = run_cli(capsys, "--db", str(db), "export", "早瀬", "--format", "csv", "-o", str(out_dir), lang="en")
    assert code == 0, err
    for path in everything(db):
        if path.name == ".lock" or not path.is_dir():
            assert mode(path) == TEAM_FILE, path
        else:
            assert mode(path) == TEAM_DIR, path
    (exported,) = out_dir.iterdir()
    assert mode(exported) == TEAM_FILE

    # A private database turned into a team one by --team later: everything is opened to the group.
    private = tmp_path / "private"
    open_store(private).save(engagement("en-sato"))
    repaired = secure(private, team=True)
    assert repaired.team and repaired.changed
    assert mode(private) == TEAM_DIR and mode(private / "engagements" / "en-sato.json") == TEAM_FILE
    assert "team database" in run_notice(repaired)


def run_notice(repaired) -> str:  # type: ignore[no-untyped-def]
    from xtalent.i18n import t

    key, params = repaired.notice()
    return t(key, "en", **params)


# ----- two OS users sharing one group ----------------------------------------------------------
TEAM_GID = 61800
USER_A = 61801
USER_B = 61802


def _can_switch_users() -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return "needs root to run xtalent as two other users (CI runs as root)"
    if shutil.which("setpriv") is None:
        return "needs setpriv (util-linux) to run a command as another uid"
    return None


needs_two_users = pytest.mark.skipif(_can_switch_users() is not None, reason=_can_switch_users() or "")


def as_user(uid: int, *argv: str) -> list[str]:
    # Each user's own primary group, and the team's as a supplementary one: as staff accounts are.
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", f"--groups={TEAM_GID}", *argv]


def user_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XTALENT_", "PYTEST", "COV_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"), XTALENT_LANG="en")
    return env


@pytest.fixture()
def shared_folder() -> Path:
    """A team's shared folder: the team's group, setgid, no one else (as a department drive)."""
    base = Path(tempfile.mkdtemp(prefix="xtalent-team-", dir="/tmp"))
    base.chmod(0o755)  # the test's own folder: the users must get through to the share inside
    share = base / "share"
    share.mkdir()
    os.chown(share, 0, TEAM_GID)
    share.chmod(0o2770)
    for uid in (USER_A, USER_B):
        home = base / f"home-{uid}"
        home.mkdir()
        os.chown(home, uid, uid)
    try:
        yield share
    finally:
        shutil.rmtree(base, ignore_errors=True)


def xtalent_as(uid: int, share: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = share.parent / f"home-{uid}"
    return subprocess.run(
        as_user(uid, str(Path(sys.executable).parent / "xtalent"), *args),
        env=user_env(home), cwd=home, capture_output=True, text=True, timeout=120,
    )


@needs_two_users
def test_two_users_of_one_group_share_a_team_database(shared_folder: Path) -> None:
    db = shared_folder / "xtalent"
    made = xtalent_as(USER_A, shared_folder, "--team", "--db", str(db), "import", str(DEMO))
    assert made.returncode == 0, made.stderr
    assert os.stat(db).st_gid == TEAM_GID and mode(db) == TEAM_DIR

    # B never asked for team mode: the folder says it, and B's xtalent keeps it shared.
    listed = xtalent_as(USER_B, shared_folder, "--db", str(db), "--today", "2026-11-23", "list")
    assert listed.returncode == 0, listed.stderr
    assert "早瀬" in listed.stdout and listed.stderr == ""
    replaced = xtalent_as(USER_B, shared_folder, "--db", str(db), "import", "--replace", str(DEMO))
    assert replaced.returncode == 0, replaced.stderr
    backed_up = xtalent_as(USER_A, shared_folder, "--db", str(db), "backup")
    assert backed_up.returncode == 0, backed_up.stderr
    checked = xtalent_as(USER_A, shared_folder, "--db", str(db), "--today", "2026-11-23", "check", "--fail-on", "critical")
    assert checked.returncode in (0, 1), checked.stderr

    owners = {os.lstat(p).st_uid for p in everything(db)}
    assert {USER_A, USER_B} <= owners  # both wrote files
    for path in everything(db):
        st = os.lstat(path)
        assert st.st_gid == TEAM_GID, path
        assert stat.S_IMODE(st.st_mode) == (TEAM_DIR if path.is_dir() else TEAM_FILE), path


WORKER = HERE / "test_reliability_concurrency.py"


@needs_two_users
def test_two_users_editing_one_record_at_once_lose_nothing(shared_folder: Path) -> None:
    # The lock file, atomic replaces of each other's files and the revision check, across uids.
    db = shared_folder / "xtalent"
    store = Store.open(db, team=True)
    store.save(engagement("en-shared", log=[], items=[], targets=[]))
    for path in everything(db):
        os.chown(path, USER_A, TEAM_GID, follow_symlinks=False)  # made by A, as in the test above
    edits = 15
    procs = [
        subprocess.Popen(
            as_user(uid, sys.executable, str(WORKER), str(db), name, "shared", str(edits)),
            env=user_env(shared_folder.parent / f"home-{uid}"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for uid, name in ((USER_A, "a"), (USER_B, "b"))
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r["saved"] for r in results) == 2 * edits
    shared = Store.open(db).get("en-shared")
    ids = [e.id for e in shared.log]
    assert len(ids) == len(set(ids)) == 2 * edits
    assert shared.revision == 1 + 2 * edits  # one revision per acknowledged save, none lost
    for path in everything(db):
        assert not os.lstat(path).st_mode & 0o007, path  # never open to others


STALE_SAVE = """
import sys
from pathlib import Path
from xtalent.models import Engagement
from xtalent.store import Store
stale = Engagement.model_validate_json(Path(sys.argv[2]).read_text("utf-8"))
try:
    Store.open(Path(sys.argv[1])).save(stale.model_copy(update={"notes": "A の古い版からの編集"}))
    print("saved")
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "key", ""))
"""


@needs_two_users
def test_a_stale_edit_by_one_user_conflicts_with_the_other_users_save(shared_folder: Path) -> None:
    db = shared_folder / "xtalent"
    assert xtalent_as(USER_A, shared_folder, "--team", "--db", str(db), "import", str(DEMO)).returncode == 0
    stale = shared_folder / "stale.json"
    stale.write_text(Store.open(db).get("en-2025-cdo-hayase").model_dump_json(), "utf-8")
    stale.chmod(0o644)
    fresh = """
import sys
from pathlib import Path
from xtalent.store import Store
store = Store.open(Path(sys.argv[1]))
store.save(store.get("en-2025-cdo-hayase").model_copy(update={"notes": "B が先に保存"}))
"""
    home_b = shared_folder.parent / f"home-{USER_B}"
    saved = subprocess.run(as_user(USER_B, sys.executable, "-c", fresh, str(db)), env=user_env(home_b),
                           capture_output=True, text=True, timeout=60)
    assert saved.returncode == 0, saved.stderr
    home_a = shared_folder.parent / f"home-{USER_A}"
    late = subprocess.run(as_user(USER_A, sys.executable, "-c", STALE_SAVE, str(db), str(stale)), env=user_env(home_a),
                          capture_output=True, text=True, timeout=60)
    assert late.stdout.strip() == "ConflictError store.conflict", late.stderr
    assert Store.open(db).get("en-2025-cdo-hayase").notes == "B が先に保存"
