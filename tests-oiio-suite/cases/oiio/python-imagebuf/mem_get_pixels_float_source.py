# get_pixels from a float buffer into every supported format: scaling,
# rounding, clamping, negatives into unsigned types, values above 1, NaN and
# infinities into integer types, half overflow and underflow.
# The row width is a multiple of 4 values (see mem_get_pixels_rounding).
import numpy as np
import OpenImageIO as oiio

VALUES = [0.0, 0.5, 1.0, -0.5, -1.0, 2.0, 1.0 / 255, 0.5 / 255,
          1.5 / 255, 0.25, 0.75, 1e-8, -1e-8, 0.999, 65504.0, 70000.0,
          np.inf, -np.inf, np.nan, 0.1, -0.002, 0.0019, 0.00196, 0.00197]
a = np.array(VALUES, dtype=np.float32).reshape(1, len(VALUES), 1)
b = oiio.ImageBuf(a)
print("source (as stored):", b.get_pixels().ravel().tolist())

for fmt in [oiio.FLOAT, oiio.UINT8, oiio.INT8, oiio.UINT16, oiio.INT16,
            oiio.UINT, oiio.INT, oiio.HALF, oiio.DOUBLE]:
    r = b.get_pixels(fmt)
    print(str(oiio.TypeDesc(fmt)), r.dtype, r.shape)
    print("  ", r.ravel().tolist())

# Same values, one pixel of 3 channels per row: every value goes through the
# per-value path.
c = oiio.ImageBuf(np.array(VALUES, dtype=np.float32).reshape(8, 1, 3))
for fmt in ["uint8", "int8", "uint16", "int16", "uint", "int", "half"]:
    print("3-channel rows ->", fmt, c.get_pixels(fmt).ravel().tolist())
