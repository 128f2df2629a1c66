# erase_attribute by name, by type, by pattern, with and without case
# sensitivity.
import OpenImageIO as oiio


def make():
    s = oiio.ImageSpec()
    for n, v in [("dog", "Spot"), ("dogma", 2.5), ("cat", "Tom"), ("Bird", 7),
                 ("Exif:A", 1), ("Exif:B", 2), ("exif:c", 3)]:
        s.attribute(n, v)
    return s


def names(s):
    return [p.name for p in s.extra_attribs]


print("start:", names(make()))
cases = [
    (("dog",), {}), (("DOG",), {}), (("DOG",), {"casesensitive": True}),
    (("bird",), {}), (("bird",), {"casesensitive": True}),
    (("dog", oiio.TypeString), {}), (("dog", oiio.TypeInt), {}),
    (("dog", "string"), {}), (("Exif:.*",), {}),
    (("exif:.*",), {"casesensitive": True}), (("d.g",), {}), (("",), {}),
    ((), {}), (("nope",), {}), (("[",), {}), ((".*",), {}), (("dog|cat",), {}),
    ((), {"name": "cat", "type": oiio.TypeString, "casesensitive": False}),
]
for args, kw in cases:
    s = make()
    r = s.erase_attribute(*args, **kw)
    print("erase_attribute", args, kw, "->", r, names(s))

s = oiio.ImageSpec()
s.attribute("dog", "Spot")
print("dog while present:", s.getattribute("dog"))
s.erase_attribute("dog")
print("dog once erased:", s.getattribute("dog"))

# attribute() with a name differing only in case replaces the entry
s.attribute("Name", 1)
s.attribute("NAME", "two")
print("case-insensitive replace:", [(p.name, p.value) for p in s.extra_attribs])
