"""Workload: the convolution / morphology ImageBufAlgo ops on a 3840x2160
RGBA float image: make_kernel, convolve with a 5x5 gaussian and with the
3x3 laplacian, median_filter 3x3, unsharp_mask (gaussian width 3 and 5, and
median), dilate 3x3 and erode 3x3. An op the library under test lacks is left
out of its results. Prints {measurement: median s}."""

import json

from OpenImageIO import ImageBufAlgo as IBA
from _workload import random_image as image, repeat_count, timed


def main():
    repeat = repeat_count()
    a = image(1)
    g5 = IBA.make_kernel("gaussian", 5, 5)
    steps = [
        ("make_kernel gaussian 5x5", "make_kernel", lambda: IBA.make_kernel("gaussian", 5, 5)),
        ("convolve gaussian 5x5", "convolve", lambda: IBA.convolve(a, g5)),
        ("laplacian", "laplacian", lambda: IBA.laplacian(a)),
        ("median_filter 3x3", "median_filter", lambda: IBA.median_filter(a, 3, 3)),
        ("unsharp_mask gaussian 3", "unsharp_mask", lambda: IBA.unsharp_mask(a)),
        ("unsharp_mask gaussian 5", "unsharp_mask", lambda: IBA.unsharp_mask(a, "gaussian", 5.0)),
        ("unsharp_mask median 3", "unsharp_mask", lambda: IBA.unsharp_mask(a, "median", 3.0)),
        ("dilate 3x3", "dilate", lambda: IBA.dilate(a, 3, 3)),
        ("erode 3x3", "erode", lambda: IBA.erode(a, 3, 3)),
    ]
    out = {}
    for name, op, fn in steps:
        if hasattr(IBA, op):
            out[name] = timed(fn, repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
