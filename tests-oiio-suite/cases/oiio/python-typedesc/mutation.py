# Writable properties, fromstring() and unarray() modify a TypeDesc in place.
import OpenImageIO as oiio
from _common import describe

t = oiio.TypeDesc()
t.basetype = oiio.FLOAT
print("after basetype=FLOAT:", repr(t))
t.aggregate = oiio.VEC3
print("after aggregate=VEC3:", repr(t))
t.vecsemantics = oiio.COLOR
print("after vecsemantics=COLOR:", repr(t))
t.arraylen = 2
describe("mutated FLOAT VEC3 COLOR [2]", t)
t.arraylen = -1
print("after arraylen=-1:", repr(t), t.arraylen)
t.arraylen = -7
print("after arraylen=-7:", repr(t), t.arraylen)
t.arraylen = 0
print("after arraylen=0:", repr(t))
t.basetype = oiio.HALF
print("after basetype=HALF:", repr(t))
t.aggregate = oiio.MATRIX44
t.vecsemantics = oiio.NOXFORM
print("after MATRIX44/NOXFORM:", repr(t))
t.basetype = oiio.DOUBLE
print("after basetype=DOUBLE:", repr(t))
# ints are accepted for enum-typed properties
t.basetype = 7
t.aggregate = 2
t.vecsemantics = 8
print("after int assignments:", repr(t), t.basetype, t.aggregate, t.vecsemantics)

for s in ("float[2]", "int[5]", "int", "color[]", "box3", "timecode", "string[4]"):
    u = oiio.TypeDesc(s)
    r = u.unarray()
    print("unarray(%s) ->" % s, repr(u), "returned", r)

f = oiio.TypeDesc()
f.fromstring("point")
describe("fromstring('point')", f, full=False)
