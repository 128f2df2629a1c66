# ParamValue(name, type, nvalues, interp, value) and the Interp enum.
import OpenImageIO as oiio
from _common import show

print("Interp members:", list(oiio.Interp))
for m in oiio.Interp:
    print("  ", str(m), repr(m), m.name, m.value)
show(oiio.ParamValue("e", "float", 4, oiio.Interp.LINEAR, (1, 3, 5, 7)))
show(oiio.ParamValue("c", oiio.TypeFloat, 3, oiio.Interp.PERPIECE, (1, 2, 3)))
show(oiio.ParamValue("v", oiio.TypeFloat, 3, oiio.Interp.VERTEX, [1, 2, 3]))
show(oiio.ParamValue("i", "int", 2, oiio.Interp.CONSTANT, (10, 20)))
show(oiio.ParamValue("s", "string", 2, oiio.Interp.CONSTANT, ("a", "b")))
show(oiio.ParamValue("p", "point", 2, oiio.Interp.CONSTANT, (1, 2, 3, 4, 5, 6)))
show(oiio.ParamValue("f2", "float[2]", 2, oiio.Interp.CONSTANT, (1, 2, 3, 4)))
show(oiio.ParamValue("more", "float", 2, oiio.Interp.CONSTANT, (1, 2, 3, 4)))
show(oiio.ParamValue("fewer", "float", 2, oiio.Interp.LINEAR, (1,)))
show(oiio.ParamValue("zero", "float", 0, oiio.Interp.CONSTANT, ()))
show(oiio.ParamValue("kw", type=oiio.TypeInt, nvalues=2,
                     interp=oiio.Interp.CONSTANT, value=(5, 6)))
