# Module-level ROI helpers applied together on specs.
import OpenImageIO as oiio

a = oiio.ImageSpec(64, 32, 3, "float")
b = oiio.ImageSpec(16, 48, 4, "float")
oiio.set_roi(b, oiio.ROI(40, 80, -8, 40, 0, 1, 0, 4))
ra, rb = oiio.get_roi(a), oiio.get_roi(b)
print("a roi:", ra, "| b roi:", rb)
u = oiio.union(ra, rb)
i = oiio.intersection(ra, rb)
print("union:", u, "| intersection:", i)
c = oiio.ImageSpec(u, oiio.TypeHalf)
print("spec from union:", c.width, c.height, c.nchannels, c.x, c.y, c.format)
oiio.set_roi_full(c, i)
print("roi_full set to intersection:", oiio.get_roi_full(c), c.full_x, c.full_width)
print("get_roi result is a copy:", end=" ")
r = oiio.get_roi(c)
r.xbegin = 1000
print(oiio.get_roi(c).xbegin != 1000)
