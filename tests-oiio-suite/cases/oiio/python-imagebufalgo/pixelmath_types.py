# add/sub/absdiff/mul/div/min/max with image and constant operands, across
# pixel types, mismatched channel counts and offset data windows; ROIs that
# overlap partly or select a channel subset.
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp, both

ops = ["add", "sub", "absdiff", "mul", "div", "min", "max"]
for ta in TYPES:
    for tb in TYPES:
        A = ramp(4, 3, 3, ta, seed=1)
        B = ramp(3, 3, 3, tb, x=1, y=1, seed=2)
        for name in ops:
            both("%s %s %s" % (name, ta, tb), getattr(IBA, name), A, B)
        # Different channel counts (not for max, which then reads past the
        # smaller image's pixels, beyond its last one: undefined in OIIO).
        B4 = ramp(3, 3, 4, tb, x=1, y=1, seed=2)
        for name in ops[:-1]:
            both("%s %s %s 4ch" % (name, ta, tb), getattr(IBA, name), A, B4)
for t in TYPES:
    A = ramp(4, 3, 3, t, x=2, y=-1, seed=3)
    for name in ops:
        f = getattr(IBA, name)
        both("%s %s const1" % (name, t), f, A, 0.5)
        both("%s %s const4" % (name, t), f, A, (0.1, -0.2, 2.0, 7.0))
        both("%s %s roi-chan" % (name, t), f, A, (0.3, 0.6, 0.9), roi=ROI(2, 4, 0, 2, 0, 1, 1, 3))
        both("%s %s roi-out" % (name, t), f, A, ramp(2, 2, 3, t, seed=4), roi=ROI(0, 5, -2, 1))
