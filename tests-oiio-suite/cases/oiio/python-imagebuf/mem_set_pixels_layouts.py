# Array layouts set_pixels accepts. For (h, w*c)-shaped arrays (and the
# (d, h, w*c) volume form) the reference accepts the call but reads the data
# with swapped strides, partly outside the array; we read them row-major.
# That is a deliberate difference (tests-oiio-suite/KNOWN_DIFFERENCES.md), so
# for those layouts this case checks only that the call is accepted.
import numpy as np
import OpenImageIO as oiio

big = np.arange(200, dtype=np.float32)

b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 2, "float"))
print("2-D image, (2, 6) accepted:", b.set_pixels(oiio.ROI.All, big[:12].reshape(2, 6)), repr(b.geterror()))

b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 1, "float"))
print("1 channel, (2, 3) accepted:", b.set_pixels(oiio.ROI.All, big[:6].reshape(2, 3)), repr(b.geterror()))

# Volume 4x3x2 with 2 channels: the (d, h, w, c) layout is well defined.
v = oiio.ImageBuf(np.zeros((2, 3, 4, 2), np.float32))
print("volume, (d, h, w, c) ->", v.set_pixels(oiio.ROI.All, big[:48].reshape(2, 3, 4, 2)), repr(v.geterror()))
print("   ", v.get_pixels().ravel().tolist())
print("volume, (d, h, w*c) accepted:", v.set_pixels(oiio.ROI.All, big[:48].reshape(2, 3, 8)), repr(v.geterror()))
for shape in [(48,), (6, 4, 2), (2, 12, 2), (3, 2, 4, 2)]:
    print("volume,", shape, "->", v.set_pixels(oiio.ROI.All, big[:48].reshape(shape)), repr(v.geterror()))
