# BASETYPE values and type-name strings are accepted anywhere a TypeDesc is.
import OpenImageIO as oiio

a = oiio.ImageSpec(8, 9, 3, oiio.UINT8)
b = oiio.ImageSpec(8, 9, 3, "uint8")
c = oiio.ImageSpec(8, 9, 3, oiio.TypeUInt8)
for label, s in (("enum", a), ("str", b), ("TypeDesc", c)):
    print(label, "roi:", s.roi, "format:", s.format)
print("set_format('half'):", end=" ")
a.set_format("half")
print(a.format)
a.set_format(oiio.DOUBLE)
print("set_format(DOUBLE):", a.format)
print("ImageSpec(HALF).format:", oiio.ImageSpec(oiio.HALF).format)
print("ImageSpec('float').format:", oiio.ImageSpec("float").format)
print("ImageSpec('nonsense').format:", oiio.ImageSpec("nonsense").format)
print("TypeDesc(TypeDesc('int')):", oiio.TypeDesc(oiio.TypeDesc("int")))
print("equivalent with enum arg:", oiio.TypeFloat.equivalent(oiio.FLOAT))
print("scanline_bytes('uint16'):", b.scanline_bytes("uint16"))
print("scanline_bytes(UINT16):", b.scanline_bytes(oiio.UINT16))
