"""Workload: the issue-4 ImageBufAlgo ops on a 3840x2160 RGBA float image
(add, mul by a constant, over, channels, crop, paste, flip,
computePixelStats, compare, fill, checker), each in its returning form except
paste and fill (into an existing image). An op the library under test lacks is
left out of its results (compare.py then shows no ratio for that row).
Prints {measurement: median s}."""

import json

import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _workload import random_image as image, repeat_count, timed

W, H = 3840, 2160


def main():
    repeat = repeat_count()
    a, b = image(1), image(2)
    a.specmod().alpha_channel = 3
    b.specmod().alpha_channel = 3
    dst = ImageBuf(a.spec())
    steps = [
        ("add", "add", lambda: IBA.add(a, b)),
        ("mul by constant", "mul", lambda: IBA.mul(a, (0.5, 0.25, 2.0, 1.0))),
        ("over", "over", lambda: IBA.over(a, b)),
        ("channels (B,G,R,A)", "channels", lambda: IBA.channels(a, (2, 1, 0, 3))),
        ("crop to half", "crop", lambda: IBA.crop(a, ROI(W // 4, 3 * W // 4, H // 4, 3 * H // 4))),
        ("paste", "paste", lambda: IBA.paste(dst, 100, 50, 0, 0, a)),
        ("flip", "flip", lambda: IBA.flip(a)),
        ("computePixelStats", "computePixelStats", lambda: IBA.computePixelStats(a)),
        ("compare", "compare", lambda: IBA.compare(a, b, 0.01, 0.001)),
        ("fill", "fill", lambda: IBA.fill(dst, (0.1, 0.2, 0.3, 1.0))),
        ("checker", "checker",
         lambda: IBA.checker(64, 64, 1, (0, 0, 0, 1), (1, 1, 1, 1), roi=ROI(0, W, 0, H, 0, 1, 0, 4))),
    ]
    out = {}
    for name, op, fn in steps:
        if hasattr(IBA, op):
            out[name] = timed(fn, repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
