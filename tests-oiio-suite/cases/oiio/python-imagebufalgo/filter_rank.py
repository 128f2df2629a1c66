# median_filter, dilate, erode: window sizes (1, even, odd, unequal,
# height <= 0 meaning the width), pixel types, channel counts and ROI
# channel subsets (all channels are filtered), ROIs partly outside the
# source (windows with no pixels), data-window origins, existing
# destinations, and errors.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import ramp, show, both, TYPES

OPS = [("median", IBA.median_filter), ("dilate", IBA.dilate), ("erode", IBA.erode)]

A = ramp(9, 7, 3, "float", seed=1, lo=0.0, hi=1.0)
for name, fn in OPS:
    both("%s default" % name, fn, A)
    for w, h in [(1, 1), (2, 2), (3, 3), (3, 1), (1, 3), (4, 4), (5, 5), (2, 5), (3, -1), (4, 0), (0, 0), (-2, 3), (7, 7), (20, 20)]:
        show("%s %dx%d" % (name, w, h), fn(A, w, h))
    show("%s kw" % name, fn(A, width=5, height=3))
    show("%s roi inside" % name, fn(A, 3, 3, roi=ROI(2, 7, 1, 5)))
    show("%s roi chans" % name, fn(A, 3, 3, roi=ROI(0, 9, 0, 7, 0, 1, 1, 2)))
    show("%s roi chans 2" % name, fn(A, 3, 3, roi=ROI(1, 8, 2, 6, 0, 1, 2, 3)))
    show("%s roi outside" % name, fn(A, 3, 3, roi=ROI(-3, 4, -2, 3)))
    show("%s roi far outside 1x1" % name, fn(A, 1, 1, roi=ROI(-4, 2, -3, 2)))
    for t in TYPES:
        for n in (1, 2, 4):
            B = ramp(8, 6, n, t, seed=20 + n, lo=0.0, hi=1.0)
            show("%s %s %dch" % (name, t, n), fn(B, 3, 3))
        show("%s %s outside" % (name, t), fn(ramp(5, 4, 2, t, seed=3, lo=0.0, hi=1.0), 1, 1, roi=ROI(-2, 3, -1, 2)))
    C = ramp(8, 6, 2, "half", x=3, y=-2, seed=4, lo=-0.5, hi=1.5)
    both("%s origin" % name, fn, C, 3, 3)
    show("%s origin roi" % name, fn(C, 5, 3, roi=ROI(4, 9, -1, 3)))
    D = ramp(8, 6, 2, "float", seed=5)
    D.set_full(-2, 10, -1, 4, 0, 1)
    show("%s display window" % name, fn(D, 3, 3))
    # into existing destinations
    E = ImageBuf(ImageSpec(9, 7, 3, "uint16"))
    print("%s into uint16:" % name, fn(E, A, 3, 3, roi=ROI(1, 6, 1, 5)))
    show("%s into uint16" % name, E)
    F = ImageBuf(ImageSpec(4, 3, 3, "float"))
    F.set_origin(3, 2)
    print("%s into offset dst:" % name, fn(F, A, 3, 3))
    show("%s into offset dst" % name, F)
    # errors
    G = ImageBuf(ImageSpec(9, 7, 2, "float"))
    print("%s channel mismatch:" % name, fn(G, A, 3, 3), G.geterror())
    both("%s uninitialized" % name, fn, ImageBuf())
    V = ImageBuf(ImageSpec(4, 4, 1, "float"))
    vs = ImageSpec(4, 4, 1, "float")
    vs.depth = 2
    show("%s volume" % name, fn(ImageBuf(vs), 3, 3))

# a structure that the rank filters change visibly: isolated dots and a bar
img = np.zeros((9, 11, 1), dtype=np.float32)
img[2, 3] = 1.0
img[6, 2:9] = 0.5
img[4, 8] = -1.0
S = ImageBuf(img)
for name, fn in OPS:
    show("%s structure" % name, fn(S, 3, 3))
    show("%s structure 5x1" % name, fn(S, 5, 1))
