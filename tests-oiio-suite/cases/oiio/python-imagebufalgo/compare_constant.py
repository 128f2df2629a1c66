# isConstantColor, isConstantChannel, isMonochrome, color_range_check,
# nonzero_region and histogram across pixel types, thresholds, ROIs
# (channel subsets, outside the data window), NaN, and their error cases.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp


def const(w, h, nch, fmt, color, x=0, y=0):
    spec = ImageSpec(w, h, nch, fmt)
    spec.x, spec.y = x, y
    b = ImageBuf(spec)
    b.set_pixels(ROI(x, x + w, y, y + h, 0, 1, 0, nch), np.tile(np.array(color, dtype=np.float32), (h, w, 1)))
    return b


def fill(b, color, roi):
    for yy in range(roi.ybegin, roi.yend):
        for xx in range(roi.xbegin, roi.xend):
            b.setpixel(xx, yy, color)


for t in TYPES:
    pink = const(6, 5, 3, t, (1, 0.5, 0.5))
    print(t, "const", IBA.isConstantColor(pink), IBA.isConstantColor(pink, 0.01),
          IBA.isConstantColor(pink, 300.0), IBA.isConstantColor(pink, roi=ROI(1, 3, 1, 2, 0, 1, 1, 3)))
    print(t, "const small rois", IBA.isConstantColor(pink, 0.01, ROI(2, 3, 2, 3)),
          IBA.isConstantColor(pink, 0.01, ROI(2, 4, 2, 3)), IBA.isConstantColor(pink, roi=ROI(0, 6, 0, 5, 0, 1, 1, 1)),
          IBA.isConstantColor(pink, roi=ROI(4, 9, 0, 2, 0, 1, 0, 3)), IBA.isConstantColor(pink, roi=ROI(7, 9, 0, 2)),
          IBA.isConstantColor(pink, roi=ROI(2, 2, 0, 2)))
    A = ramp(6, 5, 3, t, seed=51, lo=0.2, hi=0.3)
    print(t, "ramp", IBA.isConstantColor(A), IBA.isConstantColor(A, 0.2), IBA.isConstantColor(A, 0.05, nthreads=1))
    print(t, "channel", IBA.isConstantChannel(pink, 0, 1.0), IBA.isConstantChannel(pink, 1, 0.5),
          IBA.isConstantChannel(pink, 1, 0.6), IBA.isConstantChannel(pink, 1, 0.6, 0.2),
          IBA.isConstantChannel(pink, 3, 0.5), IBA.isConstantChannel(pink, -1, 0.5),
          IBA.isConstantChannel(A, 2, 0.25, 0.06), IBA.isConstantChannel(A, 2, 0.25, 0.01),
          IBA.isConstantChannel(pink, 0, 1.0, roi=ROI(4, 8, 0, 5)),
          IBA.isConstantChannel(pink, 0, 0.0, roi=ROI(6, 8, 0, 5)))
    grey = const(4, 4, 3, t, (0.25, 0.25, 0.25))
    grey.setpixel(1, 1, (0.25, 0.3, 0.25))
    print(t, "mono", IBA.isMonochrome(pink), IBA.isMonochrome(grey), IBA.isMonochrome(grey, 0.1),
          IBA.isMonochrome(grey, roi=ROI(0, 4, 0, 4, 0, 1, 0, 1)), IBA.isMonochrome(grey, roi=ROI(0, 4, 0, 4, 0, 1, 0, 2)),
          IBA.isMonochrome(grey, roi=ROI(2, 4, 0, 4)), IBA.isMonochrome(pink, roi=ROI(0, 6, 0, 5, 0, 1, 1, 3)),
          IBA.isMonochrome(const(3, 3, 1, t, (0.5,))))
    print(t, "range", IBA.color_range_check(A, 0.22, 0.28), IBA.color_range_check(A, (0.21, 0.0), (0.29,)),
          IBA.color_range_check(A, (0.0, 0.0, 0.25), (1.0, 1.0, 1.0), ROI(1, 4, 1, 4, 0, 1, 2, 3)),
          IBA.color_range_check(pink, 0.0, 0.9, roi=ROI(0, 8, 0, 2, 0, 1, 0, 3)))
    b = const(40, 30, 3, t, (0, 0, 0), x=-5, y=2)
    fill(b, (0, 1, 0), ROI(3, 17, 9, 20))
    print(t, "nonzero", IBA.nonzero_region(b), IBA.nonzero_region(b, ROI(0, 10, 0, 15)),
          IBA.nonzero_region(b, ROI(-5, 35, 2, 32, 0, 1, 0, 1)), IBA.nonzero_region(const(3, 3, 2, t, (0, 0))),
          IBA.nonzero_region(const(3, 3, 2, t, (0.5, 0))))
    h = ramp(20, 10, 3, t, seed=52, lo=-0.1, hi=1.1)
    h.setpixel(0, 0, (0, 0, 0))
    h.setpixel(1, 0, (0, 0, 0))
    print(t, "hist", IBA.histogram(h, 0, 4), IBA.histogram(h, channel=2, bins=5, min=0.2, max=0.8),
          IBA.histogram(h, 1, 3, ignore_empty=True), IBA.histogram(h, 1, 3, roi=ROI(5, 25, 2, 12, 0, 1, 0, 3)),
          IBA.histogram(h, 1, 3, ignore_empty=True, roi=ROI(0, 4, 0, 2, 0, 1, 1, 3)))
    print(t, "hist default", sum(IBA.histogram(h)), len(IBA.histogram(h)))

# NaN and -0 in float pixels.
f = ImageBuf(ImageSpec(3, 2, 2, "float"))
f.set_pixels(ROI(), np.array([[[np.nan, 1], [np.nan, 1], [np.nan, 1]]] * 2, dtype=np.float32))
print("nan const", IBA.isConstantColor(f), IBA.isConstantColor(f, roi=ROI(0, 3, 0, 2, 0, 1, 1, 2)),
      IBA.isConstantColor(f, roi=ROI(0, 1, 0, 1)), IBA.isConstantColor(f, 0.5, roi=ROI(0, 2, 0, 1)))
print("nan mono", IBA.isMonochrome(f), IBA.isMonochrome(f, 0.5), IBA.isConstantChannel(f, 0, 0.0, 1.0))
print("nan range", IBA.color_range_check(f, 0.5, 0.9), IBA.histogram(f, 0, 2), IBA.histogram(f, 1, 2))
z = ImageBuf(ImageSpec(3, 2, 1, "float"))
z.set_pixels(ROI(), np.array([[[-0.0], [0.0], [-0.0]]] * 2, dtype=np.float32))
print("neg zero", IBA.isConstantColor(z), IBA.nonzero_region(z))
# Values beyond uint8's normalised range in a threshold test.
u = const(4, 4, 1, "uint8", (0.0,))
print("uint8 zero", IBA.isConstantColor(u, 0.01))

# Errors and empty images.
e = ImageBuf()
print("empty", IBA.isConstantColor(e), IBA.isConstantChannel(e, 0, 0.0), IBA.isMonochrome(e), IBA.nonzero_region(e))
print("empty range", IBA.color_range_check(e, 0, 1), e.geterror())
A = ramp(4, 4, 2, "float", seed=53)
print("hist bins 0", IBA.histogram(A, 0, 0), A.geterror())
try:
    print(IBA.histogram(A, 0, -2))
except ValueError as ex:
    print("ValueError", ex, A.geterror())
