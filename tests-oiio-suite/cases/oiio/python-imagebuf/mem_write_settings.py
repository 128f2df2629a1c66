# set_write_format and set_write_tiles only store settings for a later
# write(): in memory they return None and change neither spec nor pixels.
# Which arguments the binding accepts is what this case pins down.
import numpy as np
import OpenImageIO as oiio
from _common import probe

b = oiio.ImageBuf(np.array([[[0.25, 0.5, 0.75]]], dtype=np.float32))


def state():
    s = b.spec()
    return "format %s channelformats %s native %s tiles %d %d %d pixels %s error %r" % (
        s.format, s.channelformats, b.nativespec().format, s.tile_width, s.tile_height,
        s.tile_depth, b.get_pixels().ravel().tolist(), b.geterror())


print("before:", state())
for label, arg in [("'half'", "half"), ("oiio.UINT8", oiio.UINT8),
                   ("TypeDesc('uint16')", oiio.TypeDesc("uint16")),
                   ("('half', 'float', 'uint8')", ("half", "float", "uint8")),
                   ("['half']", ["half"]), ("[]", []), ("()", ()),
                   ("4 formats for 3 channels", ("half", "half", "half", "half")),
                   ("[HALF, FLOAT, DOUBLE]", [oiio.HALF, oiio.FLOAT, oiio.DOUBLE]),
                   ("'bogus'", "bogus"), ("5", 5), ("3.5", 3.5), ("('half', 5)", ("half", 5))]:
    probe("set_write_format(%s)" % label, lambda arg=arg: b.set_write_format(arg))
print("after set_write_format:", state())
probe("set_write_format(None)", lambda: b.set_write_format(None))
probe("set_write_format()", lambda: b.set_write_format())
probe("set_write_format(fmt='half')", lambda: b.set_write_format(fmt="half"))

for label, args, kw in [("()", (), {}), ("(16, 16)", (16, 16), {}),
                        ("(16, 16, 1)", (16, 16, 1), {}), ("(width=8)", (), {"width": 8}),
                        ("(width=8, height=4, depth=2)", (), {"width": 8, "height": 4, "depth": 2}),
                        ("(-1, 0, 0)", (-1, 0, 0), {})]:
    probe("set_write_tiles%s" % label, lambda args=args, kw=kw: b.set_write_tiles(*args, **kw))
print("after set_write_tiles:", state())
probe("set_write_tiles('a')", lambda: b.set_write_tiles("a"))
probe("set_write_tiles(1.5)", lambda: b.set_write_tiles(1.5))
probe("set_write_tiles(1, 2, 3, 4)", lambda: b.set_write_tiles(1, 2, 3, 4))

# A copy shows nothing of the stored settings either.
c = b.copy()
print("copy:", c.spec().format, c.spec().tile_width)

e = oiio.ImageBuf()
probe("empty.set_write_format('half')", lambda: e.set_write_format("half"))
probe("empty.set_write_tiles(4, 4)", lambda: e.set_write_tiles(4, 4))
print("empty still:", e.initialized, e.spec().format, e.spec().tile_width)
