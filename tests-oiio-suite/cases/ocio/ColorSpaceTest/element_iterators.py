"""Config elements: their iterator objects (nested class names, live views
of the owner, what a negative index gives, pybind11's integer rules),
setters that take None as "", pybind11's bool conversion, and the printed
form of a view transform."""

import PyOpenColorIO as OCIO


def attempt(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:  # noqa: BLE001 - the exception type and text are what we compare
        print(label, type(e).__name__, str(e) if not isinstance(e, TypeError) else "")


cs = OCIO.ColorSpace(name="n", aliases=["a1", "a2"], categories=["c1", " c2 "])
nt = OCIO.NamedTransform(name="nt", aliases=["x"], categories=["k"])
vt = OCIO.ViewTransform(OCIO.REFERENCE_SPACE_DISPLAY, "vt", categories=["k1", "k2"])
vr = OCIO.ViewingRules()
vr.insertRule(0, "r")
vr.addColorSpace(0, "c1")
vr.insertRule(1, "e")
vr.addEncoding(1, "log")

iters = [
    ("cs aliases", cs.getAliases(), lambda: cs.addAlias("a3")),
    ("cs categories", cs.getCategories(), lambda: cs.addCategory("c3")),
    ("nt aliases", nt.getAliases(), lambda: nt.addAlias("y")),
    ("nt categories", nt.getCategories(), lambda: nt.addCategory("k2")),
    ("vt categories", vt.getCategories(), lambda: vt.removeCategory("K1")),
    ("vr colour spaces", vr.getColorSpaces(0), lambda: vr.addColorSpace(0, "c2")),
    ("vr encodings", vr.getEncodings(1), lambda: vr.removeEncoding(1, 0)),
]
for label, it, change in iters:
    t = type(it)
    owner = t.__qualname__.split(".")[0]
    print(label, t.__qualname__, t.__module__, getattr(getattr(OCIO, owner), t.__name__) is t)
    print("  before", len(it), list(it))
    change()
    print("  after", len(it))
    attempt("  [0]", lambda: it[0])
    attempt("  [-1]", lambda: it[-1])
    attempt("  [99]", lambda: it[99])
    attempt("  [1.0]", lambda: it[1.0])
    attempt("  next", lambda: next(it))

bad = vr.getColorSpaces(7)
attempt("bad rule len", lambda: len(bad))
attempt("bad rule next", lambda: next(bad))
attempt("negative rule", lambda: vr.getName(-1))
rules = OCIO.FileRules()
attempt("file rule negative", lambda: rules.getName(-1))
attempt("file rule float", lambda: rules.getName(0.0))

for setter in ["setFamily", "setEncoding", "setEqualityGroup", "setDescription", "setInteropID"]:
    c = OCIO.ColorSpace(name="n", family="f", encoding="e", equalityGroup="g", description="d", interopID="i")
    getattr(c, setter)(None)
    print(setter, repr(c))
for label, f in [
    ("cs hasAlias None", lambda: cs.hasAlias(None)),
    ("cs addCategory None", lambda: cs.addCategory(None)),
    ("cs hasCategory None", lambda: cs.hasCategory(None)),
    ("cs attr None", lambda: cs.getInterchangeAttribute(None)),
    ("cs setName None", lambda: cs.setName(None)),
    ("cs addAlias None", lambda: cs.addAlias(None)),
    ("nt hasAlias None", lambda: nt.hasAlias(None)),
    ("nt setFamily None", lambda: nt.setFamily(None)),
    ("nt GetTransform None", lambda: OCIO.NamedTransform.GetTransform(None, OCIO.TRANSFORM_DIR_FORWARD)),
    ("look attr None", lambda: OCIO.Look().getInterchangeAttribute(None)),
]:
    attempt(label, f)
for v in [True, 0, 2.5, None, "yes", [1]]:
    attempt("setIsData %r" % (v,), lambda: (cs.setIsData(v), cs.isData())[1])
attempt("ColorSpace(isData=1)", lambda: OCIO.ColorSpace(isData=1).isData())

for setter in ["setName", "setFamily", "setDescription"]:
    v = OCIO.ViewTransform(OCIO.REFERENCE_SPACE_SCENE, "vt", "fam", "desc")
    getattr(v, setter)(None)
    print(setter, repr(v))
vt.setTransform(OCIO.MatrixTransform(), OCIO.VIEWTRANSFORM_DIR_FROM_REFERENCE)
vt.setInterchangeAttribute("amf_transform_ids", "id")
print(repr(vt))
print(repr(OCIO.ViewTransform()))
