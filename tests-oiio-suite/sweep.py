#!/usr/bin/env python3
"""Read every file under ../shared/images with the reference and with ours.

For each file the reference reads, ours must report the same format, specs
(detailed text serialisation) and pixels (idiff tolerance) or deep samples.
For each file the reference rejects (the OpenEXR Damaged/ corpus among
them), ours must fail cleanly: an error, no crash, no panic, within 5 s and
inside a 4 GiB address-space limit.

Files of formats this build does not have are counted as UNSUPPORTED (not a
failure: the format list says so). Differences we know of are listed in
sweep-known.txt (glob, reason) and reported as KNOWN.

    sweep.py [-j N] [--images DIR] [filters...]
Exit status 1 if anything FAILed. Skips (exit 0) when the images are absent.
"""
import argparse
import concurrent.futures as cf
import fnmatch
import os
import resource
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REF_SITE = os.path.join(ROOT, ".ref", "site")
WORKER = os.path.join(HERE, "io_worker.py")
REJECT_SECONDS = 5
READ_SECONDS = 60
ADDRESS_LIMIT = 4 << 30

sys.path.insert(0, HERE)
from compare import compare_pixels  # noqa: E402


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))


def run_worker(which, path, out, timeout):
    env = dict(os.environ)
    if which == "ref":
        env["PYTHONPATH"] = REF_SITE
    else:
        env.pop("PYTHONPATH", None)
    try:
        r = subprocess.run(
            [sys.executable, WORKER, "dump", path, out],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limit_memory if which == "ours" else None,
        )
    except subprocess.TimeoutExpired:
        return f"hang (> {timeout} s)"
    if r.returncode != 0:
        tail = (r.stderr.strip().splitlines() or [""])[-1]
        return f"exit {r.returncode}: {tail}"
    return None


def our_extensions():
    r = subprocess.run(
        [sys.executable, "-c", "import OpenImageIO as o; print(o.get_string_attribute('extension_list'))"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    exts = set()
    for part in r.stdout.strip().split(";"):
        if ":" in part:
            exts.update(e.lower() for e in part.split(":", 1)[1].split(","))
    return exts


def compare_dirs(ref, ours):
    problems = []
    rf, of = sorted(os.listdir(ref)), sorted(os.listdir(ours))
    if rf != of:
        problems.append(f"different results: reference {rf}, ours {of}")
    for name in rf:
        if name not in of or name.endswith("error.txt"):
            continue
        a, b = os.path.join(ref, name), os.path.join(ours, name)
        if name.endswith(".npy"):
            outcome = compare_pixels(np.load(a), np.load(b))
            if not outcome.passed:
                problems.append(f"{name}: {outcome.stats()}")
        else:
            ta, tb = open(a, errors="replace").read(), open(b, errors="replace").read()
            if ta != tb:
                la, lb = ta.splitlines(), tb.splitlines()
                first = next((i for i in range(max(len(la), len(lb))) if la[i:i + 1] != lb[i:i + 1]), 0)
                problems.append(
                    f"{name} line {first + 1}: reference {la[first:first + 1]} ours {lb[first:first + 1]}"
                )
    return problems


def check(path, exts):
    ext = os.path.splitext(path)[1].lstrip(".").lower()
    with tempfile.TemporaryDirectory() as t:
        ref, ours = os.path.join(t, "ref"), os.path.join(t, "ours")
        bad = run_worker("ref", path, ref, READ_SECONDS)
        if bad:
            return "SKIP", f"reference worker failed: {bad}"
        ref_rejects = os.path.exists(os.path.join(ref, "error.txt"))
        bad = run_worker("ours", path, ours, REJECT_SECONDS if ref_rejects else READ_SECONDS)
        if bad:
            return "FAIL", f"ours: {bad}"
        ours_rejects = os.path.exists(os.path.join(ours, "error.txt"))
        if ref_rejects:
            if ours_rejects:
                return "OK", "rejected by both"
            return "FAIL", "the reference rejects it, ours reads it"
        if ours_rejects and ext not in exts:
            return "UNSUPPORTED", open(os.path.join(ours, "error.txt"), errors="replace").read().strip()[:100]
        problems = compare_dirs(ref, ours)
        if problems:
            return "FAIL", "; ".join(problems)[:600]
        return "OK", "same specs and pixels"


def load_known():
    known = []
    p = os.path.join(HERE, "sweep-known.txt")
    if os.path.exists(p):
        for line in open(p):
            line = line.strip()
            if line and not line.startswith("#"):
                pat, _, why = line.partition(" ")
                known.append((pat, why.strip()))
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--images", default=os.path.join(ROOT, "..", "shared", "images"))
    ap.add_argument("filters", nargs="*")
    args = ap.parse_args()
    if not os.path.isdir(args.images):
        print(f"sweep: {args.images} absent, skipped")
        return 0
    from run import ensure_reference

    ensure_reference()
    files = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(args.images)
        for f in fs
        if not f.startswith(".") and f not in ("LICENSE", "COPYING", "README.md") and not f.endswith((".txt", ".md"))
    )
    if args.filters:
        files = [f for f in files if any(x in f for x in args.filters)]
    exts = our_extensions()
    known = load_known()
    counts = {}
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda f: (f, check(f, exts)), files)
        for f, (status, detail) in results:
            rel = os.path.relpath(f, args.images)
            if status == "FAIL":
                why = next((w for p, w in known if fnmatch.fnmatch(rel, p)), None)
                if why is not None:
                    status, detail = "KNOWN", f"{why} ({detail[:200]})"
            counts[status] = counts.get(status, 0) + 1
            if status != "OK" or os.environ.get("SWEEP_VERBOSE"):
                print(f"{status:11s} {rel}: {detail}")
    summary = ", ".join(f"{counts.get(k, 0)} {k.lower()}" for k in ("OK", "FAIL", "KNOWN", "UNSUPPORTED", "SKIP"))
    print(f"sweep: {len(files)} files: {summary}")
    return 1 if counts.get("FAIL") else 0


if __name__ == "__main__":
    sys.exit(main())
