"""Internal coordination (庁内調整) rules: overload and under-use; fire, do not fire, boundary."""

from __future__ import annotations

from pitfalls_factory import TERM_END, TERM_START, TODAY, build, check, days, healthy

from xtalent.pitfalls import Aspect, Severity


def _out_of_scope(d: dict, n: int, on: str, minutes: int = 60, department: str = "税務課") -> None:
    d["log"] += [
        {"id": f"lg-x{k}", "on": on, "kind": "consultation", "from_department": department, "in_scope": False,
         "minutes": minutes}
        for k in range(n)
    ]


# ----- consultation-overload ------------------------------------------------------------------

def test_consultation_overload_against_the_contracted_time() -> None:
    # 4 days a month x 7.75 h: about 91.7 contracted hours in 90 days; 30 hours out of scope.
    e = build(lambda d: _out_of_scope(d, 30, (TODAY - days(5)).isoformat(), department="福祉課"))
    [f] = check("consultation-overload", e)
    assert f.aspect is Aspect.INTERNAL_COORDINATION and f.severity is Severity.WARNING
    assert f.facts["basis"] == "contract" and f.facts["out_of_scope_count"] == 31
    assert f.facts["top_department"] == "福祉課"
    assert "31件・31.0時間" in f.message and "34%" in f.message and "福祉課" in f.message


def test_consultation_overload_looks_only_at_the_window() -> None:
    outside = build(lambda d: _out_of_scope(d, 30, (TODAY - days(90)).isoformat()))
    assert check("consultation-overload", outside) == []
    inside = build(lambda d: _out_of_scope(d, 30, (TODAY - days(89)).isoformat()))
    assert len(check("consultation-overload", inside)) == 1


def test_consultation_overload_boundary_on_logged_time_without_a_contract() -> None:
    def share(out_minutes: int):
        def edit(d: dict) -> None:
            d["days_per_month"] = None
            d["log"][1]["minutes"] = 80  # in scope: 60 + 80 = 140 minutes
            d["log"][2]["minutes"] = out_minutes

        return build(edit)

    [f] = check("consultation-overload", share(60))  # 60 of 200 minutes: exactly 30%
    assert f.facts["basis"] == "logged" and f.facts["share"] == 0.3
    assert check("consultation-overload", share(59)) == []


def test_consultation_overload_only_in_term() -> None:
    e = build(lambda d: _out_of_scope(d, 30, (TERM_END - days(1)).isoformat()))
    assert len(check("consultation-overload", e, TERM_END)) == 1
    assert check("consultation-overload", e, TERM_END + days(1)) == []
    assert check("consultation-overload", healthy()) == []


# ----- underused ------------------------------------------------------------------------------

def _last_entry(on: str):
    def edit(d: dict) -> None:
        d["log"] = [{"id": "lg-1", "on": on, "kind": "checkin", "minutes": 30}]

    return edit


def test_underused_fires_at_exactly_n_days_without_an_entry() -> None:
    [f] = check("underused", build(_last_entry((TODAY - days(45)).isoformat())))
    assert f.facts == {"idle_days": 45, "last_entry": (TODAY - days(45)).isoformat()}
    assert "45日間" in f.message
    assert check("underused", build(_last_entry((TODAY - days(44)).isoformat()))) == []


def test_underused_with_no_log_counts_from_the_term_start() -> None:
    e = build(lambda d: d.update(log=[]))
    assert check("underused", e, TERM_START + days(44)) == []
    [f] = check("underused", e, TERM_START + days(45))
    assert f.facts["last_entry"] is None and "一度も" in f.message


def test_underused_ignores_entries_after_today_and_ended_terms() -> None:
    e = build(_last_entry((TODAY + days(3)).isoformat()))
    assert check("underused", e)[0].facts["last_entry"] is None
    assert check("underused", build(lambda d: d.update(log=[])), TERM_END + days(1)) == []
    assert check("underused", healthy()) == []


def test_underused_ignores_entries_from_before_the_term() -> None:
    # A renewal: the previous term's log does not show the person is used now.
    e = build(_last_entry((TERM_START - days(1)).isoformat()))
    [f] = check("underused", e, TERM_START + days(45))
    assert f.facts["last_entry"] is None
