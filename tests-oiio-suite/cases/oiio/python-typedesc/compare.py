# Equality, inequality, equivalence and all_types_equal.
import OpenImageIO as oiio

u8 = oiio.TypeDesc("uint8")
u8b = oiio.TypeDesc("uint8")
u16 = oiio.TypeDesc("uint16")
print("u8 == u8 (same object):", u8 == u8)
print("u8 == u8 (distinct objects):", u8 == u8b)
print("u8 == u16:", u8 == u16)
print("u8 != u8b:", u8 != u8b)
print("u8 != u16:", u8 != u16)
print("u8 is u8b:", u8 is u8b)

vec = oiio.TypeDesc("vector")
col = oiio.TypeDesc("color")
flt = oiio.TypeDesc("float")
print("vector == color:", vec == col)
print("vector.equivalent(color):", vec.equivalent(col))
print("TypeDesc.equivalent(vector, color):", oiio.TypeDesc.equivalent(vec, col))
print("vector.equivalent(float):", vec.equivalent(flt))
print("float3 equivalent point:", oiio.TypeDesc(oiio.FLOAT, oiio.VEC3).equivalent(oiio.TypePoint))
print("float[3] equivalent vector:", oiio.TypeDesc("float[3]").equivalent(vec))
print("float[] equivalent float[4]:", oiio.TypeDesc("float[]").equivalent(oiio.TypeDesc("float[4]")))
print("float[4] equivalent float[]:", oiio.TypeDesc("float[4]").equivalent(oiio.TypeDesc("float[]")))
print("float[] == float[4]:", oiio.TypeDesc("float[]") == oiio.TypeDesc("float[4]"))
print("rational equivalent vector2i:", oiio.TypeRational.equivalent(oiio.TypeVector2i))
print("box2 == float2[2]:", oiio.TypeBox2 == oiio.TypeDesc(oiio.FLOAT, oiio.VEC2, oiio.NOXFORM, 2))
print("box2 equivalent float2[2]:", oiio.TypeBox2.equivalent(oiio.TypeDesc(oiio.FLOAT, oiio.VEC2, oiio.NOXFORM, 2)))

# comparisons with things that implicitly convert to TypeDesc
print("TypeFloat == 'float':", oiio.TypeFloat == "float")
print("TypeFloat != 'int':", oiio.TypeFloat != "int")
print("TypeFloat == FLOAT:", oiio.TypeFloat == oiio.FLOAT)
print("TypeFloat == 11:", oiio.TypeFloat == 11)
print("TypeFloat.equivalent('float'):", oiio.TypeFloat.equivalent("float"))
print("TypeUnknown == 'garbage':", oiio.TypeUnknown == "garbage")
# comparisons with things that do not convert
print("TypeFloat == 3.0:", oiio.TypeFloat == 3.0)
print("TypeFloat == None:", oiio.TypeFloat == None)
print("TypeFloat != None:", oiio.TypeFloat != None)
print("TypeFloat == [1]:", oiio.TypeFloat == [1])

print("all_types_equal([u8, u8b]):", oiio.TypeDesc.all_types_equal([u8, u8b]))
print("all_types_equal([u8, u16]):", oiio.TypeDesc.all_types_equal([u8, u16]))
print("all_types_equal([]):", oiio.TypeDesc.all_types_equal([]))
print("all_types_equal([u8]):", oiio.TypeDesc.all_types_equal([u8]))
print("all_types_equal((u8, u8, u8)):", oiio.TypeDesc.all_types_equal((u8, u8, u8)))
print("all_types_equal(['float', FLOAT, TypeFloat]):",
      oiio.TypeDesc.all_types_equal(["float", oiio.FLOAT, oiio.TypeFloat]))
print("all_types_equal([vector, color]):",
      oiio.TypeDesc.all_types_equal([vec, col]))
