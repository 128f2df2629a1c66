# resize(), clear() and free().
import OpenImageIO as oiio

pl = oiio.ParamValueList()
for n, v in (("a", 1), ("b", "two"), ("c", 3.0)):
    pl.attribute(n, v)
pl.resize(2)
print("resize(2):", len(pl), [(p.name, str(p.type), p.value) for p in pl])
pl.resize(4)
print("resize(4):", len(pl), [(p.name, str(p.type), p.value, p.__len__) for p in pl])
pl.resize(0)
print("resize(0):", len(pl))
pl.attribute("z", 1)
print("clear returns:", pl.clear(), "len", len(pl))
pl.attribute("z", 1)
print("free returns:", pl.free(), "len", len(pl))
pl.attribute("after_free", "ok")
print("usable after free:", [(p.name, p.value) for p in pl])
try:
    pl.resize(-1)
except Exception as e:
    print("resize(-1):", type(e).__name__)
