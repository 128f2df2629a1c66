# set_pixels(roi, array): accepted array shapes and dtypes, regions that are
# partial, channel subsets or outside the data window; read back each time.
import array
import numpy as np
import OpenImageIO as oiio
from _common import flush


def fresh(fmt="float"):
    return oiio.ImageBuf(oiio.ImageSpec(3, 2, 2, fmt))


def t(label, roi, pixels, buf=None):
    b = buf if buf is not None else fresh()
    r = b.set_pixels(roi, pixels)
    print(label, "->", r, repr(b.geterror()))
    print("   ", b.get_pixels().ravel().tolist())
    flush()


FULL = oiio.ROI(0, 3, 0, 2, 0, 1, 0, 2)
base = np.arange(12, dtype=np.float32)

# Shapes for a 3x2 image with 2 channels.
t("flat (12,)", FULL, base)
t("(h, w, c) = (2, 3, 2)", FULL, base.reshape(2, 3, 2))
t("(pixels, c) = (6, 2)", FULL, base.reshape(6, 2))
t("ROI.All", oiio.ROI.All, base)
t("ROI() (undefined)", oiio.ROI(), base)
b = fresh()
print("keywords ->", b.set_pixels(roi=FULL, pixels=base.reshape(2, 3, 2)),
      b.get_pixels().ravel().tolist())

# dtypes: integer arrays are normalised (max of the type -> 1.0).
vals = [0, 1, 2, 3, 100, 120, 127, 126, 0, 50, 60, 70]
for dt in ["uint8", "int8", "uint16", "int16", "uint32", "int32",
           "float16", "float32", "float64"]:
    t(dt, FULL, np.array(vals, dtype=dt))
t("int8 negatives", FULL, np.array([-128, -127, -1, 0, 1, 127] * 2, dtype=np.int8))
t("int16 negatives", FULL, np.array([-32768, -1, 0, 1, 32767, 5] * 2, dtype=np.int16))

# Regions.
t("partial x 1..3, y 1..2", oiio.ROI(1, 3, 1, 2, 0, 1, 0, 2),
  np.array([9, 8, 7, 6], np.float32))
t("channel 1 only", oiio.ROI(0, 3, 0, 2, 0, 1, 1, 2),
  np.array([9, 8, 7, 6, 5, 4], np.float32))
t("channels 1..5 (clipped to 2)", oiio.ROI(0, 3, 0, 2, 0, 1, 1, 5),
  np.array([9, 8, 7, 6, 5, 4], np.float32))
t("partly outside", oiio.ROI(2, 4, 1, 3, 0, 1, 0, 2),
  np.array([1, 2, 3, 4, 5, 6, 7, 8], np.float32))
t("wholly outside", oiio.ROI(10, 11, 10, 11, 0, 1, 0, 2),
  np.array([1, 2], np.float32))
t("empty region, empty array", oiio.ROI(1, 1, 0, 2), np.zeros(0, np.float32))
t("empty region, anything", oiio.ROI(1, 1, 0, 2), "not an array")

# Other buffer objects.
t("array('f')", FULL, array.array("f", range(12)))
t("array('d')", FULL, array.array("d", range(12)))
t("array('B')", FULL, array.array("B", range(0, 240, 20)))
t("bytes (uint8)", FULL, bytes(range(0, 240, 20)))
t("memoryview", FULL, memoryview(base))

# Non-contiguous arrays whose channels are still contiguous are accepted.
a3 = np.arange(12, dtype=np.float32).reshape(3, 2, 2).transpose(1, 0, 2)
t("transposed (y,x) with contiguous channels", FULL, a3)
t("every other column", FULL, np.arange(24, dtype=np.float32).reshape(2, 6, 2)[:, ::2, :])
t("every other row", FULL, np.arange(24, dtype=np.float32).reshape(4, 3, 2)[::2])

# An offset data window: the region is in image coordinates.
b = fresh("uint8")
b.set_origin(5, 7)
print("offset uint8 ->", b.set_pixels(oiio.ROI(6, 8, 8, 9, 0, 1, 0, 2),
                                      np.array([1.0, 0.5, 0.25, 0.0], np.float32)),
      b.get_pixels("uint8").ravel().tolist())

# float pixels into integer buffers: halfway values round away from zero.
halves = np.array([(k + 0.5) / 255 for k in range(8)] + [0.5, -0.25, 1.5, np.nan],
                  dtype=np.float32)
for fmt in ["uint8", "int8", "uint16", "int16", "uint", "int", "half"]:
    b = oiio.ImageBuf(oiio.ImageSpec(12, 1, 1, fmt))
    b.set_pixels(oiio.ROI.All, halves)
    print("float ->", fmt, "buffer:", b.get_pixels(fmt).ravel().tolist())
b = oiio.ImageBuf(oiio.ImageSpec(4, 1, 1, "uint8"))
b.set_pixels(oiio.ROI.All, np.array([0, 257, 32896, 65535], np.uint16))
print("uint16 -> uint8 buffer:", b.get_pixels("uint8").ravel().tolist())
b.set_pixels(oiio.ROI.All, np.array([-128, -1, 64, 127], np.int8))
print("int8 -> uint8 buffer:", b.get_pixels("uint8").ravel().tolist())
b.set_pixels(oiio.ROI.All, np.array([0.2, 0.4, 1.0, 2.0], np.float64))
print("float64 -> uint8 buffer:", b.get_pixels("uint8").ravel().tolist())
