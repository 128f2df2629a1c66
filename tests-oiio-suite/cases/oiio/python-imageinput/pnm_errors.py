# ImageInput failures on bad PNM files: messages come from oiio.geterror().
import OpenImageIO as oiio

bad = {
    "missing.ppm": None,
    "truncated.ppm": b"P6\n4 4\n255\n\x01\x02",
    "badmagic.ppm": b"P9\n2 2\n255\n" + bytes(12),
    "huge.ppm": b"P6\n100000 100000\n255\n" + bytes(20),
    "empty.pgm": b"",
}
for name, data in bad.items():
    if data is not None:
        with open(name, "wb") as f:
            f.write(data)
    inp = oiio.ImageInput.open(name)
    print(name, "open ->", None if inp is None else inp.format_name(), repr(oiio.geterror()))
    if inp is not None:
        px = inp.read_image()
        print("   read ->", None if px is None else px.shape, repr(inp.geterror()))
