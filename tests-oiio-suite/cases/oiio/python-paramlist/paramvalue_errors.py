# Bad input to ParamValue construction and attribute assignment.
import OpenImageIO as oiio
from _common import probe

probe("ParamValue('a')", lambda: oiio.ParamValue("a"))
probe("ParamValue('a', None)", lambda: oiio.ParamValue("a", None))
probe("ParamValue(5, 5)", lambda: oiio.ParamValue(5, 5))
probe("ParamValue('a', TypeFloat)", lambda: oiio.ParamValue("a", oiio.TypeFloat))
probe("ParamValue('a', [1, 2])", lambda: oiio.ParamValue("a", [1, 2]))
probe("ParamValue('a', (1, 2))", lambda: oiio.ParamValue("a", (1, 2)))
probe("ParamValue('a', b'x')", lambda: oiio.ParamValue("a", b"x"))
probe("ParamValue('a', 'float', 1, 2)", lambda: oiio.ParamValue("a", "float", 1, 2))
probe("ParamValue('a', 'float', None)", lambda: oiio.ParamValue("a", "float", None).value)
probe("ParamValue('a', 'uint', -1)", lambda: oiio.ParamValue("a", "uint", -1))
probe("ParamValue('a', 'int', 2**31)", lambda: oiio.ParamValue("a", "int", 2**31))
probe("ParamValue('a', 5.5, 1)", lambda: oiio.ParamValue("a", 5.5, 1))
probe("ParamValue('a', 'float', 2, 'linear', (1,2))",
      lambda: oiio.ParamValue("a", "float", 2, "linear", (1, 2)))
p = oiio.ParamValue("a", 1)
probe("set name", lambda: setattr(p, "name", "x"))
probe("set type", lambda: setattr(p, "type", oiio.TypeFloat))
probe("set value", lambda: setattr(p, "value", 2))
probe("set __len__", lambda: setattr(p, "__len__", 2))
probe("p == p", lambda: p == p)
probe("p == ParamValue('a', 1)", lambda: p == oiio.ParamValue("a", 1))
probe("copy.copy(p)", lambda: __import__("copy").copy(p))
probe("Interp.NOPE", lambda: oiio.Interp.NOPE)
probe("Interp(9)", lambda: oiio.Interp(9))
print("unchanged:", p.name, p.type, p.value)
