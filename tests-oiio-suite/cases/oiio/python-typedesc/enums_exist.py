# Every module-level alias of the BASETYPE / AGGREGATE / VECSEMANTICS values
# must exist and print as its canonical enum member.
import OpenImageIO as oiio

basetype_names = ["UNKNOWN", "NONE", "UCHAR", "UINT8", "CHAR", "INT8",
                  "USHORT", "UINT16", "SHORT", "INT16", "UINT", "UINT32",
                  "INT", "INT32", "ULONGLONG", "UINT64", "LONGLONG", "INT64",
                  "HALF", "FLOAT", "DOUBLE", "STRING", "PTR", "LASTBASE"]
aggregate_names = ["SCALAR", "VEC2", "VEC3", "VEC4", "MATRIX33", "MATRIX44"]
semantics_names = ["NOXFORM", "NOSEMANTICS", "COLOR", "POINT", "VECTOR",
                   "NORMAL", "TIMECODE", "KEYCODE", "RATIONAL", "BOX"]

for group in (basetype_names, aggregate_names, semantics_names):
    for name in group:
        val = getattr(oiio, name)
        print(name, "->", val, type(val).__name__, val.value)

# aliases map to the very same member at module level
print("UINT8 is UCHAR:", oiio.UINT8 is oiio.UCHAR)
print("INT8 is CHAR:", oiio.INT8 is oiio.CHAR)
print("USHORT is UINT16:", oiio.USHORT is oiio.UINT16)
print("INT16 is SHORT:", oiio.INT16 is oiio.SHORT)
print("UINT32 is UINT:", oiio.UINT32 is oiio.UINT)
print("INT32 is INT:", oiio.INT32 is oiio.INT)
print("UINT64 is ULONGLONG:", oiio.UINT64 is oiio.ULONGLONG)
print("INT64 is LONGLONG:", oiio.INT64 is oiio.LONGLONG)
print("NOSEMANTICS is NOXFORM:", oiio.NOSEMANTICS is oiio.NOXFORM)
