"""分身 over time: staff at 自立 or beyond on some item, as of any day, from the stage history."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from xtalent.metrics import bunshin, bunshin_by_fiscal_year, bunshin_by_month, bunshin_on
from xtalent.models import Engagement, Stage, StageEvent
from xtalent.vocabulary import STAGE_ORDER

from tui_support import engagement


def climbing() -> Engagement:
    e = engagement()
    item = e.items[0]
    receivers = [
        r.model_copy(update={"stage": Stage.INDEPENDENT, "history": [
            StageEvent(on=date(2025, 6, 1), stage=Stage.SHADOWING), StageEvent(on=date(2026, 2, 10), stage=Stage.INDEPENDENT)]})
        if r.staff_id == "st-1" else
        r.model_copy(update={"stage": Stage.VERIFIED, "history": [
            StageEvent(on=date(2026, 5, 1), stage=Stage.INDEPENDENT), StageEvent(on=date(2026, 9, 1), stage=Stage.VERIFIED)]})
        for r in item.receivers
    ]
    return e.model_copy(update={"items": [item.model_copy(update={"receivers": receivers}), *e.items[1:]]})


def test_each_day_counts_who_had_reached_independence_by_then() -> None:
    e = climbing()
    assert bunshin_on(e, date(2026, 2, 9)) == frozenset()
    assert bunshin_on(e, date(2026, 2, 10)) == {"st-1"}
    assert bunshin_on(e, date(2026, 11, 23)) == {"st-1", "st-2"}
    months = {p.label: p.count for p in bunshin_by_month([e], date(2026, 11, 23))}
    assert (months["2026-01"], months["2026-02"], months["2026-05"], months["2026-11"]) == (0, 1, 2, 2)
    years = [(p.label, p.count) for p in bunshin_by_fiscal_year([e], date(2026, 11, 23))]
    assert years == [("令和7年度", 1), ("令和8年度", 2)]


@given(st.lists(st.tuples(st.dates(date(2025, 4, 1), date(2026, 11, 23)), st.sampled_from(STAGE_ORDER)),
                min_size=1, max_size=6))
def test_today_agrees_with_the_current_count_when_the_history_ends_in_the_current_stage(events) -> None:
    events.sort()
    e = engagement()
    item = e.items[0]
    last = events[-1][1]
    reception = item.receivers[0].model_copy(update={"stage": last, "history": [StageEvent(on=d, stage=s) for d, s in events]})
    e = e.model_copy(update={"items": [item.model_copy(update={"receivers": [reception, *item.receivers[1:]]}), *e.items[1:]]})
    assert bunshin_on(e, date(2026, 11, 23)) == bunshin(e).staff_ids
