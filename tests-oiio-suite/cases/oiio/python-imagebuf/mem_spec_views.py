# spec(), nativespec() and specmod(): what they contain, and which of them
# see later changes made through the buffer.
import OpenImageIO as oiio


def brief(label, spec):
    print(label)
    print(spec.serialize("text", "detailed"), end="")


s = oiio.ImageSpec(4, 3, 2, "uint16")
s.x, s.y = 1, 2
s.full_width, s.full_height = 8, 6
s.attribute("origin_attr", "first")
s.attribute("Orientation", 1)
b = oiio.ImageBuf(s)
brief("spec():", b.spec())
brief("nativespec():", b.nativespec())
brief("specmod():", b.specmod())
print("types:", type(b.spec()).__name__, type(b.nativespec()).__name__,
      type(b.specmod()).__name__)

# Metadata added through specmod() shows in spec() but not in nativespec().
b.specmod().attribute("added", 7)
b.specmod()["also"] = "x"
print("spec() added/also:", b.spec().get_int_attribute("added"),
      b.spec().get_string_attribute("also"))
print("nativespec() added:", b.nativespec().get_int_attribute("added", -1))

# A spec() obtained earlier sees later changes (it refers to the buffer's
# spec), and changes made through it reach the buffer.
held = b.spec()
b.specmod().attribute("later", 1.5)
print("held spec sees later attribute:", held.get_float_attribute("later"))
held.attribute("through_held", "yes")
print("buffer sees attribute set through held spec:",
      b.spec().get_string_attribute("through_held"))

# Geometry changes made through the buffer.
b.set_origin(5, 6)
print("after set_origin: spec x,y", b.spec().x, b.spec().y,
      "nativespec x,y", b.nativespec().x, b.nativespec().y)
b.set_full(0, 20, 0, 30, 0, 1)
print("after set_full: spec full", b.spec().full_width, b.spec().full_height,
      "nativespec full", b.nativespec().full_width, b.nativespec().full_height)

# specmod() can change the data window fields directly.
b.specmod().x = -3
print("after specmod().x = -3: roi", b.roi, "xbegin", b.xbegin)
b.specmod().channelnames = ("L", "A")
print("renamed channels:", b.spec().channelnames, "nchannels", b.nchannels)

# Erasing metadata through specmod().
b.specmod().erase_attribute("origin_attr")
print("after erase:", [p.name for p in b.spec().extra_attribs])
print("nativespec still has:", [p.name for p in b.nativespec().extra_attribs])

# An empty buffer still has specs to look at.
e = oiio.ImageBuf()
brief("empty spec():", e.spec())
brief("empty nativespec():", e.nativespec())
e.specmod().attribute("on_empty", 3)
print("empty buffer accepts metadata:", e.spec().get_int_attribute("on_empty"),
      "initialized", e.initialized)
