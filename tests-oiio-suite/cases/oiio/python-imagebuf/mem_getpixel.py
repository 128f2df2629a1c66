# getpixel inside and outside the data window with every wrap mode. Wrapping
# maps a coordinate into the display (full) window; if the wrapped pixel is
# still outside the data window the result is black.
import numpy as np
import OpenImageIO as oiio
from _common import probe

# 3x2 image, 2 channels; channel 0 holds 1..6, channel 1 holds 10x that.
a = np.array([[[1, 10], [2, 20], [3, 30]], [[4, 40], [5, 50], [6, 60]]],
             dtype=np.float32)
WRAPS = ["black", "clamp", "periodic", "mirror", "default", "bogus", ""]


def grid(b, wrap, xs, ys):
    return [[b.getpixel(x, y, 0, wrap)[0] for x in xs] for y in ys]


def show_all(b, title, xs=range(-4, 8), ys=range(-3, 5)):
    print("##", title, "| roi", b.roi, "| roi_full", b.roi_full)
    print("   x from", xs[0], "to", xs[-1], "; y from", ys[0], "to", ys[-1])
    for wrap in WRAPS:
        print("  %-9r" % wrap)
        for row in grid(b, wrap, xs, ys):
            print("     ", " ".join("%2d" % v for v in row))


b = oiio.ImageBuf(a)
print("inside:", b.getpixel(0, 0), b.getpixel(2, 1), b.getpixel(1, 0, 0))
print("types:", type(b.getpixel(0, 0)).__name__, type(b.getpixel(0, 0)[0]).__name__)
print("keywords:", b.getpixel(x=1, y=1), b.getpixel(x=1, y=1, z=0, wrap="clamp"),
      b.getpixel(2, 0, wrap="periodic"))
show_all(b, "data window == display window")
for wrap in WRAPS:
    print("z=1 and z=-1 with %r:" % wrap, b.getpixel(0, 0, 1, wrap), b.getpixel(2, 1, -1, wrap))

c = b.copy()
c.set_full(0, 4, 0, 4, 0, 1)
show_all(c, "display window larger than the data")

c = b.copy()
c.set_full(1, 3, 1, 2, 0, 1)
show_all(c, "display window inside the data")

c = b.copy()
c.set_origin(5, 7)
show_all(c, "data moved away from the display window", range(2, 11), range(5, 11))

# Integer pixel types come back normalised to 0..1 (or -1..1).
u = oiio.ImageBuf(np.array([[[0, 1, 128, 255]]], dtype=np.uint8))
print("uint8 pixel:", u.getpixel(0, 0))
s = oiio.ImageBuf(np.array([[[-128, -1, 0, 127]]], dtype=np.int8))
print("int8 pixel:", s.getpixel(0, 0))
h = oiio.ImageBuf(np.array([[[0.1, 65504, -np.inf, np.nan]]], dtype=np.float16))
print("half pixel:", h.getpixel(0, 0))
d = oiio.ImageBuf(np.array([[[0.1, 1e300, -1e-300, 2.5]]], dtype=np.float64))
print("double pixel:", d.getpixel(0, 0))

# A volume: z counts, and clamp/periodic/mirror apply to z as well.
v = oiio.ImageBuf(np.arange(2 * 2 * 2, dtype=np.float32).reshape(2, 2, 2, 1))
for wrap in ["black", "clamp", "periodic", "mirror"]:
    print("volume", wrap, [v.getpixel(1, 1, z, wrap)[0] for z in range(-3, 5)])

# Argument types.
probe("getpixel(0.5, 0)", lambda: b.getpixel(0.5, 0))
probe("getpixel('0', 0)", lambda: b.getpixel("0", 0))
probe("getpixel(0)", lambda: b.getpixel(0))
probe("getpixel(0, 0, wrap=1)", lambda: b.getpixel(0, 0, wrap=1))
probe("getpixel(0, 0, 0, None)", lambda: b.getpixel(0, 0, 0, None))
probe("getpixel(0, 0, 0, oiio.Wrap.Clamp)", lambda: b.getpixel(0, 0, 0, oiio.Wrap.Clamp))
probe("getpixel(np.int32(1), np.int64(0))", lambda: b.getpixel(np.int32(1), np.int64(0)))
probe("getpixel(True, False)", lambda: b.getpixel(True, False))
probe("getpixel(2**40, 0)", lambda: b.getpixel(2**40, 0))
probe("getpixel(-2**31, 0)", lambda: b.getpixel(-2**31, 0))
print("has_error:", b.has_error)
