# set_pixels with arrays that do not fit: the return value, OIIO's error
# text, and that the buffer is left alone. Binding-level errors print the
# exception type only.
import numpy as np
import OpenImageIO as oiio
from _common import flush, probe

FULL = oiio.ROI(0, 3, 0, 2, 0, 1, 0, 2)


def t(label, roi, pixels, fmt="float"):
    b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 2, fmt))
    b.setpixel(0, 0, (0.5, 0.25))
    r = b.set_pixels(roi, pixels)
    print(label, "->", r)
    print("   error:", repr(b.geterror()), "| has_error after geterror:", b.has_error)
    print("   pixel (0,0) still:", b.getpixel(0, 0))
    flush()


base = np.arange(12, dtype=np.float32)
t("11 values", FULL, base[:11])
t("13 values", FULL, np.arange(13, dtype=np.float32))
t("(3, 2, 2) instead of (2, 3, 2)", FULL, base.reshape(3, 2, 2))
t("(2, 3, 2) transposed to (3, 2, 2)", FULL, base.reshape(2, 3, 2).transpose(1, 0, 2))
t("(1, 2, 3, 2) 4-D for a 2-D image", FULL, base.reshape(1, 2, 3, 2))
t("(4, 3) 2-D", FULL, base.reshape(4, 3))
t("(12, 1) 2-D", FULL, base.reshape(12, 1))
t("list", FULL, list(range(12)))
t("tuple", FULL, tuple(float(i) for i in range(12)))
t("bool array", FULL, np.ones(12, bool))
t("uint64 array", FULL, np.zeros(12, np.uint64))
t("int64 array", FULL, np.zeros(12, np.int64))
t("complex array", FULL, np.zeros(12, np.complex64))
t("big-endian float", FULL, np.zeros(12, ">f4"))
t("every other value", FULL, np.arange(24, dtype=np.float32)[::2])
t("channels not contiguous", FULL, np.arange(24, dtype=np.float32).reshape(2, 3, 4)[:, :, ::2])
t("Fortran order (h, w, c)", FULL, np.asfortranarray(base.reshape(2, 3, 2)))
t("rows reversed", FULL, base.reshape(2, 3, 2)[::-1])
t("uint8 buffer, float array too short", FULL, base[:5], "uint8")

# Arguments the binding refuses.
b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 2, "float"))
probe("set_pixels(ROI, None)", lambda: b.set_pixels(FULL, None))
probe("set_pixels(None, array)", lambda: b.set_pixels(None, base))
probe("set_pixels(tuple roi, array)", lambda: b.set_pixels((0, 3, 0, 2), base))
probe("set_pixels(array)", lambda: b.set_pixels(base))
probe("set_pixels()", lambda: b.set_pixels())
print("untouched:", b.get_pixels().ravel().tolist(), repr(b.geterror()))

# On an empty buffer nothing is to be set: True.
e = oiio.ImageBuf()
print("empty buffer ->", e.set_pixels(oiio.ROI(0, 1, 0, 1, 0, 1, 0, 1),
                                      np.zeros(1, np.float32)),
      e.initialized, repr(e.geterror()))
print("empty buffer, ROI.All ->", e.set_pixels(oiio.ROI.All, np.zeros(1, np.float32)),
      repr(e.geterror()))
