# Values the binding cannot convert element-wise are replaced by the
# placeholder 42; unsupported base types print a notice and give an empty
# ParamValue.
import numpy
import OpenImageIO as oiio
from _common import show

show(oiio.ParamValue("n", "int[2]", (1, "x")), "int[2] (1,'x')")
show(oiio.ParamValue("n", "float[2]", (1.5, "x")), "float[2] (1.5,'x')")
show(oiio.ParamValue("n", "float[2]", (1.5, None)), "float[2] (1.5,None)")
show(oiio.ParamValue("n", "int", (2.5,)), "int (2.5,)")
show(oiio.ParamValue("n", "uint8[3]", (1, 2, 3)), "uint8[3] tuple")
show(oiio.ParamValue("n", "uint8[2]", [1, 2]), "uint8[2] list")
show(oiio.ParamValue("n", "uint8", 3, oiio.Interp.CONSTANT, (9, 8, 7)), "uint8 x3 tuple")
show(oiio.ParamValue("n", "uint8[2]", numpy.array([300, 2], dtype=numpy.uint16)), "uint8[2] from uint16 array")
show(oiio.ParamValue("n", "float[3]", numpy.array([1, 2, 3], dtype=numpy.float64)), "float[3] from float64 array")
show(oiio.ParamValue("n", "int[2]", numpy.array([1.5, 2.5], dtype=numpy.float32)), "int[2] from float32 array")
show(oiio.ParamValue("n", "float", numpy.float64(2.5)), "float from numpy.float64")
show(oiio.ParamValue("n", "string", (1,)), "string (1,)")
print("-- too few values")
show(oiio.ParamValue("n", "int", 2.5), "int 2.5")
show(oiio.ParamValue("n", "string", 5), "string 5")
show(oiio.ParamValue("n", "int[2]", (1,)), "int[2] (1,)")
show(oiio.ParamValue("n", "float[2]", [[1, 2]]), "float[2] nested")
print("-- unsupported base types")
for t, v in [("double", 0.1), ("half", 0.5), ("int64", 2**40), ("uint64", 2**63),
             ("int16", -3), ("uint16", 60000), ("int8", -1), ("double[2]", (0.5, 0.25)),
             ("half[3]", (0.5, 1, 2)), ("pointer", 0), ("vector2i", (1, 2)),
             ("floaty", 1.0), ("int8[2]", (-1, -2))]:
    show(oiio.ParamValue("n", t, v), t)
