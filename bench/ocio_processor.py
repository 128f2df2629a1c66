"""Workload: PyOpenColorIO CPU processors applied in place to a 3840x2160
RGBA float numpy image (applyRGBA): a matrix, a 2.2 exponent, a camera log
curve, and a config colour-space conversion (matrix + range + log chain),
plus building that processor. Uses only the public PyOpenColorIO API.
Prints {measurement: median s}."""

import json

import numpy as np
import PyOpenColorIO as OCIO
from _workload import repeat_count, timed

PROFILE = """ocio_profile_version: 2.1
roles:
  default: lin
displays:
  sRGB:
    - !<View> {name: Raw, colorspace: lin}
colorspaces:
  - !<ColorSpace>
    name: lin
  - !<ColorSpace>
    name: graded
    from_scene_reference: !<GroupTransform>
      children:
        - !<MatrixTransform> {matrix: [0.9, 0.1, 0, 0, 0.05, 0.9, 0.05, 0, 0, 0.1, 0.9, 0, 0, 0, 0, 1]}
        - !<RangeTransform> {min_in_value: 0, max_in_value: 4, min_out_value: 0, max_out_value: 1}
        - !<LogAffineTransform> {base: 10, lin_side_slope: 4, lin_side_offset: 0.01}
"""


def main():
    repeat = repeat_count()
    rng = np.random.default_rng(7)
    img = rng.random((2160, 3840, 4), dtype=np.float32)
    cfg = OCIO.Config.CreateFromStream(PROFILE)
    cam = OCIO.LogCameraTransform(linSideBreak=[0.01, 0.01, 0.01], base=2.0)
    cases = {
        "matrix": OCIO.MatrixTransform([0.5, 0.2, 0.1, 0, 0.1, 0.6, 0.1, 0, 0.0, 0.1, 0.8, 0, 0, 0, 0, 1]),
        "exponent 2.2": OCIO.ExponentTransform([2.2, 2.2, 2.2, 1.0]),
        "log camera": cam,
    }
    out = {}
    for name, t in cases.items():
        cpu = cfg.getProcessor(t).getDefaultCPUProcessor()
        out[f"applyRGBA {name}"] = timed(lambda: cpu.applyRGBA(img.copy()), repeat)
    out["getProcessor lin -> graded"] = timed(lambda: cfg.getProcessor("lin", "graded").getDefaultCPUProcessor(), repeat)
    cpu = cfg.getProcessor("lin", "graded").getDefaultCPUProcessor()
    out["applyRGBA lin -> graded"] = timed(lambda: cpu.applyRGBA(img.copy()), repeat)
    out["numpy copy (baseline)"] = timed(lambda: img.copy(), repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
