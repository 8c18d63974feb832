"""The dashboard's rows computed from scratch the fast way are the rows the plain definitions give.

Each rewrite made for the cold first paint (issue 17) keeps its result: 分身 on many days from
one pass over each stage history, the search text folded in one call, a stage's rank by lookup,
the row written to the cache without dataclasses.asdict.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from xtalent.interchange import load_document
from xtalent.metrics import bunshin_on, bunshin_on_days
from xtalent.models import Engagement, Stage, StageEvent, StaffStatus
from xtalent.paths import demo_file
from xtalent.views import rowcache
from xtalent.views.dashboard import build_rows
from xtalent.views.text import _fold_chars, fold, haystack
from xtalent.vocabulary import INDEPENDENT_RANK, STAGE_ORDER, STAGE_RANK

from tui_support import engagement

TODAY = date(2026, 11, 23)


# ----- the plain definitions, as they were before the rewrite ----------------------------------

def plain_stage_on(reception, day: date) -> Stage:
    reached = [(event.on, n, event.stage) for n, event in enumerate(reception.history) if event.on <= day]
    if reached:
        return max(reached)[2]
    return reception.stage if not reception.history else Stage.NOT_STARTED


def plain_bunshin_on(e: Engagement, day: date) -> frozenset[str]:
    if day < e.term_start:
        return frozenset()
    here = {s.id for s in e.staff if s.here_on(day)}
    return frozenset(r.staff_id for item in e.items for r in item.receivers
                     if r.staff_id in here and STAGE_RANK[plain_stage_on(r, day)] >= INDEPENDENT_RANK)


def plain_haystack(parts) -> str:
    out = []
    for part in parts:
        if not part:
            continue
        folded = fold(part)
        out.append(folded)
        if " " in folded:
            out.append(folded.replace(" ", ""))
    return "\n".join(out)


# ----- 分身 on many days ------------------------------------------------------------------------

DAYS = st.dates(date(2024, 1, 1), date(2028, 12, 31))
HISTORY = st.lists(st.tuples(DAYS, st.sampled_from(STAGE_ORDER)), max_size=6)  # any order, same days too


@settings(max_examples=150, deadline=None)
@given(
    histories=st.lists(st.tuples(HISTORY, st.sampled_from(STAGE_ORDER)), min_size=1, max_size=3),
    gone=st.sampled_from([None, StaffStatus.TRANSFERRED, StaffStatus.RETIRED]),
    left_on=DAYS,
    days=st.lists(DAYS, max_size=8),
)
def test_bunshin_on_many_days_is_bunshin_on_each_day(histories, gone, left_on, days) -> None:
    e = engagement()
    item = e.items[0]
    staff = ["st-1", "st-2", "st-3"]
    receivers = [
        item.receivers[0].model_copy(update={"staff_id": staff[n], "stage": stage,
                                             "history": [StageEvent(on=d, stage=s) for d, s in events]})
        for n, (events, stage) in enumerate(histories)
    ]
    update = {"items": [item.model_copy(update={"receivers": receivers}), *e.items[1:]]}
    if gone is not None:
        update["staff"] = [e.staff[0].model_copy(update={"status": gone, "left_on": left_on}), *e.staff[1:]]
    e = e.model_copy(update=update)
    days.sort()
    assert bunshin_on_days(e, days) == [plain_bunshin_on(e, day) for day in days]
    for day in days:
        assert bunshin_on(e, day) == plain_bunshin_on(e, day)


# ----- the search text ------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
# Text that normalisation changes: full- and half-width forms (runs of them, beside combining
# marks: text._fold_chars normalizes those runs first), combining marks, kana, spaces, NULs.
TRICKY = st.text(st.sampled_from(list("ａＡ１（）～！ｶﾞﾟｧ\u3099\u309a\u0301\u0308e\u1100\u1161\u11a8한 \u3000\t\n\0İßΣσς佐藤ー")), max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TEXT, TRICKY), max_size=8))
def test_the_search_text_folded_at_once_is_each_part_folded(parts) -> None:
    assert haystack(parts) == plain_haystack(parts)


def test_whitespace_to_collapse_anywhere_in_one_part_is_collapsed_in_that_part() -> None:
    # Spaces a part's own collapse removes: doubled, beside the next part, made by NFKC (U+3000,
    # a full-width space at a part's end), other whitespace (a tab).
    for parts in (["佐藤  花子", "市民課"], ["佐藤 花子", "市民課\u3000"], ["\u3000佐藤", "x"], ["a\tb", "c d"], ["ａ b", "c"]):
        assert haystack(parts) == plain_haystack(parts), parts



@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, TRICKY, st.text(st.sampled_from(list("アァヴヵヶヷヸヺーｱ・カ\u30a0\u30f7\u30ff\u3099あ亜ａ")), max_size=16)))
def test_folding_is_nfkc_casefolded_with_katakana_as_hiragana(text) -> None:
    # The definition: every character U+30A1–U+30F6 of the normalised, case-folded text 0x60 down.
    plain = unicodedata.normalize("NFKC", text).casefold().translate({c: c - 0x60 for c in range(0x30A1, 0x30F7)})
    assert _fold_chars(text) == plain

# ----- stages ---------------------------------------------------------------------------------

def test_a_stages_rank_is_its_place_on_the_ladder() -> None:
    assert [stage.rank for stage in Stage] == [STAGE_ORDER.index(stage) for stage in Stage]


@given(st.lists(st.sampled_from(STAGE_ORDER), max_size=3, unique=False))
def test_an_items_stage_is_the_furthest_any_receiver_reached(stages) -> None:
    e = engagement()
    item = e.items[0]
    receivers = [item.receivers[0].model_copy(update={"staff_id": f"st-{n + 1}", "stage": s}) for n, s in enumerate(stages)]
    item = item.model_copy(update={"receivers": receivers})
    assert item.stage == max(stages, key=STAGE_ORDER.index, default=Stage.NOT_STARTED)


# ----- whole rows -----------------------------------------------------------------------------

def test_a_rows_cache_entry_is_the_row_as_asdict_writes_it() -> None:
    document = load_document(demo_file())
    for lang in ("ja", "en"):
        for row in build_rows(document.engagements, TODAY, lang):
            plain = asdict(row)
            for name, value in plain.items():
                if isinstance(value, date):
                    plain[name] = value.isoformat()
            assert json.dumps(rowcache._row_to_json(row), ensure_ascii=False) == json.dumps(plain, ensure_ascii=False)
            assert rowcache._row_from_json(json.loads(json.dumps(rowcache._row_to_json(row)))) == row
