"""Typed planning assumptions, read from ``assumptions.yaml``.

Every number a manager may tune lives here, grouped in sections
(``targets``, ``productivity``, ``territory``, ``staffing``, ``cost``,
``simulation``, ``review``, ``calendar``) beside a few top-level settings (plan year,
seed, and how the workbook presents the plan: company, version, status,
language, currency, display unit).  Defaults come from the department handbooks: 3 effective
visits a day, 8 reps per supervisor, key accounts at 30,000 a year or more,
a 3-month probation and a 3-month ramp-up phase, transport and phone
allowances of 300 each, and so on.

Each setting declares its valid range once, in its field (:func:`setting`);
the same rules check a YAML file, :meth:`Assumptions.replace` and the
keyword options a model takes (:func:`override`).  Unknown keys are an
error: a typo must never fall back silently to a default.  Map-valued
settings with fixed keys (``unit``, ``visits_per_month`` ...) accept only
those keys and merge with the defaults key by key.  All problems of a file
are reported together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from salesplan.assumptions.sections import SECTIONS as _SECTIONS
from salesplan.assumptions.sections import (CalendarAssumptions, CostAssumptions, ProductivityAssumptions,
                                            ReviewAssumptions, SimulationAssumptions, StaffingAssumptions,
                                            TargetAssumptions, TerritoryAssumptions)
from salesplan.errors import InputError
from salesplan.i18n import LANGUAGES
from salesplan.schema import METRICS, ROLES, SALES_ROLES, SEASONALITY_METHODS, SPLIT_METHODS
from salesplan.settings import BAD, Rule, build_section, check_section, coerce, override, setting
from salesplan.yamlfile import problem_findings, read_yaml

__all__ = [
    "Assumptions",
    "read_assumptions",
    "TargetAssumptions",
    "ProductivityAssumptions",
    "TerritoryAssumptions",
    "StaffingAssumptions",
    "CostAssumptions",
    "SimulationAssumptions",
    "ReviewAssumptions",
    "CalendarAssumptions",
    "Rule",
    "setting",
    "override",
    "SPLIT_METHODS",
    "SEASONALITY_METHODS",
    "METRICS",
    "SALES_ROLES",
    "ROLES",
]


#: Status of a plan as it goes round for sign-off.
PLAN_STATUSES = ("draft", "proposed", "approved", "signed")
#: Units money can be shown in: currency, thousands, ten-thousands (万元).
DISPLAY_UNITS = (1, 1000, 10000)
#: Top-level settings that present the plan without changing it (left out of the fingerprint).
PRESENTATION = ("company", "version", "status", "language", "currency", "display_unit")



@dataclass(frozen=True)
class Assumptions:
    """All planning assumptions (frozen).

    Build with :meth:`from_yaml` / :meth:`from_dict`; change one value with
    :meth:`replace` (``a.replace(**{"targets.growth": 0.15})``).

    Attributes
    ----------
    plan_year : int
        The year being planned.
    seed : int
        Seed of every random draw (``numpy.random.default_rng(seed)``).
    company : str or None
        Company name on the workbook's cover (None: the company folder's name).
    version : int
        Version of the plan (1, 2 ... as it goes round for sign-off).
    status : str
        ``draft``, ``proposed``, ``approved`` or ``signed``.
    language : str
        Language of the workbook and the command line: ``en`` or ``zh``.
    currency : str
        Currency of every money figure (``CNY``).
    display_unit : int
        Money is shown in units of 1, 1,000 or 10,000 (万元) of the currency;
        formatting only, the values stay in currency.
    """

    plan_year: int = setting(2027, lo=2000, hi=2100)
    seed: int = setting(20270101, lo=0)
    company: str | None = setting(None)
    version: int = setting(1, lo=1)
    status: str = setting("draft", choices=PLAN_STATUSES)
    language: str = setting("en", choices=LANGUAGES)
    currency: str = setting("CNY")
    display_unit: int = setting(1, choices=DISPLAY_UNITS)
    targets: TargetAssumptions = field(default_factory=TargetAssumptions)
    productivity: ProductivityAssumptions = field(default_factory=ProductivityAssumptions)
    territory: TerritoryAssumptions = field(default_factory=TerritoryAssumptions)
    staffing: StaffingAssumptions = field(default_factory=StaffingAssumptions)
    cost: CostAssumptions = field(default_factory=CostAssumptions)
    simulation: SimulationAssumptions = field(default_factory=SimulationAssumptions)
    review: ReviewAssumptions = field(default_factory=ReviewAssumptions)
    calendar: CalendarAssumptions = field(default_factory=CalendarAssumptions)

    # -- construction -------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, *, source: str = "assumptions") -> "Assumptions":
        """Build from a nested mapping, reporting every problem at once.

        Raises
        ------
        InputError
            Listing unknown keys, wrong types and out-of-range values, each
            with its dotted key path.  Types and keys are checked first;
            ranges once those are right.
        """
        data = dict(data or {})
        problems: list[str] = []
        kwargs: dict[str, Any] = {}
        hints = typing.get_type_hints(cls)
        for key, value in data.items():
            if key in _SECTIONS:
                if value is None:
                    continue
                if not isinstance(value, Mapping):
                    problems.append(f"{key}: must be a mapping of settings (got {value!r})")
                    continue
                kwargs[key] = build_section(_SECTIONS[key], value, key, problems)
            elif key in _TOP_LEVEL:
                v = coerce(value, hints[key], key, problems)
                if v is not BAD:
                    kwargs[key] = v
            else:
                problems.append(f"{key}: unknown key; valid: {', '.join(_TOP_LEVEL + tuple(_SECTIONS))}")
        if problems:
            raise InputError(source, problems)
        result = cls(**kwargs)
        result._check(source)
        return result

    @classmethod
    def from_yaml(cls, path: str | Path) -> "Assumptions":
        """Read and validate an ``assumptions.yaml`` file.

        UTF-8 only; a key given twice is an error; every problem names the
        line of its key (:func:`read_assumptions`).
        """
        return read_assumptions(path)[0]

    def _check(self, source: str) -> None:
        problems: list[str] = []
        own = [f for f in dataclasses.fields(self) if f.name not in _SECTIONS]
        for f in own:
            f.metadata["rule"].check_value(getattr(self, f.name), f.name, problems)
        for name in _SECTIONS:
            check_section(getattr(self, name), name, problems)
        if problems:
            raise InputError(source, problems)

    # -- use ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (YAML/JSON friendly)."""
        return dataclasses.asdict(self)

    def to_yaml(self, path: str | Path | None = None) -> str:
        """YAML text of the assumptions; written to ``path`` when given."""
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def fingerprint(self) -> str:
        """Short SHA-256 of the assumptions that make the plan, stable across runs.

        The settings that only present it (:data:`PRESENTATION`: company,
        version, status, language, currency, display unit) are left out, so
        the same plan in Chinese or as version 2 keeps its fingerprint.
        """
        data = {k: v for k, v in self.to_dict().items() if k not in PRESENTATION}
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def replace(self, **changes: Any) -> "Assumptions":
        """Copy with changed values; keys may be dotted (``"targets.growth"``).

        The result is validated like a file.
        """
        data = self.to_dict()
        for key, value in changes.items():
            *parents, last = key.split(".")
            node = data
            for p in parents:
                if p not in node or not isinstance(node[p], dict):
                    raise InputError("assumptions", [f"{key}: unknown key"])
                node = node[p]
            if last not in node:
                raise InputError("assumptions", [f"{key}: unknown key"])
            node[last] = value
        return Assumptions.from_dict(data)

    def rng(self, stream: int = 0):
        """A ``numpy.random.Generator`` seeded from :attr:`seed` (and a stream)."""
        import numpy as np

        return np.random.default_rng([self.seed, stream])


#: Top-level settings of ``assumptions.yaml`` (besides the sections).
_TOP_LEVEL = tuple(f.name for f in dataclasses.fields(Assumptions) if f.name not in _SECTIONS)


def read_assumptions(path: str | Path) -> tuple[Assumptions, dict[str, int]]:
    """Read and validate an assumptions file, with the line of each key.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    assumptions : Assumptions
    key_lines : dict of str to int
        Line of each dotted key in the file (for findings).

    Raises
    ------
    InputError
        Every problem of the file, each on the line of its key: not UTF-8,
        not YAML, a key given twice, no settings at all, unknown keys, wrong
        types, values out of range.
    """
    data, key_lines = read_yaml(path)
    if data is not None and not isinstance(data, Mapping):
        raise InputError(str(path), ["top level must be a mapping of settings"])
    if data is None:
        raise InputError(str(path), ["the file holds no settings; give at least plan_year (an empty file "
                                     "would silently plan with every default)"])
    try:
        return Assumptions.from_dict(data, source=str(path)), key_lines
    except InputError as exc:
        raise InputError(findings=problem_findings(exc.problems, str(path), key_lines)) from None
