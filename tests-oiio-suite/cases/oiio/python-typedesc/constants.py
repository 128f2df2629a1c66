# Every predefined Type* constant exported by the module.
import OpenImageIO as oiio
from _common import describe

names = ["TypeUnknown", "TypeFloat", "TypeColor", "TypePoint", "TypeVector",
         "TypeNormal", "TypeMatrix", "TypeMatrix33", "TypeMatrix44",
         "TypeString", "TypeInt", "TypeUInt", "TypeInt32", "TypeUInt32",
         "TypeInt64", "TypeUInt64", "TypeInt16", "TypeUInt16", "TypeInt8",
         "TypeUInt8", "TypeHalf", "TypeTimeCode", "TypeKeyCode", "TypeFloat2",
         "TypeVector2", "TypeFloat4", "TypeVector4", "TypeVector2i",
         "TypeVector3i", "TypeBox2", "TypeBox3", "TypeBox2i", "TypeBox3i",
         "TypeRational", "TypeURational", "TypePointer"]
print("module Type* names:",
      sorted(n for n in dir(oiio) if n.startswith("Type") and n != "TypeDesc"))
for n in names:
    describe(n, getattr(oiio, n))

print("TypeMatrix == TypeMatrix44:", oiio.TypeMatrix == oiio.TypeMatrix44)
print("TypeInt == TypeInt32:", oiio.TypeInt == oiio.TypeInt32)
print("TypeUInt == TypeUInt32:", oiio.TypeUInt == oiio.TypeUInt32)
print("TypeFloat4 == TypeVector4:", oiio.TypeFloat4 == oiio.TypeVector4)
print("TypeFloat2 == TypeVector2:", oiio.TypeFloat2 == oiio.TypeVector2)
print("TypeUnknown == TypeDesc():", oiio.TypeUnknown == oiio.TypeDesc())

# module constants are not shared mutable singletons that change behind us
c = oiio.TypeFloat
d = oiio.TypeDesc(c)
d.aggregate = oiio.VEC3
print("TypeFloat still:", oiio.TypeFloat, "copy:", d)
