# serialize('text', ...) at each verbosity on a spec with varied metadata.
import OpenImageIO as oiio
from _common import rich_spec

s = rich_spec()
for verbose in ("brief", "detailed", "detailedhuman"):
    print("=== text", verbose)
    print(s.serialize("text", verbose))
print("=== default arguments")
print(s.serialize())
print("=== keyword arguments")
print(s.serialize(format="text", verbose="brief"))
print("=== unknown verbosity / format fall back")
print(s.serialize("text", "nonsense") == s.serialize("text", "detailed"))
print(s.serialize("json", "brief") == s.serialize("text", "brief"))
print("=== empty spec")
print(repr(oiio.ImageSpec().serialize("text", "detailed")))
print(repr(oiio.ImageSpec().serialize("text", "brief")))
