"""Cell widths: the CLI, the exports and the views measure text as Textual draws it (rich.cells)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text

from xtalent.textwidth import cell_width, graphemes, render_table, truncate
from xtalent.views.text import wrap

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦, one grapheme
ZWSP = "\u200b"


@pytest.mark.parametrize(
    "text, cells",
    [
        (FAMILY, 2),  # the hand-written width said 11 (8 counting the joiners out)
        (ZWSP, 0),  # it said 1
        ("a" + ZWSP + "b", 2),
        ("山田 太郎", 9),
        ("ｱｲｳ", 3),  # half-width kana: one cell each
        ("e\u0301", 1),  # a combining accent adds nothing
        ("🎌", 2),
    ],
)
def test_widths_are_the_ones_textual_draws(text: str, cells: int) -> None:
    assert cell_width(text) == cells == cell_len(text) == Text(text).cell_len


def test_a_joined_emoji_is_one_grapheme_and_is_never_cut_in_half() -> None:
    assert graphemes(FAMILY + "あ") == [FAMILY, "あ"]
    assert truncate(FAMILY * 3, 5) == FAMILY * 2 + "…"
    assert truncate("あいうえお", 4) == "あ…"  # never half a wide character
    lines = wrap("家族" + FAMILY * 4 + "の写真", 4)
    assert "".join(lines) == "家族" + FAMILY * 4 + "の写真"
    assert all(cell_width(line) <= 4 for line in lines) and all(line.count("\u200d") % 3 == 0 for line in lines)


def test_columns_line_up_around_a_family_emoji_and_a_zero_width_space() -> None:
    rows = [[FAMILY + "山田", "市民課"], ["a" + ZWSP + "b", "情報政策課"], ["佐藤", "企画課"]]
    header, _, *lines = render_table(["名前", "所属"], rows).splitlines()
    # The second column starts at the same cell on every line, as a terminal draws them.
    starts = {cell_width(line[: line.index(value)]) for line, value in zip([header, *lines], ["所属", *(r[1] for r in rows)])}
    assert starts == {cell_width(FAMILY + "山田") + 2}
