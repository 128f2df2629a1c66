"""Run a bench workload against the reference wheels and against ours, in one
run, and print the ratio reference_time / our_time for each measurement.

usage: python bench/compare.py bench/<workload>.py [--repeat N]

A workload is a script that times its steps itself (median of --repeat runs)
and prints one JSON object {name: seconds}. It must use only the public
OpenImageIO API so the same file runs on both sides.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF_SITE = ROOT / ".ref" / "site"


def run(workload: str, side: str, repeat: int) -> dict:
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and ".ref" not in p]
    if side == "reference":
        paths.insert(0, str(REF_SITE))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    out = subprocess.run([sys.executable, workload, "--repeat", str(repeat)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    workload = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    ref = run(workload, "reference", repeat)
    ours = run(workload, "ours", repeat)
    print(f"{'measurement':40s} {'reference s':>12s} {'ours s':>10s} {'ratio':>8s}")
    for name in ref:
        r, o = ref[name], ours.get(name)
        ratio = f"{r / o:7.2f}x" if o else "    n/a"
        print(f"{name:40s} {r:12.4f} {o if o is not None else float('nan'):10.4f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
