# ImageBuf and files: read() with a channel range and the keyword forms,
# write() to a path with dtype/fileformat keywords, and write(out) through
# an ImageOutput opened by the caller.
import numpy as np
import OpenImageIO as oiio

px = (np.arange(3 * 4 * 3, dtype=np.float32).reshape(3, 4, 3) / 36.0)
src = oiio.ImageBuf(px)
print("write kw:", src.write("a.ppm", dtype="uint16"), src.write(filename="b.img", fileformat="pnm"), repr(src.geterror()))

buf = oiio.ImageBuf("a.ppm")
print("read chans 1-3:", buf.read(0, 0, 1, 3, True, "float"), buf.nchannels, buf.spec().channelnames,
      buf.get_pixels().ravel()[:4].round(4).tolist())
print("read kw:", buf.read(subimage=0, miplevel=0, force=False, convert=oiio.TypeUInt8), buf.nchannels, buf.spec().format)
print("read default:", buf.read(), buf.spec().format, buf.nchannels)
print("read forced:", buf.read(force=True), buf.spec().format, buf.nchannels)
print("read missing subimage:", buf.read(2, 0), repr(buf.geterror())[:60])
print("b.img format:", oiio.ImageBuf("b.img").file_format_name)

out = oiio.ImageOutput.create("c.pgm")
print("open:", out.open("c.pgm", oiio.ImageSpec(4, 3, 1, "uint8")))
gray = oiio.ImageBuf(px[:, :, :1].copy())
print("write(out):", gray.write(out), repr(gray.geterror()))
print("close:", out.close())
print("c.pgm:", oiio.ImageBuf("c.pgm").get_pixels(oiio.TypeUInt8).ravel().tolist())
