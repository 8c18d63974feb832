"""Who may read a database: the owner only (the default), or the owner's team.

A database holds named staff's personal data, so it is private: folders 0700, files 0600.
A *team* database is shared by the members of one group (a department's shared drive):
folders 2770, files 0660.  The setgid bit on the database folder is what marks it a team
database, so everyone who opens it keeps it shared without a setting of their own (and a
colleague's xtalent never makes a team folder private).  `--team` turns it on once.

Every folder made inside a team folder is a team folder and every file written there is 0660
(atomic.py asks `file_mode_in`); new files inherit the folder's group through the setgid bit.

On every open the database folder and what sits directly in it are checked: when any of them
lets in someone it should not (others at all; the group too in a private database), the whole
database is repaired and the open reports what it changed.  Only the owner of a file can change
its mode, so files of a colleague in a team database are left as they are.

POSIX modes only: on Windows the folder's ACLs decide, and nothing here changes them.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
TEAM_FILE = 0o660
TEAM_DIR = 0o2770
POSIX = os.name == "posix"


def is_team_mode(mode: int) -> bool:
    """A folder mode that marks a team database: setgid, and the group may enter and write."""
    return bool(mode & stat.S_ISGID) and mode & 0o070 == 0o070


def is_team_folder(folder: Path) -> bool:
    try:
        return POSIX and is_team_mode(os.stat(folder).st_mode)
    except OSError:
        return False


def file_mode_in(folder: Path) -> int:
    """The mode of a file written into `folder`: shared in a team folder, else owner-only."""
    return TEAM_FILE if is_team_folder(folder) else PRIVATE_FILE


def make_dir(path: Path, *, exist_ok: bool = False, parents: bool = False, team: bool | None = None) -> None:
    """mkdir with the database's mode: a team folder inside a team folder (or when `team`), else 0700.

    mkdir's mode is cut by the umask and cannot set setgid, so a team folder is chmod-ed after.
    """
    path = Path(path)
    if team is None:
        team = is_team_folder(path.parent)
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=parents)
    except FileExistsError:
        if not exist_ok or not path.is_dir():
            raise
        return
    if team and POSIX:
        os.chmod(path, TEAM_DIR)


def export_mode(team: bool) -> int:
    """An export holds the same personal data as the database: shared exactly as far as it is."""
    return TEAM_FILE if team else PRIVATE_FILE


@dataclass
class Repair:
    """What opening a database changed: the files and folders whose mode was tightened
    (or, turning a database into a team one, opened to the group)."""

    root: Path
    team: bool
    changed: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed)

    def notice(self) -> tuple[str, dict[str, object]]:
        """The catalog key and parameters that tell the user what was changed."""
        params: dict[str, object] = {"path": str(self.root), "count": len(self.changed)}
        if not self.team:
            return "store.repaired_private", params
        return "store.repaired_team", {**params, "group": _group_name(self.root)}


def _group_name(folder: Path) -> str:
    try:
        gid = os.stat(folder).st_gid
    except OSError:
        return "?"
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def _wanted(mode: int, team: bool) -> int:
    if stat.S_ISDIR(mode):
        return TEAM_DIR if team else PRIVATE_DIR
    return TEAM_FILE if team else PRIVATE_FILE


def _loose(mode: int, team: bool) -> bool:
    """Lets in someone it should not: others at all; in a private database the group too."""
    return bool(mode & (0o007 if team else 0o077))


def secure(root: Path, *, team: bool = False) -> Repair:
    """Check the database folder and its direct entries; repair the whole database when needed.

    `team`: make the database a team one (the user asked for it); a folder already marked as a
    team database stays one either way.
    """
    root = Path(root)
    repair = Repair(root, team=team)
    if not POSIX:
        return repair
    try:
        root_stat = os.lstat(root)
    except OSError:
        return repair
    repair.team = team = team or is_team_mode(root_stat.st_mode)
    me = os.geteuid()
    # Cheap on every open: the folder and what sits directly in it.  A file deeper down is out of
    # others' reach unless a folder above it lets them in, and then that folder is seen here.
    entries = [root_stat]
    try:
        with os.scandir(root) as it:
            entries += [entry.stat(follow_symlinks=False) for entry in it]
    except OSError:
        return repair
    converting = team and not is_team_mode(root_stat.st_mode)
    if not converting and not any(_loose(st.st_mode, team) for st in entries if not stat.S_ISLNK(st.st_mode)):
        return repair
    group = root_stat.st_gid
    _fix(root, team, me, group, repair)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            _fix(Path(folder) / name, team, me, group, repair)
    return repair


def _fix(path: Path, team: bool, me: int, group: int, repair: Repair) -> None:
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(st.st_mode) or st.st_uid != me:
        return  # a link is not ours to follow; a colleague's file only they can change
    wanted = _wanted(st.st_mode, team)
    if team and st.st_gid != group:
        try:
            # A file made before the database was shared has its owner's group, not the team's.
            os.chown(path, -1, group)
        except OSError:
            pass
    if stat.S_IMODE(st.st_mode) != wanted and (_loose(st.st_mode, team) or team):
        try:
            os.chmod(path, wanted)
        except OSError:
            return
        repair.changed.append(path)
