# checker: cell sizes, offsets (positive, negative, larger than a cell),
# colours sized by the binding, pixel types with non-zero origins, ROIs
# that overlap partly or pick channels, a volume, the returning form, and
# the upstream python-imagebufalgo / oiiotool-pattern images.
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ImageSpec, ROI
from _iba import TYPES, ramp, show

for t in TYPES:
    A = ramp(9, 7, 3, t, x=-3, y=2, seed=11)
    print("checker", t, IBA.checker(A, 2, 3, 1, (0.1, 0.2, 0.3), (0.9, 0.8, 0.7)))
    show("checker %s" % t, A)
    print("checker off", t, IBA.checker(A, 3, 2, 1, (1,), (0, 0.5), 1, -1, 0, ROI(-5, 3, 0, 20)))
    show("checker off %s" % t, A)
    print("checker chans", t, IBA.checker(A, 1, 1, 1, (0.25, 0.5, 0.75), (0.6,), roi=ROI(0, 9, 4, 6, 0, 1, 1, 3)))
    show("checker chans %s" % t, A)

for off in [(0, 0), (5, 7), (-4, -9), (13, 2), (-1, 1)]:
    show("checker ret off %s" % (off,), IBA.checker(3, 2, 1, (0,), (1,), off[0], off[1], 0, ROI(-4, 5, -3, 3, 0, 1, 0, 1)))
show("checker ret negsize", IBA.checker(-2, 3, 1, (0,), (1,), 0, 0, 0, ROI(-3, 4, 0, 2, 0, 1, 0, 1)))
show("checker ret big", IBA.checker(100, 100, 1, (0.3, 0.4), (0.6, 0.7), roi=ROI(0, 3, 0, 2, 0, 1, 0, 2)))
show("checker ret kw", IBA.checker(width=1, height=2, depth=1, color1=(0.5,), color2=(0.25,), yoffset=1, roi=ROI(0, 3, 0, 4, 0, 1, 0, 1)))
show("checker ret noroi", IBA.checker(2, 2, 1, (1,), (0,)))
b = ImageBuf()
print("checker dst noroi", IBA.checker(b, 2, 2, 1, (1,), (0,)), repr(b.geterror()))

# A volume: the z cells alternate too.
spec = ImageSpec(4, 3, 1, "float")
spec.depth = 3
spec.full_depth = 3
v = ImageBuf(spec)
print("checker volume", IBA.checker(v, 2, 2, 2, (1,), (0,), 0, 0, 1))
show("checker volume", v)

# Upstream images.
b = ImageBuf(ImageSpec(256, 256, 3, oiio.UINT8))
IBA.checker(b, 64, 64, 64, (1, .5, .5), (.5, 1, .5), 10, 5)
b.write("checker.tif")
c = ImageBuf(ImageSpec(256, 256, 3, oiio.UINT8))
IBA.checker(c, 8, 8, 8, (0, 0, 0), (1, 1, 1))
c.write("checker8.tif")
IBA.checker(16, 16, 1, (.1, .1, .1), (0, 0, 0), roi=ROI(0, 256, 0, 256, 0, 1, 0, 3)).write("checker16.exr")
