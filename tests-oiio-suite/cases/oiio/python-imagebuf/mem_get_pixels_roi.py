# get_pixels with a region: full, partial, channel subsets, regions partly
# or wholly outside the data window, z ranges on a 2-D image, empty regions.
# The image is 4x3 with 3 channels, placed at (10, 20); pixel value encodes
# (row, column, channel) as 100*y + 10*x + c.
import numpy as np
import OpenImageIO as oiio
from _common import flush

y, x, c = np.mgrid[0:3, 0:4, 0:3]
b = oiio.ImageBuf((100 * y + 10 * x + c).astype(np.float32))
b.set_origin(10, 20)
print("roi", b.roi, "roi_full", b.roi_full)


def g(label, *args, **kw):
    try:
        r = b.get_pixels(*args, **kw)
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        if r is None:
            print(label, "-> None")
        else:
            print(label, "->", r.dtype, r.shape, r.ravel().tolist())
    print("   error:", repr(b.geterror()))
    flush()


g("default")
g("ROI.All", oiio.FLOAT, oiio.ROI.All)
g("ROI()", oiio.FLOAT, oiio.ROI())
g("b.roi", oiio.FLOAT, b.roi)
g("x 11..13, y 21..23", oiio.FLOAT, oiio.ROI(11, 13, 21, 23))
g("one pixel", oiio.FLOAT, oiio.ROI(12, 13, 22, 23))
g("one row", oiio.FLOAT, oiio.ROI(10, 14, 21, 22))
g("one column", oiio.FLOAT, oiio.ROI(13, 14, 20, 23))
g("channels 1..3", oiio.FLOAT, oiio.ROI(10, 14, 20, 23, 0, 1, 1, 3))
g("channel 2 of one pixel", oiio.FLOAT, oiio.ROI(11, 12, 21, 22, 0, 1, 2, 3))
g("channels 1..7 (clipped to 3)", oiio.FLOAT, oiio.ROI(10, 12, 20, 21, 0, 1, 1, 7))
g("partly left/above", oiio.FLOAT, oiio.ROI(8, 12, 19, 21))
g("partly right/below", "uint8", oiio.ROI(13, 15, 22, 24))
g("wholly outside", oiio.FLOAT, oiio.ROI(0, 2, 0, 2))
g("origin-0 region", oiio.FLOAT, oiio.ROI(0, 4, 0, 3))
g("z 0..2 on a 2-D image", oiio.FLOAT, oiio.ROI(10, 11, 20, 21, 0, 2))
g("z -1..1 on a 2-D image", oiio.FLOAT, oiio.ROI(10, 11, 20, 21, -1, 1))
g("empty x range", oiio.FLOAT, oiio.ROI(10, 10, 20, 21))
g("keywords", format=oiio.UINT16, roi=oiio.ROI(10, 12, 20, 21))
g("roi keyword only", roi=oiio.ROI(12, 14, 22, 23))
g("half, partial", "half", oiio.ROI(12, 14, 21, 23, 0, 1, 0, 2))

# The display window does not limit get_pixels.
b.set_full(11, 12, 21, 22, 0, 1)
g("after shrinking the display window", oiio.FLOAT, oiio.ROI(10, 12, 20, 21))
