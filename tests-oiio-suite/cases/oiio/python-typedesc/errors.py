# Bad input to TypeDesc. Binding-level TypeErrors print only the type name.
import OpenImageIO as oiio


def probe(label, fn):
    try:
        r = fn()
        print(label, "-> ok:", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__)


probe("TypeDesc(99)", lambda: oiio.TypeDesc(99))
probe("TypeDesc(-1)", lambda: oiio.TypeDesc(-1))
probe("TypeDesc(3.5)", lambda: oiio.TypeDesc(3.5))
probe("TypeDesc(None)", lambda: oiio.TypeDesc(None))
probe("TypeDesc(b'float')", lambda: oiio.TypeDesc(b"float"))
probe("TypeDesc([1])", lambda: oiio.TypeDesc([1]))
probe("TypeDesc(VEC3)", lambda: oiio.TypeDesc(oiio.VEC3))
probe("TypeDesc(COLOR)", lambda: oiio.TypeDesc(oiio.COLOR))
probe("TypeDesc('float','vec3')", lambda: oiio.TypeDesc("float", "vec3"))
probe("TypeDesc(FLOAT, VEC3, COLOR, 2, 5)",
      lambda: oiio.TypeDesc(oiio.FLOAT, oiio.VEC3, oiio.COLOR, 2, 5))
probe("TypeDesc(FLOAT, VEC3, COLOR, 'x')",
      lambda: oiio.TypeDesc(oiio.FLOAT, oiio.VEC3, oiio.COLOR, "x"))
probe("TypeDesc(FLOAT, 5)", lambda: oiio.TypeDesc(oiio.FLOAT, 5))
probe("TypeDesc('floaty')", lambda: oiio.TypeDesc("floaty"))

t = oiio.TypeDesc("float")
probe("basetype = 'float'", lambda: setattr(t, "basetype", "float"))
probe("basetype = 99", lambda: setattr(t, "basetype", 99))
probe("aggregate = FLOAT", lambda: setattr(t, "aggregate", oiio.FLOAT))
probe("vecsemantics = VEC3", lambda: setattr(t, "vecsemantics", oiio.VEC3))
probe("arraylen = 'x'", lambda: setattr(t, "arraylen", "x"))
probe("arraylen = 2.5", lambda: setattr(t, "arraylen", 2.5))
print("t after failed assignments:", repr(t))
probe("fromstring(5)", lambda: t.fromstring(5))
probe("equivalent(5.5)", lambda: t.equivalent(5.5))
probe("is_vec3('float')", lambda: t.is_vec3("float"))
probe("all_types_equal(5)", lambda: oiio.TypeDesc.all_types_equal(5))
probe("all_types_equal([1.5])", lambda: oiio.TypeDesc.all_types_equal([1.5]))
probe("all_types_equal([1, 2])", lambda: oiio.TypeDesc.all_types_equal([1, 2]))
probe("size(1)", lambda: t.size(1))
probe("no attr", lambda: t.nonexistent)
probe("new attr", lambda: setattr(t, "nonexistent", 1))
probe("len(t)", lambda: len(t))
probe("t < t", lambda: t < t)
