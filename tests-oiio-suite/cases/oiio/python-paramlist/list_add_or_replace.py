# add_or_replace() and append(), including duplicates and case handling.
import OpenImageIO as oiio


def dump(pl):
    return [(p.name, p.value) for p in pl]


pl = oiio.ParamValueList()
pl.attribute("s", "Bob")
pl.attribute("n", 1)
pl.add_or_replace(oiio.ParamValue("s", "Alice"))
print("replace same name:", dump(pl))
pl.add_or_replace(oiio.ParamValue("S", "Carol"))
print("case-different name adds:", dump(pl))
pl.add_or_replace(oiio.ParamValue("s", "Dave"), casesensitive=False)
print("case-insensitive replace:", dump(pl))
pl.add_or_replace(oiio.ParamValue("n", 2.5))
print("replace with different type:", [(p.name, str(p.type), p.value) for p in pl])
pl.append(oiio.ParamValue("n", "dup"))
print("append duplicate:", dump(pl), "len", len(pl))
print("lookup after duplicate:", pl["n"])
pl.add_or_replace(value=oiio.ParamValue("new", 7), casesensitive=True)
print("keyword add:", dump(pl))
print("returns:", pl.append(oiio.ParamValue("x", 0)), pl.add_or_replace(oiio.ParamValue("x", 1)))
print("final:", dump(pl))
