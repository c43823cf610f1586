"""A small shell lexer: a command line -> its simple commands, each as unquoted words.

Enough of the shell grammar to find commands reliably (quotes, escapes, `$(...)`,
backticks, redirections, comments, `&&`/`||`/`;`/`|`/`&`); truncated input is fine.
Pure and deterministic.
"""

from __future__ import annotations

import re

from hestai_tmws.learning.core.shell_words import BLOCK_WORDS

_REDIRECT = re.compile(r"^(\d*|&)(>>?|<<?<?|>&|<&|>\|)")
_REDIRECT_ONLY = re.compile(r"^(\d*|&)(>>?|<<?<?|>&|<&|>\|)-?$")


class Segment:
    """One simple command of a command line: its words (unquoted) and its raw text."""

    __slots__ = ("raw", "words")

    def __init__(self, words: list[str], raw: str) -> None:
        self.words = words
        self.raw = raw


def split_commands(text: str) -> list[Segment]:
    """Split a command line into simple commands at `&&`, `||`, `;`, `|`, `&`, newlines, parens.

    A small shell lexer: quotes and escapes are honoured, `$(...)` and backticks stay inside
    their word, redirections such as `2>&1` stay one word. Truncated input is fine.
    """
    segments: list[Segment] = []
    words: list[str] = []
    cur: list[str] = []
    in_word = False
    seg_start = 0
    i = 0
    n = len(text)

    def end_word() -> None:
        nonlocal in_word
        if in_word:
            words.append("".join(cur))
            cur.clear()
            in_word = False

    def end_segment(end: int) -> None:
        nonlocal words
        end_word()
        segments.append(Segment(words, text[seg_start:end]))
        words = []

    while i < n:
        c = text[i]
        if c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            cur.append(text[i + 1 : j])
            in_word = True
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    cur.append(text[j + 1])
                    j += 2
                    continue
                cur.append(text[j])
                j += 1
            in_word = True
            i = j + 1
        elif c == "\\":
            if i + 1 < n and text[i + 1] != "\n":
                cur.append(text[i + 1])
                in_word = True
            i += 2
        elif c == "`":
            j = text.find("`", i + 1)
            j = n if j < 0 else j
            cur.append(text[i : j + 1])
            in_word = True
            i = j + 1
        elif c == "$" and i + 1 < n and text[i + 1] == "(":
            j = _matching_paren(text, i + 1)
            cur.append(text[i : j + 1])
            in_word = True
            i = j + 1
        elif c in " \t\r":
            end_word()
            i += 1
        elif c == "#" and not in_word:
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "&" and i + 1 < n and text[i + 1] == ">" and not in_word:
            cur.append("&>")
            in_word = True
            i += 2
        elif c == "&" and cur and cur[-1] and cur[-1][-1] in "<>":
            cur.append("&")
            i += 1
        elif c in "\n;&|()":
            end_segment(i)
            i += 1
            while i < n and text[i] in "&|;":
                i += 1
            seg_start = i
        else:
            cur.append(c)
            in_word = True
            i += 1
    end_segment(n)
    return segments


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def drop_redirects(words: list[str]) -> list[str]:
    out: list[str] = []
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
            continue
        if _REDIRECT_ONLY.match(word):
            skip_next = True
            continue
        if _REDIRECT.match(word):
            continue
        out.append(word)
    return out


def strip_block_words(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) and words[start] in BLOCK_WORDS:
        start += 1
    return words[start:]
