# Attribute types that the Python setters refuse (double, half, int64,
# int16, ...) can still arrive through from_xml(); check how their values
# read back through every getter, metadata_val and serialize.
import OpenImageIO as oiio

attrs = [("half", "0.5"), ("double", "0.1"), ("int64", "-1099511627776"),
         ("uint64", "18446744073709551615"), ("int16", "-5"),
         ("uint16", "65535"), ("int8", "-3"), ("uint8", "200"),
         ("half[2]", "0.5, 0.25"), ("double[2]", "0.1, 0.2"),
         ("int64[2]", "1, 2"), ("uint16[3]", "1, 2, 3"), ("int8[2]", "-1, 2"),
         ("uint[2]", "1, 2"), ("box2", "0, 0, 1, 1"), ("float", "1e-3"),
         ("keycode", "1, 2, 3, 4, 5, 6, 7"), ("timecode", "01:02:03:04"),
         ("string", "x"), ("pointer", "0"), ("vector2i", "1, 2")]
doc = '<ImageSpec version="27">'
for t, v in attrs:
    name = "a_" + t.replace("[", "_").replace("]", "")
    doc += '<attrib name="%s" type="%s">%s</attrib>' % (name, t, v)
doc += "</ImageSpec>"
s = oiio.ImageSpec()
s.from_xml(doc)
for p in s.extra_attribs:
    print(p.name, p.type, repr(p.value), "|", repr(s.getattribute(p.name)),
          "|", s.metadata_val(p), "|", s.get_int_attribute(p.name, -1),
          s.get_float_attribute(p.name, -1), repr(s.get_string_attribute(p.name, "D")))
print(s.serialize("text"))
ea = s.extra_attribs
for p in ea:
    print("list lookup", p.name, repr(ea[p.name]))
