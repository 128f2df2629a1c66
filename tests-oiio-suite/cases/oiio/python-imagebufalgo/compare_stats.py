# computePixelStats: both call forms, pixel types, NaN/Inf, ROIs (channel
# subsets, partly outside the data window, offset windows), volumes, errors,
# and the PixelStats class itself.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp


def dump(label, s):
    print(label)
    for name in ("min", "max", "avg", "stddev", "nancount", "infcount", "finitecount", "sum", "sum2"):
        print("   ", name, getattr(s, name))


p = oiio.PixelStats()
print(type(p).__name__, type(p).__module__, p.min, p.max, p.sum, p.finitecount)
try:
    p.min = [1.0]
except AttributeError as e:
    print("AttributeError", e)

for t in TYPES:
    A = ramp(5, 4, 3, t, seed=11)
    dump("stats " + t, IBA.computePixelStats(A))
    dump("stats %s roi-chan" % t, IBA.computePixelStats(A, ROI(1, 4, 1, 3, 0, 1, 1, 2)))
    dump("stats %s roi-out" % t, IBA.computePixelStats(A, roi=ROI(3, 8, -2, 2, 0, 1, 0, 3)))
    B = ramp(4, 3, 4, t, x=3, y=-2, seed=12)
    dump("stats %s offset" % t, IBA.computePixelStats(B, nthreads=1))
    st = oiio.PixelStats()
    print("deprecated form", IBA.computePixelStats(B, st, ROI(3, 5, -2, 0, 0, 1, 2, 4)), st.min, st.avg)

# NaN and Inf in float and half
for t in ("float", "half"):
    a = np.linspace(-2.0, 3.0, 4 * 3 * 3).astype(np.float32).reshape(3, 4, 3)
    a[0, 1, 0] = np.nan
    a[1, 2, 0] = np.inf
    a[2, 3, 1] = -np.inf
    a[2, 0, 1] = np.nan
    a[:, :, 2] = np.nan
    b = ImageBuf(ImageSpec(4, 3, 3, t))
    b.set_pixels(ROI(), a)
    dump("nan/inf " + t, IBA.computePixelStats(b))

# Negative zeros: which zero min/max keep.
z = ImageBuf(ImageSpec(3, 1, 2, "float"))
z.set_pixels(ROI(), np.array([[[0.0, -0.0], [-0.0, 0.0], [0.0, -0.0]]], dtype=np.float32))
dump("zeros", IBA.computePixelStats(z))

# Many rows (several 64-row pieces) with values whose sums are exact.
big = ImageBuf(ImageSpec(70, 200, 2, "float"))
vals = (np.arange(70 * 200 * 2) % 37).astype(np.float32).reshape(200, 70, 2) / 64.0
big.set_pixels(ROI(), vals)
dump("big", IBA.computePixelStats(big))
dump("big 1 thread", IBA.computePixelStats(big, ROI(5, 60, 10, 190, 0, 1, 1, 2), nthreads=1))

# A volume.
vol = ImageBuf(ImageSpec(3, 2, 2, "float"))
vspec = ImageSpec(3, 2, 2, "float")
vspec.depth = 2
vol = ImageBuf(vspec)
vol.set_pixels(ROI(0, 3, 0, 2, 0, 2, 0, 2), (np.arange(24, dtype=np.float32).reshape(2, 2, 3, 2) / 8))
dump("volume", IBA.computePixelStats(vol))

# Errors: an empty image, a ROI with no channels.
e = ImageBuf()
s = IBA.computePixelStats(e)
print("empty:", s.min, s.finitecount, "error:", e.geterror())
st = oiio.PixelStats()
print("empty deprecated:", IBA.computePixelStats(e, st), st.min, e.geterror())
A = ramp(3, 3, 3, "float", seed=5)
dump("no channels", IBA.computePixelStats(A, ROI(0, 3, 0, 3, 0, 1, 2, 2)))
dump("empty roi", IBA.computePixelStats(A, ROI(1, 1, 0, 3, 0, 1, 0, 3)))
