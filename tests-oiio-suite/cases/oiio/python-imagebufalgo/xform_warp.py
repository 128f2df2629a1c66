# warp (3x3 matrices as 9-tuples, wrap modes, recompute_roi, filters),
# rotate (angle in radians, centre, recompute_roi, filters) and st_warp
# (ST channels, flips, filters, ROIs, errors).
import math

import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _iba import ramp
from _xform import out, both

A = ramp(24, 18, 3, "float", seed=1, lo=0.0, hi=1.0)
M45 = (0.7071068, 0.7071068, 0, -0.7071068, 0.7071068, 0, 12, -5.0, 1)
SCALE = (0.6, 0, 0, 0, 0.8, 0, 2.5, 1.5, 1)
SHRINK = (2.5, 0.3, 0, -0.2, 1.7, 0, -3, 2, 1)
PERSP = (1.0, 0.1, 0.002, 0.05, 1.0, 0.001, 0.5, -0.5, 1)
both("warp 45", IBA.warp, A, M45)
both("warp 45 recompute", IBA.warp, A, M45, recompute_roi=True)
both("warp scale", IBA.warp, A, SCALE, "mitchell")
both("warp shrink", IBA.warp, A, SHRINK, recompute_roi=True)
both("warp persp", IBA.warp, A, PERSP, "lanczos3", 4.0)
for f in oiio.get_string_attribute("filter_list").split(";"):
    out("warp filter %s" % f, IBA.warp(A, M45, f))
for w in ("default", "black", "clamp", "periodic", "mirror", "bogus"):
    both("warp wrap %s" % w, IBA.warp, A, SCALE, wrap=w)
both("warp list matrix", IBA.warp, A, list(SCALE), roi=ROI(2, 20, 3, 15))
both("warp chans", IBA.warp, A, SCALE, roi=ROI(0, 20, 0, 15, 0, 1, 1, 3))
both("warp short matrix", IBA.warp, A, (1, 0, 0, 0, 1, 0))
both("warp bad filter", IBA.warp, A, SCALE, "nope")
for t in ("uint8", "half"):
    for n in (1, 2, 4, 5):
        out("warp %s %dch" % (t, n), IBA.warp(ramp(14, 11, n, t, seed=20 + n, lo=0.0, hi=1.0), M45, "gaussian"))
B = ramp(16, 12, 4, "half", x=5, y=3, seed=4, lo=0.0, hi=1.0)
B.set_full(0, 30, 0, 20, 0, 1)
both("warp window", IBA.warp, B, SCALE, wrap="clamp")
both("warp window periodic", IBA.warp, B, SCALE, wrap="periodic", recompute_roi=True)

# rotate
both("rotate 30", IBA.rotate, A, math.radians(30.0))
both("rotate 45 recompute", IBA.rotate, A, math.radians(45.0), recompute_roi=True)
both("rotate center", IBA.rotate, A, math.radians(45.0), 5.0, 6.0)
both("rotate center box", IBA.rotate, A, 0.3, 10.0, 4.0, "box", 1.5, True)
both("rotate filter", IBA.rotate, A, -1.1, filtername="catmull-rom")
both("rotate window", IBA.rotate, B, 0.7, recompute_roi=True)
both("rotate roi", IBA.rotate, A, 0.5, roi=ROI(3, 15, 2, 12))
both("rotate uint8", IBA.rotate, ramp(13, 9, 4, "uint8", seed=6, lo=0.0, hi=1.0), 2.0)
both("rotate bad filter", IBA.rotate, A, 0.5, "nope")

# st_warp
# The ST image covers the whole output: OIIO leaves output pixels outside
# it uninitialized.
H, W = 18, 24
ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
st = np.zeros((H, W, 3), np.float32)
st[..., 0] = (xs + 0.5) / W * 0.8 + 0.1 + 0.03 * np.sin(ys * 0.7)
st[..., 1] = (ys + 0.5) / H * 0.9 + 0.02 * np.cos(xs * 0.5)
st[..., 2] = 1.0 - st[..., 0]
ST = ImageBuf(st)
S = ramp(24, 18, 3, "float", seed=2, lo=0.0, hi=1.0)
both("st_warp", IBA.st_warp, S, ST)
both("st_warp flip", IBA.st_warp, S, ST, flip_s=True, flip_t=True)
both("st_warp chans", IBA.st_warp, S, ST, chan_s=2, chan_t=0)
both("st_warp box", IBA.st_warp, S, ST, "box")
for f in ("triangle", "mitchell", "disk", "radial-lanczos3", "gaussian"):
    out("st_warp %s" % f, IBA.st_warp(S, ST, f, 3.0))
both("st_warp roi", IBA.st_warp, S, ST, roi=ROI(3, 20, 2, 10))
both("st_warp roi chans", IBA.st_warp, S, ST, roi=ROI(0, 24, 0, 18, 0, 1, 1, 3))
both("st_warp half", IBA.st_warp, ramp(24, 18, 4, "half", seed=3, lo=0.0, hi=1.0), ST)
both("st_warp uint8 st", IBA.st_warp, S, ImageBuf(st).copy("uint16"))
both("st_warp bad chan", IBA.st_warp, S, ST, chan_s=3)
both("st_warp bad chan t", IBA.st_warp, S, ST, chan_t=5)
both("st_warp no st", IBA.st_warp, S, ImageBuf())
both("st_warp bad filter", IBA.st_warp, S, ST, "nope")
