"""Workload: the Fourier and deep ImageBufAlgo ops. fft / ifft of one
channel of a 3840x2160 float image (rows of a size that is not a power of
two), complex_to_polar / polar_to_complex of the 2-channel result; deepen,
flatten, deep_merge (one and two samples a pixel, with and without
occlusion culling) and deep_holdout on 1920x1080 RGBA images. An op the
library under test lacks is left out of its results. Prints
{measurement: median s}."""

import json

from OpenImageIO import ImageBufAlgo as IBA
from _workload import random_image as image, repeat_count, timed


def main():
    repeat = repeat_count()
    out = {}
    if hasattr(IBA, "fft"):
        a = image(1, nchannels=1)
        f = IBA.fft(a)
        p = IBA.complex_to_polar(f)
        out["fft 3840x2160"] = timed(lambda: IBA.fft(a), repeat)
        out["ifft 3840x2160"] = timed(lambda: IBA.ifft(f), repeat)
        out["complex_to_polar"] = timed(lambda: IBA.complex_to_polar(f), repeat)
        out["polar_to_complex"] = timed(lambda: IBA.polar_to_complex(p), repeat)
    if hasattr(IBA, "deepen"):
        b = image(2, 1920, 1080)
        c = image(3, 1920, 1080)
        d1 = IBA.deepen(b, 1.0)
        d2 = IBA.deepen(c, 2.0)
        m = IBA.deep_merge(d1, d2, False)
        out["deepen 1920x1080"] = timed(lambda: IBA.deepen(b, 1.0), repeat)
        out["flatten 1 sample"] = timed(lambda: IBA.flatten(d1), repeat)
        out["flatten 2 samples"] = timed(lambda: IBA.flatten(m), repeat)
        out["deep_merge cull"] = timed(lambda: IBA.deep_merge(d1, d2), repeat)
        out["deep_merge no cull"] = timed(lambda: IBA.deep_merge(d1, d2, False), repeat)
        out["deep_holdout"] = timed(lambda: IBA.deep_holdout(m, d1), repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
