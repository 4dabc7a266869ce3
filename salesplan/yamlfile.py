"""Read a settings file (``assumptions.yaml``) strictly, keeping the line of every key.

UTF-8 only (with or without a byte-order mark); a key given twice in the
same mapping is an error naming both lines (YAML itself would keep the last
one silently).  Problems of the settings found later (unknown keys, ranges)
are placed on the line of their key.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any, Sequence

import yaml

from salesplan.errors import ERROR, Finding, InputError

__all__ = ["read_yaml", "problem_findings"]

_PATH = re.compile(r"^(?P<path>[A-Za-z_][\w.]*(?:\[\d+\])*(?:\.[\w]+)*)(?P<rest>(?::| key | \().*)$", re.S)


def _walk(node, prefix: str, lines: dict[str, int], dupes: list[Finding], source: str) -> None:
    """Record the line of every key under ``node`` and every key repeated in one mapping."""
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        path = f"{prefix}.{key}" if prefix else key
        line = key_node.start_mark.line + 1
        if key in seen:
            dupes.append(Finding(ERROR, "duplicate_key", source,
                                 f"given twice (lines {seen[key]} and {line}); YAML would silently keep the last; "
                                 "delete one", line=line, column=path))
        else:
            seen[key] = line
            lines[path] = line
        _walk(value_node, path, lines, dupes, source)


def read_yaml(path: str | Path) -> tuple[Any, dict[str, int]]:
    """Parse a settings file.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    data : object
        The parsed document (``None`` when it holds no settings).
    key_lines : dict of str to int
        Line of each dotted key (``"targets.growth"``).

    Raises
    ------
    InputError
        The file cannot be read, is not UTF-8, is not valid YAML or
        repeats a key, naming the line.
    """
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(source, [f"cannot read file: {exc.strerror}"]) from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(findings=[Finding(
            ERROR, "encoding", source, f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the file as UTF-8 "
            "(in Notepad: Save As, Encoding UTF-8)", line=line)]) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        dupes: list[Finding] = []
        _walk(node, "", lines, dupes, source)
        if dupes:
            raise InputError(findings=dupes)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(findings=[Finding(
            ERROR, "yaml_syntax", source, f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
            line=mark.line + 1 if mark else None)]) from None
    finally:
        loader.dispose()
    return data, lines


def problem_findings(problems: Sequence[str], source: str, key_lines: dict[str, int],
                     check: str = "assumption") -> list[Finding]:
    """Findings of settings problems (``"targets.growth: must be ..."``), each on the line of its key.

    Parameters
    ----------
    problems : sequence of str
        Problems that start with a dotted key.
    source : str
        The settings file.
    key_lines : dict of str to int
        Line of each dotted key (:func:`read_yaml`).
    check : str
        Name of the check.

    Returns
    -------
    list of Finding
        With ``column`` the dotted key and ``line`` the line of the key (or
        of its nearest parent given in the file).
    """
    out = []
    for p in problems:
        m = _PATH.match(p)
        if not m:
            out.append(Finding(ERROR, check, source, p))
            continue
        key = re.sub(r"\[\d+\]", "", m["path"])
        rest = m["rest"].lstrip(":").strip() if m["rest"].startswith(":") else m["rest"].strip()
        probe, line = key, key_lines.get(key)
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = key_lines.get(probe)
        out.append(Finding(ERROR, check, source, rest, line=line, column=m["path"]))
    return out
