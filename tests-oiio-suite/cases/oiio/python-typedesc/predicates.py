# is_vec2/3/4 and is_box2/3, with their default (FLOAT) and explicit basetypes.
import OpenImageIO as oiio

types = ["float", "float2", "vector2", "float4", "vector", "color", "point",
         "normal", "float[3]", "vector[2]", "box2", "box3", "box2i", "box3i",
         "int", "rational", "matrix"]
extra = [("vector2i", oiio.TypeVector2i), ("vector3i", oiio.TypeVector3i),
         ("float3", oiio.TypeDesc(oiio.FLOAT, oiio.VEC3)),
         ("half vec3", oiio.TypeDesc(oiio.HALF, oiio.VEC3))]
cases = [(s, oiio.TypeDesc(s)) for s in types] + extra
for name, t in cases:
    print("%-10s" % name,
          "vec2:", t.is_vec2(), t.is_vec2(oiio.INT),
          "vec3:", t.is_vec3(), t.is_vec3(oiio.INT), t.is_vec3(oiio.HALF),
          "vec4:", t.is_vec4(), t.is_vec4(oiio.INT),
          "box2:", t.is_box2(), t.is_box2(oiio.INT),
          "box3:", t.is_box3(), t.is_box3(oiio.INT))
v = oiio.TypeDesc("vector")
print("keyword b:", v.is_vec3(b=oiio.FLOAT), v.is_vec3(b=oiio.DOUBLE))
print("int as basetype:", v.is_vec3(11), v.is_vec3(7))
