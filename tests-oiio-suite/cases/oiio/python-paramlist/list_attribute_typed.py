# ParamValueList.attribute(name, type, value) and
# attribute(name, type, nvalues, value): stored or silently dropped.
import OpenImageIO as oiio

pl = oiio.ParamValueList()
cases = [
    ("a1", ("float", 2.5)), ("a2", ("float", (1, 2))), ("a3", ("floaty", 1)),
    ("a4", ("int", 2, (1, 2, 3, 4))), ("a5", ("int", 2, (1, 2, 3))),
    ("a6", ("int", 2, (1, 2))), ("a7", ("double", 1.0)),
    ("a8", ("string", 2, ("x", "y"))), ("a9", ("point", (1, 2, 3))),
    ("a10", ("uint", 3)), ("a11", ("uint8", 3)), ("a12", ("float[2]", 2, (1, 2, 3, 4))),
    ("a13", (oiio.TypeColor, [0.5, 0.5, 0.5])), ("a14", ("rational", (1, 2))),
    ("a15", ("string", "plain")), ("a16", ("timecode", (1, 2))),
]
for name, args in cases:
    r = pl.attribute(name, *args)
    if name in pl:
        p = [q for q in pl if q.name == name][0]
        print(name, args, "-> stored", p.type, p.value, "nvalues", p.__len__)
    else:
        print(name, args, "-> not stored (returned %r)" % (r,))
print("len:", len(pl))
