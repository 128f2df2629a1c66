# ImageInput reads with every overload and keyword form: whole image,
# channel ranges, explicit subimage/miplevel, scanline ranges, tile calls on
# a scanline file, thumbnails and deep reads of a flat file.
import numpy as np
import OpenImageIO as oiio

w, h = 5, 4
px = (np.arange(h * w * 3, dtype=np.float32).reshape(h, w, 3) / 60.0)
oiio.ImageBuf(px).write("src.ppm", "uint8")

inp = oiio.ImageInput.open("src.ppm")
def show(label, a):
    if a is None:
        print(label, None, repr(inp.geterror()))
    else:
        print(label, a.dtype, a.shape, a.ravel()[:6].round(4).tolist())

show("default:", inp.read_image())
show("uint8:", inp.read_image("uint8"))
show("format kw:", inp.read_image(format=oiio.TypeHalf))
show("chans 1-3:", inp.read_image(1, 3))
show("chans kw:", inp.read_image(chbegin=2, chend=3, format="uint16"))
show("chans past end:", inp.read_image(1, 10))
show("empty chan range:", inp.read_image(2, 1))
show("sub/mip:", inp.read_image(0, 0, 0, 2))
show("sub/mip kw:", inp.read_image(subimage=0, miplevel=0, chbegin=0, chend=3, format="uint8"))
show("bad subimage:", inp.read_image(3, 0, 0, 3))
show("unknown type:", inp.read_image(oiio.TypeUnknown))
try:
    inp.read_image(0, 0, 0)
except TypeError as e:
    print("three ints: TypeError")
show("scanline 2:", inp.read_scanline(2))
show("scanline outside:", inp.read_scanline(9))
show("scanlines 1-3:", inp.read_scanlines(1, 3, 0, 0, 3))
show("scanlines kw:", inp.read_scanlines(ybegin=0, yend=2, z=0, chbegin=1, chend=2, format="uint8"))
show("scanlines sub:", inp.read_scanlines(0, 0, 3, 4, 0, 0, 3))
try:
    inp.read_scanlines(0, 2)
except TypeError:
    print("scanlines without channels: TypeError")
show("tile:", inp.read_tile(0, 0, 0))
show("tiles:", inp.read_tiles(0, w, 0, h, 0, 1, 0, 3))
show("tiles sub:", inp.read_tiles(0, 0, 0, w, 0, h, 0, 1, 0, 3))
t = inp.get_thumbnail()
print("thumbnail:", type(t).__name__, t.initialized, t.spec().width)
print("deep read of flat:", inp.read_native_deep_image(), repr(inp.geterror()))
print("spec_dimensions:", inp.spec_dimensions(0).width, len(inp.spec_dimensions(0).extra_attribs))
print("seek 1:", inp.seek_subimage(1, 0), inp.current_subimage(), inp.current_miplevel())
print("close:", inp.close())
