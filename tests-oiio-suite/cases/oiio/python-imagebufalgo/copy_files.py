# The upstream python-imagebufalgo / oiiotool-copy / oiiotool-xform uses of
# these functions on the testsuite's images: channels by name and fill
# value, channel_append, crop/cut/paste on grid.tif, every orientation
# op on image.tif, reorient for Orientation 1-8, circular_shift, and deep
# copy/crop/cut/paste/channels on deepalpha.exr.
import os
import sys

shared = os.environ.get("VFX_SHARED")
root = os.path.join(shared or "", "images", "oiio-testsuite")
if not shared or not os.path.isdir(root):
    print("SKIP: upstream test images not available")
    sys.exit(0)

import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ROI
from _copy import showx


def info(label, b):
    if b.has_error:
        print(label, "error:", b.geterror())
        return
    s = b.spec()
    print(label, s.format, b.roi, "full", b.roi_full, list(s.channelnames), s.alpha_channel, s.z_channel,
          "Orientation", s.get_int_attribute("Orientation", -1))


def write(b, name, fmt=oiio.UNKNOWN):
    info(name, b)
    if not b.write(name, fmt):
        print("write error", b.geterror())


grid = ImageBuf(os.path.join(root, "grid.tif"))
rgbaz = os.path.join(root, "oiiotool-copy", "rgbaz.exr")
image = os.path.join(root, "oiiotool", "image.tif")

write(IBA.channels(grid, (0.25, 2, "G")), "chanshuffle.tif")
chrgba = IBA.channels(ImageBuf(rgbaz), ("R", "G", "B", "A"))
write(chrgba, "ch-rgba.exr")
chz = IBA.channels(ImageBuf(rgbaz), ("Z",))
write(chz, "ch-z.exr")
write(IBA.channel_append(chrgba, chz), "chappend-rgbaz.exr")
write(IBA.channels(ImageBuf(rgbaz), ("Z", "A", 0.5), ("depth", "", "const")), "ch-named.exr")
write(IBA.channels(ImageBuf(rgbaz), (4, 3), shuffle_channel_names=True), "ch-shuffle.exr")

write(IBA.crop(grid, ROI(50, 150, 200, 600)), "crop.tif")
write(IBA.cut(grid, ROI(50, 150, 200, 600)), "cut.tif")
yy, xx = np.mgrid[0:480, 0:640]
checker = (((xx // 64) + (yy // 64)) % 2 * 0.3 + 0.1).astype(np.float32)
b = ImageBuf(oiio.ImageSpec(640, 480, 3, "float"))
b.set_pixels(ROI(0, 640, 0, 480, 0, 1, 0, 3), np.repeat(checker[:, :, None], 3, axis=2))
print("paste", IBA.paste(b, 150, 75, 0, 0, grid))
write(b, "pasted.tif")

for name in ["rotate90", "rotate180", "rotate270", "flip", "flop", "transpose"]:
    write(getattr(IBA, name)(ImageBuf(image)), name + ".tif")
write(IBA.circular_shift(ImageBuf(image), 100, 50), "cshift.tif")
write(IBA.circular_shift(ImageBuf(image), -37, -300), "cshift-neg.tif")

orient1 = os.path.join(root, "oiiotool-xform", "orientation1.tif")
for o in range(1, 9):
    b = ImageBuf(orient1)
    b.specmod().attribute("Orientation", o)
    write(IBA.reorient(b), "reorient%d.tif" % o)

deep = ImageBuf(os.path.join(root, "oiiotool-deep", "deepalpha.exr"))
info("deep", deep)


def deepdump(label, b):
    info(label, b)
    if b.has_error or not b.deep:
        return
    d = b.deepdata()
    tot = sum(d.samples(p) for p in range(d.pixels))
    vals, sums = [], [0.0] * d.channels
    for p in range(d.pixels):
        for s in range(d.samples(p)):
            v = [d.deep_value(p, c, s) for c in range(d.channels)]
            sums = [a + b for a, b in zip(sums, v)]
            if len(vals) < 60 and p % 7 == 0:
                vals.append(["%d:%.4g" % (p, x) for x in v])
    print("   sums", ["%.5g" % x for x in sums])
    print("   pixels", d.pixels, "samples", tot, "channels", [d.channelname(c) for c in range(d.channels)])
    print("   ", vals[:60])


deepdump("deep copy", IBA.copy(deep))
r = deep.roi
deepdump("deep crop", IBA.crop(deep, ROI(r.xbegin + 3, r.xend - 5, r.ybegin + 2, r.yend - 4)))
deepdump("deep cut", IBA.cut(deep, ROI(r.xbegin + 3, r.xend - 5, r.ybegin + 2, r.yend - 4)))
deepdump("deep channels", IBA.channels(deep, (4, 3, 0.5, "R")))
deepdump("deep channels same", IBA.channels(deep, tuple(range(deep.nchannels))))
d = ImageBuf()
print("deep paste new", IBA.paste(d, 2, 1, 0, 0, deep))
deepdump("   ", d)
d = IBA.copy(deep)
print("deep paste into", IBA.paste(d, 5, 3, 0, 0, deep, ROI(r.xbegin, r.xbegin + 6, r.ybegin, r.ybegin + 4)))
deepdump("   ", d)
