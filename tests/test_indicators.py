"""Indicator readings: the value on a day, what the targets form stores, the 2 → 3 migration,
and the movement over a 年度 in the results report."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_store_support import engagement, engagement_data, open_store

from xtalent import migrations
from xtalent.indicators import BASELINE, NONE, READING, readings_after_edit, value_on
from xtalent.interchange import parse_document
from xtalent.models import Indicator, InterchangeDocument, Reading
from xtalent.paths import demo_file
from xtalent.report import build_report

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
VALUES = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(
    readings=st.lists(st.tuples(DAYS, VALUES), max_size=12),
    baseline=st.none() | VALUES,
    day=DAYS,
)
def test_value_on_is_the_last_reading_on_or_before_the_day(readings, baseline, day) -> None:
    ind = Indicator(name="x", baseline=baseline, readings=[Reading(on=on, value=v) for on, v in readings])
    found = value_on(ind, day)
    before = [(n, on, v) for n, (on, v) in enumerate(readings) if on <= day]
    if before:
        # The latest day; on that day, the reading recorded last (a correction of the earlier one).
        latest_day = max(on for _, on, _ in before)
        expected = [v for _, on, v in before if on == latest_day][-1]
        assert (found.source, found.on, found.value) == (READING, latest_day, expected)
    elif baseline is not None:
        assert (found.source, found.value, found.on) == (BASELINE, baseline, None)
    else:
        assert (found.source, found.value) == (NONE, None)
    # Nothing recorded after the day changes the value on it.
    later = ind.model_copy(update={"readings": [*ind.readings, Reading(on=day + timedelta(days=1), value=123.0)]})
    assert value_on(later, day) == found


def test_a_changed_value_adds_a_reading_and_a_same_day_change_corrects_it() -> None:
    ind = Indicator(name="滞在時間", baseline=48, current=30, readings=[Reading(on=date(2026, 4, 1), value=30)])
    assert readings_after_edit(ind, "30", date(2026, 5, 1)) == [{"on": "2026-04-01", "value": 30.0}]  # unchanged
    assert readings_after_edit(ind, None, date(2026, 5, 1)) == [{"on": "2026-04-01", "value": 30.0}]  # cleared: kept
    after = readings_after_edit(ind, "24", "令和8年5月1日")
    assert after == [{"on": "2026-04-01", "value": 30.0}, {"on": "2026-05-01", "value": 24.0}]
    assert readings_after_edit(ind, "25", date(2026, 4, 1)) == [{"on": "2026-04-01", "value": 25.0}]
    assert readings_after_edit(None, "7", date(2026, 6, 1)) == [{"on": "2026-06-01", "value": 7.0}]
    assert readings_after_edit(ind, "abc", date(2026, 6, 1)) == [{"on": "2026-04-01", "value": 30.0}]


def test_migration_dates_the_current_value_at_the_last_activity_within_the_term() -> None:
    data = engagement_data("en-1")
    for target in data["targets"]:
        target.get("indicator", {}).pop("readings", None)
    out = migrations.migrate_engagement(json.loads(json.dumps(data)), 2, 3)
    # The latest of log (07-31), stage history and evidence (08-01), agreement (05-20).
    assert out["targets"][0]["indicator"]["readings"] == [{"on": "2025-08-01", "value": 30.5}]
    # Nothing happened yet: the term start.
    quiet = {**json.loads(json.dumps(data)), "log": [], "items": []}
    quiet["targets"][0]["agreed_on"] = None
    out = migrations.migrate_engagement(quiet, 2, 3)
    assert out["targets"][0]["indicator"]["readings"] == [{"on": data["term_start"], "value": 30.5}]
    # No current value, no reading; an indicator that has readings keeps them.
    none = json.loads(json.dumps(data))
    none["targets"][0]["indicator"]["current"] = None
    assert migrations.migrate_engagement(none, 2, 3)["targets"][0]["indicator"]["readings"] == []


def test_a_version_2_database_is_migrated_with_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "db"
    open_store(db).save(engagement("en-sato"))
    path = db / "engagements" / "en-sato.json"
    v2 = json.loads(path.read_bytes())
    v2["meta"]["1"]["schema_version"] = 2
    for target in v2["targets"].values():
        target["indicator"].pop("readings")
    for entry in v2["log"].values():
        for key in ("attendees", "advice", "next_steps"):
            entry.pop(key)
    path.write_bytes(json.dumps(v2, ensure_ascii=False).encode())
    manifest = db / "xtalent.json"
    manifest.write_bytes(json.dumps({**json.loads(manifest.read_bytes()), "schema_version": 2}).encode())
    store = open_store(db)
    [target] = store.get("en-sato").targets
    assert target.indicator is not None and [(r.on, r.value) for r in target.indicator.readings] == [(date(2025, 8, 1), 30.5)]
    assert [b for b in store.list_backups() if "pre-migration" in b.name]


def test_an_imported_version_2_document_gets_its_readings() -> None:
    data = {"format": "xtalent", "schema_version": 2, "engagements": [engagement_data("en-1")]}
    [e] = parse_document(data, "v2.json").engagements
    assert [r.value for r in e.targets[0].indicator.readings] == [30.5]


def demo() -> InterchangeDocument:
    return InterchangeDocument.model_validate_json(demo_file().read_text(encoding="utf-8"))


def test_the_report_shows_the_movement_over_the_year_and_how() -> None:
    r = build_report(demo().engagements, 2026, date(2026, 11, 23), "ja")
    hayase = next(p for p in r.engagements if p.id == "en-2025-cdo-hayase")
    madoguchi = next(x for x in hayase.targets if x.title.startswith("「書かない窓口」"))
    # 33 on the last reading before 4/1 (2026-03-31), 24 on the last one before the as-of day.
    assert (madoguchi.start, madoguchi.end) == (33.0, 24.0)
    assert madoguchi.movement == "転入手続の平均窓口滞在時間: 33分 → 24分（目標 20分）"
    assert "令和8年3月31日以前で最後の計測値（令和8年3月31日）" in madoguchi.how
    assert "令和8年11月23日以前で最後の計測値（令和8年10月30日）" in madoguchi.how
    # The year before: from the baseline (no reading before 2025-04-01) to the March reading.
    earlier = build_report(demo().engagements, 2025, date(2026, 11, 23), "en")
    m = next(x for p in earlier.engagements if p.id == "en-2025-cdo-hayase" for x in p.targets if x.start == 48.0)
    assert m.end == 33.0 and "no reading on or before 2025-03-31: the baseline" in m.how


def test_a_reading_dated_after_today_is_the_one_refused() -> None:
    from xtalent.indicators import readings_after
    from xtalent.models import Indicator, Reading

    today = date(2026, 11, 23)
    before = Indicator(name="待ち時間", unit="分", baseline=41, current=24, target=20,
                       readings=[Reading(on=date(2026, 10, 30), value=24)])
    tomorrow = before.model_copy(update={"current": 22, "readings": [*before.readings, Reading(on=date(2026, 11, 24), value=22)]})
    on_the_day = before.model_copy(update={"current": 22, "readings": [*before.readings, Reading(on=today, value=22)]})
    assert [r.on for r in readings_after(before, tomorrow, today)] == [date(2026, 11, 24)]
    assert readings_after(before, on_the_day, today) == []
    assert readings_after(None, None, today) == []
