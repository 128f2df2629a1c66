# Writing PNM with ImageOutput and ImageBuf.write, then reading the files
# back with ImageInput; the runner also compares the written files.
import numpy as np
import OpenImageIO as oiio

rgb = (np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3) / 17.0)
out = oiio.ImageOutput.create("out8.ppm")
print("create:", out.format_name() if out else None)
print("open:", out.open("out8.ppm", oiio.ImageSpec(3, 2, 3, "uint8")))
print("write_image:", out.write_image(rgb), repr(out.geterror()))
print("close:", out.close())

buf = oiio.ImageBuf(rgb)
print("write ppm 16-bit:", buf.write("out16.ppm", "uint16"), repr(buf.geterror()))
gray = oiio.ImageBuf(rgb[:, :, :1].copy())
print("write pgm:", gray.write("gray.pgm", "uint8"), repr(gray.geterror()))
print("write pfm:", buf.write("out.pfm"), repr(buf.geterror()))

for name in ["out8.ppm", "out16.ppm", "gray.pgm", "out.pfm"]:
    b = oiio.ImageBuf(name)
    print(name, b.spec().format, b.nchannels, b.file_format_name, b.get_pixels().ravel().round(4).tolist())

print("unknown extension:", oiio.ImageOutput.create("x.zzz"), repr(oiio.geterror()))
