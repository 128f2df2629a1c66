# Integer indexing bounds and key lookups that fail.
import OpenImageIO as oiio
from _common import probe

pl = oiio.ParamValueList()
for i, n in enumerate("abc"):
    pl.attribute(n, i)
print("pl[0]:", pl[0].name, "pl[2]:", pl[2].name)
for idx in (3, 99, -1, -99):
    try:
        print(idx, pl[idx].name)
    except IndexError as e:
        print("pl[%d] IndexError %r" % (idx, str(e)))
    except TypeError:
        print("pl[%d] TypeError" % idx)
try:
    pl["nope"]
except KeyError as e:
    print("pl['nope'] KeyError:", e)
probe("pl[1.5]", lambda: pl[1.5])
probe("pl[None]", lambda: pl[None])
probe("pl[b'a']", lambda: pl[b"a"])
empty = oiio.ParamValueList()
try:
    empty[0]
except IndexError:
    print("empty[0] IndexError")
# Items fetched by index are snapshots or views?
p = pl[0]
pl.attribute("a", "changed")
print("earlier fetched item:", p.name, p.value, "| now:", pl[0].value)
