# colormatrixtransform: row-vector matrices, unpremult handling (alpha 0,
# already-unassociated images), 1/2/3/4/5-channel images, identity, in place,
# pixel types, ROIs, and a matrix of the wrong size.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp, both, show

M = tuple((i + 1) / 10.0 for i in range(16))
SAT = (1.2, -0.1, -0.1, 0, -0.1, 1.2, -0.1, 0, -0.1, -0.1, 1.2, 0, 0.05, 0.0, -0.05, 1)
IDENT = (1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)
for t in TYPES:
    A = ramp(4, 3, 4, t, x=1, y=1, seed=21, lo=0.0, hi=1.0)
    A.specmod().alpha_channel = 3
    A.setpixel(1, 1, (0.3, 0.2, 0.1, 0.0))
    both("matrix %s" % t, IBA.colormatrixtransform, A, M)
    both("matrix no unpremult %s" % t, IBA.colormatrixtransform, A, SAT, False)
    both("matrix roi %s" % t, IBA.colormatrixtransform, A, SAT, roi=ROI(2, 4, 1, 3))
    both("identity %s" % t, IBA.colormatrixtransform, A, IDENT)
    for n in (1, 2, 3, 5):
        both("matrix %dch %s" % (n, t), IBA.colormatrixtransform, ramp(3, 2, n, t, seed=22 + n), SAT)
U = ramp(3, 2, 4, "float", seed=30, lo=0.0, hi=1.0)
U.specmod().alpha_channel = 3
U.specmod().attribute("oiio:UnassociatedAlpha", 1)
both("unassociated", IBA.colormatrixtransform, U, M)
F = ramp(3, 2, 5, "float", seed=31)
print("in place 5ch:", IBA.colormatrixtransform(F, F, SAT))
show("in place 5ch", F)
both("short matrix", IBA.colormatrixtransform, U, (1, 2, 3))
both("list matrix", IBA.colormatrixtransform, U, list(SAT))
