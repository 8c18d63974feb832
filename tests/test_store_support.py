"""Builders shared by the store, interchange, reliability and fuzz tests (this module holds no tests).

Kept out of conftest.py so other areas' tests do not inherit them.
"""

from __future__ import annotations

import errno
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from xtalent.models import Engagement, InterchangeDocument
from xtalent.store import Store

TODAY = date(2026, 6, 1)


class FakeClock:
    """A clock that moves one second per reading, so backup names are deterministic and ordered."""

    def __init__(self, start: datetime = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc), step: float = 1.0) -> None:
        self.now = start
        self.step = timedelta(seconds=step)

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        return current


def open_store(root: Path, **kwargs: Any) -> Store:
    kwargs.setdefault("clock", FakeClock())
    kwargs.setdefault("lock_timeout", 5.0)
    return Store.open(root, **kwargs)


def engagement_data(engagement_id: str = "en-sato", **overrides: Any) -> dict[str, Any]:
    """A fully filled engagement in natural Japanese: every collection and optional field used."""
    data: dict[str, Any] = {
        "id": engagement_id,
        "person": {
            "name": "佐藤 花子",
            "name_kana": "さとう はなこ",
            "affiliation": "株式会社みらいデジタル",
            "email": "hanako.sato@example.jp",
        },
        "role": "cdo_deputy",
        "role_note": "週2日のリモート勤務",
        "contract_form": "side_job",
        "organisation": "みどり野市",
        "department": "デジタル推進課",
        "sponsor": "副市長",
        "term_start": "2025-04-01",
        "term_end": "2027-03-31",
        "days_per_month": 4.5,
        "hours_per_month": None,
        "notes": "窓口のオンライン化を最優先とする。\n議会答弁の準備にも協力。",
        "targets": [
            {
                "id": "tg-1",
                "title": "書かない窓口の導入",
                "scope_level": "residents",
                "goal": "転入手続きの記入を不要にする",
                "indicator": {"name": "窓口滞在時間", "unit": "分", "baseline": 42.0, "target": 15.0, "current": 30.5},
                "agreed_on": "2025-05-20",
                "agreed_by": "市長・副市長",
                "status": "in_progress",
                "owner": "joint",
                "field_department": "市民課",
                "staff_ids": ["st-1"],
            }
        ],
        "items": [
            {
                "id": "kh-1",
                "title": "業務フロー図の描き方",
                "kind": "skill",
                "description": "BPMNで現状業務を可視化する",
                "target_id": "tg-1",
                "receivers": [
                    {
                        "staff_id": "st-1",
                        "stage": "together",
                        "history": [
                            {"on": "2025-06-01", "stage": "documented"},
                            {"on": "2025-08-01", "stage": "together"},
                        ],
                    }
                ],
                "due": "2026-12-31",
                "evidence": [{"on": "2025-08-01", "note": "市民課の転入フローを一緒に作成"}],
            }
        ],
        "staff": [
            {
                "id": "st-1",
                "name": "田中 一郎",
                "department": "市民課",
                "position": "主査",
                "role": "lead",
                "rotation_expected": "2027-04-01",
            }
        ],
        "log": [
            {
                "id": "lg-1",
                "on": "2025-07-10",
                "kind": "consultation",
                "from_department": "税務課",
                "topic": "電子申請の導入相談",
                "in_scope": False,
                "target_id": None,
                "minutes": 90,
            },
            {"id": "lg-2", "on": "2025-07-31", "kind": "checkin", "topic": "月次定例", "target_id": "tg-1", "minutes": 60},
        ],
    }
    data.update(overrides)
    return data


def engagement(engagement_id: str = "en-sato", **overrides: Any) -> Engagement:
    return Engagement.model_validate(engagement_data(engagement_id, **overrides))


def rich_document(count: int = 3) -> InterchangeDocument:
    names = ["佐藤 花子", "鈴木 健太", "高橋 美咲", "伊藤 翔", "渡辺 さくら", "山本 大輔"]
    engagements = []
    for n in range(count):
        engagements.append(
            engagement(f"en-{n + 1}", person={"name": names[n % len(names)], "email": f"person{n}@example.jp"}, revision=n + 1)
        )
    return InterchangeDocument(exported_at="2026-06-01", engagements=engagements)


def run_cli(capsys: Any, *argv: str, lang: str = "ja") -> tuple[int, str, str]:
    """`xtalent --lang LANG ARGV...` run on TODAY: (exit code, stdout, stderr)."""
    from xtalent.cli import main

    code = main(["--lang", lang, *argv], today=TODAY)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root with its exact content, for byte-for-byte 'untouched' checks.

    The lock file is left out: taking the lock is not a change to the data.
    """
    out = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and path.name != ".lock":
            out[str(path.relative_to(root))] = path.read_bytes()
    return out


def file_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


class FullDiskWriter:
    """A file handle that writes part of what it is given (half, or the first `keep` bytes),
    then fails as a full disk does."""

    def __init__(self, handle, keep: int | None = None):
        self._handle, self._keep = handle, keep

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2 if self._keep is None else self._keep])
        self._handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()
        return False
