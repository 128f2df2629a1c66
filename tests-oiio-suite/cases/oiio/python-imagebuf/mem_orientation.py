# orientation and the oriented_* properties, driven by the "Orientation"
# metadata (set through specmod() or through the orientation property).
import OpenImageIO as oiio
from _common import probe

s = oiio.ImageSpec(4, 3, 1, "float")
s.x, s.y = 2, 5
s.full_x, s.full_y, s.full_width, s.full_height = -1, 1, 10, 12
b = oiio.ImageBuf(s)


def oriented(label):
    print(label, "orientation", b.orientation,
          "| oriented w,h,x,y", b.oriented_width, b.oriented_height,
          b.oriented_x, b.oriented_y,
          "| oriented full w,h,x,y", b.oriented_full_width,
          b.oriented_full_height, b.oriented_full_x, b.oriented_full_y)


oriented("no metadata:")
for o in range(0, 10):
    b.specmod().attribute("Orientation", o)
    oriented("Orientation=%d:" % o)

b.specmod().attribute("Orientation", "6")
oriented("Orientation as string '6':")
b.specmod().attribute("Orientation", 6.0)
oriented("Orientation as float 6.0:")
b.specmod().erase_attribute("Orientation")
oriented("erased:")

for o in (8, 3, 0, 99, -3):
    b.orientation = o
    oriented("b.orientation = %d:" % o)
    print("   metadata now:", b.spec().getattribute("Orientation"))

probe("orientation = 1.5", lambda: setattr(b, "orientation", 1.5))
probe("orientation = '2'", lambda: setattr(b, "orientation", "2"))
probe("orientation = None", lambda: setattr(b, "orientation", None))

# The empty buffer answers too.
e = oiio.ImageBuf()
print("empty:", e.orientation, e.oriented_width, e.oriented_height,
      e.oriented_x, e.oriented_y, e.oriented_full_width,
      e.oriented_full_height, e.oriented_full_x, e.oriented_full_y)
e.orientation = 5
print("empty after orientation=5:", e.orientation, e.oriented_width,
      e.initialized)
