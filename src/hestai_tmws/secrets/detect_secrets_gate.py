"""The plugins of `detect-secrets`, run in process on the windows a cheap literal gate marks.

detect-secrets itself (~0.3 s to import and build its plugins) is loaded only when one of
the gates below fires on a text. That is sound because a plugin only ever sees the windows
its gate marks: a text where no gate fires gives no plugin anything to analyse. It needs
every plugin of the installed detect-secrets to have a gate here (an ungated plugin is gated
on its own patterns, which only loading it tells); that is known for the versions in
`GATED_VERSIONS` (tests/secrets/test_detect_secrets_gate.py checks the installed one). With
any other version the plugins are loaded on the first scan, as before.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hestai_tmws.secrets.literals import LiteralHits, find_literals
from hestai_tmws.secrets.model import BATCH_SEP, DS_WINDOW, MARKER_PREFIX
from hestai_tmws.secrets.plausibility import plausible_value


@dataclass(frozen=True)
class _DsGate:
    literals: tuple[str, ...] = ()  # lower-case substrings marking candidate positions
    # case-sensitive patterns marking candidate positions; each starts with a literal
    # character so that the regex engine can skip ahead (a leading class costs ~50x)
    regexes: tuple[str, ...] = ()
    # Literals one of which every *match* of the plugin contains (lower case), in a text
    # without `CASE_TWINS`. Empty: the window literals above are that proof. The keyword
    # plugin's window literals (`pass`) occur in every pattern record (`PASSED`), its
    # matches need more.
    proof: tuple[str, ...] = ()
    # Every match of the plugin has a decimal digit (`\d`) right before a match of
    # `regexes` (Telegram's `\d{8,10}:[0-9A-Za-z_-]{35}`): the gate fires only there, so
    # the `KEY::<hash>` lines of OCTAVE memory do not load the plugins. The windows are
    # still marked by `regexes` alone (the same windows, so the same findings).
    after_digit: bool = False


_KEY_WORDS = ("api", "auth", "service", "account", "db", "database", "priv", "private", "client")
_DS_GATES: dict[str, _DsGate] = {
    "ArtifactoryDetector": _DsGate(regexes=(r"AKC[a-zA-Z0-9]{10}", r"AP[\dABCDEF][a-zA-Z0-9]{8}")),
    "AWSKeyDetector": _DsGate(literals=("aws", "akia", "asia", "abia", "acca", "a3t")),
    "AzureStorageKeyDetector": _DsGate(literals=("accountkey=",)),
    "BasicAuthDetector": _DsGate(regexes=(r"://[^\s/@]+:[^\s/@]+@",)),
    "CloudantDetector": _DsGate(
        literals=("cloudant", "cl_", "cl-", "clkey", "clpass", "clpw", "clapi", "cltoken")
    ),
    "DiscordBotTokenDetector": _DsGate(regexes=(r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",)),
    "GitHubTokenDetector": _DsGate(literals=("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    "GitLabTokenDetector": _DsGate(
        literals=(
            "glpat-",
            "gldt-",
            "glft-",
            "glsoat-",
            "glrt-",
            "gr1348941",
            "glcbt-",
            "glimt-",
            "glptt-",
            "glagent-",
            "gloas-",
        )
    ),
    "IbmCloudIamDetector": _DsGate(literals=("ibm", "iam")),
    "IbmCosHmacDetector": _DsGate(literals=("secret",)),
    "JwtTokenDetector": _DsGate(regexes=(r"eyJ",)),
    "MailchimpDetector": _DsGate(regexes=(r"-us\d",)),
    "NpmDetector": _DsGate(literals=("_authtoken",)),
    "OpenAIDetector": _DsGate(regexes=(r"T3BlbkFJ",)),
    "PrivateKeyDetector": _DsGate(
        literals=("private key", "putty-user-key-file", "begin ssh2 encrypted")
    ),
    "PypiTokenDetector": _DsGate(literals=("pypi-ag",)),
    "SendGridDetector": _DsGate(regexes=(r"SG\.",)),
    "SlackDetector": _DsGate(literals=("xox", "hooks.slack.com")),
    "SoftlayerDetector": _DsGate(
        literals=("softlayer", "sl_", "sl-", "slapi", "slkey", "slpass", "slpwd", "sltoken")
    ),
    "SquareOAuthDetector": _DsGate(literals=("sq0csp-",)),
    "StripeDetector": _DsGate(literals=("k_live_",)),
    "TelegramBotTokenDetector": _DsGate(regexes=(r":[0-9A-Za-z_-]{35}",), after_digit=True),
    "TwilioKeyDetector": _DsGate(regexes=(r"AC[a-z0-9]{32}", r"SK[a-z0-9]{32}")),
    "KeywordDetector": _DsGate(
        literals=(
            "pass",
            "pwd",
            "secret",
            "api_key",
            "apikey",
            "api-key",
            "auth_key",
            "private_key",
            "client_key",
            "contrase",
        ),
        # every spelling of detect-secrets' `keyword.DENYLIST` (`_?` both ways)
        proof=(
            *(f"{w}{sep}key" for w in _KEY_WORDS for sep in ("_", "")),
            *(f"{w}{sep}pass" for w in ("db", "database", "key") for sep in ("_", "")),
            *("password", "passwd", "pwd", "secret", "contrase"),
        ),
    ),
}
# Plugins that never run: public IPs are not secrets; entropy plugins are handled above.
_DS_SKIPPED = frozenset({"IPPublicDetector", "Base64HighEntropyString", "HexHighEntropyString"})
# detect-secrets versions whose every plugin is in _DS_GATES or _DS_SKIPPED.
GATED_VERSIONS = frozenset({"1.5.0"})
# The non-ASCII characters IGNORECASE matches with an ASCII letter (İ ı ſ and the Kelvin
# sign; tests/secrets/test_detect_secrets_gate.py derives them from every code point): a
# text holding one may match a keyword the lower-cased text does not spell.
CASE_TWINS = "\u0130\u0131\u017f\u212a"
_VERSION_RE = re.compile(r"""^VERSION\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


@dataclass(frozen=True)
class _DsPlugin:
    kind: str
    plugin: Any
    literals: tuple[str, ...]
    regexes: tuple[re.Pattern[str], ...]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@lru_cache(maxsize=1)
def ds_plugins() -> tuple[_DsPlugin, ...]:
    """Instances of every detect-secrets plugin we use, with their gates (loaded lazily)."""
    from detect_secrets.core.plugins import util  # lazy: heavy third-party, loaded on first scan

    mapping: dict[str, type[Any]] = util.get_mapping_from_secret_type_to_class()
    out: list[_DsPlugin] = []
    for secret_type, cls in sorted(mapping.items()):
        name = cls.__name__
        if name in _DS_SKIPPED:
            continue
        plugin = cls()
        gate = _DS_GATES.get(name)
        kind = "ds_" + _slug(secret_type)
        if gate is not None:
            regexes = tuple(re.compile(rx) for rx in gate.regexes)
            out.append(_DsPlugin(kind, plugin, gate.literals, regexes))
        elif getattr(plugin, "denylist", None):  # a regex-based detector
            # A plugin we have no gate for (a newer detect-secrets): gate on its own patterns.
            out.append(_DsPlugin(kind, plugin, (), tuple(plugin.denylist)))
    return tuple(out)


@lru_cache(maxsize=1)
def gate_literals() -> tuple[str, ...]:
    """The literals of every gate and proof (a superset of those of the loaded plugins)."""
    return tuple(sorted({t for gate in _DS_GATES.values() for t in (*gate.literals, *gate.proof)}))


@lru_cache(maxsize=1)
def _fire_literals() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What `_some_gate_fires` looks for: in any text, and in an ASCII one."""
    coarse = {t for gate in _DS_GATES.values() for t in gate.literals}
    fine = {t for gate in _DS_GATES.values() for t in (gate.proof or gate.literals)}
    return tuple(sorted(coarse)), tuple(sorted(fine))


@lru_cache(maxsize=1)
def _gate_regexes() -> tuple[tuple[re.Pattern[str], bool], ...]:
    """Each gate regex, and whether it fires only after a decimal digit (`after_digit`)."""
    return tuple(
        (re.compile(rx), gate.after_digit) for gate in _DS_GATES.values() for rx in gate.regexes
    )


def _fires(regex: re.Pattern[str], after_digit: bool, text: str) -> bool:
    if not after_digit:
        return regex.search(text) is not None
    # every match start (the patterns hold no character of their own first one again, so
    # the matches `finditer` skips start inside a match it gave)
    return any(m.start() and text[m.start() - 1].isdecimal() for m in regex.finditer(text))


def installed_version() -> str | None:
    """detect-secrets' version, read from its `__version__.py` without importing it."""
    spec = importlib.util.find_spec("detect_secrets")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(next(iter(spec.submodule_search_locations)), "__version__.py")
    try:
        with open(path, encoding="utf-8") as fh:
            found = _VERSION_RE.search(fh.read())
    except OSError:
        return None
    return found.group(1) if found else None


@lru_cache(maxsize=1)
def gates_cover_plugins() -> bool:
    """True when the gates here are known to cover every plugin of the installed version."""
    return installed_version() in GATED_VERSIONS


def _some_gate_fires(
    text: str, lower: str, present: frozenset[str] | None, where: LiteralHits
) -> bool:
    """Could any plugin find something in `text`? (The tests `ds_findings` makes, with the
    proofs unless the text holds a letter only IGNORECASE matches, such as `ſ` for `s`.)"""
    coarse, fine = _fire_literals()
    twins = not text.isascii() and any(c in text for c in CASE_TWINS)
    for literal in coarse if twins else fine:
        if (present is None or literal in present) and where.starts(literal):
            return True
    return any(_fires(regex, after, text) for regex, after in _gate_regexes())


@lru_cache(maxsize=1)
def _ds_filters() -> tuple[Callable[[str], bool], ...]:
    from detect_secrets.filters import heuristic  # lazy: heavy third-party, loaded on first scan

    return (
        heuristic.is_sequential_string,
        heuristic.is_potential_uuid,
        heuristic.is_templated_secret,
        heuristic.is_prefixed_with_dollar_sign,
        heuristic.is_not_alphanumeric_string,
    )


def _windows(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The lines around `positions` (bounded when a line is huge), overlapping ones merged."""
    ranges: list[list[int]] = []
    for pos in sorted(set(positions)):
        start = max(text.rfind("\n", 0, pos) + 1, pos - DS_WINDOW)
        end = text.find("\n", pos)
        end = min(len(text) if end == -1 else end, pos + DS_WINDOW)
        if ranges and start <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return [(start, end) for start, end in ranges]


def _segment(text: str, start: int, end: int, batched: bool) -> tuple[int, int]:
    """The member string of a batch that holds `text[start:end]` (the whole text if unbatched:
    searching for an absent separator from every window cost a full scan each)."""
    if not batched:
        return 0, len(text)
    seg_start = text.rfind(BATCH_SEP, 0, start)
    seg_start = 0 if seg_start == -1 else seg_start + len(BATCH_SEP)
    seg_end = text.find(BATCH_SEP, end)
    return seg_start, len(text) if seg_end == -1 else seg_end


def _trim(value: str) -> str:
    """A keyword plugin's value without the syntax it swallowed (`:[a,b]` → `a`)."""
    value = value.strip().lstrip(":=").strip().strip("[]{}()\"'`")
    return value.split(",", 1)[0] if value.count(",") else value


def ds_findings(
    text: str, lower: str, present: frozenset[str] | None, where: LiteralHits | None = None
) -> list[tuple[int, int, str, str]]:
    """The gated plugins' findings; `where` holds where their literals occur in `lower`
    (looked up here when not given)."""
    if where is None:
        where = find_literals(lower, gate_literals())
    if gates_cover_plugins() and not _some_gate_fires(text, lower, present, where):
        return []  # no plugin would see a window: detect-secrets need not even be loaded
    hits: list[tuple[int, int, str, str]] = []
    filters = _ds_filters()
    batched = BATCH_SEP in text
    for item in ds_plugins():
        positions: list[int] = []
        for literal in item.literals:
            if present is None or literal in present:
                positions.extend(where.starts(literal))
        for regex in item.regexes:
            if regex.search(text) is not None:
                positions.extend(m.start() for m in regex.finditer(text))
        if not positions:
            continue
        for w_start, w_end in _windows(text, positions):
            # A value found here is redacted wherever it recurs in the same text (in a
            # batch: the same member string, so batching never changes the result).
            seg_start, seg_end = _segment(text, w_start, w_end, batched)
            for found in item.plugin.analyze_string(text[w_start:w_end]):
                if not isinstance(found, str):
                    continue
                value = _trim(found.split("\n", 1)[0])  # some patterns run across lines
                if len(value) < 8:
                    continue  # too short to locate safely (e.g. a bare `ghp` group)
                if value.startswith(MARKER_PREFIX) or any(f(value) for f in filters):
                    continue
                if item.kind == "ds_secret_keyword" and not plausible_value(
                    value, quoted=True, op="=", spaced=False, keyword="secret"
                ):
                    continue
                start = text.find(value, seg_start, seg_end)
                while start != -1:
                    hits.append((start, start + len(value), item.kind, "detect-secrets"))
                    start = text.find(value, start + len(value), seg_end)
    return hits
