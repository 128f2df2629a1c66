# interppixel_bicubic (B-spline weights over a 4x4 neighbourhood, pixel
# centres at integer + 0.5) and the NDC variants, which map (0..1, 0..1)
# onto the display window: x = full_x + s * full_width. In the reference
# interppixel_NDC_full is bound to the same function as interppixel_NDC.
# Results are printed with 5 significant digits.
import numpy as np
import OpenImageIO as oiio
from _common import ftup

base = np.arange(1, 13, dtype=np.float32).reshape(3, 4)
b = oiio.ImageBuf(np.stack([base, base * 10], axis=-1))
b.set_origin(2, 1)
b.set_full(0, 8, 0, 4, 0, 1)
print("roi", b.roi, "roi_full", b.roi_full)

POINTS = [(2.5, 1.5), (3.5, 2.5), (3.0, 2.0), (4.25, 2.75), (5.5, 3.5),
          (6.0, 4.0), (1.5, 1.5), (0.0, 0.0), (-3.2, 7.7), (100.0, 1.5)]
NDC = [(0.0, 0.0), (0.5, 0.5), (0.3125, 0.375), (0.4375, 0.625), (1.0, 1.0),
       (-0.25, 0.5), (0.75, 0.875), (2.0, -1.0)]
for wrap in ["black", "clamp", "periodic", "mirror", "default"]:
    print(wrap)
    for x, y in POINTS:
        print("   bicubic (%g, %g) -> %s" % (x, y, ftup(b.interppixel_bicubic(x, y, wrap), 5)))
    for x, y in NDC:
        print("   NDC (%g, %g) -> %s | NDC_full %s | bicubic_NDC %s" % (
            x, y, ftup(b.interppixel_NDC(x, y, wrap), 5),
            ftup(b.interppixel_NDC_full(x, y, wrap), 5),
            ftup(b.interppixel_bicubic_NDC(x, y, wrap), 5)))

# A flat image stays flat under bicubic filtering away from its edges.
flat = oiio.ImageBuf(np.full((6, 6, 1), 0.25, np.float32))
print("flat centre:", ftup(flat.interppixel_bicubic(3.0, 3.0), 5),
      ftup(flat.interppixel_bicubic(2.7, 3.6), 5))
print("flat corner black vs clamp:", ftup(flat.interppixel_bicubic(0.5, 0.5), 5),
      ftup(flat.interppixel_bicubic(0.5, 0.5, "clamp"), 5))

# NDC with the data window equal to the display window.
c = oiio.ImageBuf(np.stack([base, base * 10], axis=-1))
for x, y in [(0.125, 1.0 / 6), (0.5, 0.5), (0.875, 5.0 / 6)]:
    print("NDC on 4x3 (%g, %g) -> %s bicubic %s" % (
        x, y, ftup(c.interppixel_NDC(x, y), 5), ftup(c.interppixel_bicubic_NDC(x, y), 5)))
print("keywords:", ftup(c.interppixel_NDC(x=0.5, y=0.5, wrap="clamp"), 5),
      ftup(c.interppixel_bicubic(x=2.0, y=1.5, wrap="mirror"), 5),
      ftup(c.interppixel_bicubic_NDC(x=0.5, y=0.5), 5),
      ftup(c.interppixel_NDC_full(x=0.5, y=0.5), 5))
