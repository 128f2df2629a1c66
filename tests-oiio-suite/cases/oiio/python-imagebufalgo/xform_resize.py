# resize: every filter of filter_list up and down by non-integer factors,
# default filter choice, explicit widths, pixel types, channel counts,
# non-zero data-window origins, display windows, dst ROIs, errors.
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _iba import ramp
from _xform import out, both

filters = oiio.get_string_attribute("filter_list").split(";")
print("filters:", filters)
A = ramp(23, 17, 3, "float", seed=1, lo=0.0, hi=1.0)
# (sizes keep the vertical footprint no taller than the horizontal one: for
# the non-separable filters OIIO otherwise walks past its pixel range)
for f in filters:
    out("down %s" % f, IBA.resize(A, f, roi=ROI(0, 10, 0, 8)))
    out("up %s" % f, IBA.resize(A, f, roi=ROI(0, 37, 0, 29)))
for f in ("lanczos3", "mitchell", "box", "gaussian"):
    out("width2 %s" % f, IBA.resize(A, f, 2.0, roi=ROI(0, 13, 0, 9)))
    out("width7.5 %s" % f, IBA.resize(A, f, filterwidth=7.5, roi=ROI(0, 31, 0, 11)))
# default filter: blackman-harris when enlarging in either direction
both("default down", IBA.resize, A, roi=ROI(0, 11, 0, 8))
both("default up", IBA.resize, A, roi=ROI(0, 40, 0, 30))
both("default mixed", IBA.resize, A, roi=ROI(0, 40, 0, 8))
both("same size", IBA.resize, A)
for t in ("uint8", "uint16", "half", "float"):
    for n in (1, 2, 3, 4, 5):
        B = ramp(19, 13, n, t, seed=10 + n, lo=0.0, hi=1.0)
        out("type %s %dch" % (t, n), IBA.resize(B, roi=ROI(0, 8, 0, 6)))
    out("type up %s" % t, IBA.resize(ramp(9, 7, 4, t, seed=3, lo=0.0, hi=1.0), "catmull-rom", roi=ROI(0, 21, 0, 15)))
# non-zero data window origin, display window larger than the data
C = ramp(16, 12, 3, "float", x=5, y=3, seed=4, lo=0.0, hi=1.0)
both("origin", IBA.resize, C, roi=ROI(0, 10, 0, 8))
both("origin offset roi", IBA.resize, C, roi=ROI(3, 12, 2, 9))
D = ramp(16, 12, 3, "half", x=5, y=3, seed=5, lo=0.0, hi=1.0)
D.set_full(0, 30, 0, 20, 0, 1)
both("display window", IBA.resize, D, "lanczos3", roi=ROI(0, 12, 0, 8))
both("display window up", IBA.resize, D, "mitchell", roi=ROI(0, 45, 0, 31))
# into an existing destination with its own windows and a partial ROI
E = ImageBuf(oiio.ImageSpec(12, 9, 3, "float"))
print("into dst:", IBA.resize(E, A, "triangle"))
out("into dst", E)
F = ImageBuf(oiio.ImageSpec(12, 9, 3, "uint8"))
print("into dst roi:", IBA.resize(F, A, "bspline", roi=ROI(2, 7, 1, 5)))
out("into dst roi", F)
# errors
both("unknown filter", IBA.resize, A, "catrom", roi=ROI(0, 5, 0, 5))
both("bad name", IBA.resize, A, "nope", roi=ROI(0, 5, 0, 5))
both("uninitialized", IBA.resize, ImageBuf(), roi=ROI(0, 5, 0, 5))
