"""api_coverage.py (from ../shared/api) must report every member of the
classes the foundation issue owns."""

import subprocess
import sys

FOUNDATION = ["TypeDesc", "ROI", "ImageSpec", "ParamValue", "ParamValueList",
              "BASETYPE", "AGGREGATE", "VECSEMANTICS"]


def test_foundation_classes_fully_covered(shared_dir):
    out = subprocess.run(
        [sys.executable, str(shared_dir / "api" / "api_coverage.py"), "OpenImageIO",
         str(shared_dir / "api" / "OpenImageIO-3.2.2.0.json"), "--missing"],
        capture_output=True, text=True, check=True,
    ).stdout
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()
            if line and not line.startswith(" ") and "/" in line and ":" not in line}
    for name in FOUNDATION:
        have, total = rows[name].split("/")
        assert have == total, f"{name}: {rows[name]}"
    missing = [m.strip() for m in out.split("missing:", 1)[1].splitlines()]
    assert not [m for m in missing if m.split(".")[0].split("(")[0].strip() in FOUNDATION]
    bad_keywords = [m for m in missing if "keywords" in m and m.split(".")[0] in FOUNDATION]
    assert not bad_keywords
