# ParamValue(name, type, value) for every kind of type the binding handles.
import numpy
import OpenImageIO as oiio
from _common import show

cases = [
    ("int", 5), ("float", 2.5), ("float", 1 / 3), ("string", "s"),
    ("uint", 4000000000), ("uint", (5,)), ("uint8", 200),
    ("float[4]", (3.5, 4.5, 5.5, 6.5)), ("point", [3.5, 4.5, 5.5, 6.5]),
    ("vector", (1, 2, 3)), ("normal", (0, 1, 0)), ("color", (1, 1, 1)),
    ("vector2", (1, 2)), ("float4", (1, 2, 3, 4)), ("float", (True,)),
    ("matrix", tuple(range(16))), ("matrix33", tuple(range(9))),
    ("timecode", (1, 2)), ("keycode", tuple(range(7))),
    ("rational", (1, 3)), ("rational", (-3, 4)), ("urational", (2, 3)),
    ("box2", (0, 0, 1, 1)), ("box2i", (0, 0, 2, 3)),
    ("box3i", (0, 0, 0, 1, 1, 1)), ("string[2]", ("x", "y")),
    ("int[3]", (1, 2, 3)), ("int[]", (1, 2, 3)), ("string", "ünï"),
    ("color", numpy.array([0.25, 0.5, 0.75], dtype="f")),
    ("int[2]", numpy.array([7, 8], dtype=numpy.int32)),
    ("float[2]", numpy.array([1, 2], dtype=numpy.int32)),
    ("float", numpy.float32(2.5)), ("int", numpy.int32(4)),
]
for t, v in cases:
    show(oiio.ParamValue("n", t, v), "%-10s %-28r" % (t, v))
# TypeDesc objects instead of strings
show(oiio.ParamValue("tc", oiio.TypeTimeCode, (18356486, 4294967295)), "TypeTimeCode")
show(oiio.ParamValue("m", oiio.TypeMatrix, tuple(float(i) for i in range(16))), "TypeMatrix")
show(oiio.ParamValue(name="kw", type=oiio.TypeFloat, value=1.25), "keywords")
