"""Typed settings with their valid range declared once, in the field.

The machinery behind :mod:`salesplan.assumptions`: a setting is a dataclass
field made with :func:`setting`, whose :class:`Rule` says what values it
accepts.  The same rules check a YAML file (:func:`build_section` then
:func:`check_section`), a change by dotted key and the keyword options of a
model (:func:`override`), so the three never disagree.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Mapping

from salesplan.errors import InputError

__all__ = ["Rule", "setting", "check_section", "override", "build_section", "coerce", "BAD"]


# ---------------------------------------------------------------------------
# ranges, declared once per setting
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """What values a setting accepts (numbers, list items and map values alike).

    Attributes
    ----------
    lo, hi : float, optional
        Bounds; ``lo_open`` / ``hi_open`` make them strict.
    choices : tuple, optional
        Allowed values (of a text or a number, or of each item of a list).
    keys : tuple, optional
        Allowed keys of a map; with ``merge`` the map is merged with the
        default key by key, so every key is always present.
    length : int, optional
        Exact length of a list.
    nonempty : bool
        A list or map must not be empty.
    """

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple | None = None
    keys: tuple | None = None
    merge: bool = False
    length: int | None = None
    nonempty: bool = False

    def range_text(self) -> str:
        """What a number must be, e.g. ``"must be within (0, 1)"``."""
        if self.lo is not None and self.hi is not None:
            if not self.lo_open and not self.hi_open:
                return f"must be within {self.lo:g}..{self.hi:g}"
            return (f"must be within {'(' if self.lo_open else '['}{self.lo:g}, "
                    f"{self.hi:g}{')' if self.hi_open else ']'}")
        if self.lo is not None:
            return f"must be {'>' if self.lo_open else '>='} {self.lo:g}"
        return f"must be {'<' if self.hi_open else '<='} {self.hi:g}"

    def check_value(self, v: Any, path: str, problems: list[str]) -> None:
        """Append a problem naming ``path`` when a number is out of range or a text not a choice."""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            low = self.lo is not None and (v <= self.lo if self.lo_open else v < self.lo)
            high = self.hi is not None and (v >= self.hi if self.hi_open else v > self.hi)
            if low or high:
                problems.append(f"{path}: {self.range_text()} (got {v!r})")
            elif self.choices is not None and v not in self.choices:
                problems.append(f"{path}: {v!r} is not one of {', '.join(map(str, self.choices))}")
        elif isinstance(v, str) and self.choices is not None and v not in self.choices:
            problems.append(f"{path}: {v!r} is not one of {', '.join(map(str, self.choices))}")


def setting(default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING, **rule: Any):
    """A dataclass field with its valid range.

    Parameters
    ----------
    default : object, optional
        Default value (immutable).
    factory : callable, optional
        Makes the default (for lists and maps).
    **rule
        Fields of :class:`Rule` (``lo``, ``hi``, ``choices``, ``keys`` ...).

    Returns
    -------
    dataclasses.Field
        With the :class:`Rule` in its metadata.
    """
    meta = {"rule": Rule(**rule)}
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def check_section(section: Any, prefix: str, problems: list[str]) -> None:
    """Check every field of a section against its declared rule, then its own cross-field checks.

    Parameters
    ----------
    section : dataclass instance
        A settings section.
    prefix : str
        Its key in the assumptions (``"territory"``), named in problems.
    problems : list of str
        Where each problem found is appended (dotted key, what is valid,
        what was given).
    """
    for f in dataclasses.fields(section):
        rule: Rule | None = f.metadata.get("rule")
        v = getattr(section, f.name)
        if rule is None or v is None:
            continue
        path = f"{prefix}.{f.name}"
        if isinstance(v, Mapping):
            if rule.nonempty and not v:
                problems.append(f"{path}: must not be empty")
            for k, x in v.items():
                if rule.keys is not None and k not in rule.keys:
                    problems.append(f"{path}.{k}: unknown key; valid: {', '.join(map(str, rule.keys))}")
                else:
                    rule.check_value(x, f"{path}.{k}", problems)
        elif isinstance(v, list):
            if rule.length is not None and len(v) != rule.length:
                problems.append(f"{path}: must have {rule.length} values (got {len(v)})")
            if rule.nonempty and not v:
                problems.append(f"{path}: must not be empty")
            for i, x in enumerate(v):
                rule.check_value(x, f"{path}[{i}]", problems)
        else:
            rule.check_value(v, path, problems)
    extra = getattr(section, "_check", None)
    if extra is not None:
        extra(problems)


# ---------------------------------------------------------------------------
# keyword options of a model: a section with some values overridden
# ---------------------------------------------------------------------------
_S = typing.TypeVar("_S")


def override(section: _S, where: str, options: Mapping[str, Any]) -> _S:
    """``section`` with some settings replaced by a model's keyword options.

    The one way every model resolves its options: defaults come from the
    assumptions section, a keyword given by the caller wins, and both are
    checked by the same declared rules.

    Parameters
    ----------
    section : dataclass instance
        E.g. ``assumptions.territory``.
    where : str
        The function taking the options (``"assign()"``), named in errors.
    options : mapping
        Keyword options; every key must be a setting of the section.

    Returns
    -------
    The section with the options applied.

    Raises
    ------
    TypeError
        An option that is not a setting of the section (a misspelt keyword).
    InputError
        A value of the wrong type or outside its range.
    """
    names = [f.name for f in dataclasses.fields(section)]
    unknown = sorted(set(options) - set(names))
    if unknown:
        s = "s" if len(unknown) > 1 else ""
        raise TypeError(f"{where} got unexpected keyword argument{s} {', '.join(map(repr, unknown))}; "
                        f"valid: {', '.join(names)}")
    if not options:
        return section
    hints = typing.get_type_hints(type(section))
    prefix = type(section).key
    problems: list[str] = []
    values = {}
    for k, v in options.items():
        c = coerce(v, hints[k], f"{where[:-2] if where.endswith('()') else where}({k}=...)", problems)
        if c is not BAD:
            rule = next(f for f in dataclasses.fields(section) if f.name == k).metadata.get("rule")
            values[k] = _merge(getattr(section, k), c, rule)
    if problems:
        raise InputError(where, problems)
    out = dataclasses.replace(section, **values)
    check_section(out, prefix, problems)
    if problems:
        raise InputError(where, problems)
    return out


# ---------------------------------------------------------------------------
# generic, typed construction of a section
# ---------------------------------------------------------------------------
def build_section(cls: type, values: Mapping[str, Any], prefix: str, problems: list[str]):
    """A section built from a mapping read from YAML, types checked and maps merged with the defaults.

    Parameters
    ----------
    cls : type
        The section's dataclass.
    values : mapping
        Its settings as read.
    prefix : str
        Its key in the assumptions, named in problems.
    problems : list of str
        Where unknown keys and wrong types are appended (ranges are checked
        later, by :func:`check_section`).

    Returns
    -------
    The section (with defaults where a setting was bad or missing).
    """
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    defaults = cls()
    kwargs = {}
    for key, value in values.items():
        if key not in hints:
            problems.append(f"{prefix}.{key}: unknown key; valid: {', '.join(fields)}")
            continue
        v = coerce(value, hints[key], f"{prefix}.{key}", problems)
        if v is not BAD:
            kwargs[key] = _merge(getattr(defaults, key), v, fields[key].metadata.get("rule"))
    return cls(**kwargs)


def _merge(default: Any, value: Any, rule: Rule | None) -> Any:
    """A map setting that merges key by key takes the defaults of the keys left out."""
    if rule is not None and rule.merge and isinstance(value, dict) and isinstance(default, dict):
        return {**default, **value}
    return value


BAD = object()


def _percent_hint(value: Any) -> str:
    """``"; write 0.25 for 25 %"`` when ``value`` is a percentage written as text."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return f"; write {float(value.strip()[:-1]) / 100:g} for {value.strip()[:-1].strip()} %"
        except ValueError:
            return ""
    return ""


def coerce(value: Any, tp: Any, path: str, problems: list[str]) -> Any:
    """Check ``value`` against type hint ``tp``; convert ints to floats etc.

    Parameters
    ----------
    value : object
        As read from YAML or given by a caller.
    tp : type hint
        ``float``, ``int``, ``bool``, ``str``, ``list[...]``, ``dict[...]``
        or an optional of those.
    path : str
        Dotted key named in problems.
    problems : list of str
        Where a problem is appended.

    Returns
    -------
    The converted value, or :data:`BAD`.

    Non-finite numbers (``.nan``, ``.inf``) are rejected; a single text
    where a list is expected is a list of one.
    """
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return coerce(value, inner[0], path, problems)
    if tp is bool:
        if not isinstance(value, bool):
            problems.append(f"{path}: must be true or false (got {value!r})")
            return BAD
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: must be a number (got {value!r}){_percent_hint(value)}")
            return BAD
        if not math.isfinite(value):
            problems.append(f"{path}: must be a finite number (got {value!r})")
            return BAD
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        ):
            problems.append(f"{path}: must be a whole number (got {value!r})")
            return BAD
        return int(value)
    if tp is str:
        if not isinstance(value, str):
            problems.append(f"{path}: must be text (got {value!r})")
            return BAD
        return value
    if origin is list:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            problems.append(f"{path}: must be a list (got {value!r})")
            return BAD
        out = [coerce(v, args[0], f"{path}[{i}]", problems) for i, v in enumerate(value)]
        return BAD if any(v is BAD for v in out) else out
    if origin is dict:
        if not isinstance(value, Mapping):
            problems.append(f"{path}: must be a mapping (got {value!r})")
            return BAD
        out = {}
        for k, v in value.items():
            kk = coerce(k, args[0], f"{path} key {k!r}", problems)
            vv = coerce(v, args[1], f"{path}.{k}", problems)
            if kk is BAD or vv is BAD:
                return BAD
            out[kk] = vv
        return out
    return value
