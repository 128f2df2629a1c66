# ImageSpec.set_colorspace as plain metadata editing (no colour-config
# queries): it sets or clears oiio:ColorSpace and drops related hints.
import OpenImageIO as oiio


def attrs(s):
    return [(p.name, p.value) for p in s.extra_attribs]


s = oiio.ImageSpec(2, 2, 3, "uint8")
s.set_colorspace("sRGB")
print("after set_colorspace('sRGB'):", s.get_string_attribute("oiio:ColorSpace"), attrs(s))
s.set_colorspace("")
print("after set_colorspace(''):", repr(s.get_string_attribute("oiio:ColorSpace")), attrs(s))
s.set_colorspace("linear")
print("after set_colorspace('linear'):", attrs(s))
s.set_colorspace("my_custom_space")
print("after custom name:", attrs(s))
s.attribute("Exif:ColorSpace", 1)
s.attribute("oiio:Gamma", 2.2)
s.attribute("unrelated", "kept")
s.set_colorspace("sRGB")
print("related hints dropped:", attrs(s))
print("keyword:", s.set_colorspace(name="linear"), attrs(s))
