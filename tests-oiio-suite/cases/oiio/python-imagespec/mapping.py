# Dict-like access: spec[key], spec[key] = v, del spec[key], key in spec,
# spec.get(key, default).
import numpy
import OpenImageIO as oiio
from _common import probe

s = oiio.ImageSpec()
s["delfoo_str"] = "egg"
s["delfoo_int"] = 29
s["delfoo_float"] = 99.5
s["bytes"] = b"xyz"
s.attribute("ucarr", "uint8[10]",
            numpy.array([49, 50, 51, 0, 0, 97, 98, 99, 1, 88], dtype="B"))
s.attribute("vec", oiio.TypeVector, (1, 2, 3))
print("s['delfoo_float'] =", s["delfoo_float"])
print("s['delfoo_int'] =", s["delfoo_int"])
print("s['delfoo_str'] =", s["delfoo_str"])
print("s['bytes'] =", repr(s["bytes"]))
print("s['ucarr'] =", s["ucarr"])
print("s['vec'] =", s["vec"])
print("s['DELFOO_INT'] =", s["DELFOO_INT"])
print("s.get('delfoo_int') =", s.get("delfoo_int"))
print("s.get('ucarr') =", s.get("ucarr"))
print("s.get('unknown') =", s.get("unknown"))
print("s.get('unknown', 123) =", s.get("unknown", 123))
print("s.get('unknown', default='d') =", s.get("unknown", default="d"))
print("s.get(key='delfoo_str') =", s.get(key="delfoo_str"))
try:
    print(s["unknown"])
except KeyError as e:
    print("s['unknown'] KeyError:", e)
print("'delfoo_int' in s:", "delfoo_int" in s)
print("'DELFOO_INT' in s:", "DELFOO_INT" in s)
print("'unknown' in s:", "unknown" in s)
s["extra"] = 1
print("'extra' in s after set:", "extra" in s)
del s["extra"]
print("'extra' in s after del:", "extra" in s)
try:
    del s["never_there"]
    print("del of missing key: no error")
except Exception as e:
    print("del of missing key:", type(e).__name__)
s["delfoo_int"] = "replaced"
print("replaced via setitem:", repr(s["delfoo_int"]))
print("names:", [p.name for p in s.extra_attribs])

probe("s['x'] = (1, 2)", lambda: s.__setitem__("tup", (1, 2)))
probe("s['x'] = [1]", lambda: s.__setitem__("lst", [1]))
probe("s['x'] = None", lambda: s.__setitem__("none", None))
probe("s['x'] = numpy array", lambda: s.__setitem__("arr", numpy.array([1.0], dtype="f")))
probe("s['x'] = 2**31", lambda: s.__setitem__("big", 2**31))
probe("s[5]", lambda: s[5])
probe("5 in s", lambda: 5 in s)
probe("len(s)", lambda: len(s))
probe("iter(s)", lambda: list(s))
try:
    s["tup"] = (1, 2)
except ValueError as e:
    print("setitem tuple ValueError message:", e)
print("final count:", len(s.extra_attribs))
