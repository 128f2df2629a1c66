# Construction of TypeDesc from type-name strings, including names it does
# not understand (which give the 'unknown' type, not an exception).
import OpenImageIO as oiio

names = ["float", "float[2]", "float[]", "int[-1]", "uint8", "uint8[]", "int8",
         "uint16", "int16", "uint", "uint32", "int", "int32", "uint64",
         "int64", "half", "double", "string", "string[3]", "pointer",
         "color", "color[3]", "point", "vector", "normal", "normal[2]",
         "matrix", "matrix33", "matrix44", "timecode", "keycode", "rational",
         "urational", "box2", "box3", "box2i", "box3i", "float2", "float3",
         "float4", "vector2", "vector4", "vector2i", "vector3i", "int2",
         "int3", "float2i", "floaty", "", "float[", "float[abc]", "ptr",
         "void", "unknown", "uchar", "char", "short", "ushort", "Float",
         " float", "float ", "float[0]", "float[1]", "color4", "uint8[10]",
         "float3[2]", "color4uc", "matrix33d", "pointh[4]"]
for n in names:
    t = oiio.TypeDesc(n)
    print("%-12r -> %-18r base=%s agg=%s sem=%s arr=%d size=%d" % (
        n, t, t.basetype.name, t.aggregate.name, t.vecsemantics.name,
        t.arraylen, t.size()))

# fromstring on an existing object, including a bad name
t = oiio.TypeDesc("int")
print("fromstring returns:", t.fromstring("point"))
print("after fromstring('point'):", repr(t))
t.fromstring("box3i")
print("after fromstring('box3i'):", repr(t))
t.fromstring("nonsense")
print("after fromstring('nonsense'):", repr(t))
t.fromstring("float[7]")
print("after fromstring('float[7]'):", repr(t))
