# expect-error
# Derived ROI properties are read-only.
import OpenImageIO as oiio

r = oiio.ROI(0, 4, 0, 4)
print("width:", r.width)
r.width = 8
