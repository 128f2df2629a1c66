# pixelindex(x, y, z, check_range=False): the linear index of a pixel in the
# data window; with check_range=True coordinates outside give -1.
import numpy as np
import OpenImageIO as oiio
from _common import probe

b = oiio.ImageBuf(oiio.ImageSpec(4, 3, 2, "float"))
COORDS = [(0, 0, 0), (1, 2, 0), (3, 2, 0), (4, 0, 0), (4, 3, 0), (5, 5, 0),
          (-1, -1, 0), (-1, 0, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1), (2, 1, 0)]


def table(label):
    print("##", label, "roi", b.roi)
    for x, y, z in COORDS:
        print("  ", (x, y, z), b.pixelindex(x, y, z), b.pixelindex(x, y, z, True),
              b.pixelindex(x, y, z, check_range=False), b.pixelindex(x=x, y=y, z=z, check_range=True))


table("4x3 at the origin")
b.set_origin(1, 2)
table("moved to (1, 2)")
b.set_full(0, 100, 0, 100, 0, 1)
table("display window 100x100 (no effect)")

v = oiio.ImageBuf(np.zeros((3, 2, 2, 1), np.float32))
print("volume 2x2x3 roi", v.roi)
for z in range(-1, 4):
    print("   z=%d:" % z, [v.pixelindex(x, y, z) for y in range(2) for x in range(2)],
          [v.pixelindex(x, y, z, True) for y in range(2) for x in range(2)])

e = oiio.ImageBuf()
print("empty buffer:", e.pixelindex(0, 0, 0), e.pixelindex(0, 0, 0, True),
      e.pixelindex(3, 4, 0), e.pixelindex(-1, 0, 0, True))

probe("pixelindex(0, 0)", lambda: b.pixelindex(0, 0))
probe("pixelindex(0.5, 0, 0)", lambda: b.pixelindex(0.5, 0, 0))
probe("pixelindex(0, 0, 0, 'yes')", lambda: b.pixelindex(0, 0, 0, "yes"))
probe("pixelindex(0, 0, 0, 1)", lambda: b.pixelindex(0, 0, 0, 1))
