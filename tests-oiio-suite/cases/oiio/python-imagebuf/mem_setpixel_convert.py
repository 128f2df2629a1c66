# setpixel into integer, half and double buffers, read back both raw (with
# get_pixels in the buffer's own type) and normalised (with getpixel).
# Halfway values round away from zero here.
import numpy as np
import OpenImageIO as oiio

CASES = {
    "uint8": [0.5 / 255, 1.5 / 255, 2.5 / 255, 0.5, -0.1, 1.7, float("nan"),
              float("inf"), float("-inf"), 0.999, 1.0 / 255, 254.5 / 255],
    "int8": [0.5 / 127, 1.5 / 127, -0.5 / 127, -1.5 / 127, -1.0, -1.5,
             float("nan"), float("-inf"), 0.5, -0.5, 1.0, 126.5 / 127],
    "uint16": [0.5 / 65535, 1.5 / 65535, 2.5 / 65535, 0.5, -0.25, 2.0,
               float("nan"), 0.1, 0.2, 0.3, 0.999999, 1.0],
    "int16": [0.5 / 32767, 1.5 / 32767, -0.5 / 32767, -1.5 / 32767, -1.0,
              -1.5, float("nan"), float("-inf"), 0.1, -0.1, 0.5, -0.5],
    "uint": [0.5, 0.1, 1e-9, -1.0, 2.0, float("nan"), float("inf"), 0.25,
             0.75, 1.0, 0.999, 1e-10],
    "int": [0.5, -0.5, 0.1, -0.1, 1e-9, -1e-9, -2.0, float("nan"),
            float("-inf"), 1.0, -1.0, 0.999],
    "half": [0.1, 70000.0, 1e-8, -3.3, 65519.0, 65520.0, 6e-8, 3e-8,
             float("nan"), float("-inf"), 1.0 / 3, 2049.0],
    "double": [0.1, 1e300, 1e-300, -0.0, 1.0 / 3, 16777217.0, float("nan"),
               float("inf"), 2.5, -2.5, 0.2, 3e38],
}

for fmt, values in CASES.items():
    b = oiio.ImageBuf(oiio.ImageSpec(len(values), 1, 1, fmt))
    for i, v in enumerate(values):
        b.setpixel(i, 0, (v,))
    print(fmt)
    print("   raw:", b.get_pixels(fmt).ravel().tolist())
    print("   getpixel:", [b.getpixel(i, 0)[0] for i in range(len(values))])

# Several channels at once, with fewer values than channels.
b = oiio.ImageBuf(oiio.ImageSpec(1, 1, 4, "uint8"))
b.setpixel(0, 0, (1.0, 1.0, 1.0, 1.0))
b.setpixel(0, 0, (0.2, 0.4))
print("uint8, 2 of 4 channels:", b.get_pixels("uint8").ravel().tolist())
