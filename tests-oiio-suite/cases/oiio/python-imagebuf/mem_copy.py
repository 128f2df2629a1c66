# copy() / copy(format) returning a new buffer, and copy(src, format) into
# an existing one: geometry, metadata and pixels are copied, the pixel type
# converted on request; the copies are independent.
import numpy as np
import OpenImageIO as oiio
from _common import dump, probe, px

a = np.array([[[0.2, 0.4], [0.6, 1.5]], [[-0.5, 0.0], [1.0, 0.25]]], dtype=np.float32)
src = oiio.ImageBuf(a)
src.set_origin(3, 4)
src.set_full(0, 10, 0, 10, 0, 1)
src.specmod().attribute("meta", "hello")
dump(src, "source")
print("  pixels:", px(src))

c = src.copy()
dump(c, "copy()")
print("  pixels:", px(c), "meta:", c.spec().get_string_attribute("meta"))
c.setpixel(3, 4, (9.0, 9.0))
c.specmod().attribute("meta", "changed")
print("source after changing the copy:", px(src), src.spec().get_string_attribute("meta"))

for label, fmt in [("'uint8'", "uint8"), ("oiio.UINT16", oiio.UINT16),
                   ("TypeDesc('half')", oiio.TypeDesc("half")), ("oiio.INT8", oiio.INT8),
                   ("'double'", "double"), ("'int16'", "int16"), ("'uint'", "uint"),
                   ("'int'", "int"), ("oiio.UNKNOWN", oiio.UNKNOWN),
                   ("'nonsense'", "nonsense"), ("5", 5)]:
    c = src.copy(fmt)
    print("copy(%s): format %s nativespec %s roi %s pixels %s" % (
        label, c.spec().format, c.nativespec().format, c.roi, px(c)))
c = src.copy(format="uint8")
print("copy(format='uint8'):", c.spec().format, px(c))

# Into an existing buffer: it takes the source's geometry and metadata.
d = oiio.ImageBuf()
print("empty.copy(src) ->", d.copy(src))
dump(d, "empty buffer after copy(src)")
print("  pixels:", px(d), "meta:", d.spec().get_string_attribute("meta"))

d = oiio.ImageBuf(oiio.ImageSpec(5, 5, 4, "float"))
d.specmod().attribute("own", 1)
print("existing.copy(src, 'uint8') ->", d.copy(src, "uint8"))
dump(d, "existing buffer after copy(src, 'uint8')")
print("  pixels:", px(d), "attributes:", [p.name for p in d.spec().extra_attribs])
print("copy(src=, format=) ->", d.copy(src=src, format=oiio.HALF), d.spec().format, px(d))

# From an empty source: the destination becomes empty too.
d = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
print("copy(empty source) ->", d.copy(oiio.ImageBuf()), d.initialized, d.roi, repr(d.geterror()))

# Copies of an empty buffer.
e = oiio.ImageBuf()
for label, fn in [("empty.copy()", lambda: e.copy()), ("empty.copy('uint8')", lambda: e.copy("uint8"))]:
    r = fn()
    print(label, "->", r.initialized, r.roi, repr(r.geterror()), repr(e.geterror()))

# Copying onto itself.
s = src.copy()
print("s.copy(s) ->", s.copy(s), px(s))

probe("copy(None)", lambda: src.copy(None))
probe("copy(src, None)", lambda: src.copy(src, None))
probe("copy(1.5)", lambda: src.copy(1.5))
probe("copy(spec)", lambda: src.copy(src.spec()))
