# copy_pixels(src): the destination keeps its own geometry, pixel type and
# metadata; pixels where the two data windows overlap are copied (converted
# to the destination type), every other destination pixel becomes black.
import numpy as np
import OpenImageIO as oiio
from _common import probe, px

a = np.array([[[0.2, 0.4], [0.6, 1.5]], [[-0.5, 0.0], [1.0, 0.25]]], dtype=np.float32)
src = oiio.ImageBuf(a)
src.set_origin(3, 4)


def t(label, dst):
    dst.specmod().attribute("own", "kept")
    r = dst.copy_pixels(src)
    print(label, "->", r, "| roi", dst.roi, "| format", dst.spec().format,
          "| own", dst.spec().get_string_attribute("own"), "| error", repr(dst.geterror()))
    if dst.initialized and dst.pixels_valid:
        print("   ", px(dst))


def prefilled(spec, value):
    b = oiio.ImageBuf(spec)
    for i in range(spec.width * spec.height):
        b.setpixel(i, tuple([value] * spec.nchannels))
    return b


t("same window, uint8", oiio.ImageBuf(oiio.ImageSpec(oiio.ROI(3, 5, 4, 6, 0, 1, 0, 2), "uint8")))
t("no overlap (window at 0,0), prefilled 7", prefilled(oiio.ImageSpec(3, 3, 2, "float"), 7.0))
d = prefilled(oiio.ImageSpec(4, 6, 2, "float"), 7.0)
t("overlapping 4x6 window, prefilled 7", d)
t("more channels (3)", prefilled(oiio.ImageSpec(oiio.ROI(3, 5, 4, 6, 0, 1, 0, 3), "float"), 7.0))
t("fewer channels (1)", prefilled(oiio.ImageSpec(oiio.ROI(3, 5, 4, 6, 0, 1, 0, 1), "float"), 7.0))
t("int16 destination", oiio.ImageBuf(oiio.ImageSpec(oiio.ROI(2, 6, 4, 5, 0, 1, 0, 2), "int16")))
t("half destination", oiio.ImageBuf(oiio.ImageSpec(oiio.ROI(3, 5, 4, 6, 0, 1, 0, 2), "half")))
t("empty destination", oiio.ImageBuf())

# From an empty source.
d = prefilled(oiio.ImageSpec(2, 1, 1, "float"), 7.0)
print("copy_pixels(empty source) ->", d.copy_pixels(oiio.ImageBuf()), px(d), repr(d.geterror()))

# Onto itself.
s = src.copy()
print("s.copy_pixels(s) ->", s.copy_pixels(s), px(s))

probe("copy_pixels(None)", lambda: src.copy_pixels(None))
probe("copy_pixels(spec)", lambda: src.copy_pixels(src.spec()))
probe("copy_pixels()", lambda: src.copy_pixels())
