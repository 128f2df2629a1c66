"""Workload: PNM file I/O on a 3840x2160 RGB image (issue 3), through
ImageBuf.write and ImageInput.read_image. Prints {measurement: median s}."""

import json
import os
import tempfile

import numpy as np
import OpenImageIO as oiio
from _workload import repeat_count, timed

W, H = 3840, 2160


def main():
    repeat = repeat_count()
    rgb = np.random.default_rng(2).random((H, W, 3), dtype=np.float32)
    buf = oiio.ImageBuf(rgb)
    out = {}
    with tempfile.TemporaryDirectory() as d:
        p16, pfm = os.path.join(d, "a.ppm"), os.path.join(d, "a.pfm")
        out["write ppm uint16"] = timed(lambda: buf.write(p16, "uint16"), repeat)
        out["write pfm float"] = timed(lambda: buf.write(pfm), repeat)
        out["read ppm uint16 (native)"] = timed(lambda: oiio.ImageInput.open(p16).read_image(oiio.UNKNOWN), repeat)
        out["read pfm float"] = timed(lambda: oiio.ImageInput.open(pfm).read_image(), repeat)
        out["ImageBuf(ppm) + get_pixels"] = timed(lambda: oiio.ImageBuf(p16).get_pixels(), repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
