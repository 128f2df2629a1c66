# Building a ParamValueList with attribute() and item assignment, then
# iterating, indexing and looking values up by name.
import numpy
import OpenImageIO as oiio
from _common import show, show_list

pl = oiio.ParamValueList()
print("empty len:", len(pl), "list:", list(pl))
pl.attribute("i", 1)
pl.attribute("s", "Bob")
pl.attribute("e", 2.718281828459045)
pl.attribute("P", "point", (2.0, 42.0, 1.0))
pl.attribute("pressure", "float", 4, [98.0, 98.5, 99.0, 99.5])
pl.attribute("ucarr", "uint8[10]",
             numpy.array([49, 50, 51, 0, 0, 97, 98, 99, 1, 88], dtype="B"))
pl.attribute("tc", oiio.TypeTimeCode, (18356486, 4294967295))
pl.attribute("bytes", b"raw")
pl["j"] = 42
pl["foo"] = "bar"
pl["pi"] = 3.141592653589793
print("pl length is", len(pl))
show_list(pl)
for p in pl:
    show(p)

print("pl[1] =", pl[1].name, pl[1].type, pl[1].value)
print("pl['e'] = {:.6}".format(pl["e"]))
print("pl['pi'] = {:.6}".format(pl["pi"]))
print("pl['foo'] =", pl["foo"])
print("pl['P'] =", pl["P"])
print("pl['pressure'] (first of 4 values) =", pl["pressure"])
print("pl['ucarr'] =", pl["ucarr"])
print("pl['tc'] =", pl["tc"])
print("pl['bytes'] =", repr(pl["bytes"]))
print("pl['FOO'] (case) ->", end=" ")
try:
    print(pl["FOO"])
except KeyError as e:
    print("KeyError", e)
it = iter(pl)
print("iterator next:", next(it).name, next(it).name)
print("names:", [p.name for p in pl])
print("repr:", repr(pl))
