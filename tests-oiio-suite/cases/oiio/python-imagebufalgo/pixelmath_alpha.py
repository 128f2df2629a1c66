# premult / unpremult / repremult and over / zover across pixel types,
# alpha 0 and 1 pixels, z channels, missing alpha, ROIs and offset windows.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ImageSpec, ROI
from _iba import TYPES, ramp, both, show


def rgba(t, x=0, y=0, seed=0, names=("R", "G", "B", "A")):
    b = ramp(4, 3, len(names), t, x=x, y=y, seed=seed, lo=0.0, hi=1.0)
    b.specmod().channelnames = list(names)
    if "A" in names:
        b.specmod().alpha_channel = list(names).index("A")
    if "Z" in names:
        b.specmod().z_channel = list(names).index("Z")
    # Exact 0 and 1 alphas in two pixels.
    if "A" in names:
        ai = list(names).index("A")
        p = list(b.getpixel(x, y)); p[ai] = 0.0; b.setpixel(x, y, p)
        p = list(b.getpixel(x + 1, y)); p[ai] = 1.0; b.setpixel(x + 1, y, p)
    return b


for t in TYPES:
    A = rgba(t, seed=1)
    for f in (IBA.premult, IBA.unpremult, IBA.repremult):
        both("%s %s" % (f.__name__, t), f, A)
        both("%s roi %s" % (f.__name__, t), f, A, roi=ROI(1, 3, 0, 2, 0, 1, 0, 2))
    noalpha = ramp(3, 2, 3, t, seed=2)
    both("premult noalpha %s" % t, IBA.premult, noalpha)
    z = rgba(t, seed=3, names=("R", "G", "B", "A", "Z"))
    both("unpremult with z %s" % t, IBA.unpremult, z)
    print("unpremult marks:", IBA.unpremult(A).spec().get_int_attribute("oiio:UnassociatedAlpha", -1),
          "premult clears:", IBA.premult(IBA.unpremult(A)).spec().get_int_attribute("oiio:UnassociatedAlpha", -1))
    for tb in TYPES:
        B = rgba(tb, x=1, y=1, seed=4)
        both("over %s %s" % (t, tb), IBA.over, A, B)
        za = rgba(t, seed=5, names=("R", "G", "B", "A", "Z"))
        zb = rgba(tb, x=1, y=0, seed=6, names=("R", "G", "B", "A", "Z"))
        both("zover %s %s" % (t, tb), IBA.zover, za, zb)
        both("zover zeroisinf %s %s" % (t, tb), IBA.zover, za, zb, True)
    both("over roi %s" % t, IBA.over, A, rgba(t, seed=7), roi=ROI(0, 3, 1, 3))
    both("over no alpha %s" % t, IBA.over, noalpha, noalpha)
    both("over channel mismatch %s" % t, IBA.over, A, rgba(t, seed=8, names=("R", "G", "A")))
    both("zover no z %s" % t, IBA.zover, A, A)
