# pl[name] = value and pl.attribute(name, value) with assorted Python types.
import numpy
import OpenImageIO as oiio
from _common import probe

pl = oiio.ParamValueList()
pl["x"] = 1
pl["x"] = 2.5
print("replace int by float:", len(pl), pl["x"], pl[0].type)
pl.attribute("x", "hello")
print("replace by attribute str:", len(pl), pl["x"], pl[0].type)
pl["b"] = b"bytes"
print("bytes:", repr(pl["b"]), pl[1].type)
pl["t"] = True
print("bool:", pl["t"], pl[2].type)
for label, v in [("tuple", (1, 2)), ("list", [1]), ("None", None),
                 ("ndarray", numpy.array([1.0], dtype="f")), ("2**31", 2**31),
                 ("TypeDesc", oiio.TypeFloat)]:
    probe("pl['y'] = %s" % label, lambda v=v: pl.__setitem__("y", v))
try:
    pl["y"] = (1, 2)
except ValueError as e:
    print("setitem tuple message:", e)
for label, args in [("('a', (1, 2))", ("a", (1, 2))), ("('a', None)", ("a", None)),
                    ("('a', 2**31)", ("a", 2**31))]:
    probe("attribute%s" % label, lambda args=args: pl.attribute(*args))
try:
    pl.attribute("a", (1, 2))
except TypeError as e:
    print("attribute tuple message:", e)
print("'y' in pl:", "y" in pl, "'a' in pl:", "a" in pl, "len:", len(pl))
