# bluenoise_image: OIIO's built-in blue-noise table as an image (shape,
# channel names, sample values, the upstream 64x64 crop written as uint8).
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ImageSpec, ROI

b = IBA.bluenoise_image()
s = b.spec()
print(s.width, s.height, s.depth, s.nchannels, s.format, list(s.channelnames), s.alpha_channel, b.roi, b.roi_full)
print("has_error", b.has_error, "initialized", b.initialized)
px = b.get_pixels(oiio.FLOAT)
print("min", px.min(), "max", px.max(), "mean %.6f" % px.mean())
for c in range(4):
    print("channel", c, "distinct", len(np.unique(px[:, :, c])), "sum %.4f" % px[:, :, c].astype(np.float64).sum())
for x, y in [(0, 0), (1, 0), (255, 255), (17, 200), (128, 64)]:
    print(x, y, b.getpixel(x, y))
# A second call gives an equal image. (Not modified here: the reference
# hands out its internal table itself, so writing into the result would
# change the table for every later call and for noise("blue").)
print("equal", b.getpixel(7, 9) == IBA.bluenoise_image().getpixel(7, 9))
crop = ImageBuf(ImageSpec(64, 64, 3, "float"))
crop.set_pixels(ROI(0, 64, 0, 64, 0, 1, 0, 3), np.ascontiguousarray(px[:64, :64, :3]))
crop.write("bluenoise_image3.tif", "uint8")
b.write("bluenoise.exr")
