"""`views.option_marks`: the same spans and bytes as typer's option highlighter in rich."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from rich.theme import Theme
from typer.rich_utils import STYLE_OPTION, STYLE_SWITCH, highlighter

from hestai_tmws.cli.views import option_marks

TEXT = st.text(st.sampled_from("-a_Z9 .é(/"), max_size=24)


def _typer(text: str) -> list[tuple[int, int, str]]:
    marked = highlighter(Text(text))
    names = {"switch": option_marks.SWITCH, "option": option_marks.OPTION}
    return [(s.start, s.end, names[str(s.style)]) for s in marked.spans]


@given(TEXT)
def test_the_spans_are_typers(text: str) -> None:
    assert option_marks.spans(text) == _typer(text)


@given(TEXT)
def test_the_bytes_are_riches(text: str) -> None:
    out = io.StringIO()
    theme = Theme({"option": STYLE_OPTION, "switch": STYLE_SWITCH})  # typer's console theme
    console = Console(
        file=out, force_terminal=True, color_system="truecolor", theme=theme, no_color=False
    )
    console.print(highlighter(Text(text)), end="", soft_wrap=True)
    assert option_marks.paint(text, 0, option_marks.spans(text)) == out.getvalue()


def test_known_marks() -> None:
    assert option_marks.paint("-C", 0, option_marks.spans("-C")) == "\x1b[1;32m-C\x1b[0m"
    marks = option_marks.spans("--a-b")
    pieces = ("-", "-a", "-b")  # a piece at every edge of the switch inside the option
    assert option_marks.paint("--a-b", 0, marks) == "".join(f"\x1b[1;36m{p}\x1b[0m" for p in pieces)
    assert option_marks.unsure("<PATH>") and not option_marks.unsure("hand-edited")
