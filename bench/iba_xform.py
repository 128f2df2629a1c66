"""Workload: the filtered-resampling ImageBufAlgo ops on a 3840x2160 RGBA
float image: resize to half size with lanczos3 and with mitchell, resize up
by 1.5 (default filter), resample to half size (bilinear and nearest), fit
into 1920x1920, rotate by 30 degrees, and a warp by a shear-and-scale
matrix. An op the library under test lacks is left out of its results.
Prints {measurement: median s}."""

import json
import math

import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _workload import random_image as image, repeat_count, timed

W, H = 3840, 2160


def main():
    repeat = repeat_count()
    a = image(1)
    small = image(2, W // 2, H // 2)
    half = ROI(0, W // 2, 0, H // 2, 0, 1, 0, 4)
    steps = [
        ("resize to half, lanczos3", "resize", lambda: IBA.resize(a, "lanczos3", roi=half)),
        ("resize to half, mitchell", "resize", lambda: IBA.resize(a, "mitchell", roi=half)),
        ("resize 1920x1080 up x1.5 (default)", "resize",
         lambda: IBA.resize(small, roi=ROI(0, W * 3 // 4, 0, H * 3 // 4, 0, 1, 0, 4))),
        ("resample to half (bilinear)", "resample", lambda: IBA.resample(a, True, roi=half)),
        ("resample to half (nearest)", "resample", lambda: IBA.resample(a, False, roi=half)),
        ("fit 1920x1920", "fit", lambda: IBA.fit(a, roi=ROI(0, 1920, 0, 1920, 0, 1, 0, 4))),
        ("rotate 30 degrees", "rotate", lambda: IBA.rotate(a, math.radians(30.0))),
        ("warp shear+scale", "warp",
         lambda: IBA.warp(a, (0.9, 0.1, 0, -0.15, 1.1, 0, 40, -20, 1))),
    ]
    out = {}
    for name, op, fn in steps:
        if hasattr(IBA, op):
            out[name] = timed(fn, repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
