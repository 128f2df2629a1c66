# The ImageOutput protocol on a scanline-only format: scanline writes in
# several array layouts and types, the size/shape errors, tile calls on a
# scanline file, append modes the format lacks, open() with a list of specs,
# thumbnails, and copy_image from an ImageInput.
import numpy as np
import OpenImageIO as oiio

w, h = 4, 3
rows = (np.arange(h * w * 3, dtype=np.float32).reshape(h, w, 3) / 40.0)

out = oiio.ImageOutput.create("lines.ppm")
spec = oiio.ImageSpec(w, h, 3, "uint16")
print("open:", out.open("lines.ppm", spec))
print("spec:", out.spec().width, out.spec().height, out.spec().format)
print("supports tiles/multiimage/mipmap/thumbnail:",
      [out.supports(f) for f in ("tiles", "multiimage", "mipmap", "thumbnail")])
print("line 0 (w,c):", out.write_scanline(0, 0, rows[0]), repr(out.geterror()))
print("line 1 flat uint8:", out.write_scanline(1, 0, (rows[1] * 255).astype(np.uint8).ravel()), repr(out.geterror()))
print("line 2 half:", out.write_scanline(2, 0, rows[2].astype(np.float16)), repr(out.geterror()))
print("short line:", out.write_scanline(0, 0, rows[0, :2]), repr(out.geterror()))
print("tile call:", out.write_tile(0, 0, 0, rows), repr(out.geterror()))
print("tiles call:", out.write_tiles(0, w, 0, h, 0, 1, rows), repr(out.geterror()))
print("thumbnail:", out.set_thumbnail(oiio.ImageBuf(oiio.ImageSpec(2, 2, 3, "uint8"))), repr(out.geterror()))
print("append subimage:", out.open("lines.ppm", spec, "AppendSubimage"), repr(out.geterror()))
print("append mip:", out.open("lines.ppm", spec, "AppendMIPLevel"), repr(out.geterror()))
try:
    out.open("lines.ppm", spec, "Sideways")
except Exception as e:
    print("bad mode:", type(e).__name__, e)
print("close:", out.close(), out.close())

blk = oiio.ImageOutput.create("block.pgm")
print("open gray:", blk.open("block.pgm", oiio.ImageSpec(w, h, 1, "uint8")))
print("lines 0-2 (h,w,c):", blk.write_scanlines(0, 2, 0, (rows[:2, :, :1] * 255).astype(np.uint8)), repr(blk.geterror()))
print("line 2 (1,w,1):", blk.write_scanlines(2, 3, 0, (rows[2:, :, :1] * 255).astype(np.uint8)), repr(blk.geterror()))
print("wrong size:", blk.write_scanlines(0, 2, 0, rows[:1, :, :1].copy()), repr(blk.geterror()))
print("close:", blk.close())

for name in ("lines.ppm", "block.pgm"):
    b = oiio.ImageBuf(name)
    print(name, b.spec().format, b.get_pixels(oiio.TypeFloat).round(3).ravel().tolist())

multi = oiio.ImageOutput.create("multi.ppm")
print("open one spec in a list:", multi.open("multi.ppm", [oiio.ImageSpec(w, h, 3, "uint8")]), repr(multi.geterror()))
print("write_image:", multi.write_image(rows), multi.close())
two = oiio.ImageOutput.create("two.ppm")
print("open two specs:", two.open("two.ppm", (spec, spec)), repr(two.geterror()))
print("tuple with junk:", two.open("two.ppm", (spec, 3)))
print("write first of two:", two.write_image(rows), repr(two.geterror()))
del two  # destroying an open ImageOutput closes (and so writes) the file

src = oiio.ImageInput.open("lines.ppm")
cp = oiio.ImageOutput.create("copy.ppm")
print("copy open:", cp.open("copy.ppm", src.spec()))
print("copy_image:", cp.copy_image(src), repr(cp.geterror()))
print("close:", cp.close(), src.close())
print("copied:", oiio.ImageBuf("copy.ppm").get_pixels(oiio.TypeUInt16).ravel().tolist()[:9])

print("bad res:", oiio.ImageOutput.create("bad.ppm").open("bad.ppm", oiio.ImageSpec(0, 5, 3, "uint8")), repr(oiio.geterror()))
vol = oiio.ImageSpec(2, 2, 3, "uint8")
vol.depth = 3
o2 = oiio.ImageOutput.create("bad.ppm")
print("volume:", o2.open("bad.ppm", vol), repr(o2.geterror()))
print("write before open:", oiio.ImageOutput.create("x.ppm").write_image(rows), oiio.ImageOutput.create("x.ppm").close())
