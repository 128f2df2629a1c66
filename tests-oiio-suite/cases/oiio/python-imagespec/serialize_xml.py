# serialize('xml', ...) and to_xml() with varied metadata, including
# characters that need escaping.
import OpenImageIO as oiio
from _common import rich_spec

s = rich_spec()
s.tile_width = 16
s.tile_height = 8
s.channelformats = ("half", "half", "half", "float")
for verbose in ("brief", "detailed", "detailedhuman"):
    print("=== xml", verbose)
    print(s.serialize("xml", verbose))
print("=== to_xml")
x = s.to_xml()
print(x)
print("to_xml == serialize('xml','detailed'):", x == s.serialize("xml", "detailed"))
print("to_xml starts with <ImageSpec:", x.strip().startswith("<ImageSpec"))
print("=== empty spec to_xml")
print(oiio.ImageSpec().to_xml())
