# getattribute() with and without a requested type, for stored attributes.
import numpy
import OpenImageIO as oiio

s = oiio.ImageSpec()
s.attribute("foo_str", "blah")
s.attribute("foo_int", 14)
s.attribute("foo_float", 3.14)
s.attribute("foo_vector", oiio.TypeVector, (1, 0, 11))
s.attribute("foo_matrix", oiio.TypeMatrix,
            (1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 1, 2, 3, 1))
s.attribute("smpte:TimeCode", oiio.TypeTimeCode, (18356486, 4294967295))
s.attribute("ucarr", "uint8[10]",
            numpy.array([49, 50, 51, 0, 0, 97, 98, 99, 1, 88], dtype="B"))
s.attribute("ints", "int[3]", (4, 5, 6))
s.attribute("rat", "rational", (1, 3))
s.attribute("strs", "string[2]", ("x", "y"))
s.attribute("u", "uint", 4000000000)
s.attribute("u8", "uint8", 200)

names = ["foo_str", "foo_int", "foo_float", "foo_vector", "foo_matrix",
         "smpte:TimeCode", "ucarr", "ints", "rat", "strs", "u", "u8",
         "foo_no", "FOO_INT", "SMPTE:TIMECODE"]
for n in names:
    v = s.getattribute(n)
    print("getattribute(%r) ->" % n, repr(v), type(v).__name__)

print("-- with requested types")
reqs = [oiio.TypeInt, oiio.TypeFloat, oiio.TypeString, oiio.TypeDesc("double"),
        oiio.TypeVector, oiio.TypeColor, oiio.TypeDesc("float[3]"),
        oiio.TypeDesc("int[3]"), oiio.TypeUInt, oiio.TypeTimeCode,
        oiio.TypeDesc("uint8[10]"), oiio.TypeUnknown]
for n in ("foo_int", "foo_float", "foo_str", "foo_vector", "ints", "u",
          "smpte:TimeCode", "ucarr"):
    out = []
    for t in reqs:
        out.append("%s=%r" % (t, s.getattribute(n, t)))
    print(n, ":", " ".join(out))
print("keyword type:", repr(s.getattribute(name="foo_int", type="float")))
print("str type:", repr(s.getattribute("foo_float", "int")))
print("ndarray dtype:", s.getattribute("ucarr").dtype, s.getattribute("ucarr").shape)
