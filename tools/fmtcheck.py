#!/usr/bin/env python3
"""Check our format readers/writers against the reference OpenImageIO wheel,
without building the Python extension (uses the `vfxio` cargo example).

  tools/fmtcheck.py read FILE...            our reader vs the reference's
  tools/fmtcheck.py write SRC OUT [vfxio convert options...]
      our writer: convert SRC to OUT with ours, then the reference reads OUT
      and must see the pixels the reference sees in SRC (within the idiff
      tolerance after OUT's type) and the spec we meant to write.

Run with the dev venv's python (numpy). Set CARGO_TARGET_DIR to share a
target dir; FEATURES=... adds cargo features (e.g. FEATURES=exr).
Exit status 0 when everything matches; differences are printed.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF_SITE = os.path.join(ROOT, ".ref", "site")

REF_DUMP = r"""
import json, os, sys
import numpy as np
import OpenImageIO as oiio
path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
inp = oiio.ImageInput.open(path)
if inp is None:
    open(os.path.join(out, "error.txt"), "w").write(oiio.geterror())
    sys.exit(0)
s = 0
while inp.seek_subimage(s, 0):
    m = 0
    while inp.seek_subimage(s, m):
        spec = inp.spec()
        open(os.path.join(out, f"s{s}_m{m}.txt"), "w").write(
            inp.format_name() + "\n" + spec.serialize("text", "detailed"))
        if not spec.deep:
            px = inp.read_image(s, m, 0, spec.nchannels, "float")
            if px is None:
                open(os.path.join(out, f"s{s}_m{m}.error.txt"), "w").write(inp.geterror())
            else:
                np.ascontiguousarray(px, dtype=np.float32).tofile(os.path.join(out, f"s{s}_m{m}.f32"))
        m += 1
    s += 1
inp.close()
"""


def cargo_example():
    feats = os.environ.get("FEATURES", "")
    cmd = ["cargo", "build", "-q", "--release", "-p", "vfx-io", "--example", "vfxio"]
    if feats:
        cmd += ["--features", feats]
    subprocess.run(cmd, cwd=ROOT, check=True)
    tgt = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(tgt, "release", "examples", "vfxio")


def ref_dump(path, out):
    env = dict(os.environ, PYTHONPATH=REF_SITE)
    subprocess.run([sys.executable, "-c", REF_DUMP, path, out], env=env, check=True, timeout=120)


def our_dump(exe, path, out):
    subprocess.run([exe, "dump", path, out], check=True, timeout=60)


def idiff(a, b):
    """The idiff rule (fail 0.004, failpercent 0.02, hardfail 0.012)."""
    import numpy as np

    if a.shape != b.shape:
        return f"pixel count differs: {a.size} vs {b.size}"
    if a.size == 0:
        return None
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    both_nan = np.isnan(a) & np.isnan(b)
    d[both_nan] = 0
    d[a == b] = 0  # equal infinities (inf - inf would be NaN)
    d[np.isnan(d)] = np.inf
    nfail = int((d > 0.004).sum())
    if d.max() > 0.012 or nfail > 0.0002 * d.size:
        i = int(np.argmax(d))
        return f"max diff {d.max():.6g} at value {i} ({a.flat[i]} vs {b.flat[i]}), {nfail} over 0.004"
    return None


def compare_dirs(ref, ours, label):
    import numpy as np

    problems = []
    rf, of = sorted(os.listdir(ref)), sorted(os.listdir(ours))
    if rf != of:
        problems.append(f"{label}: files differ: ref {rf} ours {of}")
    for name in rf:
        if name not in of:
            continue
        pr, po = os.path.join(ref, name), os.path.join(ours, name)
        if name.endswith(".txt"):
            tr, to = open(pr).read(), open(po).read()
            if name == "error.txt" or name.endswith(".error.txt"):
                continue  # both failed; messages are compared by the suites
            if tr != to:
                import difflib

                diff = "\n".join(difflib.unified_diff(tr.splitlines(), to.splitlines(), "ref", "ours", lineterm=""))
                problems.append(f"{label} {name}:\n{diff}")
        else:
            msg = idiff(np.fromfile(pr, np.float32), np.fromfile(po, np.float32))
            if msg:
                problems.append(f"{label} {name}: {msg}")
    return problems


def cmd_read(files):
    exe = cargo_example()
    bad = 0
    for f in files:
        with tempfile.TemporaryDirectory() as t:
            ref, ours = os.path.join(t, "ref"), os.path.join(t, "ours")
            ref_dump(f, ref)
            try:
                our_dump(exe, f, ours)
            except subprocess.SubprocessError as e:
                print(f"FAIL {f}: our reader crashed or hung: {e}")
                bad += 1
                continue
            probs = compare_dirs(ref, ours, f)
            if probs:
                bad += 1
                print(f"FAIL {f}")
                for p in probs:
                    print("  " + p.replace("\n", "\n  "))
            else:
                print(f"ok   {f}")
    return 1 if bad else 0


def cmd_write(src, out, opts):
    exe = cargo_example()
    subprocess.run([exe, "convert", src, out] + opts, check=True, timeout=60)
    with tempfile.TemporaryDirectory() as t:
        a, b = os.path.join(t, "src"), os.path.join(t, "out")
        ref_dump(src, a)
        ref_dump(out, b)
        probs = []
        for name in sorted(os.listdir(a)):
            if name.endswith(".f32"):
                if not os.path.exists(os.path.join(b, name)):
                    probs.append(f"reference cannot read {name} of {out}")
                    continue
                import numpy as np

                msg = idiff(np.fromfile(os.path.join(a, name), np.float32), np.fromfile(os.path.join(b, name), np.float32))
                if msg:
                    probs.append(f"{name}: {msg}")
        if os.path.exists(os.path.join(b, "error.txt")):
            probs.append("reference cannot open: " + open(os.path.join(b, "error.txt")).read())
        for name in sorted(os.listdir(b)):
            if name.endswith(".txt") and name != "error.txt":
                print(f"--- reference reads {out} {name}:\n" + open(os.path.join(b, name)).read())
        for p in probs:
            print("FAIL " + p)
        return 1 if probs else 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "read":
        sys.exit(cmd_read(sys.argv[2:]))
    if len(sys.argv) >= 4 and sys.argv[1] == "write":
        sys.exit(cmd_write(sys.argv[2], sys.argv[3], sys.argv[4:]))
    print(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main()
