# Each TypeDesc constructor overload, fully described.
import OpenImageIO as oiio
from _common import describe

describe("TypeDesc()", oiio.TypeDesc())
describe("TypeDesc(UINT8)", oiio.TypeDesc(oiio.UINT8))
describe("TypeDesc(DOUBLE)", oiio.TypeDesc(oiio.DOUBLE))
describe("TypeDesc(STRING)", oiio.TypeDesc(oiio.STRING))
describe("TypeDesc(PTR)", oiio.TypeDesc(oiio.PTR))
describe("TypeDesc(NONE)", oiio.TypeDesc(oiio.NONE))
describe("TypeDesc(FLOAT, VEC3)", oiio.TypeDesc(oiio.FLOAT, oiio.VEC3))
describe("TypeDesc(INT, VEC2)", oiio.TypeDesc(oiio.INT, oiio.VEC2))
describe("TypeDesc(DOUBLE, MATRIX33)", oiio.TypeDesc(oiio.DOUBLE, oiio.MATRIX33))
describe("TypeDesc(HALF, VEC3, COLOR)", oiio.TypeDesc(oiio.HALF, oiio.VEC3, oiio.COLOR))
describe("TypeDesc(UINT8, VEC4, COLOR)", oiio.TypeDesc(oiio.UINT8, oiio.VEC4, oiio.COLOR))
describe("TypeDesc(FLOAT, SCALAR, NOXFORM, 6)",
         oiio.TypeDesc(oiio.FLOAT, oiio.SCALAR, oiio.NOXFORM, 6))
describe("TypeDesc(FLOAT, VEC3, POINT, 2)",
         oiio.TypeDesc(oiio.FLOAT, oiio.VEC3, oiio.POINT, 2))
describe("TypeDesc(INT, VEC2, BOX, 2)",
         oiio.TypeDesc(oiio.INT, oiio.VEC2, oiio.BOX, 2))
describe("TypeDesc(FLOAT, VEC3, BOX, 2)",
         oiio.TypeDesc(oiio.FLOAT, oiio.VEC3, oiio.BOX, 2))
describe("TypeDesc(FLOAT, VEC3, COLOR, -1) (unsized array)",
         oiio.TypeDesc(oiio.FLOAT, oiio.VEC3, oiio.COLOR, -1))
describe("TypeDesc(HALF, VEC3, POINT, 4)",
         oiio.TypeDesc(oiio.HALF, oiio.VEC3, oiio.POINT, 4))
describe("TypeDesc(INT, VEC2, RATIONAL)",
         oiio.TypeDesc(oiio.INT, oiio.VEC2, oiio.RATIONAL))
describe("TypeDesc(UINT, VEC2, RATIONAL)",
         oiio.TypeDesc(oiio.UINT, oiio.VEC2, oiio.RATIONAL))
describe("TypeDesc(UINT, SCALAR, TIMECODE, 2)",
         oiio.TypeDesc(oiio.UINT, oiio.SCALAR, oiio.TIMECODE, 2))
describe("TypeDesc(INT, SCALAR, KEYCODE, 7)",
         oiio.TypeDesc(oiio.INT, oiio.SCALAR, oiio.KEYCODE, 7))
describe("TypeDesc(INT, VEC3)", oiio.TypeDesc(oiio.INT, oiio.VEC3))
describe("TypeDesc(SHORT, VEC2)", oiio.TypeDesc(oiio.SHORT, oiio.VEC2))
describe("TypeDesc(FLOAT, MATRIX44, NOXFORM, 3)",
         oiio.TypeDesc(oiio.FLOAT, oiio.MATRIX44, oiio.NOXFORM, 3))
describe("TypeDesc(copy of TypeColor)", oiio.TypeDesc(oiio.TypeColor))
describe("TypeDesc('float[2]')", oiio.TypeDesc("float[2]"))

# copies are independent
orig = oiio.TypeDesc("float")
dup = oiio.TypeDesc(orig)
dup.arraylen = 3
print("original after changing copy:", orig, "copy:", dup)

# plain ints are accepted where a BASETYPE / AGGREGATE is expected
describe("TypeDesc(11)", oiio.TypeDesc(11), full=False)
describe("TypeDesc(3)", oiio.TypeDesc(3), full=False)
describe("TypeDesc(FLOAT, 3)", oiio.TypeDesc(oiio.FLOAT, 3), full=False)
describe("TypeDesc(FLOAT, VEC3, 1)", oiio.TypeDesc(oiio.FLOAT, oiio.VEC3, 1), full=False)
