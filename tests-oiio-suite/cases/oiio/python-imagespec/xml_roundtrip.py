# to_xml() followed by from_xml() on a fresh spec restores fields and
# metadata.
import OpenImageIO as oiio
from _common import dump, rich_spec

s = rich_spec()
s.x, s.y = 3, 4
s.full_width, s.full_height = 100, 50
s.tile_width, s.tile_height = 16, 8
s.channelnames = ("R", "G", "B", "alpha")
s.alpha_channel = 3
dump(s, "source")
x = s.to_xml()
t = oiio.ImageSpec()
r = t.from_xml(x)
print("from_xml returns:", r)
dump(t, "restored")
print("identical xml after round trip:", t.to_xml() == x)
print("identical text after round trip:",
      t.serialize("text", "detailed") == s.serialize("text", "detailed"))
if t.to_xml() != x:
    print(t.to_xml())

repl = oiio.ParamValueList()
repl.attribute("replaced", "yes")
s.extra_attribs = repl
s2 = oiio.ImageSpec()
s2.from_xml(s.to_xml())
print("from_xml preserved replaced:", s2.get_string_attribute("replaced", ""))

# from_xml on a spec that already has metadata
u = oiio.ImageSpec(2, 2, 1, "uint8")
u.attribute("pre_existing", 1)
u.attribute("replaced", "old")
u.from_xml(s.to_xml())
dump(u, "from_xml into non-empty spec")
