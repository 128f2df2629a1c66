"""File rules: editing errors, printed form, and which colour space a path
gets (glob, regex, colour-space name search, default)."""

import PyOpenColorIO as OCIO


def attempt(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:  # noqa: BLE001 - the exception type and text are what we compare
        print(label, type(e).__name__, str(e))


rules = OCIO.FileRules()
rules.insertRule(0, "a", "cs", "pat", "ext")
rules.insertRule(1, "b", "cs2", "re.*")
rules.insertPathSearchRule(0)
rules.setCustomKey(1, "k1", "v1")
rules.setCustomKey(1, "k0", "v0")
print(repr(rules))
for label, f in [
    ("bad index", lambda: rules.getName(9)),
    ("empty glob", lambda: rules.setPattern(1, "")),
    ("empty class", lambda: rules.setPattern(1, "[]")),
    ("open class", lambda: rules.setExtension(1, "jp[gG")),
    ("path search pattern", lambda: rules.setPattern(0, "x")),
    ("default pattern", lambda: rules.setPattern(3, "x")),
    ("duplicate", lambda: rules.insertRule(0, "A", "cs", "p", "e")),
    ("move up", lambda: rules.increaseRulePriority(0)),
    ("move down", lambda: rules.decreaseRulePriority(2)),
    ("key", lambda: rules.getCustomKeyName(1, 5)),
    ("index", lambda: rules.getIndexForRule("DEFAULT")),
]:
    attempt(label, f)

cfg = OCIO.Config.CreateRaw()
for name in ["lin_srgb", "srgb", "lin", "ACEScg"]:
    cfg.addColorSpace(OCIO.ColorSpace(name=name))
rules = OCIO.FileRules()
rules.insertPathSearchRule(0)
rules.insertRule(1, "dpx", "raw", r".*\.dpx")
rules.insertRule(2, "exr", "ACEScg", "a*", "[eE][xX][r]")
cfg.setFileRules(rules)
for p in ["/a/lin_srgb/b.exr", "/a/srgb_lin.exr", "/a/SRGB.exr", "x.dpx", "a.DPX", "/a/b.exr", "ab.eXr",
          "a.EXR", "a.b.exr", "/x/Lin_sRGB_lin.tif", "", "acescg"]:
    print(repr(p), cfg.getColorSpaceFromFilepath(p), repr(cfg.parseColorSpaceFromString(p)),
          cfg.filepathOnlyMatchesDefaultRule(p))
