"""The layering promised in ARCHITECTURE.md: engine crates never depend on
pyo3, and compat/ is the one crate that does."""

import json
import shutil
import subprocess

import pytest

from conftest import ROOT


def cargo_metadata():
    if not shutil.which("cargo"):
        pytest.skip("cargo not on PATH")
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--offline"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if out.returncode != 0:  # e.g. offline without a registry cache
        out = subprocess.run(["cargo", "metadata", "--format-version", "1"], cwd=ROOT,
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def dependency_closure(meta, package_id):
    """Every package id reachable from package_id through normal/build deps."""
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    seen, todo = set(), [package_id]
    while todo:
        pid = todo.pop()
        for dep in nodes[pid]["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if kinds & {None, "build"} and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    return seen


def test_engine_crates_do_not_depend_on_pyo3():
    meta = cargo_metadata()
    names = {p["id"]: p["name"] for p in meta["packages"]}
    engine = [p for p in meta["packages"]
              if p["id"] in meta["workspace_members"] and "/impl/" in p["manifest_path"]]
    assert engine, "no engine crates found under impl/"
    for pkg in engine:
        deps = {names[d] for d in dependency_closure(meta, pkg["id"])}
        assert not {d for d in deps if d.startswith("pyo3") or d == "numpy"}, pkg["name"]


def test_compat_is_the_only_pyo3_crate():
    meta = cargo_metadata()
    direct = [p["name"] for p in meta["packages"]
              if p["id"] in meta["workspace_members"]
              and any(d["name"] == "pyo3" for d in p["dependencies"])]
    assert direct == ["vfx-rs-compat"]
