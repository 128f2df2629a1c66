# Array layouts that set_pixels accepts but maps oddly, reproduced as the
# reference does it. The arrays are views into a larger array so that every
# value read comes from known memory:
#  * 2-D image, array shaped (h, w*c): accepted; pixel (x, y) channel c is
#    read from flat index y + x*(w*c)*c + c of the underlying memory.
#  * volume, array shaped (d, h, w*c): accepted; pixel x starts at element x
#    (not x*c) of its row.
import numpy as np
import OpenImageIO as oiio

big = np.arange(200, dtype=np.float32)

b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 2, "float"))
view = big[:12].reshape(2, 6)
print("(h, w*c) view contiguous:", view.flags["C_CONTIGUOUS"])
print("2-D image, (2, 6) ->", b.set_pixels(oiio.ROI.All, view), repr(b.geterror()))
print("   ", b.get_pixels().ravel().tolist())

b = oiio.ImageBuf(oiio.ImageSpec(2, 3, 3, "float"))
print("2-D image 2x3x3, (3, 6) ->", b.set_pixels(oiio.ROI.All, big[:18].reshape(3, 6)),
      repr(b.geterror()))
print("   ", b.get_pixels().ravel().tolist())

# One channel: (h, w) is an exact fit of the (h, w*c) form.
b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 1, "float"))
print("1 channel, (2, 3) ->", b.set_pixels(oiio.ROI.All, big[:6].reshape(2, 3)),
      repr(b.geterror()))
print("   ", b.get_pixels().ravel().tolist())

# Volume 4x3x2 with 2 channels.
v = oiio.ImageBuf(np.zeros((2, 3, 4, 2), np.float32))
print("volume, (d, h, w, c) ->", v.set_pixels(oiio.ROI.All, big[:48].reshape(2, 3, 4, 2)),
      repr(v.geterror()))
print("   ", v.get_pixels().ravel().tolist())
print("volume, (d, h, w*c) ->", v.set_pixels(oiio.ROI.All, big[:48].reshape(2, 3, 8)),
      repr(v.geterror()))
print("   ", v.get_pixels().ravel().tolist())
for shape in [(48,), (6, 4, 2), (2, 12, 2), (3, 2, 4, 2)]:
    print("volume,", shape, "->", v.set_pixels(oiio.ROI.All, big[:48].reshape(shape)),
          repr(v.geterror()))
