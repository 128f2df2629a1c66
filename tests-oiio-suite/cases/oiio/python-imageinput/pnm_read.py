# ImageInput on PNM files this case writes itself (P5/P6, 8 and 16 bit, PFM):
# open, spec, read_image in several types, scanlines, channel subsets.
import numpy as np
import OpenImageIO as oiio

files = {
    "gray8.pgm": b"P5\n# a comment\n3 2\n255\n" + bytes([0, 64, 128, 192, 255, 7]),
    "rgb8.ppm": b"P6 2 2 255\n" + bytes(range(0, 240, 20)),
    "rgb16.ppm": b"P6\n2 1\n65535\n" + np.array([0, 1000, 65535, 32768, 12345, 2], ">u2").tobytes(),
    "ascii.pgm": b"P2\n2 2\n15\n0 5\n10 15\n",
    "gray.pfm": b"Pf\n2 2\n-1.0\n" + np.array([0.5, 1.5, -2.0, 4.0], "<f4").tobytes(),
}
for name, data in files.items():
    with open(name, "wb") as f:
        f.write(data)

for name in files:
    inp = oiio.ImageInput.open(name)
    print("==", name, "->", inp.format_name() if inp else None, repr(oiio.geterror()))
    if not inp:
        continue
    spec = inp.spec()
    print(spec.serialize("text", "detailed"), end="")
    print("float:", inp.read_image().ravel().tolist())
    print("native:", inp.read_image(oiio.UNKNOWN).ravel().tolist())
    print("uint8:", inp.read_image("uint8").ravel().tolist())
    print("scanline 1:", inp.read_scanline(1).tolist())
    print("scanlines 0..1 ch 0..1:", inp.read_scanlines(0, 1, 0, 0, 1).tolist())
    print("subimage 1 exists:", inp.seek_subimage(1, 0), "current", inp.current_subimage())
    print("close:", inp.close())
