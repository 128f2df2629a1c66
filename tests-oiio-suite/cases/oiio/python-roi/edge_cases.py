# Degenerate ROIs: inverted ranges give negative sizes; npixels is unsigned.
import OpenImageIO as oiio
from _common import show

show("inverted x", oiio.ROI(5, 2, 0, 10))
r = oiio.ROI(0, 10, 0, 10)
r.xend = -3
show("xend=-3", r)
show("zero-size", oiio.ROI(3, 3, 0, 5))
show("undefined", oiio.ROI())
u = oiio.ROI()
u.xbegin = 0
show("undefined with xbegin=0", u)
