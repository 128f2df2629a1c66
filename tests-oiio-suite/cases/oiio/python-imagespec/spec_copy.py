# copy(), copy constructor and copy_dimensions produce independent specs.
import OpenImageIO as oiio
from _common import dump

a = oiio.ImageSpec(32, 16, 4, "half")
a.attribute("keep", "original")
a.tile_width = 8
a.channelformats = ("half", "half", "half", "float")

b = a.copy()
b.width = 99
b.attribute("keep", "changed")
b.channelnames = ("a", "b", "c", "d")
dump(a, "original after modifying copy()")
dump(b, "copy() after modification")

c = oiio.ImageSpec(a)
c.attribute("extra", 1)
print("copy ctor independent:", "extra" in a, "extra" in c)

dimsrc = oiio.ImageSpec(11, 22, 1, oiio.HALF)
dimsrc.x = 3
dimsrc.full_width = 40
dimsrc.tile_width = 16
dimsrc.attribute("src_only", "x")
dst = oiio.ImageSpec(5, 5, 3, "uint8")
dst.attribute("keep_me", "still_here")
r = dst.copy_dimensions(dimsrc)
print("copy_dimensions returns:", r)
dump(dst, "after copy_dimensions")
print("src_only copied?", "src_only" in dst)
dst2 = oiio.ImageSpec()
dst2.copy_dimensions(other=a)
dump(dst2, "copy_dimensions(other=...) from a")
