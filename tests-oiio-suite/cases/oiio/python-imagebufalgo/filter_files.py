# The upstream python-imagebufalgo / oiiotool uses of these functions on
# the testsuite's images: the 15x15 bspline kernel, a bspline blur of
# tahoe-small, oiiotool's --blur 5x5 (gaussian), a 5x5 median, dilate and
# erode 3x3 of morphsource.tif, unsharp_mask (gaussian and median) and the
# laplacian of tahoe-tiny; results written as uint8 like the tests do.
import os
import sys

shared = os.environ.get("VFX_SHARED")
root = os.path.join(shared or "", "images", "oiio-testsuite")
if not shared or not os.path.isdir(root):
    print("SKIP: upstream test images not available")
    sys.exit(0)

import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA


def write(b, name, fmt=oiio.UNKNOWN):
    if b.has_error:
        print(name, "error:", b.geterror())
        return
    print(name, b.spec().format, b.roi, b.nchannels)
    b.write(name, fmt)


tahoe = ImageBuf(os.path.join(root, "tahoe-small.tif"))
tiny = ImageBuf(os.path.join(root, "tahoe-tiny.tif"))
morph = ImageBuf(os.path.join(root, "oiiotool", "morphsource.tif"))
bspline = IBA.make_kernel("bspline", 15, 15)
write(bspline, "bsplinekernel.exr")
write(IBA.convolve(tahoe, bspline), "bspline-blur.tif", oiio.UINT8)
write(IBA.convolve(tahoe, IBA.make_kernel("gaussian", 5, 5)), "gauss5x5-blur.tif", oiio.UINT8)
write(IBA.median_filter(tahoe, 5, 5), "tahoe-median.tif", oiio.UINT8)
write(IBA.dilate(morph, 3, 3), "dilate.tif", oiio.UINT8)
write(IBA.erode(morph, 3, 3), "erode.tif", oiio.UINT8)
write(IBA.unsharp_mask(tahoe, "gaussian", 3.0, 1.0, 0.0), "unsharp.tif", oiio.UINT8)
write(IBA.unsharp_mask(tahoe, "median", 3.0, 1.0, 0.0), "unsharp-median.tif", oiio.UINT8)
write(IBA.laplacian(tiny), "tahoe-laplacian.tif", oiio.UINT8)
# the same on the images' own pixel types, and a morphological opening
write(IBA.convolve(tiny, IBA.make_kernel("gaussian", 9, 9)), "tiny-gauss9.tif")
write(IBA.median_filter(tiny, 3, 3), "tiny-median3.tif")
write(IBA.dilate(IBA.erode(morph, 3, 3), 3, 3), "morph-open.tif", oiio.UINT8)
write(IBA.unsharp_mask(tiny, "gaussian", 5.0, 2.0, 0.02), "tiny-unsharp5.tif")
