# ImageSpec.attribute(name, value) with plain Python values, and the typed
# get_*_attribute getters.
import OpenImageIO as oiio
from _common import probe

s = oiio.ImageSpec()
s.attribute("foo_str", "blah")
s.attribute("foo_int", 14)
s.attribute("foo_float", 3.14)
s.attribute("neg", -1)
s.attribute("flag", True)
s.attribute("bytes_val", b"raw")
s.attribute("empty", "")
s.attribute("uni", "ünï")
s.attribute("inf", float("inf"))
s.attribute("nan", float("nan"))
s.attribute("negzero", -0.0)
s.attribute("huge_float", 1e300)
for p in s.extra_attribs:
    print(p.name, p.type, repr(p.value))

print("get_int_attribute('foo_int'):", s.get_int_attribute("foo_int"))
print("get_int_attribute('foo_int', 21):", s.get_int_attribute("foo_int", 21))
print("get_int_attribute('foo_no', 23):", s.get_int_attribute("foo_no", 23))
print("get_int_attribute('foo_no'):", s.get_int_attribute("foo_no"))
print("get_int_attribute('foo_float', 5):", s.get_int_attribute("foo_float", 5))
print("get_int_attribute('foo_str', 5):", s.get_int_attribute("foo_str", 5))
print("get_float_attribute('foo_float'):", s.get_float_attribute("foo_float"))
print("get_float_attribute('foo_float_no'):", s.get_float_attribute("foo_float_no"))
print("get_float_attribute('foo_float_no', 2.7):", s.get_float_attribute("foo_float_no", 2.7))
print("get_float_attribute('foo_int', -1):", s.get_float_attribute("foo_int", -1.0))
print("get_float_attribute('foo_str', -1):", s.get_float_attribute("foo_str", -1.0))
print("get_float_attribute(name=, defaultval=):",
      s.get_float_attribute(name="nope", defaultval=0.5))
print("get_string_attribute('foo_str'):", repr(s.get_string_attribute("foo_str")))
print("get_string_attribute('foo_str_no'):", repr(s.get_string_attribute("foo_str_no")))
print("get_string_attribute('foo_str_no', 'xx'):", repr(s.get_string_attribute("foo_str_no", "xx")))
print("get_string_attribute('foo_int'):", repr(s.get_string_attribute("foo_int")))
print("get_string_attribute('foo_float'):", repr(s.get_string_attribute("foo_float")))
print("get_string_attribute('uni'):", repr(s.get_string_attribute("uni")))
gb = s.get_bytes_attribute("foo_str", "")
print("get_bytes_attribute('foo_str'):", type(gb).__name__, gb)
print("get_bytes_attribute('uni'):", s.get_bytes_attribute("uni"))
print("get_bytes_attribute('nope'):", s.get_bytes_attribute("nope"))
print("get_bytes_attribute('nope', 'dflt'):", s.get_bytes_attribute("nope", "dflt"))
print("get_bytes_attribute('foo_int'):", s.get_bytes_attribute("foo_int"))

# replacing an attribute keeps one entry and may change its type
s.attribute("foo_int", "now a string")
print("replaced foo_int:", [(p.name, str(p.type), p.value) for p in s.extra_attribs if p.name == "foo_int"])
s.attribute("FOO_INT", 5)
print("case-different name:", [(p.name, p.value) for p in s.extra_attribs if p.name.lower() == "foo_int"])
print("attribute returns:", s.attribute("z", 1))

# values that cannot be stored
probe("attribute(name, 2**31)", lambda: s.attribute("big", 2**31))
probe("attribute(name, 2**40)", lambda: s.attribute("big", 2**40))
print("'big' stored after failure:", "big" in s)
probe("attribute(name, (1,2,3))", lambda: s.attribute("tup", (1, 2, 3)))
probe("attribute(name, [1.0])", lambda: s.attribute("lst", [1.0]))
probe("attribute(name, None)", lambda: s.attribute("none", None))
probe("attribute(name, TypeFloat)", lambda: s.attribute("td", oiio.TypeFloat))
probe("attribute(5, 1)", lambda: s.attribute(5, 1))
print("count:", len(s.extra_attribs))
