# zero and fill (one colour, vertical and four-corner gradients): dst forms
# on existing images of each pixel type with non-zero origins, ROIs that
# overlap partly or pick channels, returning forms with a ROI, the colour
# sizing of the binding (scalars, lists, too few / too many values), and
# the upstream python-imagebufalgo / oiiotool-pattern uses.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ImageSpec, ROI
from _iba import TYPES, ramp, show

for t in TYPES:
    A = ramp(5, 4, 3, t, x=2, y=-1, seed=5)
    print("zero", t, IBA.zero(A, ROI(3, 5, 0, 9, 0, 1, 1, 3)))
    show("zero %s" % t, A)
    B = ramp(5, 4, 3, t, x=-3, y=2, seed=6)
    print("zero all", IBA.zero(B))
    show("zero all %s" % t, B)

    C = ramp(6, 5, 4, t, x=-2, y=1, seed=7)
    print("fill1", t, IBA.fill(C, (0.25, 0.5, 0.75, 1.0), ROI(-5, 1, 0, 4)))
    print("fill1 chans", t, IBA.fill(C, (0.9, 0.1), ROI(0, 4, 3, 9, 0, 1, 1, 3)))
    print("fill1 scalar", t, IBA.fill(C, 0.4, ROI(3, 4, 1, 6)))
    show("fill1 %s" % t, C)

    D = ramp(5, 6, 3, t, x=1, y=-2, seed=8)
    print("fill2", t, IBA.fill(D, (0.0, 0.5, 1.0), (1.0, 0.25), ROI(0, 4, -3, 3)))
    print("fill2 chans", t, IBA.fill(D, 0.2, 0.8, ROI(3, 6, -2, 4, 0, 1, 2, 3)))
    show("fill2 %s" % t, D)

    E = ramp(6, 5, 3, t, x=-1, y=3, seed=9)
    print("fill4", t, IBA.fill(E, (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0)))
    show("fill4 %s" % t, E)
    print("fill4 roi", t, IBA.fill(E, (0.1,), [0.9, 0.2], (0.3, 0.3, 0.3, 7.0), 1.0, ROI(0, 9, 4, 6, 0, 1, 0, 2)))
    show("fill4 roi %s" % t, E)

# Returning forms: a float image of the ROI's shape.
show("zero ret", IBA.zero(ROI(1, 4, -1, 2, 0, 1, 0, 2)))
show("fill1 ret", IBA.fill((0.1, 0.2, 0.3), ROI(-2, 1, 0, 2, 0, 1, 0, 3)))
show("fill1 ret short", IBA.fill((0.1, 0.2), ROI(0, 2, 0, 2, 0, 1, 0, 4)))
show("fill1 ret empty", IBA.fill((), ROI(0, 2, 0, 1, 0, 1, 0, 2)))
show("fill2 ret", IBA.fill((0, 0, 0), (1, 1, 1), ROI(0, 2, 3, 8, 0, 1, 0, 3)))
show("fill2 ret 1row", IBA.fill((0.2,), (0.6,), ROI(0, 3, 0, 1, 0, 1, 0, 1)))
show("fill4 ret", IBA.fill((0, 0, 0), (1, 1, 1), (0, 0, 0), (1, 1, 1), ROI(0, 4, 0, 3, 0, 1, 0, 3)))
show("fill4 ret 1col", IBA.fill((0,), (1,), (0.5,), (1,), ROI(5, 6, 0, 3, 0, 1, 0, 1)))
show("fill np", IBA.fill(np.array([0.3, 0.6], dtype=np.float32), ROI(0, 2, 0, 1, 0, 1, 0, 2)))
show("fill kw", IBA.fill(top=(0.5,), bottom=(1.0,), roi=ROI(0, 1, 0, 3, 0, 1, 0, 1)))
# Errors: no ROI and nothing to take one from.
show("zero ret noroi", IBA.zero(ROI()))
show("fill ret noroi", IBA.fill((1, 2)))
show("fill2 ret noroi", IBA.fill((1,), (2,)))
b = ImageBuf()
print("fill dst noroi", IBA.fill(b, (1, 2)), repr(b.geterror()))
b = ImageBuf()
print("zero dst noroi", IBA.zero(b), repr(b.geterror()))
b = ImageBuf()
print("fill4 uninit roi", IBA.fill(b, (1,), (2,), (3,), (4,), ROI(0, 2, 0, 2, 0, 1, 0, 2)))
show("fill4 uninit roi", b)
try:
    IBA.fill(ImageBuf(), "red")
except Exception as e:
    print("fill str:", type(e).__name__)

# Upstream python-imagebufalgo / oiiotool-pattern images.
b = ImageBuf(ImageSpec(256, 256, 3, oiio.UINT8))
IBA.fill(b, (1, 0.5, 0.5))
IBA.fill(b, (0, 1, 0), ROI(100, 180, 100, 180))
b.write("filled.tif")
IBA.zero(roi=ROI(0, 320, 240, 300, 0, 1, 0, 3)).write("black.tif", "uint8")
a = ImageBuf(ImageSpec(128, 128, 3, oiio.HALF))
IBA.fill(a, topleft=(0, 0, 1), topright=(0, 1, 0), bottomleft=(1, 0, 1), bottomright=(1, 1, 0))
a.write("fill4.exr")
IBA.fill(a, top=0, bottom=1)
a.write("fill2.exr")
IBA.fill((0, 0, 0), (1, 1, 1), (0, 0, 0), (1, 1, 1), ROI(0, 64, 0, 64, 0, 1, 0, 3)).write("lrramp.tif", "uint8")
IBA.fill((0.1, 0.1, 0.1), (0, 0, 0.5), ROI(0, 64, 0, 64, 0, 1, 0, 3)).write("gradientv.tif", "uint8")
c = ImageBuf(ImageSpec(64, 64, 4, "float"))
IBA.fill(c, (0.1, 0.2, 0.3, 1))
print("constant stats", c.getpixel(0, 0), c.getpixel(63, 63))
