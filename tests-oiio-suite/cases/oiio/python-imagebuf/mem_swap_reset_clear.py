# swap, reset(spec, zero), reset(array), clear and make_writable on
# in-memory buffers.
import numpy as np
import OpenImageIO as oiio
from _common import probe


def info(label, b):
    pixels = None
    if b.initialized and b.pixels_valid:
        pixels = b.get_pixels(b.spec().format).ravel().tolist()
    print(label, "| init", b.initialized, "| format", b.spec().format, "| nch", b.nchannels,
          "| roi", b.roi, "| full", b.roi_full, "| m", repr(b.spec().get_string_attribute("m")),
          "| pixels", pixels, "| error", repr(b.geterror()))


A = oiio.ImageBuf(np.array([[1, 2]], dtype=np.uint8))
A.specmod().attribute("m", "A")
B = oiio.ImageBuf(np.array([[[0.5, 0.25]]], dtype=np.float32))
B.set_origin(4, 5)
B.specmod().attribute("m", "B")
A.swap(B)
info("A after A.swap(B)", A)
info("B after A.swap(B)", B)
E = oiio.ImageBuf()
E.swap(A)
info("E after E.swap(A)", E)
info("A after E.swap(A)", A)
E.swap(E)
info("E after E.swap(E)", E)

E.reset(oiio.ImageSpec(2, 1, 3, "uint16"))
info("reset(spec)", E)
E.setpixel(0, 0, (1.0, 1.0, 1.0))
E.reset(oiio.ImageSpec(2, 1, 3, "uint16"), True)
info("reset(spec, True) after a setpixel", E)
E.reset(spec=oiio.ImageSpec(1, 1, 1, "int8"), zero=True)
info("reset(spec=, zero=True)", E)
E.reset(oiio.ImageSpec(1, 1, 2, "half"), zero=False)
print("reset(spec, zero=False) | init", E.initialized, "| format", E.spec().format, "| roi", E.roi,
      "| error", repr(E.geterror()), "(pixels undefined, not printed)")
E.reset(np.array([[[3, 4]]], dtype=np.int16))
info("reset(int16 array)", E)
E.reset(buffer=np.ones((1, 2), np.float64))
info("reset(buffer=float64 2-D array)", E)
E.reset(np.zeros(3, np.float32))
info("reset(1-D array)", E)
E.reset(np.array([[1.0]], np.float32))
E.reset(5)
info("reset(5) (not a buffer)", E)

E.reset(oiio.ImageSpec(2, 2, 1, "float"))
E.reset(oiio.ImageSpec(0, 0, 0, "float"))
info("reset(spec 0x0x0)", E)
E.reset(oiio.ImageSpec(2, 2, 1, "unknown"))
info("reset(spec with unknown format)", E)
E.reset(oiio.ImageSpec(2, 2, 1, "float"))
E.specmod().attribute("m", "E")
E.set_origin(1, 1)
E.reset(oiio.ImageSpec(1, 1, 1, "float"))
info("reset drops metadata and origin", E)

E.clear()
info("clear()", E)
print("   after clear:", E.nchannels, E.pixeltype, E.name, E.subimage, E.miplevel,
      E.nsubimages, E.nmiplevels, E.pixels_valid, E.orientation)
E.clear()
info("clear() twice", E)
e2 = oiio.ImageBuf()
e2.clear()
info("clear() on a new empty buffer", e2)

print("make_writable:", B.make_writable(), B.make_writable(True),
      B.make_writable(keep_cache_type=False), oiio.ImageBuf().make_writable())
info("B after make_writable", B)

probe("reset()", lambda: E.reset())
probe("reset(None)", lambda: E.reset(None))
probe("reset(spec, 1)", lambda: E.reset(oiio.ImageSpec(1, 1, 1, "float"), 1))
probe("reset(spec, zero=None)", lambda: E.reset(oiio.ImageSpec(1, 1, 1, "float"), zero=None))
probe("swap(None)", lambda: E.swap(None))
probe("swap(spec)", lambda: E.swap(E.spec()))
probe("make_writable('x')", lambda: E.make_writable("x"))
probe("clear(1)", lambda: E.clear(1))
