# ParamValue(name, int|float|str) constructors and the value types they give.
import OpenImageIO as oiio
from _common import show

show(oiio.ParamValue("a", 42))
show(oiio.ParamValue("b", 3.5))
show(oiio.ParamValue("c", "xyzpdq"))
show(oiio.ParamValue("neg", -7))
show(oiio.ParamValue("zero", 0))
show(oiio.ParamValue("flag", True))
show(oiio.ParamValue("third", 1.0 / 3.0))
show(oiio.ParamValue("big_int_becomes_float", 2**40))
show(oiio.ParamValue("int_max", 2**31 - 1))
show(oiio.ParamValue("int_min", -2**31))
show(oiio.ParamValue("inf", float("inf")))
show(oiio.ParamValue("nan", float("nan")))
show(oiio.ParamValue("empty", ""))
show(oiio.ParamValue("uni", "ünï ✓"))
show(oiio.ParamValue("", "nameless"))
show(oiio.ParamValue("spaces in name", 1))
p = oiio.ParamValue("a", 42)
print("name/type/value types:", type(p.name).__name__, type(p.type).__name__)
print("type equals TypeInt:", p.type == oiio.TypeInt)
print("__len__ property:", p.__len__)
try:
    len(p)
except TypeError:
    print("len(ParamValue) -> TypeError")
print("repr has class name:", repr(p))
