"""The model pre-checks: what would stop :func:`~salesplan.plan.build_plan`, found before planning.

``salesplan validate`` runs them after :func:`~salesplan.inputs.load_inputs`,
and ``salesplan plan`` runs the same before it computes anything, so the two
never disagree: the targets (history coverage of the plan year, somebody to
carry them, floors and caps that can hold), the territory pre-check (key
accounts against the specialists, locked accounts against the balance, an
account bigger than any rep may carry) and the staffing model (a salary for
every level).
"""

from __future__ import annotations

import dataclasses

from salesplan.errors import ERROR, Finding, InfeasibleError, InputError

__all__ = ["precheck"]

_TABLES = {"accounts": "accounts", "accounts.csv": "accounts", "reps": "reps", "reps.csv": "reps",
           "history": "history", "history.csv": "history", "commitments.csv": "commitments"}


def _rehome(f: Finding, inputs, check: str) -> Finding:
    """A model's finding named by file: a bare table name becomes its path, a dotted key the assumptions file."""
    prov = inputs.provenance
    table = _TABLES.get(f.source)
    if table is not None:
        return dataclasses.replace(f, check=check, source=prov.sources.get(table, f.source))
    top = f.source.split(".")[0]
    if "." in f.source and hasattr(inputs.assumptions, top):
        return dataclasses.replace(f, check=check, source=prov.sources.get("assumptions", "assumptions"),
                                   column=f.source, line=prov.key_lines.get(f.source))
    return dataclasses.replace(f, check=check)


def _run(step, inputs, check: str, findings: list[Finding]):
    """``step()``, its InputError or InfeasibleError turned into findings (``None`` then)."""
    try:
        return step()
    except InputError as exc:
        findings += [_rehome(f, inputs, check) for f in exc.findings]
    except InfeasibleError as exc:
        findings.append(Finding(ERROR, check, inputs.provenance.sources.get("assumptions", "assumptions"),
                                str(exc)))
    return None


def _visits(inputs) -> list[Finding]:
    """The team's visits against its capacity (:func:`salesplan.visits.team_finding`), as a list."""
    from salesplan.visits import team_finding, team_visits

    found = team_finding(team_visits(inputs.accounts, inputs.reps, inputs.assumptions), inputs.assumptions)
    return [] if found is None else [found]


def precheck(inputs, *, territories: bool = True, staffing: bool = True) -> tuple[Finding, ...]:
    """Errors the planning models would raise on ``inputs``, each as a finding.

    Parameters
    ----------
    inputs : Inputs
        Validated inputs (:func:`~salesplan.inputs.load_inputs`).
    territories : bool
        Include the territory pre-check
        (:func:`salesplan.territory.precheck`).
    staffing : bool
        Include the staffing model.

    Returns
    -------
    tuple of Finding
        Errors (none when the plan can be built), checks ``targets``
        (:func:`~salesplan.targets.decompose`), ``territory_infeasible``,
        ``staffing``; then, with the territories, the warning that the reps
        cannot make the visits their accounts need (``visit_capacity``,
        :func:`salesplan.visits.team_finding`; an error of
        ``territory_infeasible`` instead with ``territory.capacity: hard``).
    """
    from salesplan.arguments import require_attrs
    from salesplan.targets import decompose

    require_attrs(inputs, "precheck(inputs=...)", "Inputs (salesplan.load_inputs)",
                  ("accounts", "reps", "history", "assumptions", "provenance"))
    findings: list[Finding] = []
    targets = _run(lambda: decompose(inputs), inputs, "targets", findings)
    if territories:
        from salesplan.territory import precheck as territory_precheck

        source = inputs.provenance.sources.get("accounts", "accounts.csv")
        problems = territory_precheck(inputs.accounts, inputs.reps, inputs.assumptions)
        for msg in problems:
            findings.append(Finding(ERROR, "territory_infeasible", source, f"territories cannot be balanced: {msg}"))
        if not problems and inputs.assumptions.territory.capacity != "hard":
            findings += _run(lambda: _visits(inputs), inputs, "visit_capacity", findings) or []
    if staffing and targets is not None:
        from salesplan.staffing import size_team

        _run(lambda: size_team(inputs, targets), inputs, "staffing", findings)
    return tuple(sorted(findings, key=lambda f: f.level != ERROR))
