"""Staff as people of the organisation: employee records, the schema 4 migration with its merge
proposals, lost capacity (who counts), and the registry's writes (edit, leave, merge, reject)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from xtalent import metrics, organisations
from xtalent.errors import EmployeeConflict
from xtalent.interchange import load_document, parse_document
from xtalent.merge import choice
from xtalent.models import Engagement, StaffStatus
from xtalent.paths import demo_file
from xtalent.people import left, link, proposals
from xtalent.pitfalls import evaluate
from xtalent.store import Store
from xtalent.views.staff import filtered, staff_rows

from tui_support import TODAY, demo_store, engagement

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate import dataset  # noqa: E402


def downgrade_to_v3(db: Path) -> None:
    """The database as schema 3 wrote it: receivers without employee records, no people.json."""
    for path in (db / "engagements").glob("*.json"):
        data = json.loads(path.read_bytes())
        data["meta"]["1"]["schema_version"] = 3
        for row in data.get("staff", {}).values():
            for key in ("employee_id", "status", "left_on"):
                row.pop(key, None)
        path.write_bytes(json.dumps(data, ensure_ascii=False).encode())
    manifest = db / "xtalent.json"
    manifest.write_bytes(json.dumps({**json.loads(manifest.read_bytes()), "schema_version": 3}).encode())
    (db / "people.json").unlink(missing_ok=True)


def stage_events(engagements: list[Engagement]) -> list[tuple]:
    return sorted((e.id, i.id, r.staff_id, ev.on, ev.stage.value)
                  for e in engagements for i in e.items for r in i.receivers for ev in r.history)


def receivers(engagements: list[Engagement]) -> list[tuple]:
    return sorted((e.id, s.id, s.name, s.department, s.position) for e in engagements for s in e.staff)


def check_migration(db: Path, before: list[Engagement] | None = None) -> tuple[Store, list[Engagement]]:
    """Downgrade db to schema 3, open it (migrating) and check nothing was lost against before:
    the engagements as stored (read here) or as imported (given: reading 1,000 back cost 5 s)."""
    if before is None:
        before = Store.open(db).engagements()
    downgrade_to_v3(db)
    store = Store.open(db)  # migrates
    after = store.engagements()
    assert json.loads((db / "xtalent.json").read_bytes())["schema_version"] == 4
    assert len(after) == len(before)
    assert receivers(after) == receivers(before)
    assert stage_events(after) == stage_events(before)  # nothing lost
    registry = store.people()
    # One employee per receiver: nothing merged without the user.
    assert len(registry.employees) == sum(len(e.staff) for e in after)
    by_id = registry.by_id()
    assert all(s.employee_id in by_id and by_id[s.employee_id].name == s.name for e in after for s in e.staff)
    assert [b for b in store.list_backups() if "pre-migration" in b.name]
    return store, after


def test_the_demo_migrates_from_schema_3_with_its_proposals(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    store, _ = check_migration(tmp_path / "db")
    listed = {(p.name, p.department, len(p.employee_ids)) for p in proposals(store.people())}
    # The same name and department within one organisation: proposed, not merged.
    assert ("中村 美咲", "情報政策課", 2) in listed and ("石井 遼", "情報政策課", 2) in listed


def test_a_generated_prefectures_database_migrates_whole(tmp_path: Path) -> None:
    """A generated database of 300 engagements (bench/generate's prefectural size) migrates whole,
    and the staff whose names repeat are proposed, never merged.

    The migration has no path that depends on the size (every engagement file is read, migrated
    and written the same way), so what it must show is that nothing is lost across many files
    and that repeated names within a city and department become proposals. 300 is the smallest
    generated size where names repeat often (39 proposals from ~1,500 receivers; the 20 of the
    municipal size repeat none): 1,000 showed the same in 23 CPU-s, this in 6."""
    db = tmp_path / "db"
    store = Store.open(db)
    imported = parse_document(dataset("prefectural", validate=False), "prefectural.json")  # validated by the parse
    store.import_document(imported)
    store, after = check_migration(db, before=imported.engagements)
    assert len(after) == 300
    registry = store.people()  # read once: each call reads and validates people.json again
    found = proposals(registry)
    assert found  # generated names repeat within a city and department
    by_id = registry.by_id()
    for p in found:
        group = [by_id[i] for i in p.employee_ids]
        assert len({(organisations.key(e.organisation), e.name, e.department) for e in group}) == 1


def test_the_demo_import_links_every_receiver_and_keeps_the_documents_people(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    registry = store.people()
    by_id = registry.by_id()
    engagements = store.engagements()
    assert all(s.employee_id in by_id for e in engagements for s in e.staff)
    # The demo's own records: one employee receiving in two engagements, one 異動済み.
    rows = {r.employee.name: r for r in staff_rows(registry, engagements)}
    assert len(rows["中村 美咲"].engagements) == 2
    yamaguchi = rows["山口 真由"]
    assert yamaguchi.employee.status is StaffStatus.TRANSFERRED and yamaguchi.received  # stages kept


# ----- who counts: lost capacity --------------------------------------------------------------


def _two_receivers(status: StaffStatus = StaffStatus.ACTIVE, rotation: str | None = None) -> Engagement:
    return engagement(
        targets=[], log=[],
        staff=[{"id": "st-a", "name": "佐藤 一郎", "department": "市民課", "role": "lead"},
               {"id": "st-b", "name": "鈴木 花子", "department": "市民課", "status": status.value,
                "left_on": "2026-10-01" if status.gone else None, "rotation_expected": rotation}],
        items=[{"id": "kh-1", "title": "窓口の手順", "receivers": [
            {"staff_id": "st-a", "stage": "documented"},
            {"staff_id": "st-b", "stage": "independent",
             "history": [{"on": "2026-06-01", "stage": "independent"}]}]}],
    )


def test_who_left_keeps_their_stages_but_counts_for_no_bunshin() -> None:
    here, gone = _two_receivers(), _two_receivers(StaffStatus.TRANSFERRED)
    assert metrics.bunshin(here).total == 1
    assert metrics.bunshin(gone).total == 0
    assert gone.items[0].receivers[1].stage.value == "independent"  # the record stays
    # Over time: 分身 until the day they left.
    assert metrics.bunshin_on(gone, date(2026, 9, 30)) == {"st-b"}
    assert metrics.bunshin_on(gone, date(2026, 10, 1)) == frozenset()
    assert metrics.readiness(gone, TODAY).value < metrics.readiness(here, TODAY).value


def test_the_rules_warn_when_the_only_independent_receiver_left_or_is_leaving() -> None:
    codes = lambda e: {f.code for f in evaluate(e, TODAY)}  # noqa: E731
    assert "bunshin-leaving" not in codes(_two_receivers())
    lost = [f for f in evaluate(_two_receivers(StaffStatus.RETIRED), TODAY) if f.code == "bunshin-leaving"]
    assert lost and lost[0].severity.value == "critical" and lost[0].subjects == ("kh-1",)
    leaving = [f for f in evaluate(_two_receivers(rotation="2027-01-01"), TODAY) if f.code == "bunshin-leaving"]
    assert leaving and leaving[0].severity.value == "warning"
    # An item whose receivers all left has no receiver any more.
    nobody = _two_receivers(StaffStatus.TRANSFERRED)
    nobody.staff[0] = nobody.staff[0].model_copy(update={"status": StaffStatus.RETIRED, "left_on": date(2026, 9, 1)})
    assert "item-without-receiver" in codes(nobody)


# ----- the registry's writes ------------------------------------------------------------------


def test_marking_someone_transferred_reaches_every_engagement_and_the_change_log(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    nakamura = store.people().by_id()["em-nakamura"]
    saved = store.save_employee(left(nakamura, StaffStatus.TRANSFERRED, date(2026, 11, 20)), base=nakamura)
    assert saved.status is StaffStatus.TRANSFERRED
    touched = [e for e in store.engagements() if any(s.employee_id == "em-nakamura" for s in e.staff)]
    assert len(touched) == 2
    for e in touched:
        member = next(s for s in e.staff if s.employee_id == "em-nakamura")
        assert member.status is StaffStatus.TRANSFERRED and member.left_on == date(2026, 11, 20)
        assert any(r.staff_id == member.id for i in e.items for r in i.receivers)  # nothing deleted
    logged = list(store.changelog.newest(None, limit=10))
    assert any(c.key == "changelog.people_edited" for c in logged)
    assert sum(c.key == "changelog.people_edited_in" for c in logged) == 2


def test_a_colleagues_change_merges_or_asks(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    seen = store.people().by_id()["em-nakamura"]
    store.save_employee(seen.model_copy(update={"position": "課長補佐"}), base=seen)  # a colleague
    # A different field: merged, both kept.
    mine = store.save_employee(seen.model_copy(update={"name_kana": "なかむら みさき２"}), base=seen)
    assert mine.position == "課長補佐" and mine.name_kana == "なかむら みさき２"
    # The same field, differently: the user is asked, never the code.
    with pytest.raises(EmployeeConflict) as err:
        store.save_employee(seen.model_copy(update={"position": "主査"}), base=seen)
    assert store.people().by_id()["em-nakamura"].position == "課長補佐"
    kept = store.save_employee(seen.model_copy(update={"position": "主査"}), base=seen,
                               choose=choice(err.value.conflicts, "mine"))
    assert kept.position == "主査"


def test_a_proposal_is_merged_or_rejected_only_when_the_user_says(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    (ishii,) = [p for p in proposals(store.people()) if p.name == "石井 遼"]
    store.reject_proposal(ishii)
    assert not [p for p in proposals(store.people()) if p.name == "石井 遼"]
    assert len([e for e in store.people().employees if e.name == "石井 遼"]) == 2

    store2 = demo_store(tmp_path / "other")
    (ishii,) = [p for p in proposals(store2.people()) if p.name == "石井 遼"]
    before = stage_events(store2.engagements())
    keep = store2.merge_proposal(ishii)
    assert [e.id for e in store2.people().employees if e.name == "石井 遼"] == [keep.id]
    assert stage_events(store2.engagements()) == before
    row = next(r for r in staff_rows(store2.people(), store2.engagements()) if r.id == keep.id)
    assert len(row.engagements) == 2


def test_a_receiver_added_later_gets_a_record_when_the_staff_list_is_read(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    e = store.get("en-2025-kigyo-miyoshi")
    e.staff.append(e.staff_by_id().get("x") or __import__("xtalent.models", fromlist=["ReceivingStaff"]).ReceivingStaff(
        id="st-new", name="新井 花", department="商工観光課"))
    store.save(e)
    assert store.get(e.id).staff[0].employee_id is None  # an edit never makes records itself
    assert store.link_receivers() == 1
    assert store.get(e.id).staff[0].employee_id in store.people().by_id()
    assert store.link_receivers() == 0


def test_linking_the_engagements_a_caller_names_reads_and_writes_only_those(tmp_path: Path) -> None:
    from xtalent.models import ReceivingStaff

    store = demo_store(tmp_path)
    for eid, sid in (("en-2025-kigyo-miyoshi", "st-new-a"), ("en-2025-adv-okochi", "st-new-b")):
        e = store.get(eid)
        e.staff.append(ReceivingStaff(id=sid, name="新井 花", department="商工観光課"))
        store.save(e)
    untouched = store.get("en-2025-adv-okochi").revision
    assert store.link_receivers(["en-2025-kigyo-miyoshi"]) == 1
    assert store.get("en-2025-adv-okochi").revision == untouched  # not named: not read for writing
    assert store.link_receivers(["en-2025-kigyo-miyoshi"]) == 0
    assert store.link_receivers() == 1  # everything: the other one too


def test_backups_keep_the_employee_records(tmp_path: Path) -> None:
    demo_store(tmp_path)
    store = Store.open(tmp_path / "db")  # a new session: its first change is preceded by a snapshot
    nakamura = store.people().by_id()["em-nakamura"]
    store.save_employee(left(nakamura, StaffStatus.RETIRED, date(2026, 11, 1)), base=nakamura)
    (latest, *_) = store.list_backups()
    backup = store.read_backup(latest.path)
    assert {p.id for p in backup.people} >= {"em-nakamura"}
    assert next(p for p in backup.people if p.id == "em-nakamura").status is StaffStatus.ACTIVE  # as it was


def test_the_interchange_document_carries_the_people(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    document = store.read_backup(store.backup_now())  # an interchange backup: the whole database
    assert {p.id for p in document.people} == {p.id for p in store.people().employees}
    assert load_document(demo_file()).people  # the demo ships its own records


def test_staff_filters_use_the_one_organisation_key(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    rows = staff_rows(store.people(), store.engagements())
    assert filtered(rows, organisation="みどり野 市") == filtered(rows, organisation="みどり野市") == rows
    assert filtered(rows, organisation="さくら台市") == []
    assert [r.employee.name for r in filtered(rows, query="なかむら")] == ["中村 美咲"]


# ----- property: linking never loses a receiver or a stage ---------------------------------------

names = st.sampled_from(["佐藤 一郎", "鈴木 花子", "佐藤 一郎 ", "ｻﾄｳ"])
depts = st.sampled_from(["市民課", "税務課", ""])
stages = st.sampled_from(["not_started", "documented", "shadowing", "together", "supported", "independent", "verified"])


@st.composite
def engagements(draw) -> Engagement:
    n = draw(st.integers(0, 5))
    staff = [{"id": f"st-{k}", "name": draw(names), "department": draw(depts),
              "employee_id": draw(st.sampled_from([None, "em-x", f"em-{k}"]))} for k in range(n)]
    # Ids given twice in one engagement are two receivers of one person: allowed.
    items = [{"id": f"kh-{m}", "title": "項目", "receivers": [
        {"staff_id": s["id"], "stage": draw(stages), "history": [{"on": "2026-05-01", "stage": draw(stages)}]}
        for s in staff if draw(st.booleans())]} for m in range(draw(st.integers(0, 3)))]
    return engagement(targets=[], log=[], staff=staff, items=items)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(engagements(), min_size=1, max_size=4))
def test_linking_never_loses_a_receiver_or_a_stage_event(found: list[Engagement]) -> None:
    registry: dict = {}
    linked = [link(e, registry)[0] for e in found]
    assert receivers(linked) == receivers(found)
    assert stage_events(linked) == stage_events(found)
    assert all(s.employee_id in registry for e in linked for s in e.staff)
    # Never merged by name: a receiver without a record gets one of its own.
    fresh = [s for e in found for s in e.staff if s.employee_id is None]
    assert len({s.employee_id for e in linked for s in e.staff} - {s.employee_id for e in found for s in e.staff}) == len(fresh)


def test_the_matrix_shows_who_left_as_gone_with_their_stages(tmp_path: Path) -> None:
    from xtalent.views.matrix import build_matrix

    store = demo_store(tmp_path)
    matrix = build_matrix(store.get("en-2024-cdoh-sakuraba"), "ja")
    assert [c.name for c in matrix.columns] == ["竹田 浩", "山口 真由（異動済み）"]
    assert matrix.cell("kh-yoyaku-settei", "st-yamaguchi").value == "independent"


def test_organisations_are_one_registry_and_one_key() -> None:
    found = organisations.registry(["みどり野市", "みどり野 市", "さくら台町", "ｻｸﾗ台町", ""])
    assert [(o.name, o.engagements) for o in found] == [("さくら台町", 2), ("みどり野市", 2)]
    assert organisations.matches("みどり野市", " みどり野　市 ") and organisations.matches("x", None)
    assert not organisations.matches("みどり野市", "みどり野町")


def test_the_dashboard_filters_by_organisation(tmp_path: Path) -> None:
    from xtalent.views import dashboard as dash

    store = demo_store(tmp_path)
    rows = dash.build_rows(store.engagements(), TODAY, "ja")
    from dataclasses import replace

    other = replace(rows[0], id="en-other", org_name="さくら台町")
    both = [*rows, other]
    assert dash.next_organisation(None, both) == "さくら台町"
    assert dash.next_organisation("さくら台町", both) == "みどり野市"
    assert dash.next_organisation("みどり野市", both) is None
    shown = dash.view(both, which=dash.Filter.ALL, organisation="ｻｸﾗ台町")
    assert [r.id for r in shown.rows] == ["en-other"] and shown.organisation == "さくら台町"


def test_the_cli_lists_staff_proposals_and_filters_by_organisation(tmp_path: Path, capsys) -> None:
    from xtalent.cli import main

    demo_store(tmp_path)
    db = str(tmp_path / "db")
    assert main(["--db", db, "--lang", "ja", "staff", "--proposals", "--format", "json"]) == 0
    (proposal,) = json.loads(capsys.readouterr().out)
    assert proposal["name"] == "石井 遼" and len(proposal["employee_ids"]) == 2
    assert main(["--db", db, "--lang", "ja", "--today", "2026-11-23", "staff", "--format", "json"]) == 0
    staff = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert staff["山口 真由"]["status"] == "transferred" and len(staff["中村 美咲"]["engagements"]) == 2
    assert main(["--db", db, "--lang", "ja", "--today", "2026-11-23", "list", "--org", "ｻｸﾗ台町", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", db, "--lang", "ja", "--today", "2026-11-23", "list", "--org", "みどり野 市", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 8


def test_the_results_report_of_one_organisation_names_it(tmp_path: Path) -> None:
    from xtalent.report import build_report

    store = demo_store(tmp_path)
    every = build_report(store.engagements(), 2026, TODAY, "ja")
    mine = build_report(store.engagements(), 2026, TODAY, "ja", organisation="みどり野 市")
    assert len(mine.engagements) == len(every.engagements) and mine.title.startswith("みどり野 市 ")
    assert build_report(store.engagements(), 2026, TODAY, "ja", organisation="さくら台町").engagements == ()


def test_a_restore_writes_the_backups_employee_records_with_its_engagements(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    backup = store.backup_now()
    nakamura = store.people().by_id()["em-nakamura"]
    store.save_employee(left(nakamura, StaffStatus.RETIRED, date(2026, 11, 1)), base=nakamura)
    assert store.people().by_id()["em-nakamura"].status is StaffStatus.RETIRED
    store.restore_backup(backup.name)
    assert store.people().by_id()["em-nakamura"].status is StaffStatus.ACTIVE
    named = [s for e in store.engagements() for s in e.staff if s.employee_id == "em-nakamura"]
    assert named and all(s.status is StaffStatus.ACTIVE for s in named)


def test_a_restore_of_a_backup_without_employee_records_links_every_receiver(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    path = store.backup_now()
    data = json.loads(path.read_bytes())
    data["schema_version"] = 3  # as schema 3 wrote it: no records, no references
    data.pop("people")
    for engagement in data["engagements"]:
        for row in engagement["staff"]:
            for key in ("employee_id", "status", "left_on"):
                row.pop(key, None)
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode())
    store.restore_backup(path.name)
    by_id = store.people().by_id()
    engagements = store.engagements()
    assert all(s.employee_id in by_id for e in engagements for s in e.staff)
    assert len(by_id) == sum(len(e.staff) for e in engagements)  # one each: nothing merged


def test_the_session_snapshot_holds_the_employee_records_as_they_were(tmp_path: Path) -> None:
    demo_store(tmp_path)
    store = Store.open(tmp_path / "db")
    before = (tmp_path / "db" / "people.json").read_bytes()
    nakamura = store.people().by_id()["em-nakamura"]
    store.save_employee(left(nakamura, StaffStatus.TRANSFERRED, date(2026, 11, 1)), base=nakamura)
    (latest, *_) = store.list_backups()
    assert latest.path.is_dir() and (latest.path / "people.json").read_bytes() == before


@pytest.mark.parametrize(("lang", "said"), [("ja", "自治体「ｻｸﾗ台町」の契約はありません"),
                                            ("en", 'no engagement matches the organisation "ｻｸﾗ台町"')])
def test_list_of_an_organisation_with_no_engagement_says_the_filter_matched_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, said: str) -> None:
    from xtalent.cli import main

    demo_store(tmp_path)
    db = str(tmp_path / "db")
    assert main(["--db", db, "--lang", lang, "--today", "2026-11-23", "list", "--org", "ｻｸﾗ台町"]) == 0
    out = capsys.readouterr().out
    assert said in out and "みどり野市" in out  # the organisations there are, to choose from
    assert "まだ" not in out and "yet" not in out


def test_a_rejected_proposal_survives_export_and_import_into_a_fresh_database(tmp_path: Path, capsys) -> None:
    from xtalent.cli import main
    from xtalent.store import Store

    store = demo_store(tmp_path)
    (proposal,) = proposals(store.people())
    store.reject_proposal(proposal)
    seen = store.people().by_id()[proposal.employee_ids[0]]
    store.save_employee(seen.model_copy(update={"name_kana": "いしい りょう"}), base=seen)
    exported = tmp_path / "all.json"
    assert main(["--db", str(tmp_path / "db"), "export", "--all", "--format", "json", "-o", str(exported)]) == 0
    document = json.loads(exported.read_text("utf-8"))
    assert document["distinct_people"] == [sorted(proposal.employee_ids)]
    # The schema the CLI prints accepts the field; a fresh database keeps the answer.
    assert "distinct_people" in json.loads(_schema(capsys))["properties"]
    fresh = tmp_path / "fresh"
    assert main(["--db", str(fresh), "import", str(exported)]) == 0
    people = Store.open(fresh).people()
    assert proposals(people) == [] and people.distinct == [sorted(proposal.employee_ids)]
    assert people.by_id()[proposal.employee_ids[0]].name_kana == "いしい りょう"  # the record itself, not a copy


def test_a_backup_restored_keeps_the_rejected_proposals(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    (proposal,) = proposals(store.people())
    store.reject_proposal(proposal)
    backup = store.backup_now()
    document = store.backups.read(backup)
    assert document.distinct_people == [sorted(proposal.employee_ids)]


def _schema(capsys) -> str:
    from xtalent.cli import main

    capsys.readouterr()
    assert main(["schema"]) == 0
    return capsys.readouterr().out


def test_a_merge_undone_gives_back_both_records_and_every_receiver_and_is_logged(tmp_path: Path) -> None:
    from xtalent.editing import EditSession
    from xtalent.errors import StoreError

    store = demo_store(tmp_path)
    registry = store.people()
    engagements = {e.id: e for e in store.engagements()}
    (proposal,) = proposals(registry)
    session = EditSession(store)
    session.merge_proposal(proposal)
    assert proposals(store.people()) == [] and session.undo_description().startswith("同一人物として統合: 石井 遼")
    session.undo()
    after = store.people()
    assert after.employees == registry.employees and after.distinct == registry.distinct
    for e in store.engagements():
        assert e.model_copy(update={"revision": 0}) == engagements[e.id].model_copy(update={"revision": 0})
    assert [p.key for p in proposals(after)] == [proposal.key]  # asked again, the same one kept first
    undone = [c for c in store.changelog.newest(limit=10) if c.action == "undo"]
    assert {c.key for c in undone} == {"changelog.people_merged", "changelog.people_merged_in"}
    assert all(c.description("ja").startswith("元に戻す") for c in undone)
    session.redo()
    assert proposals(store.people()) == [] and len(store.people().employees) == len(registry.employees) - 1
    # Changed since (someone split them again by hand): the undo is refused, nothing written.
    session.undo()
    session.redo()
    record = session._undo[-1].record
    store.unmerge(record)
    with pytest.raises(StoreError) as refused:
        session.undo()
    assert refused.value.key == "store.merge_changed" and not session.can_undo()
