"""Forms through the UI: onboarding from scratch, every record kind, errors beside the field,
failed saves keeping the input, deletion with confirmation.  Assertions read the store from disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from xtalent_screens.forms import (
    ConfirmDialog,
    EngagementForm,
    ItemForm,
    LogForm,
    StaffForm,
    TargetForm,
    confirm_delete_engagement,
    confirm_delete_record,
    open_evidence_form,
)
from xtalent import lifecycle
from xtalent.models import AfterTermDecision, Stage, StructureRole
from xtalent.vocabulary import AfterTerm
from xtalent.store import Store

from forms_support import error_beside, fill, make_app, new_engagement_form, open_form, reopen, settle, submit, value_of
from tui_support import SIZE, engagement, notices


def seeded(tmp_path: Path, lang: str = "ja"):
    return make_app(tmp_path, lang, engagement())


async def test_onboarding_and_every_record_kind_from_scratch(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_engagement_form(app, pilot)
        assert isinstance(form, EngagementForm)
        await pilot.press(*"Yamada Taro")  # typed into the first field, focused on opening
        fill(form, person__name_kana="やまだ たろう", role="cdo_deputy", organisation="みどり野市",
             department="DX推進課", sponsor="副市長", term_start="令和8年4月1日", days_per_month="４")
        form.query_one("#f-term-end", Input).focus()
        await pilot.press(*"R9.3.31")
        await pilot.pause()
        assert "令和8年度" in str(form.query_one("#h-term-end").render())  # 和暦 read live, with 年度
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, EngagementForm)
        [stored] = reopen(app).engagements()
        assert (stored.person.name, stored.role.value, stored.term_start, stored.term_end, stored.days_per_month) == (
            "Yamada Taro", "cdo_deputy", date(2026, 4, 1), date(2027, 3, 31), 4.0)

        eng = app.session.current(stored.id)
        await open_form(app, pilot, stored.id, "targets")
        await submit(app, pilot, title="書かない窓口", indicator__name="オンライン申請率", indicator__unit="%",
                     indicator__baseline="12", indicator__target="60", agreed_on="R8.5.1", status="agreed")

        eng = app.session.current(stored.id)
        await open_form(app, pilot, stored.id, "staff")
        await submit(app, pilot, name="佐藤 一郎", department="市民課", position="主査", role="lead", rotation_expected="2027/4/1")

        eng = app.session.current(stored.id)
        await open_form(app, pilot, stored.id, "items")
        assert isinstance(app.screen, ItemForm)
        await submit(app, pilot, title="窓口業務フローの描き方", kind="skill", target_id=eng.targets[0].id,
                     receivers=[eng.staff[0].id], due="R9.2.28")

        eng = app.session.current(stored.id)
        await open_form(app, pilot, stored.id, "log")
        assert value_of(app.screen, "on") == "2026-11-23"  # today by default
        await submit(app, pilot, from_department="税務課", topic="申請様式の相談", minutes="45", target_id=eng.targets[0].id)

        eng = app.session.current(stored.id)
        open_evidence_form(app, eng, eng.items[0])
        await settle(app, pilot)
        await submit(app, pilot, note="フロー図 v1 を共有フォルダに保存")

    saved = Store.open(tmp_path / "db").get(stored.id)
    target, staff, item, entry = saved.targets[0], saved.staff[0], saved.items[0], saved.log[0]
    assert (target.title, target.indicator.target, target.agreed_on) == ("書かない窓口", 60, date(2026, 5, 1))
    assert (staff.name, staff.role, staff.rotation_expected) == ("佐藤 一郎", StructureRole.LEAD, date(2027, 4, 1))
    assert (item.target_id, [r.staff_id for r in item.receivers], item.due) == (target.id, [staff.id], date(2027, 2, 28))
    assert (entry.on, entry.minutes, entry.in_scope, entry.target_id) == (date(2026, 11, 23), 45, True, target.id)
    assert item.evidence[0].note == "フロー図 v1 を共有フォルダに保存"
    assert saved.revision == 6  # created, then five saved edits


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_validation_errors_show_beside_the_field_and_keep_the_input(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_engagement_form(app, pilot)
        await submit(app, pilot, person__name="山田 太郎", role="cdo", organisation="みどり野市",
                     term_start="2027/4/1", term_end="2026/3/31", notes="面談メモ")
        assert app.screen is form  # still open
        expected = {"ja": "任期の終了日が開始日より前です", "en": "the term ends before it starts"}[lang]
        assert expected in error_beside(form, "term_end")
        assert error_beside(form, "term_start") == ""
        # a bad 和暦 date: the reason beside it, live and after saving
        fill(form, term_end="令和9年13月1日")
        await pilot.pause()
        assert str(form.query_one("#h-term-end").render()) == {"ja": "存在しない日付です", "en": "there is no such day"}[lang]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert {"ja": "存在しない日付です", "en": "there is no such day"}[lang] in error_beside(form, "term_end")
        assert (value_of(form, "person.name"), value_of(form, "term_end"), value_of(form, "notes")) == (
            "山田 太郎", "令和9年13月1日", "面談メモ")
        assert reopen(app).engagements() == []
        # fixed: it saves
        await submit(app, pilot, term_end="R10.3.31")
        assert reopen(app).engagements()[0].term_end == date(2028, 3, 31)


async def test_required_fields_and_numbers_are_explained(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "log")
        await submit(app, pilot, on="", minutes="たくさん")
        assert "日付が空です" in error_beside(form, "on")
        assert "数値で入力してください" in error_beside(form, "minutes")
        assert isinstance(app.screen, LogForm)


async def test_a_failing_save_keeps_everything_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "staff")
        fill(form, name="新井 一子", department="子育て支援課")

        def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(app.session.store, "save", broken)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "disk full" in str(form.query_one("#form-error").render())
        assert any("disk full" in n.message for n in notices(app))
        assert (value_of(form, "name"), value_of(form, "department")) == ("新井 一子", "子育て支援課")
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, StaffForm)
    assert "新井 一子" in [s.name for s in Store.open(tmp_path / "db").get("en-test").staff]


async def test_an_exception_in_a_handler_is_a_notification_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "targets")
        fill(form, title="電子申請の拡大")
        monkeypatch.setattr(form, "build", lambda: 1 / 0)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running and app.screen is form
        assert value_of(form, "title") == "電子申請の拡大"


async def test_a_colleagues_save_meanwhile_is_merged_not_overwritten(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "staff")
        fill(form, name="新井 一子")
        other = Store.open(tmp_path / "db")
        other.save(other.get("en-test").model_copy(update={"notes": "別の端末で更新"}))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, StaffForm)
    stored = Store.open(tmp_path / "db").get("en-test")
    assert stored.notes == "別の端末で更新" and "新井 一子" in [s.name for s in stored.staff]


async def test_a_deleted_engagement_keeps_the_form_and_says_so(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "staff")
        fill(form, name="新井 一子")
        other = Store.open(tmp_path / "db")
        other.delete("en-test", other.get("en-test").revision)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "削除しました" in str(form.query_one("#form-error").render())
        assert value_of(form, "name") == "新井 一子"


async def test_editing_an_existing_item_keeps_its_receivers_stages(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_form(app, pilot, "en-test", "items", app.session.current("en-test").items[0])
        assert sorted(value_of(app.screen, "receivers")) == ["st-1", "st-2"]
        await submit(app, pilot, title="業務フロー図の作り方（改訂）", receivers=["st-1", "st-3"])
    item = Store.open(tmp_path / "db").get("en-test").items[0]
    assert item.title == "業務フロー図の作り方（改訂）"
    assert [(r.staff_id, r.stage) for r in item.receivers] == [("st-1", Stage.INDEPENDENT), ("st-3", Stage.NOT_STARTED)]


async def test_deleting_asks_first(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        eng = app.session.current("en-test")
        staff = eng.staff_by_id()["st-2"]
        confirm_delete_record(app, eng, "staff", staff)
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "業務フロー図の作り方" in str(app.screen.query_one("#confirm-message", Static).content)
        await pilot.press("enter")  # the focused default is "keep"
        await settle(app, pilot)
        assert "st-2" in app.store.get("en-test").staff_by_id()
        confirm_delete_record(app, eng, "staff", staff)
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        stored = reopen(app).get("en-test")
        assert "st-2" not in stored.staff_by_id()
        assert all(r.staff_id != "st-2" for item in stored.items for r in item.receivers)

        # a target still referred to is refused with the names, nothing asked
        eng = app.session.current("en-test")
        confirm_delete_record(app, eng, "targets", eng.targets[0])
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("業務フロー図の作り方" in n.message for n in notices(app))
        assert len(reopen(app).get("en-test").targets) == 2

        confirm_delete_engagement(app, app.session.current("en-test"))
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert reopen(app).engagements() != []
        confirm_delete_engagement(app, app.session.current("en-test"))
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert reopen(app).engagements() == []


async def test_switching_language_keeps_what_was_typed(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "targets")
        assert isinstance(form, TargetForm)
        fill(form, title="電子決裁の定着", status="in_progress", staff_ids=["st-1"], agreed_on="R8.6.1")
        await pilot.press("f2")
        await settle(app, pilot)
        assert str(form.query_one("#form-title").render()) == "New change target"
        assert str(form.query_one("#l-status").render()) == "Status *"
        assert "FY2026" in str(form.query_one("#h-agreed-on").render())
        assert (value_of(form, "title"), value_of(form, "status"), value_of(form, "staff_ids")) == (
            "電子決裁の定着", "in_progress", ["st-1"])


async def test_keys_arriving_at_once_land_in_the_field_they_were_typed_for(tmp_path: Path) -> None:
    """A text expander, an IME commit or a paste delivers `abc⇥def⇥ghi⇥jkl` in one burst: the
    keys are all queued before the first is handled, and each must still reach its own field."""
    from textual import events

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_engagement_form(app, pilot)
        burst = [*"abc", "tab", *"def", "tab", *"ghi", "tab", *"jkl", "shift+tab", *"m"]
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(app, pilot)
        typed = {n: value_of(form, n) for n in ("person.name", "person.name_kana", "person.affiliation", "person.email")}
        # back with shift+tab: the field is selected on focus, so "m" replaces it, as in any form
        assert typed == {"person.name": "abc", "person.name_kana": "def", "person.affiliation": "m",
                         "person.email": "jkl"}


# ----- dates a person types: words, and a day the log cannot hold --------------------------------
async def test_date_fields_take_kyou_kinou_ashita_from_the_apps_today(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "log")
        fill(form, on="きのう")
        await pilot.pause()
        assert "令和8年11月22日（2026-11-22）" in str(form.query_one("#h-on").render())  # read live, from the app's day
        fill(form, on="あした?")
        await pilot.pause()
        hint = str(form.query_one("#h-on").render())
        assert "使える書き方" in hint and "きょう・きのう・あした" in hint  # what is accepted, not only "no"
        await submit(app, pilot, on="昨日", topic="申請様式の相談")
        assert not isinstance(app.screen, LogForm)
        item_form = await open_form(app, pilot, "en-test", "items", app.session.current("en-test").items[0])
        await submit(app, pilot, due="あした")
        assert not isinstance(app.screen, ItemForm)
    saved = reopen(app).get("en-test")
    assert saved.log[-1].on == date(2026, 11, 22) and saved.items[0].due == date(2026, 11, 24)
    assert isinstance(item_form, ItemForm)


async def test_a_consultation_after_today_is_refused_beside_its_date(tmp_path: Path) -> None:
    app = seeded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        form = await open_form(app, pilot, "en-test", "log")
        await submit(app, pilot, on="2030/1/10", topic="来年度の相談")
        assert app.screen is form
        assert "2030-01-10 は基準日（2026-11-23）より後です" in error_beside(form, "on")
        await submit(app, pilot, on="2026/11/20")
        assert not isinstance(app.screen, LogForm)
    assert reopen(app).get("en-test").log[-1].on == date(2026, 11, 20)


async def test_a_consultation_after_the_term_is_saved_and_said_unless_post_term_support_covers_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, "ja", engagement(term_end="2026-09-30"))
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        notify = app.notify
        app.notify = lambda message, **kw: (said.append(str(message)), notify(message, **kw))[1]  # type: ignore[method-assign]
        await settle(app, pilot)
        await open_form(app, pilot, "en-test", "log")
        await submit(app, pilot, on="2026/11/2", topic="引継ぎ後の質問")
        assert not isinstance(app.screen, LogForm)
        assert any("日付 2026-11-02 は任期終了（2026-09-30）の後です" in s for s in said), said
        # once post-term support is decided, such an entry is what it is for: nothing to say
        said.clear()
        eid = "en-test"
        decision = AfterTermDecision(decision=AfterTerm.SUPPORT, decided_on=date(2026, 8, 1))
        app.session.apply(eid, lambda e: lifecycle.decide_after_term(e, decision), "edit.engagement_update",
                          base=app.session.current(eid), name="山田 太郎")
        await settle(app, pilot)
        await open_form(app, pilot, eid, "log")
        await submit(app, pilot, on="2026/11/3", topic="任期後の支援")
        assert not isinstance(app.screen, LogForm) and not any("任期終了" in s for s in said), said
    assert [e.on for e in reopen(app).get("en-test").log][-2:] == [date(2026, 11, 2), date(2026, 11, 3)]


async def test_the_delete_question_never_breaks_a_name_at_its_space(tmp_path: Path) -> None:
    """At every width from 60 to 140 columns the person's name stays on one line (Rich alone broke
    "望月 浩二" at its space when the line ran out there)."""
    app = make_app(tmp_path, "ja", engagement(person={"name": "望月 浩二", "name_kana": "もちづき こうじ"}))
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(app, pilot)
        confirm_delete_engagement(app, app.session.current("en-test"))
        await settle(app, pilot)
        broken = []
        for width in range(60, 141, 2):
            await pilot.resize_terminal(width, 30)  # laid out again before it returns: no work waits
            lines = app.screen.query_one("#confirm-message").render_lines(app.screen.query_one("#confirm-message").region.reset_offset)
            text = ["".join(segment.text for segment in line).rstrip() for line in lines]
            if not any("望月 浩二" in line for line in text) or not "".join(text).replace(" ", "").count("削除しますか"):
                broken.append((width, text))
        assert broken == []
