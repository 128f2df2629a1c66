# Global attribute(name, value) store/retrieve round trips through the
# typed getters.
import OpenImageIO as oiio

oiio.attribute("plugin_searchpath", "perfect")
print("get_string_attribute plugin_searchpath:", oiio.get_string_attribute("plugin_searchpath", "bad"))
print("get_int_attribute plugin_searchpath:", oiio.get_int_attribute("plugin_searchpath", 0))
print("get_float_attribute plugin_searchpath:", oiio.get_float_attribute("plugin_searchpath", 0.5))
print("getattribute TypeString plugin_searchpath:", oiio.getattribute("plugin_searchpath", oiio.TypeString))
print("getattribute TypeFloat plugin_searchpath:", oiio.getattribute("plugin_searchpath", oiio.TypeFloat))
print("getattribute TypeString blahblah:", oiio.getattribute("blahblah", oiio.TypeString))

oiio.attribute("plugin_searchpath", "path/A:path/B")
print("plugin_searchpath:", oiio.get_string_attribute("plugin_searchpath", ""))
oiio.attribute("threads", 6)
print("threads:", oiio.get_int_attribute("threads", 0), oiio.getattribute("threads", oiio.TypeInt))
oiio.attribute("exr_threads", 3)
print("exr_threads:", oiio.get_int_attribute("exr_threads", 0))
oiio.attribute("debug", 0)
print("debug:", oiio.get_int_attribute("debug", -1))
oiio.attribute("font_searchpath", b"/fonts")
print("font_searchpath str:", oiio.get_string_attribute("font_searchpath", ""))
gb = oiio.get_bytes_attribute("font_searchpath", b"")
print("font_searchpath bytes:", type(gb).__name__, gb)
oiio.attribute("read_chunk", 300)
print("read_chunk:", oiio.get_int_attribute("read_chunk"))
oiio.attribute("missingcolor", "0.5,0.25")
print("missingcolor str:", repr(oiio.getattribute("missingcolor", oiio.TypeString)),
      "float[2]:", oiio.getattribute("missingcolor", "float[2]"))
oiio.attribute("log_times", 0)
print("log_times:", oiio.get_int_attribute("log_times"))
# wrong-typed value for an int attribute
oiio.attribute("debug", 1.5)
print("debug after float:", oiio.get_int_attribute("debug", -1), oiio.get_float_attribute("debug", -1.0))
oiio.attribute("threads", "abc")
print("threads after str:", oiio.get_int_attribute("threads", -1))
# an attribute name OIIO does not know
oiio.attribute("nope_attr", 5)
print("unknown attr:", oiio.getattribute("nope_attr", oiio.TypeInt), oiio.get_int_attribute("nope_attr", 3))
print("attribute returns:", oiio.attribute("debug", 0))
