# OIIO's own error texts on in-memory buffers: which calls leave an error,
# how errors accumulate (joined by newlines), geterror(clear=...) and
# has_error. Every error is retrieved before its buffer goes away.
import numpy as np
import OpenImageIO as oiio
from _common import describe, flush


def t(label, fn, buf):
    try:
        r = describe(fn())
    except Exception as e:
        r = type(e).__name__
    print(label, "->", r)
    print("   has_error", buf.has_error, "| geterror", repr(buf.geterror()),
          "| has_error after", buf.has_error)
    flush()


# Pixel access on an empty buffer.
e = oiio.ImageBuf()
t("empty.getpixel(0, 0)", lambda: e.getpixel(0, 0), e)
t("empty.interppixel(0.5, 0.5)", lambda: e.interppixel(0.5, 0.5), e)
t("empty.interppixel_NDC(0.5, 0.5)", lambda: e.interppixel_NDC(0.5, 0.5), e)
t("empty.interppixel_NDC_full(0.5, 0.5)", lambda: e.interppixel_NDC_full(0.5, 0.5), e)
t("empty.interppixel_bicubic(0.5, 0.5)", lambda: e.interppixel_bicubic(0.5, 0.5), e)
t("empty.interppixel_bicubic_NDC(0.5, 0.5)", lambda: e.interppixel_bicubic_NDC(0.5, 0.5), e)
t("empty.setpixel(0, 0, (1,))", lambda: e.setpixel(0, 0, (1.0,)), e)
t("empty.get_pixels()", lambda: e.get_pixels(), e)
t("empty.get_pixels('uint8')", lambda: e.get_pixels("uint8"), e)
t("empty.get_pixels(FLOAT, 2x2 single-channel roi)",
  lambda: e.get_pixels(oiio.FLOAT, oiio.ROI(0, 2, 0, 2, 0, 1, 0, 1)), e)
t("empty.copy_pixels(buffer)", lambda: e.copy_pixels(oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))), e)

# Errors accumulate until retrieved.
e.getpixel(0, 0)
e.interppixel(0, 0)
e.interppixel_bicubic(0, 0)
print("three errors, geterror(clear=False):", repr(e.geterror(clear=False)))
print("still pending:", e.has_error, repr(e.geterror(False)))
print("geterror(True):", repr(e.geterror(True)), "| then:", repr(e.geterror()), e.has_error)

# Construction and reset failures.
for label, obj in [("1-D array", np.zeros(4, np.float32)), ("0-d array", np.array(1.0, np.float32)),
                   ("5-D array", np.zeros((1, 1, 1, 1, 1), np.float32)),
                   ("(0, 3) array", np.zeros((0, 3), np.float32)),
                   ("uint64 array", np.zeros((1, 1, 1), np.uint64)),
                   ("int64 array", np.zeros((1, 1, 1), np.int64)),
                   ("Fortran-order array", np.asfortranarray(np.zeros((2, 3, 2), np.float32))),
                   ("channel-strided array", np.zeros((2, 3, 4), np.float32)[:, :, ::2])]:
    b = oiio.ImageBuf(obj)
    print("ImageBuf(%s): initialized %s has_error %s" % (label, b.initialized, b.has_error))
    print("   ", repr(b.geterror()))
b = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
b.reset(oiio.ImageSpec(0, 0, 0, "float"))
print("reset(bad spec):", b.initialized, repr(b.geterror()))
b.reset(oiio.ImageSpec(2, 2, 1, "unknown"))
print("reset(unknown format):", b.initialized, repr(b.geterror()))

# set_pixels and copy_pixels failures on a valid buffer.
b = oiio.ImageBuf(oiio.ImageSpec(2, 2, 1, "float"))
print("set_pixels too few ->", b.set_pixels(oiio.ROI.All, np.zeros(3, np.float32)))
print("set_pixels wrong shape ->", b.set_pixels(oiio.ROI.All, np.zeros((1, 4, 1), np.float32)))
print("both errors:", repr(b.geterror()))
print("copy_pixels(empty) ->", b.copy_pixels(oiio.ImageBuf()), repr(b.geterror()))

# get_pixels with a refused format returns None and leaves no error.
print("get_pixels(UINT64) ->", b.get_pixels(oiio.UINT64), b.has_error, repr(b.geterror()))

# A successful call does not clear a pending error.
b.set_pixels(oiio.ROI.All, np.zeros(3, np.float32))
b.setpixel(0, 0, (1.0,))
print("after a good call:", b.has_error, repr(b.geterror()))

# copy() of a buffer with a pending error: the copy does not inherit it.
b.set_pixels(oiio.ROI.All, np.zeros(3, np.float32))
c = b.copy()
print("copy of erroring buffer: copy has_error", c.has_error, "| source", b.has_error,
      repr(b.geterror()))
# swap exchanges pending errors along with the images? Show both sides.
x = oiio.ImageBuf()
x.getpixel(0, 0)
y = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
x.swap(y)
print("after swap: x has_error", x.has_error, repr(x.geterror()), "| y has_error", y.has_error,
      repr(y.geterror()))
