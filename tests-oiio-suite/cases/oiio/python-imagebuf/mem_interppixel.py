# Bilinear interppixel: pixel centres are at integer + 0.5, so
# interppixel(x + 0.5, y + 0.5) is exactly pixel (x, y). The image is 4x3
# with 2 channels, data window at (2, 1), display window 8x4 at (0, 0).
# Results are printed with 6 significant digits.
import numpy as np
import OpenImageIO as oiio
from _common import ftup

base = np.arange(1, 13, dtype=np.float32).reshape(3, 4)  # 1..12, no zeros
b = oiio.ImageBuf(np.stack([base, base * 10], axis=-1))
b.set_origin(2, 1)
b.set_full(0, 8, 0, 4, 0, 1)
print("roi", b.roi, "roi_full", b.roi_full)
print("pixels:", b.get_pixels()[:, :, 0].tolist())

POINTS = [(2.5, 1.5), (3.5, 1.5), (3.0, 1.5), (3.0, 2.0), (2.0, 1.0),
          (4.25, 2.75), (5.5, 3.5), (6.0, 4.0), (5.9, 3.9), (1.5, 1.5),
          (2.0, 2.5), (0.0, 0.0), (-3.2, 7.7), (100.0, 1.5), (3.75, 0.25),
          (7.5, 3.5), (-0.5, -0.5)]
for wrap in ["black", "clamp", "periodic", "mirror", "default", "nonsense"]:
    print(wrap)
    for x, y in POINTS:
        print("   (%g, %g) -> %s" % (x, y, ftup(b.interppixel(x, y, wrap))))

print("default wrap:", ftup(b.interppixel(3.0, 2.0)),
      "keywords:", ftup(b.interppixel(x=3.0, y=2.0, wrap="clamp")),
      "ints:", ftup(b.interppixel(3, 2)),
      "numpy floats:", ftup(b.interppixel(np.float32(3.0), np.float64(2.0))))

# Integer pixel types are normalised before interpolating.
u = oiio.ImageBuf(np.array([[[0], [255]], [[51], [102]]], dtype=np.uint8))
for x, y in [(0.5, 0.5), (1.0, 0.5), (1.0, 1.0), (0.75, 1.25)]:
    print("uint8 (%g, %g) -> %s" % (x, y, ftup(u.interppixel(x, y))))

# NaN and infinity in the neighbourhood.
f = oiio.ImageBuf(np.array([[[1.0], [np.inf]], [[np.nan], [2.0]]], dtype=np.float32))
print("inf/nan neighbours:", ftup(f.interppixel(0.5, 0.5)), ftup(f.interppixel(1.0, 0.5)),
      ftup(f.interppixel(0.5, 1.0)), ftup(f.interppixel(1.5, 1.5)))
print("has_error:", b.has_error, u.has_error, f.has_error)
