# Printing and Python-enum protocol of BASETYPE, AGGREGATE, VECSEMANTICS.
import OpenImageIO as oiio

for enum in (oiio.BASETYPE, oiio.AGGREGATE, oiio.VECSEMANTICS):
    print("enum", enum.__name__, "len", len(enum))
    for m in enum:
        print("  ", str(m), repr(m), m.name, m.value, f"{m}", "%s" % (m,))
    print("  members:", list(enum.__members__))
    print("  getitem:", enum[list(enum.__members__)[1]])

print(oiio.BASETYPE(11), oiio.AGGREGATE(16), oiio.VECSEMANTICS(8))
print("FLOAT in BASETYPE:", oiio.FLOAT in oiio.BASETYPE)
print("VEC3 == VEC3:", oiio.VEC3 == oiio.AGGREGATE.VEC3)
print("FLOAT == 11:", oiio.FLOAT == 11)
print("FLOAT != DOUBLE:", oiio.FLOAT != oiio.DOUBLE)
print("COLOR == BOX:", oiio.COLOR == oiio.BOX)
print("type names:", type(oiio.FLOAT).__name__, type(oiio.VEC2).__name__,
      type(oiio.POINT).__name__)
print("tuple of enums:", (oiio.FLOAT, oiio.VEC3, oiio.COLOR))
print("list of enums:", [oiio.UINT8, oiio.HALF])
print("dict of enums:", {"b": oiio.INT, "a": oiio.MATRIX44})

for probe in ("nope", "float"):
    try:
        print(oiio.BASETYPE[probe])
    except KeyError as e:
        print("BASETYPE[%r] KeyError" % probe, e)
for probe in (99, -1, 15):
    try:
        print(oiio.BASETYPE(probe))
    except ValueError as e:
        print("BASETYPE(%r) ValueError:" % probe, e)
try:
    print(oiio.AGGREGATE(5))
except ValueError as e:
    print("AGGREGATE(5) ValueError:", e)
try:
    print(oiio.VECSEMANTICS(9))
except ValueError as e:
    print("VECSEMANTICS(9) ValueError:", e)
try:
    print(oiio.FLOAT < oiio.DOUBLE)
except TypeError as e:
    print("ordering enums:", type(e).__name__)
