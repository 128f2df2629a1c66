"""Workload: in-memory ImageBuf pixel traffic on a 3840x2160 RGBA float image
(issue 3). Prints {measurement: median seconds} as JSON."""

import json

import numpy as np
import OpenImageIO as oiio
from _workload import repeat_count, timed

W, H, C = 3840, 2160, 4


def main():
    repeat = repeat_count()
    rng = np.random.default_rng(1)
    plate = rng.random((H, W, C), dtype=np.float32)
    buf = oiio.ImageBuf(plate)
    half = oiio.ImageBuf(plate.astype(np.float16))
    u8 = (plate * 255).astype(np.uint8)
    results = {
        "ImageBuf(numpy float)": timed(lambda: oiio.ImageBuf(plate), repeat),
        "get_pixels float": timed(lambda: buf.get_pixels(oiio.FLOAT), repeat),
        "get_pixels float -> uint8": timed(lambda: buf.get_pixels(oiio.UINT8), repeat),
        "get_pixels half -> float": timed(lambda: half.get_pixels(oiio.FLOAT), repeat),
        "set_pixels float": timed(lambda: buf.set_pixels(oiio.ROI.All, plate), repeat),
        "set_pixels uint8 -> float": timed(lambda: buf.set_pixels(oiio.ROI.All, u8), repeat),
        "copy('half')": timed(lambda: buf.copy("half"), repeat),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
