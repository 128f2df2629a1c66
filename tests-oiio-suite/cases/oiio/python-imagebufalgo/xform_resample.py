# resample (interpolate True/False) and fit (fill modes, exact, filters):
# non-integer factors, pixel types, channel counts, data-window origins,
# channel-subset ROIs, the windows fit leaves on its result.
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _iba import ramp
from _xform import out, both

A = ramp(23, 17, 3, "float", seed=1, lo=0.0, hi=1.0)
for interp in (True, False):
    tag = "interp" if interp else "nearest"
    both("resample down %s" % tag, IBA.resample, A, interp, roi=ROI(0, 10, 0, 7))
    both("resample up %s" % tag, IBA.resample, A, interpolate=interp, roi=ROI(0, 37, 0, 29))
    for t in ("uint8", "uint16", "half", "float"):
        for n in (1, 2, 4, 5):
            B = ramp(19, 13, n, t, seed=10 + n, lo=0.0, hi=1.0)
            out("resample %s %s %dch" % (tag, t, n), IBA.resample(B, interp, ROI(0, 8, 0, 6)))
    C = ramp(16, 12, 3, "half", x=5, y=3, seed=4, lo=0.0, hi=1.0)
    C.set_full(0, 30, 0, 20, 0, 1)
    both("resample window %s" % tag, IBA.resample, C, interp, ROI(0, 12, 0, 9))
    both("resample window up %s" % tag, IBA.resample, C, interp, ROI(0, 47, 0, 33))
    both("resample chans %s" % tag, IBA.resample, A, interp, ROI(0, 9, 0, 8, 0, 1, 1, 3))
    D = ImageBuf(oiio.ImageSpec(12, 9, 3, "float"))
    print("resample into dst %s:" % tag, IBA.resample(D, A, interp, ROI(2, 9, 1, 7)))
    out("resample into dst %s" % tag, D)
both("resample default", IBA.resample, A, roi=ROI(0, 5, 0, 4))
both("resample uninit", IBA.resample, ImageBuf(), roi=ROI(0, 5, 0, 4))

# fit
G = ramp(40, 25, 3, "float", seed=7, lo=0.0, hi=1.0)
T = ramp(20, 32, 4, "half", seed=8, lo=0.0, hi=1.0)
for name, src in (("wide", G), ("tall", T)):
    for mode in ("letterbox", "width", "height", "bogus"):
        for exact in (False, True):
            lab = "fit %s %s%s" % (name, mode, " exact" if exact else "")
            both(lab, IBA.fit, src, fillmode=mode, exact=exact, roi=ROI(0, 30, 0, 22))
    both("fit %s square" % name, IBA.fit, src, roi=ROI(0, 16, 0, 16))
    both("fit %s up" % name, IBA.fit, src, "mitchell", roi=ROI(0, 64, 0, 48))
    both("fit %s offset" % name, IBA.fit, src, roi=ROI(5, 35, 3, 25))
both("fit box width", IBA.fit, G, "box", 2.0, "width", roi=ROI(0, 20, 0, 20))
both("fit exact bh", IBA.fit, G, "blackman-harris", fillmode="letterbox", exact=True, roi=ROI(0, 27, 0, 19))
both("fit no resize", IBA.fit, G, roi=ROI(0, 40, 0, 25))
both("fit no resize larger", IBA.fit, G, roi=ROI(0, 40, 0, 31))
U = ramp(20, 14, 3, "uint8", seed=9, lo=0.0, hi=1.0)
both("fit uint8", IBA.fit, U, roi=ROI(0, 12, 0, 12))
both("fit bad filter", IBA.fit, G, "nope", roi=ROI(0, 12, 0, 12))
E = ImageBuf()
print("fit default roi:", IBA.fit(E, G))
out("fit default roi", E)
