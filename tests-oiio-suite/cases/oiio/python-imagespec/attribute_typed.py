# ImageSpec.attribute(name, type, value): which type/value combinations
# are stored and how they read back. Unsupported ones are silently dropped.
import numpy
import OpenImageIO as oiio

s = oiio.ImageSpec()
tests = [
    ("float", 3), ("float", 2.5), ("float", numpy.float32(2.5)),
    ("int", 7), ("int", 2.5), ("int", "5"), ("int", numpy.int64(3)),
    ("uint", 7), ("uint8", 7), ("int8", -3), ("uint16", 65535),
    ("int16", -5), ("int64", 2**40), ("uint64", 5), ("double", 1 / 3),
    ("double", (0.25,)), ("half", 0.5), ("pointer", 0), ("string", "x"),
    ("string", 5), ("float", (1, 2)), ("float[2]", (1,)), ("float[2]", (1, 2, 3)),
    ("float[2]", (5.0, 6.0)), ("float[4]", [1.0, 2.0, 3.0, 4.0]),
    ("float[4]", numpy.array([1.0, 2.0, 3.0, 4.0], dtype="f")),
    ("float[2]", numpy.array([3, 4], dtype="i")),
    ("int[2]", [1, 2]), ("int[2]", (1, "x")), ("double[2]", (0.1, 0.2)),
    ("half[2]", (0.5, 0.25)), ("uint8[]", b"abc"), ("float[]", (1, 2, 3)),
    ("uint8[4]", b"abcd"), ("uint8[2]", numpy.array([300, 2], dtype=numpy.uint16)),
    ("uint8[3]", numpy.array([1, 2, 3], dtype=numpy.uint8)),
    ("int64[2]", (1, -1)), ("vector2", (1, 2)), ("vector2i", (3, 4)),
    ("normal", (0, 0, 1)), ("point", (1, 2, 3)), ("color", [0.5, 0.25, 1]),
    ("float4", (1, 2, 3, 4)), ("box3", (0, 0, 0, 1, 1, 1)),
    ("box2i", (0, 0, 10, 20)), ("urational", (3, 4)), ("rational", (-3, 4)),
    ("timecode", (1, 2)), ("keycode", (1, 2, 3, 4, 5, 6, 7)),
    ("matrix", tuple(range(16))), ("matrix33", tuple(range(9))),
    ("string[2]", ("a", "b")), ("string[2]", ["a"]), ("floaty", 1.0),
]
for i, (t, v) in enumerate(tests):
    name = "a%02d" % i
    try:
        r = s.attribute(name, t, v)
    except Exception as e:
        print(name, t, repr(v), "-> raised", type(e).__name__)
        continue
    if name in s:
        p = [q for q in s.extra_attribs if q.name == name][0]
        print(name, t, repr(v), "-> stored as", p.type, repr(s.getattribute(name)))
    else:
        print(name, t, repr(v), "-> not stored (returned %r)" % (r,))

# TypeDesc objects rather than strings
s.attribute("td_vec", oiio.TypeVector, (1, 0, 11))
s.attribute("td_mat", oiio.TypeMatrix, (1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 1, 2, 3, 1))
s.attribute("td_tc", oiio.TypeTimeCode, (18356486, 4294967295))
for n in ("td_vec", "td_mat", "td_tc"):
    print(n, repr(s.getattribute(n)))
try:
    s.attribute("bad", oiio.TypeFloat, None)
except Exception as e:
    print("typed None ->", type(e).__name__)
print("total stored:", len(s.extra_attribs))
