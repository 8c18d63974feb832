"""A dashboard row computes only what it keeps: the readiness score's labels are written when read
(the engagement screen, the checklist), never for a row; 分身 per 年度 is counted without its
labels — and what is read is what the eager computation gave, for arbitrary engagements."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xtalent import i18n
from xtalent.i18n import t
from xtalent.metrics import (
    READINESS_CAP_UNTRANSFERRED, bunshin, bunshin_by_fiscal_year, bunshin_fiscal_year_counts, readiness, urgency,
)
from xtalent.models import Engagement
from xtalent.settings import PitfallSettings
from xtalent.views import dashboard as dash
from xtalent.views.signals import evaluate

from test_pitfalls_property import DAYS, engagement_data

EXAMPLES = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@EXAMPLES
@given(data=engagement_data(), today=DAYS, lang=st.sampled_from(["ja", "en"]))
def test_the_labels_read_later_are_the_catalog_texts_of_the_score_in_its_language(data: dict, today: date, lang: str) -> None:
    engagement = Engagement.model_validate(data)
    score = readiness(engagement, today, lang)
    other = "en" if lang == "ja" else "ja"
    previous = i18n.get_language()
    i18n.set_language(other)  # the UI's language changes after the score was taken: its labels do not
    try:
        why = score.why
        in_current = readiness(engagement, today).why  # no language given: the current one, as before
    finally:
        i18n.set_language(previous)
    assert [label for label, _ in why] == [t(key, lang, **params) for key, params, _ in score.parts]
    assert [label for label, _ in in_current] == [t(key, other, **params) for key, params, _ in score.parts]
    # Largest first; the points add up to the value (rounded per part); every label is filled in.
    assert [abs(p) for _, p in why] == sorted((abs(p) for _, p in why), reverse=True)
    assert abs(sum(points for _, points in why) - score.value) <= 0.6
    assert all(label and "{" not in label for label, _ in why)
    # The count the caller has already is the one readiness computes itself.
    assert readiness(engagement, today, lang, bunshin_total=bunshin(engagement).total) == score
    for item in engagement.items:
        item_score = urgency(item, engagement, today, PitfallSettings(), lang)
        assert item_score.why and all(label and "{" not in label for label, _ in item_score.why)


@EXAMPLES
@given(data=engagement_data(), today=DAYS)
def test_a_rows_signals_and_counts_are_those_of_the_full_computation(data: dict, today: date) -> None:
    engagement = Engagement.model_validate(data)
    signals = evaluate(engagement, today, "ja")
    score = readiness(engagement, today, "ja")
    assert signals.readiness == int(score.value) and signals.readiness_parts == list(score.why)
    assert signals.bunshin == bunshin(engagement).total
    counts = tuple(p.count for p in bunshin_by_fiscal_year([engagement], today, "ja"))
    assert bunshin_fiscal_year_counts(engagement, today) == counts
    row = dash.dashboard_row(engagement, today, "ja")
    assert row.bunshin_years == counts and row.readiness == signals.readiness
    assert row == dash.dashboard_row(engagement, today, "ja", signals=signals)


def test_a_capped_score_names_its_cap_when_read() -> None:
    # Nothing transferred, the paperwork complete: the cap is a part of its own.
    engagement = Engagement.model_validate({
        "id": "en-cap", "person": {"name": "x"}, "role": "advisor", "organisation": "市",
        "term_start": "2026-04-01", "term_end": "2027-03-31",
        "staff": [{"id": "st-1", "name": "a", "role": "lead"}, {"id": "st-2", "name": "b"}],
        "targets": [{"id": "tg-1", "title": "t", "goal": "g", "status": "agreed", "agreed_on": "2026-04-10",
                     "agreed_by": "課長"}],
        "items": [{"id": "kh-1", "title": "i", "receivers": [{"staff_id": "st-1", "stage": "supported"},
                                                            {"staff_id": "st-2", "stage": "supported"}]}],
    })
    score = readiness(engagement, date(2026, 11, 23), "en")
    assert score.value == READINESS_CAP_UNTRANSFERRED
    assert dict(score.why)[t("metrics.cap_untransferred", "en", cap=READINESS_CAP_UNTRANSFERRED)] < 0
