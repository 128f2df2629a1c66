# str()/repr() of TypeDesc alone and inside containers and f-strings.
import OpenImageIO as oiio

t = oiio.TypeDesc("float[2]")
print(t)
print(repr(t))
print(str(t), "|", t.c_str(), "|", f"{t}", "|", "%s" % t, "|", "{}".format(t))
print((oiio.TypeFloat, oiio.TypeColor))
print((oiio.TypeInt,))
print([oiio.TypeString, oiio.TypeMatrix, oiio.TypeTimeCode])
print({"k": oiio.TypeRational})
print(str((oiio.TypeHalf, oiio.TypeDesc("uint8[10]"))))
print(repr([oiio.TypeDesc(), oiio.TypeDesc("box3i")]))
print("types:", oiio.TypeFloat, oiio.TypeVector, sep=" / ")
print(type(oiio.TypeFloat).__name__, type(oiio.TypeFloat).__module__)
print(type(str(oiio.TypeFloat)).__name__, type(oiio.TypeFloat.c_str()).__name__)
