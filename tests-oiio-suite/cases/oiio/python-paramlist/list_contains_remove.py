# contains(), `in`, remove() and `del` with type and case-sensitivity
# options.
import OpenImageIO as oiio


def fresh():
    pl = oiio.ParamValueList()
    pl.attribute("i", 1)
    pl.attribute("s", "Bob")
    pl.attribute("e", 2.718281828459045)
    pl.attribute("Mixed", 3)
    return pl


pl = fresh()
print("contains('e'):", pl.contains("e"))
print("contains('f'):", pl.contains("f"))
print("contains('E'):", pl.contains("E"))
print("contains('E', casesensitive=False):", pl.contains("E", casesensitive=False))
print("contains('e', TypeFloat):", pl.contains("e", oiio.TypeFloat))
print("contains('e', TypeInt):", pl.contains("e", oiio.TypeInt))
print("contains('e', 'float'):", pl.contains("e", "float"))
print("contains(name='mixed', casesensitive=False):",
      pl.contains(name="mixed", casesensitive=False))
print("'e' in pl:", "e" in pl, "| 'E' in pl:", "E" in pl, "| 'mixed' in pl:", "mixed" in pl)

pl.remove("E")
print("remove('E'):", len(pl))
pl.remove("E", casesensitive=False)
print("remove('E', casesensitive=False):", len(pl), "e" in pl)
pl.remove("i", oiio.TypeFloat)
print("remove('i', TypeFloat):", len(pl), "i" in pl)
pl.remove("i", oiio.TypeInt)
print("remove('i', TypeInt):", len(pl), "i" in pl)
print("remove missing returns:", pl.remove("nope"), len(pl))
pl["x"] = 123
print("after adding 'x', 'x' in pl:", "x" in pl)
del pl["x"]
print("after del, 'x' in pl:", "x" in pl)
try:
    del pl["never"]
    print("del missing: no error, len", len(pl))
except Exception as e:
    print("del missing:", type(e).__name__)
try:
    del pl["MIXED"]
    print("del wrong case: len", len(pl), "Mixed" in pl)
except Exception as e:
    print("del wrong case:", type(e).__name__)
print("names left:", [p.name for p in pl])
