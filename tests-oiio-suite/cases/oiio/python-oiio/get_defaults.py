# Global get_*_attribute defaults for missing and wrong-typed attributes,
# and the get_bytes_attribute default conversions.
import OpenImageIO as oiio

oiio.attribute("threads", 4)
oiio.attribute("plugin_searchpath", "somewhere")
oiio.attribute("font_searchpath", b"/fonts")
print("get_int missing:", oiio.get_int_attribute("not_a_real_attr", 99))
print("get_int missing no default:", oiio.get_int_attribute("not_a_real_attr"))
print("get_float missing:", oiio.get_float_attribute("not_a_real_attr", 1.5))
print("get_float missing no default:", oiio.get_float_attribute("not_a_real_attr"))
print("get_float missing default 0.1:", oiio.get_float_attribute("not_a_real_attr", 0.1))
print("get_string missing:", repr(oiio.get_string_attribute("not_a_real_attr", "default")))
print("get_string missing no default:", repr(oiio.get_string_attribute("not_a_real_attr")))
print("get_bytes missing:", oiio.get_bytes_attribute("not_a_real_attr", b"default"))
print("get_int on string attribute:", oiio.get_int_attribute("plugin_searchpath", 77))
print("get_float on int attribute:", oiio.get_float_attribute("threads", -1.0))
print("get_string on int attribute:", repr(oiio.get_string_attribute("threads", "dflt")))
print("keywords:", oiio.get_int_attribute(name="nope", defaultval=5),
      oiio.get_string_attribute(name="nope", defaultval="k"))
missing = "not_a_real_attr_for_bytes_default"
for label, args in [("omitted", ()), ("None", (None,)), ("str", ("from_str",)),
                    ("bytes", (b"from_bytes",)), ("empty str", ("",))]:
    v = oiio.get_bytes_attribute(missing, *args)
    print("get_bytes default %s:" % label, type(v).__name__, v)
print("present attr ignores default:", oiio.get_bytes_attribute("font_searchpath", b"unused"))
print("get_bytes on int attribute:", oiio.get_bytes_attribute("threads", b"d"))
