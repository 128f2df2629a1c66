# Every ROI constructor overload and the resulting fields.
import OpenImageIO as oiio
from _common import show

show("ROI()", oiio.ROI())
show("ROI(0, 640, 100, 200)", oiio.ROI(0, 640, 100, 200))
show("ROI(0, 10, 0, 10, 2, 4)", oiio.ROI(0, 10, 0, 10, 2, 4))
show("ROI(0, 640, 0, 480, 0, 1, 0, 4)", oiio.ROI(0, 640, 0, 480, 0, 1, 0, 4))
show("ROI(-5, 5, -3, 3, -1, 1, 1, 3)", oiio.ROI(-5, 5, -3, 3, -1, 1, 1, 3))
src = oiio.ROI(1, 2, 3, 4, 5, 6, 7, 8)
show("ROI(ROI(1..8))", oiio.ROI(src))
show("ROI.All", oiio.ROI.All)
print("ROI.All == ROI():", oiio.ROI.All == oiio.ROI())
print("ROI.All is ROI.All:", oiio.ROI.All is oiio.ROI.All)
big = oiio.ROI(-2147483648, 2147483647, 0, 1)
show("extreme ROI", big)
