# Reading and writing the begin/end fields; derived properties follow.
import OpenImageIO as oiio
from _common import show

r = oiio.ROI()
show("start", r)
r.xbegin = 0
show("after xbegin=0", r)
r.xend = 16
r.ybegin = 2
r.yend = 10
show("after x/y set", r)
r.zbegin = 1
r.zend = 4
r.chbegin = 1
r.chend = 3
show("after z/ch set", r)
r.chend = 100000
show("huge chend", r)
r.xbegin = r.xend
show("empty width", r)

# Modifying a copy-constructed ROI leaves the original alone.
a = oiio.ROI(0, 640, 0, 480, 0, 1, 0, 4)
b = oiio.ROI(a)
b.xend = 320
print("a =", a)
print("b =", b)
c = a.copy()
c.xbegin = 42
print("a after copy() change =", a)
print("c =", c)
# properties hold plain ints
print(type(a.xbegin).__name__, type(a.width).__name__, type(a.npixels).__name__,
      type(a.defined).__name__)
