# geterror() with nothing pending, and its clear argument forms.
import OpenImageIO as oiio

print("geterror():", repr(oiio.geterror()))
print("geterror(clear=False):", repr(oiio.geterror(clear=False)))
print("geterror(False):", repr(oiio.geterror(False)))
print("geterror(True):", repr(oiio.geterror(True)))
print("type:", type(oiio.geterror()).__name__)
# operations that fail quietly do not leave a global error behind
s = oiio.ImageSpec()
s.from_xml("garbage")
oiio.attribute("nope_attr", 5)
oiio.is_imageio_format_name("nonsense")
print("after quiet failures:", repr(oiio.geterror()))
try:
    oiio.geterror("yes")
except TypeError:
    print("geterror('yes') -> TypeError")
