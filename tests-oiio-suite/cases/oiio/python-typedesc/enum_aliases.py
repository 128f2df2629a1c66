# Class-level aliases of BASETYPE (BASETYPE.UINT8, BASETYPE.INT8, ...) are
# distinct members from the canonical ones, while module-level aliases
# (oiio.UINT8, ...) are the canonical members.
import OpenImageIO as oiio

B = oiio.BASETYPE
pairs = [("UINT8", "UCHAR"), ("INT8", "CHAR"), ("USHORT", "UINT16"),
         ("INT16", "SHORT"), ("UINT32", "UINT"), ("INT32", "INT"),
         ("UINT64", "ULONGLONG"), ("INT64", "LONGLONG")]
for alias, canon in pairs:
    a = getattr(B, alias)
    c = getattr(B, canon)
    print(alias, "class:", a, repr(a), a.name, a.value,
          "| module:", getattr(oiio, alias),
          "| canon:", c,
          "| equal:", a == c,
          "| by value:", B(a.value),
          "| by name:", B[alias],
          "| TypeDesc:", oiio.TypeDesc(a), oiio.TypeDesc(a) == oiio.TypeDesc(c))
print("alias listed by iteration:", B.UINT8 in list(B))
print("alias contained:", B.UINT8 in B)
print("members:", [(k, v.name) for k, v in B.__members__.items()])
print(oiio.VECSEMANTICS.NOSEMANTICS, oiio.VECSEMANTICS.NOSEMANTICS.name,
      oiio.VECSEMANTICS.NOSEMANTICS == oiio.NOXFORM, oiio.NOSEMANTICS)
print("TypeDesc from class alias INT16 with VEC2:",
      oiio.TypeDesc(B.INT16, oiio.VEC2))
