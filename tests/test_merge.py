"""xtalent.merge: a three-way merge keeps both sides' changes and never picks a side by itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xtalent.merge import changed_paths, choice, merge

FIELDS = ("sponsor", "notes", "department")
values = st.sampled_from(["", "a", "b", "c"])
records = st.fixed_dictionaries({"title": values, "due": values})
states = st.fixed_dictionaries({
    **{f: values for f in FIELDS},
    "items": st.dictionaries(st.sampled_from(["kh-1", "kh-2", "kh-3"]), records, max_size=3).map(
        lambda d: [{"id": k, **v} for k, v in sorted(d.items())]),
    "evidence": st.lists(st.sampled_from(["e1", "e2", "e3"]), unique=True, max_size=3),
})


@given(states, states, states)
def test_a_field_only_one_side_changed_takes_that_side(base: dict, mine: dict, theirs: dict) -> None:
    merged, conflicts = merge(base, mine, theirs)
    clashed = {c.path for c in conflicts}
    for f in FIELDS:
        if mine[f] == base[f]:
            assert merged[f] == theirs[f]
        elif theirs[f] == base[f] or mine[f] == theirs[f]:
            assert merged[f] == mine[f]
        else:
            assert f in clashed and merged[f] == theirs[f]  # stored value stands until chosen


@given(states, states)
def test_nobody_else_changed_means_mine_exactly(base: dict, mine: dict) -> None:
    assert merge(base, mine, base) == (mine, [])
    assert merge(base, base, mine) == (mine, [])


@given(states, states, states)
def test_choosing_a_side_leaves_no_conflict_and_that_side_wins(base: dict, mine: dict, theirs: dict) -> None:
    _, conflicts = merge(base, mine, theirs)
    for side in ("mine", "theirs"):
        merged, left = merge(base, mine, theirs, choice(conflicts, side))
        assert left == []
        for c in conflicts:
            if "[" not in c.path:
                assert merged[c.path] == (mine if side == "mine" else theirs)[c.path]


@given(states, states, states)
def test_set_like_lists_keep_what_either_added(base: dict, mine: dict, theirs: dict) -> None:
    merged, _ = merge(base, mine, theirs)
    added = (set(mine["evidence"]) - set(base["evidence"])) | (set(theirs["evidence"]) - set(base["evidence"]))
    removed = (set(base["evidence"]) - set(mine["evidence"])) | (set(base["evidence"]) - set(theirs["evidence"]))
    assert set(merged["evidence"]) == (set(base["evidence"]) | added) - removed


def test_records_merge_by_id_and_a_delete_over_a_change_is_a_conflict() -> None:
    base = {"items": [{"id": "kh-1", "title": "a", "due": ""}, {"id": "kh-2", "title": "b", "due": ""}]}
    mine = {"items": [{"id": "kh-1", "title": "a2", "due": ""}]}  # edited kh-1, deleted kh-2
    theirs = {"items": [{"id": "kh-1", "title": "a", "due": "x"}, {"id": "kh-2", "title": "b2", "due": ""},
                        {"id": "kh-3", "title": "new", "due": ""}]}
    merged, conflicts = merge(base, mine, theirs)
    assert [c.path for c in conflicts] == ["items[kh-2]"]
    assert conflicts[0].deleted_by_me and not conflicts[0].deleted_by_them
    assert merged["items"][0] == {"id": "kh-1", "title": "a2", "due": "x"}
    assert [r["id"] for r in merged["items"]] == ["kh-1", "kh-2", "kh-3"]
    gone, _ = merge(base, mine, theirs, choice(conflicts, "mine"))
    assert [r["id"] for r in gone["items"]] == ["kh-1", "kh-3"]


def test_changed_paths_names_what_a_colleague_changed() -> None:
    a = {"sponsor": "x", "items": [{"id": "kh-1", "title": "a"}]}
    b = {"sponsor": "y", "items": [{"id": "kh-1", "title": "b"}, {"id": "kh-2", "title": "c"}]}
    assert changed_paths(a, b) == ["sponsor", "items[kh-1].title", "items[kh-2]"]
