# fillholes_pushpull: holes (alpha 0 / partial alpha) filled from the opaque
# parts, across pixel types, odd sizes, offset data windows; errors for
# images without alpha.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ImageSpec, ROI
from _iba import TYPES, ramp, both, show

for t in TYPES:
    for (w, h) in ((16, 12), (13, 7), (1, 5)):
        A = ramp(w, h, 4, t, x=3, y=-2, seed=41, lo=0.0, hi=1.0)
        A.specmod().alpha_channel = 3
        rng = np.random.default_rng(42)
        for y in range(-2, h - 2):
            for x in range(3, w + 3):
                if rng.random() < 0.4:
                    A.setpixel(x, y, (0.0, 0.0, 0.0, 0.0))
        r = IBA.fillholes_pushpull(A)
        show("fill %s %dx%d" % (t, w, h), r)
        r.write("fill_%s_%dx%d.exr" % (t, w, h), "float")
both("fill no alpha", IBA.fillholes_pushpull, ramp(4, 4, 3, "float", seed=43))
d = ImageBuf(ImageSpec(4, 4, 3, "float"))
B = ramp(4, 4, 4, "float", seed=44)
B.specmod().alpha_channel = 3
print("into 3-channel dst:", IBA.fillholes_pushpull(d, B), d.geterror())
