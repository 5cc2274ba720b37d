"""pip install prints no setuptools deprecation warnings (issue #13): the licence is an SPDX
string, every package is found, and the report templates are data of the package they sit in.

Read from pyproject.toml; building a wheel here would fetch setuptools from the package index."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_uses_the_current_setuptools_forms():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(project["project"]["license"], str)  # a TOML table is deprecated
    setuptools = project["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["pipeline*"]  # subpackages found, not listed
    data = setuptools["package-data"]
    for folder in (ROOT / "pipeline").rglob("*"):
        if not folder.is_dir() or folder.name == "__pycache__":
            continue
        if any(folder.glob("*.py")):
            assert (folder / "__init__.py").is_file(), f"{folder} holds modules but is no package"
        elif any(folder.iterdir()):  # a data folder: declared as data of the package it sits in
            owner = ".".join(folder.parent.relative_to(ROOT).parts)
            assert any(pattern.startswith(f"{folder.name}/") for pattern in data.get(owner, [])), folder
