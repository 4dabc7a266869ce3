"""Read and validate a company folder into a frozen :class:`Inputs`.

A company folder holds ``accounts.csv``, ``reps.csv``, ``history.csv``,
optionally ``commitments.csv``, and ``assumptions.yaml`` (schemas in the
README).  :func:`load_inputs` reads the files as they really come (UTF-8 or
GBK, comma, semicolon or tab, blank rows), checks everything and reports
every error of every file in one :class:`~salesplan.errors.InputError`,
each naming the file, the line and the column (or key) and saying what is
valid; warnings -- a plan can be computed, but something looks wrong -- are
kept in :attr:`Inputs.findings`.

Modules
-------
read
    Encodings, delimiters, blank rows, the line of every row.
tables
    Column specs: types, ranges, choices, ids (:func:`check_table`).
checks
    Errors between tables, and of the assumptions against the tables.
plausibility
    Warnings: inputs that look wrong.
load
    :class:`Inputs` and :func:`load_inputs`.
"""

from __future__ import annotations

import numpy as np

from salesplan.assumptions import Assumptions
from salesplan.errors import format_lines
from salesplan.inputs.checks import Context, known_reps_once
from salesplan.inputs.load import ASSUMPTIONS_FILE, SCHEMAS, Inputs, Provenance, load_inputs
from salesplan.inputs.read import RawTable, read_table
from salesplan.inputs.tables import check_table, validate_table
from salesplan.schema import ACCOUNTS, COMMITMENTS, HISTORY, REPS, Column

def _lines(mask) -> str:
    """``"lines 2, 3"`` for the True rows of ``mask``, below a header on line 1 (for :mod:`salesplan.actuals`)."""
    return format_lines([int(i) + 2 for i in np.flatnonzero(np.asarray(mask))])


def _known_reps_once(table, reps, key: list[str]) -> list[str]:
    """Rows naming a rep_id that ``reps`` lacks, and rows repeating the same ``key``, as text
    (for :mod:`salesplan.actuals`)."""
    ctx = Context({"table": table, "reps": reps}, {}, {"table": np.arange(2, len(table) + 2)}, Assumptions())
    known_reps_once(ctx, "table", key)
    return [f.detail() for f in ctx.findings]


__all__ = ["Inputs", "Provenance", "load_inputs", "Column", "ACCOUNTS", "REPS", "HISTORY", "COMMITMENTS",
           "SCHEMAS", "ASSUMPTIONS_FILE", "validate_table", "check_table", "read_table", "RawTable"]
