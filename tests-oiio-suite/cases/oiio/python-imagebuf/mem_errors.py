# Bad arguments to in-memory ImageBuf calls. These are refused by the
# binding layer, so only the exception type is printed. Calls that are
# accepted in a surprising way print their result instead.
import numpy as np
import OpenImageIO as oiio
from _common import probe

spec = oiio.ImageSpec(2, 2, 1, "float")
b = oiio.ImageBuf(spec)

# Constructors.
probe("ImageBuf(None)", lambda: oiio.ImageBuf(None))
probe("ImageBuf(spec, 'x')", lambda: oiio.ImageBuf(spec, "x"))
probe("ImageBuf(spec, 1)", lambda: oiio.ImageBuf(spec, 1))
probe("ImageBuf(spec, zero=None)", lambda: oiio.ImageBuf(spec, zero=None))
probe("ImageBuf(spec, True, 5)", lambda: oiio.ImageBuf(spec, True, 5))
probe("ImageBuf(1, 2, 3)", lambda: oiio.ImageBuf(1, 2, 3))
probe("ImageBuf(spec=spec)", lambda: oiio.ImageBuf(spec=spec))
probe("ImageBuf(zero=True)", lambda: oiio.ImageBuf(zero=True))
probe("ImageBuf(array=...)", lambda: oiio.ImageBuf(array=np.zeros((1, 1), np.float32)))

# geterror / has_error.
probe("geterror('x')", lambda: b.geterror("x"))
probe("geterror(clear=0)", lambda: b.geterror(clear=0))
probe("geterror(None)", lambda: b.geterror(None))
probe("geterror(True)", lambda: b.geterror(True))
probe("geterror(clear=False)", lambda: b.geterror(clear=False))
probe("has_error()", lambda: b.has_error())

# Properties are not methods and methods are not properties.
probe("nchannels()", lambda: b.nchannels())
probe("roi()", lambda: b.roi())
probe("spec.width", lambda: b.spec.width)

# Interpolation.
probe("interppixel('a', 1)", lambda: b.interppixel("a", 1))
probe("interppixel(1, 1, wrap=None)", lambda: b.interppixel(1, 1, wrap=None))
probe("interppixel(1)", lambda: b.interppixel(1))
probe("interppixel(1, 1, 'clamp', 4)", lambda: b.interppixel(1, 1, "clamp", 4))
probe("interppixel_NDC(None, 0)", lambda: b.interppixel_NDC(None, 0))
probe("interppixel_bicubic(1, 1, 5)", lambda: b.interppixel_bicubic(1, 1, 5))

# get_pixels / set_pixels.
probe("get_pixels('float', (0, 1, 0, 1))", lambda: b.get_pixels("float", (0, 1, 0, 1)))
probe("get_pixels(roi='x')", lambda: b.get_pixels(roi="x"))
probe("get_pixels(FLOAT, ROI(), 1)", lambda: b.get_pixels(oiio.FLOAT, oiio.ROI(), 1))
probe("get_pixels(oiio.ROI(0, 1, 0, 1))", lambda: b.get_pixels(oiio.ROI(0, 1, 0, 1)))
probe("set_pixels(pixels=..., roi=...)",
      lambda: b.set_pixels(pixels=np.zeros(4, np.float32), roi=oiio.ROI.All))

# Regions that are inverted or have negative channel counts make the
# reference fail to allocate.
probe("get_pixels(FLOAT, inverted x)", lambda: b.get_pixels(oiio.FLOAT, oiio.ROI(1, 0, 0, 1)))
probe("get_pixels(FLOAT, chbegin 5 of 1)",
      lambda: b.get_pixels(oiio.FLOAT, oiio.ROI(0, 1, 0, 1, 0, 1, 5, 7)))

# Copy and friends.
probe("copy(src, 'uint8', 1)", lambda: b.copy(b, "uint8", 1))
probe("copy(format=None)", lambda: b.copy(format=None))
probe("swap()", lambda: b.swap())
probe("swap(b, b)", lambda: b.swap(b, b))
probe("merge_metadata()", lambda: b.merge_metadata())
probe("merge_metadata(b, override=None)", lambda: b.merge_metadata(b, override=None))

# Nothing above left an OIIO error behind.
print("has_error:", b.has_error, repr(b.geterror()))
