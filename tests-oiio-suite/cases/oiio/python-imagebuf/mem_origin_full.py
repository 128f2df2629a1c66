# set_origin, set_full and the roi_full setter: what moves, what stays,
# and that pixels travel with the data window.
import numpy as np
import OpenImageIO as oiio
from _common import probe

b = oiio.ImageBuf(np.arange(1, 7, dtype=np.float32).reshape(2, 3, 1))


def st(label):
    s = b.spec()
    print(label, "| roi", b.roi, "| full", b.roi_full, "| spec x,y,z", s.x, s.y, s.z,
          "| full x,y,z,w,h,d", s.full_x, s.full_y, s.full_z,
          s.full_width, s.full_height, s.full_depth)


st("initial")
b.set_origin(10, 20)
st("set_origin(10, 20)")
print("   pixel (10,20)", b.getpixel(10, 20), "(12,21)", b.getpixel(12, 21),
      "(0,0)", b.getpixel(0, 0))
print("   get_pixels:", b.get_pixels().ravel().tolist())
b.set_origin(-3, -4, 2)
st("set_origin(-3, -4, 2)")
print("   pixel (-3,-4,2)", b.getpixel(-3, -4, 2), "(-3,-4,0)", b.getpixel(-3, -4, 0))
b.set_origin(x=1, y=1)
st("set_origin(x=1, y=1)")
b.set_origin(1, 1, z=0)
st("set_origin(1, 1, z=0)")

b.set_full(-5, 5, -6, 6, 0, 1)
st("set_full(-5, 5, -6, 6, 0, 1)")
b.set_full(0, 0, 0, 0, 0, 0)
st("set_full all zero")
b.set_full(3, 1, 4, 2, 0, 1)
st("set_full inverted")
b.set_full(0, 3, 0, 2, 0, 4)
st("set_full with depth 4")

b.roi_full = oiio.ROI(0, 8, 0, 9, 0, 1, 0, 1)
st("roi_full = ROI(0, 8, 0, 9, 0, 1, 0, 1)")
b.roi_full = oiio.ROI(0, 8, 0, 9, 0, 1, 1, 5)
st("roi_full with channels 1..5")
b.roi_full = oiio.ROI(1, 2, 3, 4)
st("roi_full = ROI(1, 2, 3, 4)")
b.roi_full = oiio.ROI()
st("roi_full = ROI() (undefined)")
b.roi_full = b.roi
st("roi_full = roi")

print("pixels unchanged by all this:", b.get_pixels().ravel().tolist())

probe("set_origin('a', 0)", lambda: b.set_origin("a", 0))
probe("set_origin(1.5, 0)", lambda: b.set_origin(1.5, 0))
probe("set_origin(0)", lambda: b.set_origin(0))
probe("set_full(0, 1, 0, 1)", lambda: b.set_full(0, 1, 0, 1))
probe("set_full(keywords)", lambda: b.set_full(xbegin=0, xend=1, ybegin=0, yend=1, zbegin=0, zend=1))
probe("set_full(ROI)", lambda: b.set_full(oiio.ROI(0, 1, 0, 1)))
probe("roi_full = None", lambda: setattr(b, "roi_full", None))
probe("roi_full = tuple", lambda: setattr(b, "roi_full", (0, 1, 0, 1)))
st("after refused calls")

# The same on an empty buffer.
e = oiio.ImageBuf()
e.set_origin(4, 5, 6)
e.set_full(1, 2, 3, 4, 5, 6)
print("empty:", e.initialized, e.roi, e.roi_full, e.spec().x, e.spec().full_x)
