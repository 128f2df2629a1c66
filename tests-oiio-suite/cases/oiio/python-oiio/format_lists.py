# The built-in plugin lists this build reports through global attributes.
import OpenImageIO as oiio

for n in ("format_list", "input_format_list", "output_format_list", "extension_list"):
    v = oiio.get_string_attribute(n)
    print(n, "=", v)
    print("  via getattribute equal:", oiio.getattribute(n, oiio.TypeString) == v)
names = oiio.get_string_attribute("format_list").split(",")
print("every listed format name is recognised:",
      all(oiio.is_imageio_format_name(n) for n in names))
