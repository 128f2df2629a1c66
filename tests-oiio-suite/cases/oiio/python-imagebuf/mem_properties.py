# Read-only properties of in-memory ImageBufs: window bounds, types, file
# related fields, and which properties can be assigned.
import numpy as np
import OpenImageIO as oiio
from _common import probe

NAMES = ["initialized", "nchannels", "xbegin", "xend", "ybegin", "yend",
         "zbegin", "zend", "xmin", "xmax", "ymin", "ymax", "zmin", "zmax",
         "pixeltype", "name", "file_format_name", "subimage", "miplevel",
         "nsubimages", "nmiplevels", "pixels_valid", "deep", "orientation",
         "has_error", "has_thumbnail"]


def props(title, buf):
    print("##", title)
    for n in NAMES:
        v = getattr(buf, n)
        print("  %s = %r (%s)" % (n, v, type(v).__name__))
    print("  roi =", buf.roi, "| roi_full =", buf.roi_full)
    print("  roi type:", type(buf.roi).__name__, "defined:", buf.roi.defined)


props("empty", oiio.ImageBuf())

spec = oiio.ImageSpec(4, 3, 3, "uint16")
spec.x, spec.y = 2, 5
spec.full_x, spec.full_y, spec.full_width, spec.full_height = -1, 0, 10, 12
props("4x3 uint16 at (2,5), display 10x12 at (-1,0)", oiio.ImageBuf(spec))

vol = np.zeros((3, 2, 4, 1), np.float32)
b = oiio.ImageBuf(vol)
b.set_origin(1, 2, 3)
props("volume 4x2x3 moved to (1,2,3)", b)

props("from a 2-D int16 array", oiio.ImageBuf(np.zeros((2, 5), np.int16)))

# The roi property returns a copy: changing it does not change the buffer.
b = oiio.ImageBuf(oiio.ImageSpec(2, 2, 1, "float"))
r = b.roi
r.xbegin = 100
print("changed copy:", r, "| buffer roi:", b.roi)
rf = b.roi_full
rf.xend = 77
print("changed roi_full copy:", rf, "| buffer roi_full:", b.roi_full)

# Assigning read-only properties.
for n in ["initialized", "nchannels", "xbegin", "xmax", "pixeltype", "name",
          "file_format_name", "subimage", "pixels_valid", "deep", "has_error",
          "has_thumbnail", "roi", "oriented_width"]:
    probe("set %s" % n, lambda n=n: setattr(b, n, getattr(b, n)))
probe("set unknown attribute", lambda: setattr(b, "no_such_thing", 1))
probe("read unknown attribute", lambda: b.no_such_thing)
