# abs, invert, pow, clamp, mad and scale across pixel types and ROIs.
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp, both

for t in TYPES:
    A = ramp(4, 3, 4, t, x=1, y=2, seed=5)
    A.specmod().alpha_channel = 3
    both("abs %s" % t, IBA.abs, A)
    both("invert %s" % t, IBA.invert, A)
    both("invert roi %s" % t, IBA.invert, A, roi=ROI(1, 3, 2, 4, 0, 1, 0, 2))
    both("pow %s" % t, IBA.pow, A, (2.0, 0.5))
    both("pow1 %s" % t, IBA.pow, A, 0.4545)
    both("clamp %s" % t, IBA.clamp, A, 0.2, 0.7)
    both("clamp tuples %s" % t, IBA.clamp, A, (0.0, 0.1), (0.9,), True)
    both("clamp alpha %s" % t, IBA.clamp, A, -10.0, 10.0, clampalpha01=True)
    for tb in TYPES:
        B = ramp(3, 3, 4, tb, x=2, y=2, seed=6)
        C = ramp(4, 2, 4, "float", x=1, y=3, seed=7)
        both("mad iii %s %s" % (t, tb), IBA.mad, A, B, C)
        both("mad ici %s %s" % (t, tb), IBA.mad, A, (2.0, 0.5), C)
        both("mad cii %s %s" % (t, tb), IBA.mad, 0.25, B, C)
        both("mad icc %s %s" % (t, tb), IBA.mad, A, 1.5, (0.1, 0.2, 0.3, 0.4))
    S = ramp(4, 3, 1, t, seed=8)
    both("scale %s" % t, IBA.scale, A, S)
    both("scale swapped %s" % t, IBA.scale, S, A)
    both("scale bad %s" % t, IBA.scale, A, A)
