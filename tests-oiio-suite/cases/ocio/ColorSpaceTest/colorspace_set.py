"""ColorSpaceSet: lookup by name or alias, the add rules and their
messages, members handed out as themselves (edits reach the set), the
operators |, & and - with their order, equality, and live iterators."""

import copy

import PyOpenColorIO as OCIO


def attempt(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:  # noqa: BLE001 - the exception type and text are what we compare
        print(label, type(e).__name__, str(e) if not isinstance(e, TypeError) else "")


def names(s):
    return list(s.getColorSpaceNames())


s = OCIO.ColorSpaceSet()
a = OCIO.ColorSpace(name="a", aliases=["aa"])
s.addColorSpace(a)
s.addColorSpace(OCIO.ColorSpace(name="b"))
print(names(s), len(s.getColorSpaces()))
member = s.getColorSpace("AA")
print(member.getName(), member is s.getColorSpace("a"), member is a)
member.setName("zz")
a.setName("not in the set")
print(names(s))
for label, f in [
    ("missing", lambda: s.getColorSpace("nope")),
    ("has B", lambda: s.hasColorSpace("B")),
    ("has empty", lambda: s.hasColorSpace("")),
    ("has None", lambda: s.hasColorSpace(None)),
    ("has alias", lambda: s.hasColorSpace("aa")),
    ("empty name", lambda: s.addColorSpace(OCIO.ColorSpace())),
    ("name is alias", lambda: s.addColorSpace(OCIO.ColorSpace(name="AA"))),
    ("alias taken", lambda: s.addColorSpace(OCIO.ColorSpace(name="x", aliases=["B"]))),
    ("not a colour space", lambda: s.addColorSpace(1)),
    ("compare int", lambda: s == 1),
    ("or int", lambda: s | 1),
]:
    attempt(label, f)
s.addColorSpace(OCIO.ColorSpace(name="B", family="fam"))
print(names(s), s.getColorSpace("b").getFamily())

t = OCIO.ColorSpaceSet()
t.addColorSpace(OCIO.ColorSpace(name="b"))
t.addColorSpace(OCIO.ColorSpace(name="C"))
for expr in ["s | t", "t | s", "s & t", "t & s", "s - t", "t - s"]:
    r = eval(expr)
    print(expr, type(r).__name__, names(r))
print(s == t, s != t, s == copy.deepcopy(s), copy.deepcopy(s).getColorSpace("b") is s.getColorSpace("b"))

it = s.getColorSpaces()
nit = s.getColorSpaceNames()
print(type(it).__qualname__, type(nit).__qualname__, type(nit).__module__)
print(OCIO.ColorSpaceSet.ColorSpaceIterator is type(it), OCIO.ColorSpaceSet.ColorSpaceNameIterator is type(nit))
print(len(it), it[0].getName(), next(it).getName(), nit[-1], it[-1])
attempt("past the end", lambda: it[5])
attempt("float index", lambda: nit[0.0])
attempt("huge index", lambda: nit[2**40])
s.removeColorSpace("B")
print(names(s), len(it), len(nit))
attempt("next after removal", lambda: next(it))
s.removeColorSpace("aa")
s.removeColorSpace(None)
print(names(s))
s.addColorSpaces(t)
s.addColorSpaces(s)
print(names(s))
s.removeColorSpaces(t)
print(names(s))
s.addColorSpaces(t)
s.clearColorSpaces()
print(names(s), len(nit))

cfg = OCIO.Config.CreateFromBuiltinConfig("studio-config-v1.0.0_aces-v1.3_ocio-v2.1")
for cat in [None, "", "file-io", " Working-Space", "nonexistent"]:
    r = cfg.getColorSpaces(cat)
    print(repr(cat), type(r).__name__, len(r.getColorSpaceNames()), names(r)[:3])
both = cfg.getColorSpaces("file-io") - cfg.getColorSpaces("working-space")
print(len(both.getColorSpaceNames()), names(both)[:3])
