#!/usr/bin/env python3
"""Processors of every builtin config, reference vs ours.

For each of the builtin configs: every colour space to and from the
config's scene_linear role, and every display/view from scene_linear, in
both directions, applied to a fixed set of pixels (negatives, 0..1, HDR up
to 65504, NaN, Inf). A case passes when both libraries give the same result
within 1e-5 relative (values above 1) or 1e-6 absolute (below), NaN where
NaN, the same infinities; or when both refuse it with an exception.

Cases the reference builds but ours refuses with NotImplementedError (op
families not implemented yet: LUTs, grading, the other fixed functions)
are counted as NOT-IMPLEMENTED, not failures; anything else that differs
FAILs.

    ocio_sweep.py [config-name-filters...]    exit 1 if anything FAILed
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REF_SITE = os.path.join(ROOT, ".ref", "site")

PIXELS = [
    0.18, 0.18, 0.18, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 0.25, 0.125,
    -0.1, 0.2, 0.4, 4.0, 2.0, 1.0, 65504.0, 100.0, 0.001, 1e-6, 0.9, 0.02,
    float("nan"), 0.5, 0.5, float("inf"), 0.1, -float("inf"),
]

WORKER = r"""
import json, sys
import PyOpenColorIO as OCIO
pixels = json.loads(sys.argv[2])
out = {}
def run(key, make):
    try:
        proc = make()
        vals = proc.getDefaultCPUProcessor().applyRGB(list(pixels))
        out[key] = ["ok", [repr(v) for v in vals]]
    except Exception as e:
        out[key] = ["error", type(e).__name__]
cfg = OCIO.Config.CreateFromBuiltinConfig(sys.argv[1])
lin = "scene_linear"
for cs in cfg.getColorSpaceNames(OCIO.SEARCH_REFERENCE_SPACE_ALL, OCIO.COLORSPACE_ALL):
    run(f"{cs} -> {lin}", lambda: cfg.getProcessor(cs, lin))
    run(f"{lin} -> {cs}", lambda: cfg.getProcessor(lin, cs))
for display in cfg.getDisplays():
    for view in cfg.getViews(display):
        for d in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
            run(f"{lin} {display}/{view} {d.name}", lambda: cfg.getProcessor(lin, display, view, d))
print(json.dumps(out))
"""


def run(side, config):
    env = dict(os.environ)
    if side == "ref":
        env["PYTHONPATH"] = REF_SITE
    else:
        env.pop("PYTHONPATH", None)
    r = subprocess.run([sys.executable, "-c", WORKER, config, json.dumps(PIXELS)], env=env,
                       capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"{side} worker failed on {config}: {r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def close(a, b):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    if max(abs(x), abs(y)) > 1.0:
        return abs(x - y) <= 1e-5 * max(abs(x), abs(y))
    return abs(x - y) <= 1e-6


def main():
    sys.path.insert(0, HERE)
    from run import ensure_reference

    ensure_reference()
    names = subprocess.run(
        [sys.executable, "-c", "import PyOpenColorIO as O; print('\\n'.join(n for n, *_ in "
         "O.BuiltinConfigRegistry().getBuiltinConfigs()))"],
        env=dict(os.environ, PYTHONPATH=REF_SITE), capture_output=True, text=True, check=True,
    ).stdout.split()
    filters = sys.argv[1:]
    names = [n for n in names if not filters or any(f in n for f in filters)]
    totals = {"OK": 0, "FAIL": 0, "NOT-IMPLEMENTED": 0}
    for name in names:
        ref, ours = run("ref", name), run("ours", name)
        counts = {"OK": 0, "FAIL": 0, "NOT-IMPLEMENTED": 0}
        for key, (rk, rv) in ref.items():
            ok, ov = ours.get(key, ["missing", None])
            if rk == "ok" and ok == "ok" and len(rv) == len(ov) and all(map(close, rv, ov)):
                status = "OK"
            elif rk == "error" and ok == "error":
                status = "OK"
            elif rk == "ok" and ok == "error" and ov == "NotImplementedError":
                status = "NOT-IMPLEMENTED"
            else:
                status = "FAIL"
                print(f"FAIL  {name}: {key}: reference {rk} {rv if rk == 'error' else ''} ours {ok} "
                      f"{ov if ok == 'error' else ''}".rstrip())
                if rk == ok == "ok":
                    diffs = [(i, a, b) for i, (a, b) in enumerate(zip(rv, ov)) if not close(a, b)]
                    print(f"      first differences: {diffs[:4]}")
            counts[status] += 1
        print(f"{name}: {counts['OK']} ok, {counts['FAIL']} fail, {counts['NOT-IMPLEMENTED']} not implemented")
        for k in totals:
            totals[k] += counts[k]
    print(f"ocio sweep: {len(names)} configs: {totals['OK']} ok, {totals['FAIL']} fail, "
          f"{totals['NOT-IMPLEMENTED']} not implemented")
    return 1 if totals["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
