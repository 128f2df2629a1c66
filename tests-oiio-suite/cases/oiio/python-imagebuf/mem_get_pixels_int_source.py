# get_pixels from integer, half and double buffers into every format. The
# conversions go through a normalised float (0..1 for unsigned types, -1..1
# for signed ones), so integer-to-integer results are rescaled, not cast.
import numpy as np
import OpenImageIO as oiio

SOURCES = {
    "uint8": [0, 1, 127, 128, 254, 255, 2, 3],
    "int8": [-128, -127, -1, 0, 1, 127, 64, -64],
    "uint16": [0, 1, 257, 32768, 65534, 65535, 128, 129],
    "int16": [-32768, -32767, -1, 0, 1, 32767, 128, -129],
    "uint32": [0, 1, 2**31, 2**32 - 1, 16843009, 12345, 65537, 2**24 + 1],
    "int32": [-2**31, -2**31 + 1, -1, 0, 1, 2**31 - 1, 2**24 + 1, -65537],
    "float16": [0.0, 0.5, -2.0, 65504.0, np.inf, np.nan, -np.inf, 6e-08],
    "float64": [0.0, 0.5, 1e300, -1e300, 1.0000000001, np.nan, 1e-300, 0.1],
}
TARGETS = ["float", "uint8", "int8", "uint16", "int16", "uint", "int", "half",
           "double"]

for dt, values in SOURCES.items():
    b = oiio.ImageBuf(np.array(values, dtype=dt).reshape(1, len(values), 1))
    print(dt, "-> buffer format", b.spec().format)
    for fmt in TARGETS:
        r = b.get_pixels(fmt)
        print("  %-6s %-8s %s" % (fmt, r.dtype, r.ravel().tolist()))
