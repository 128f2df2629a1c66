#!/usr/bin/env python3
"""Differential round-trip matrix: format x pixel type x tiling x compression.

Every cell writes the same generated image twice, once with ours and once
with the reference. Then:
  * ours -> reference: the reference reads our file and must see what it
    sees in its own file: the same spec (detailed text) and pixels within
    the idiff tolerance (a looser bound for lossy codecs, whose encoders
    legitimately differ);
  * reference -> ours: ours reads the reference's file and must see what
    the reference sees in it (same spec, same pixels).
DateTime, which writers stamp with the current time, is not compared.

Formats this build cannot write are listed as unsupported. Exit status 1 on
any failure.   matrix.py [filters...]
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REF_SITE = os.path.join(ROOT, ".ref", "site")
WORKER = os.path.join(HERE, "io_worker.py")
sys.path.insert(0, HERE)
from compare import compare_pixels  # noqa: E402

EXR_COMP = ["none", "rle", "zip", "zips", "piz", "pxr24", "b44", "b44a", "dwaa", "dwab"]
EXR_LOSSY = {"pxr24", "b44", "b44a", "dwaa", "dwab"}

# format name -> (extension, cells as (type, tile, compression, nchannels), lossy compressions)
MATRIX = {
    "openexr": (
        "exr",
        [(t, tile, c, 4) for t in ("half", "float") for tile in (0, 32) for c in EXR_COMP]
        + [("uint", 0, "zip", 4), ("half", 0, "zip", 1), ("half", 16, "piz", 3)],
        EXR_LOSSY,
    ),
    "tiff": (
        "tif",
        [(t, tile, c, 4) for t in ("uint8", "uint16", "half", "float") for tile in (0, 32) for c in ("none", "lzw", "zip")]
        + [("uint8", 0, "packbits", 3), ("uint", 0, "zip", 1), ("int16", 0, "zip", 1), ("double", 0, "zip", 2)],
        set(),
    ),
    "png": ("png", [(t, 0, "-", n) for t in ("uint8", "uint16") for n in (1, 2, 3, 4)], set()),
    "jpeg": ("jpg", [("uint8", 0, "-", n) for n in (1, 3)], {"-"}),
    "dpx": ("dpx", [(t, 0, "-", n) for t in ("uint8", "uint16", "float") for n in (1, 3, 4)], set()),
    "hdr": ("hdr", [("float", 0, "-", 3)], {"-"}),
    "targa": ("tga", [("uint8", 0, c, n) for c in ("-", "rle") for n in (3, 4)], set()),
    "bmp": ("bmp", [("uint8", 0, "-", n) for n in (3, 4)], set()),
    "sgi": ("sgi", [(t, 0, c, n) for t in ("uint8", "uint16") for c in ("-", "rle") for n in (1, 3, 4)], set()),
    "pnm": ("ppm", [(t, 0, "-", 3) for t in ("uint8", "uint16")], set()),
    "pnm ": ("pfm", [("float", 0, "-", n) for n in (1, 3)], set()),
    "webp": ("webp", [("uint8", 0, "-", n) for n in (3, 4)], {"-"}),
    "fits": ("fits", [(t, 0, "-", n) for t in ("uint8", "int16", "int", "float", "double") for n in (1, 3)], set()),
    "rla": ("rla", [(t, 0, "-", n) for t in ("uint8", "uint16", "float") for n in (3, 4)], set()),
    "iff": ("iff", [(t, 0, c, n) for t in ("uint8", "uint16") for c in ("none", "rle") for n in (3, 4)], set()),
    "zfile": ("zfile", [("float", 0, c, 1) for c in ("none", "zip")], set()),
}
LOSSY_TOLERANCE = dict(fail=0.05, failpercent=5.0, hardfail=0.25)

# Cells where the reference's own writer produces a file the reference cannot
# read back correctly, and ours writes a correct one (see KNOWN_DIFFERENCES.md):
# there, the reference reading our file must agree with ours reading it.
REFERENCE_WRITER_BUGS = {
    "iff-uint8-scan-none-3ch.iff": "OIIO omits the padding of raw IFF tiles whose size is not a multiple of 4",
    "iff-uint16-scan-none-3ch.iff": "OIIO omits the padding of raw IFF tiles whose size is not a multiple of 4",
    "iff-uint16-scan-rle-4ch.iff": "OIIO writes the two alpha byte planes of 16-bit RLE tiles swapped",
}


def worker(which, *args):
    env = dict(os.environ)
    if which == "ref":
        env["PYTHONPATH"] = REF_SITE
    else:
        env.pop("PYTHONPATH", None)
    r = subprocess.run([sys.executable, WORKER, *args], env=env, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"{which} worker {args[0]} failed:\n{r.stderr[-2000:]}")


def output_formats(which):
    env = dict(os.environ)
    if which == "ref":
        env["PYTHONPATH"] = REF_SITE
    else:
        env.pop("PYTHONPATH", None)
    r = subprocess.run(
        [sys.executable, "-c", "import OpenImageIO as o; print(o.get_string_attribute('output_format_list'))"],
        env=env, capture_output=True, text=True,
    )
    return set(r.stdout.strip().split(","))


def read_dump(d):
    """Spec texts and pixel arrays of one dumped file, or its error."""
    if not os.path.isdir(d):
        return None
    if os.path.exists(os.path.join(d, "error.txt")):
        return "error: " + open(d + "/error.txt", errors="replace").read().strip()
    out = {}
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        out[name] = np.load(p) if name.endswith(".npy") else open(p, errors="replace").read()
    return out


def normalise(text):
    """Writers stamp the current time: DateTime is not compared."""
    return "\n".join(l for l in text.splitlines() if not l.strip().startswith("DateTime:"))


def compare(a, b, lossy):
    """Problems between two dumps (a: what should be seen)."""
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return [] if a == b else [f"{a if isinstance(a, str) else 'read'} vs {b if isinstance(b, str) else 'read'}"]
    probs = []
    if sorted(a) != sorted(b):
        probs.append(f"parts differ: {sorted(a)} vs {sorted(b)}")
    for k in a:
        if k not in b:
            continue
        if k.endswith(".npy"):
            res = compare_pixels(a[k], b[k], **(LOSSY_TOLERANCE if lossy else {}))
            if not res.passed:
                probs.append(f"{k}: {res.stats()}")
        elif normalise(a[k]) != normalise(b[k]):
            la, lb = normalise(a[k]).splitlines(), normalise(b[k]).splitlines()
            diff = [f"-{x}" for x in la if x not in lb] + [f"+{x}" for x in lb if x not in la]
            probs.append(f"{k}: " + " ".join(diff[:6]))
    return probs


def main():
    filters = sys.argv[1:]
    from run import ensure_reference

    ensure_reference()
    ours_out, ref_out = output_formats("ours"), output_formats("ref")
    cells = []
    unsupported = []
    for fmt, (ext, combos, lossy) in MATRIX.items():
        fmt = fmt.strip()  # a trailing space keys a second extension of one format
        if fmt not in ref_out:
            continue
        if fmt not in ours_out:
            unsupported.append(fmt)
            continue
        for t, tile, comp, nch in combos:
            name = f"{fmt}-{t}-{'tile' + str(tile) if tile else 'scan'}-{comp.replace('-', 'default')}-{nch}ch.{ext}"
            if filters and not any(f in name for f in filters):
                continue
            cells.append(dict(name=name, type=t, tile=tile, compression=comp, nchannels=nch, lossy=comp in lossy))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        cj = os.path.join(tmp, "cells.json")
        json.dump(cells, open(cj, "w"))
        ours_files, ref_files = os.path.join(tmp, "ours"), os.path.join(tmp, "ref")
        worker("ours", "batch-write", cj, ours_files)
        worker("ref", "batch-write", cj, ref_files)
        dumps = {}
        for reader in ("ref", "ours"):
            for writer, d in (("ref", ref_files), ("ours", ours_files)):
                out = os.path.join(tmp, f"{reader}-reads-{writer}")
                worker(reader, "batch-dump", d, out)
                dumps[(reader, writer)] = out
        for cell in cells:
            n = cell["name"]
            status_ref = open(os.path.join(ref_files, n + ".status")).read().strip()
            status_ours = open(os.path.join(ours_files, n + ".status")).read().strip()
            if status_ref != "ok" or status_ours != "ok":
                if status_ref == status_ours or (status_ref != "ok" and status_ours != "ok"):
                    print(f"ok    {n}: both refuse ({status_ref[:80]})")
                    continue
                print(f"FAIL  {n}: writing: reference {status_ref[:120]!r}, ours {status_ours[:120]!r}")
                failures += 1
                continue
            seen = {k: read_dump(os.path.join(v, n)) for k, v in dumps.items()}
            if n in REFERENCE_WRITER_BUGS:
                probs = [f"ours->ref vs ours->ours: {p}"
                         for p in compare(seen[("ours", "ours")], seen[("ref", "ours")], cell["lossy"])]
                print(f"{'FAIL' if probs else 'known'} {n}: {REFERENCE_WRITER_BUGS[n]}; " + "; ".join(probs)[:500])
                failures += bool(probs)
                continue
            probs = [f"ours->ref: {p}" for p in compare(seen[("ref", "ref")], seen[("ref", "ours")], cell["lossy"])]
            probs += [f"ref->ours: {p}" for p in compare(seen[("ref", "ref")], seen[("ours", "ref")], False)]
            if probs:
                failures += 1
                print(f"FAIL  {n}: " + "; ".join(probs)[:700])
            else:
                print(f"ok    {n}")
    for fmt in sorted(set(unsupported)):
        print(f"unsupported  {fmt}: this build cannot write it")
    print(f"matrix: {len(cells)} cells, {failures} failed, {len(unsupported)} formats unsupported")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
