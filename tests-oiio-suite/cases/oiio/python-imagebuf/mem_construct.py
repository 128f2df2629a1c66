# ImageBuf built from nothing or from an ImageSpec: state, geometry, and
# the zero-initialised pixels (never the pixels of zero=False buffers).
import OpenImageIO as oiio
from _common import dump, px, flush

dump(oiio.ImageBuf(), "ImageBuf()")

spec = oiio.ImageSpec(4, 3, 3, "uint16")
b = oiio.ImageBuf(spec)
dump(b, "ImageBuf(spec 4x3x3 uint16)")
print("  pixels:", px(b))

b = oiio.ImageBuf(oiio.ImageSpec(2, 2, 2, "float"), True)
dump(b, "ImageBuf(spec, True)")
print("  pixels:", px(b))

b = oiio.ImageBuf(oiio.ImageSpec(2, 2, 2, "half"), False)
dump(b, "ImageBuf(spec, False) - pixels not printed")
b.setpixel(1, 1, (0.25, 0.75))
print("  after setpixel (1,1):", b.getpixel(1, 1))

b = oiio.ImageBuf(spec=oiio.ImageSpec(1, 2, 1, "int8"), zero=True)
dump(b, "ImageBuf(spec=..., zero=True)")
print("  pixels:", px(b))

# The spec is copied: changing the original later does not reach the buffer.
spec.width = 10
print("spec changed afterwards, buffer width still:", b.spec().width)

# A data window that does not start at 0 and a larger display window.
s = oiio.ImageSpec(3, 2, 1, "uint8")
s.x, s.y = -2, 5
s.full_x, s.full_y, s.full_width, s.full_height = -4, 0, 10, 8
dump(oiio.ImageBuf(s), "offset data window, bigger display window")

s = oiio.ImageSpec(oiio.ROI(1, 3, 2, 4, 0, 1, 0, 2), "int16")
dump(oiio.ImageBuf(s), "spec made from an ROI")

s = oiio.ImageSpec(2, 2, 3, "half")
s.channelformats = ("half", "float", "uint8")
dump(oiio.ImageBuf(s), "spec with per-channel formats")
print("  channelformats kept:", oiio.ImageBuf(s).spec().channelformats)

s = oiio.ImageSpec(4, 4, 2, "uint8")
s.tile_width, s.tile_height, s.tile_depth = 2, 2, 1
b = oiio.ImageBuf(s)
print("tiled spec: tile size in buffer spec:", b.spec().tile_width,
      b.spec().tile_height, b.spec().tile_depth)

s = oiio.ImageSpec(2, 2, 1, "float")
s.depth = 3
s.full_depth = 3
b = oiio.ImageBuf(s)
dump(b, "volume 2x2x3")
print("  pixels:", px(b))

s = oiio.ImageSpec(3, 1, 4, "uint8")
s.channelnames = ("R", "G", "B", "A")
s.alpha_channel = 3
s.attribute("Software", "conformance")
b = oiio.ImageBuf(s)
print("alpha/z channel:", b.spec().alpha_channel, b.spec().z_channel,
      "metadata:", b.spec().get_string_attribute("Software"))

# Sizes below 1 are raised to 1 by the constructor (no error is reported);
# the native spec keeps the values that were asked for.
for args in [(0, 0, 0, "float"), (0, 2, 1, "float"), (-1, 2, 1, "float"),
             (2, 2, 0, "float")]:
    b = oiio.ImageBuf(oiio.ImageSpec(*args))
    ns = b.nativespec()
    dump(b, "ImageBuf(ImageSpec%r)" % (args,))
    print("  nativespec size:", ns.width, ns.height, ns.depth, ns.nchannels)
    print("  pixels:", px(b))
    b = oiio.ImageBuf(oiio.ImageSpec(*args), True)
    print("  with zero=True: initialized", b.initialized, "roi", b.roi,
          "error", repr(b.geterror()))

# An unknown pixel format gives an initialised buffer without valid pixels.
b = oiio.ImageBuf(oiio.ImageSpec(2, 2, 1, "unknown"))
dump(b, "ImageBuf(ImageSpec(2, 2, 1, 'unknown'))")
print("  error:", repr(b.geterror()))
b = oiio.ImageBuf(oiio.ImageSpec())
dump(b, "ImageBuf(ImageSpec())")
print("  error:", repr(b.geterror()))

# Objects that are not arrays fall through to the buffer overload and give
# an empty buffer without an error.
for obj in [oiio.ROI(0, 1, 0, 1), 5, [1.0, 2.0], (1.0,)]:
    b = oiio.ImageBuf(obj)
    print("ImageBuf(%s): initialized %s has_error %s" % (
        type(obj).__name__, b.initialized, b.has_error))
flush()
