"""Workload: PNM file I/O on a 3840x2160 RGB image (issue 3), through
ImageBuf.write and ImageInput.read_image. Prints {measurement: median s}."""

import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import OpenImageIO as oiio

W, H = 3840, 2160


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
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
