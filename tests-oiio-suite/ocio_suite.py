#!/usr/bin/env python3
"""Upstream OpenColorIO 2.6.0 Python suite, run unmodified against the
reference wheel and against ours.

The `opencolorio` 2.6.0 source distribution on PyPI carries upstream's own
suite (tests/python, 406 tests) and its data (tests/data/files). This script
fetches that archive straight from the package index (pip would insist on
building it), checks its pinned sha256, extracts the tests outside the
repository (.ocio-suite/, git-ignored; never committed) and:

  1. runs upstream's `OpenColorIOTestSuite.py` as shipped, with the
     reference first on PYTHONPATH: it must pass 406/406, else the set-up is
     broken;
  2. runs the same script against ours; when it cannot even import (the
     suite imports every module up front), each module is also run on its
     own so progress is reported per module;
  3. prints passes per module, and fails if a test listed in
     `ocio-expected-pass.txt` (tests that passed before: the regression
     baseline, which only grows) does not pass against ours.

usage: ocio_suite.py [--python EXE] [--update-baseline] [--verbose]
Last line: "OCIO suite: ours N/406 passed (reference M/406)".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = ROOT / ".ocio-suite"
REF_SITE = ROOT / ".ref" / "site"
BASELINE = HERE / "ocio-expected-pass.txt"
SDIST = "opencolorio-2.6.0.tar.gz"
SHA256 = "b124f4573e425e17764e64d1fdac51a956e066b905c8a7f8712410b3103d2ef0"
INDEX = "https://pypi.org/simple/opencolorio/"
URL = ("https://files.pythonhosted.org/packages/91/74/"
       "daaec42e86464f114bb908753f73e7b4c5b553829c31c8801708865b3c67/" + SDIST)
TOP = "opencolorio-2.6.0"

# Runs inside the test process: every module of the suite on its own, one
# JSON line of {module: {"tests": {id: outcome}, "error": text}}.
DRIVER = r"""
import io, json, os, sys, traceback, unittest, re
here = sys.argv[1]
sys.path.insert(0, here)
os.environ["TEST_DATAFILES_DIR"] = os.path.join(os.path.dirname(here), "data", "files")
src = open(os.path.join(here, "OpenColorIOTestSuite.py")).read()
names = re.findall(r'^\s*\("(\w+Test)",\s*\w+\)', src, re.M)
out = {}
for name in names:
    entry = {"tests": {}, "error": ""}
    try:
        mod = __import__(name)
        suite = unittest.defaultTestLoader.loadTestsFromModule(mod)
        def ids(s):
            for t in s:
                if isinstance(t, unittest.TestSuite):
                    yield from ids(t)
                else:
                    yield t.id()
        all_ids = list(ids(suite))  # a suite drops its tests as they run
        class Result(unittest.TestResult):
            passed = set()
            def addSuccess(self, test):
                super().addSuccess(test)
                self.passed.add(test.id())
        result = Result()
        suite.run(result)
        bad = {t.id(): "fail" for t, _ in result.failures}
        bad.update({t.id(): "error" for t, _ in result.errors})
        bad.update({t.id(): "skip" for t, _ in result.skipped})
        # Tests that never ran (a failed setUpClass) count as errors.
        for tid in all_ids:
            entry["tests"][tid] = "ok" if tid in result.passed else bad.get(tid, "not run")
    except BaseException:
        entry["error"] = traceback.format_exc(limit=1).strip().splitlines()[-1]
    out[name] = entry
sys.stdout.write("\nJSON " + json.dumps(out) + "\n")
"""


def fetch() -> Path:
    """The extracted tests/python folder, downloading the sdist if needed."""
    tests = CACHE / TOP / "tests" / "python"
    if (tests / "OpenColorIOTestSuite.py").is_file():
        return tests
    CACHE.mkdir(exist_ok=True)
    archive = CACHE / SDIST
    if not archive.is_file() or hashlib.sha256(archive.read_bytes()).hexdigest() != SHA256:
        with urllib.request.urlopen(URL, timeout=120) as r:
            data = r.read()
        if hashlib.sha256(data).hexdigest() != SHA256:
            raise SystemExit(f"{SDIST}: sha256 mismatch (expected {SHA256}); refusing to use it")
        archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(f"{TOP}/tests/")]
        tar.extractall(CACHE, members=members, filter="data")
    return tests


def env_for(side: str) -> dict:
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and ".ref" not in p]
    if side == "reference":
        paths.insert(0, str(REF_SITE))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def run_whole(python: str, tests: Path, side: str) -> tuple[bool, str]:
    """Upstream's own runner, unmodified; (all passed, summary line)."""
    p = subprocess.run([python, "OpenColorIOTestSuite.py"], cwd=tests, env=env_for(side),
                       capture_output=True, text=True, timeout=600)
    text = p.stdout + p.stderr
    ran = [ln for ln in text.splitlines() if ln.startswith("Ran ")]
    return p.returncode == 0, (ran[-1] if ran else text.strip().splitlines()[-1] if text.strip() else "no output")


def run_modules(python: str, tests: Path, side: str) -> dict:
    p = subprocess.run([python, "-c", DRIVER, str(tests)], cwd=tests, env=env_for(side),
                       capture_output=True, text=True, timeout=600)
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("JSON "):
            return json.loads(line[5:])
    raise SystemExit(f"{side}: the per-module driver failed:\n{p.stderr[-2000:]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from run import ensure_reference
    ensure_reference(args.python)
    tests = fetch()
    ok_ref, line_ref = run_whole(args.python, tests, "reference")
    ref = run_modules(args.python, tests, "reference")
    ours_whole, line_ours = run_whole(args.python, tests, "ours")
    ours = run_modules(args.python, tests, "ours")
    total_ref = sum(len(m["tests"]) for m in ref.values())
    passed_ref = sum(v == "ok" for m in ref.values() for v in m["tests"].values())
    passing = set()
    print(f"{'module':36s} {'ours':>9s}  note")
    for name, r in ref.items():
        o = ours.get(name, {"tests": {}, "error": "not run"})
        n_ok = sum(v == "ok" for v in o["tests"].values())
        passing.update(t for t, v in o["tests"].items() if v == "ok")
        note = o["error"][:90] if o["error"] else ""
        print(f"{name:36s} {n_ok:4d}/{len(r['tests']):<4d}  {note}")
        if args.verbose:
            for t, v in o["tests"].items():
                if v != "ok":
                    print(f"    {v:5s} {t}")
    print(f"upstream runner, reference: {line_ref}; ours: {line_ours}")
    lines = BASELINE.read_text().splitlines() if BASELINE.is_file() else []
    baseline = {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}
    if args.update_baseline:
        header = [ln for ln in lines if ln.startswith("#")]
        baseline |= passing
        BASELINE.write_text("".join(f"{ln}\n" for ln in header + sorted(baseline)))
    regressed = sorted(baseline - passing)
    for t in regressed:
        print(f"REGRESSION {t}")
    status = 0
    if not ok_ref or passed_ref != total_ref:
        print("the reference does not pass its own suite: the set-up is broken")
        status = 1
    if regressed:
        status = 1
    print(f"OCIO suite: ours {len(passing)}/{total_ref} passed (reference {passed_ref}/{total_ref})"
          + (" - upstream runner passes unmodified" if ours_whole else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
