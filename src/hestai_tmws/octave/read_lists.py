"""How the reader turns the items of a bracketed list into a value.

A list whose items are all ``key::value`` pairs with different keys is a dict (the form our
writer uses for a dict inside a list). When keys repeat (``[REGEX::"a",REGEX::"b"]``, as in every
HestAI agent) or pairs and plain items mix, it stays a list and each pair becomes a one-pair
dict: exactly the items octave-mcp reads, in order, nothing merged or dropped.
"""

from __future__ import annotations

from typing import Any

#: Marks a list item that is not a ``key::value`` pair.
NOT_A_PAIR = object()


def finish_list(keys: list[Any], values: list[Any]) -> Any:
    """A dict when every item is a pair and no key repeats; a list otherwise."""
    pairs = [k for k in keys if k is not NOT_A_PAIR]
    if not pairs:
        return values
    if len(pairs) == len(keys) and len(set(pairs)) == len(pairs):
        return dict(zip(keys, values, strict=True))
    return [
        value if key is NOT_A_PAIR else {key: value}
        for key, value in zip(keys, values, strict=True)
    ]


def holds_map(value: Any) -> bool:
    """Whether a pair's value holds pairs itself (the reference refuses that in a list)."""
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, dict) for item in value)
    )
