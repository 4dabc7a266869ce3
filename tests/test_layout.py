"""The package stays readable: small modules, short functions, every public name documented."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import salesplan

PACKAGE = Path(salesplan.__file__).parent
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small_and_functions_short(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.name}: split it into smaller modules"
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        doc = ast.get_docstring(node) or ""
        first = node.body[1] if doc and len(node.body) > 1 else node.body[0]
        length = node.end_lineno - first.lineno + 1
        if length > MAX_FUNCTION_LINES:
            assert "Length:" in doc, (f"{path.name}:{node.lineno} {node.name} has {length} lines; split it, "
                                      "or say why it is long in a 'Length:' paragraph of its docstring")


def _public_objects():
    names = ["salesplan"] + [m.name for m in pkgutil.walk_packages(salesplan.__path__, "salesplan.")]
    seen = set()
    for name in names:
        if name.endswith(".widgets"):
            continue  # needs a notebook front end; documented, checked by its own tests
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr, None)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and id(obj) not in seen:
                seen.add(id(obj))
                yield f"{obj.__module__}.{obj.__qualname__}", obj


@pytest.mark.parametrize("name,obj", list(_public_objects()), ids=lambda x: x if isinstance(x, str) else "")
def test_public_names_have_numpydoc_docstrings(name, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name}: no docstring"
    if inspect.isclass(obj):
        if not issubclass(obj, Exception):
            assert "Attributes" in doc or "Parameters" in doc, f"{name}: document its attributes"
        for method_name, method in vars(obj).items():
            if not method_name.startswith("_") and inspect.isfunction(method):
                assert inspect.getdoc(method), f"{name}.{method_name}: no docstring"
        return
    params = [p for p in inspect.signature(obj).parameters if p != "self"]
    if params:
        assert "Parameters" in doc, f"{name}: no Parameters section"
    assert "Returns" in doc or "Yields" in doc or inspect.signature(obj).return_annotation in (None, "None"), \
        f"{name}: no Returns section"
