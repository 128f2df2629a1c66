# DeepData compositing operations on a pixel: split at a depth, sort by
# depth, merge exactly overlapping samples, merge two pixels, cull behind
# the first opaque sample, and the opaque depth.
import OpenImageIO as oiio

names = ("R", "G", "B", "A", "Z", "Zback")
types = (oiio.TypeHalf,) * 4 + (oiio.TypeFloat,) * 2


def fill(dd, p, samples):
    dd.set_samples(p, len(samples))
    for s, vals in enumerate(samples):
        for c, v in enumerate(vals):
            dd.set_deep_value(p, c, s, v)


def show(dd, p, title):
    rows = [tuple(round(dd.deep_value(p, c, s), 3) for c in range(dd.channels)) for s in range(dd.samples(p))]
    print(title, rows)


dd = oiio.DeepData()
dd.init(6, 6, types, names)
fill(dd, 0, [(0.2, 0.4, 0.1, 0.6, 2.0, 6.0), (0.5, 0.0, 0.0, 0.5, 8.0, 9.0)])
for depth in (1.0, 2.0, 6.0, 12.0):
    print("split at", depth, dd.split(0, depth))
print("split at 4", dd.split(0, 4.0))
show(dd, 0, "after splits:")
print("split again at 7.5", dd.split(0, 7.5))
show(dd, 0, "two splits:")

fill(dd, 1, [(0.1, 0, 0, 0.3, 5.0, 5.5), (0.2, 0, 0, 0.3, 3.0, 4.0), (0.3, 0, 0, 0.3, 3.0, 3.5), (0.4, 0, 0, 0.3, 1.0, 1.0)])
dd.sort(1)
show(dd, 1, "sorted:")

fill(dd, 2, [(0.3, 0.1, 0.0, 0.4, 1.0, 2.0), (0.1, 0.2, 0.3, 0.5, 1.0, 2.0), (0.5, 0.5, 0.5, 1.0, 1.0, 2.0), (0.2, 0.2, 0.2, 0.2, 3.0, 4.0)])
dd.merge_overlaps(2)
show(dd, 2, "overlaps merged:")
fill(dd, 3, [(0.4, 0.4, 0.4, 1.0, 1.0, 1.5), (0.2, 0.2, 0.2, 1.0, 1.0, 1.5)])
dd.merge_overlaps(3)
show(dd, 3, "two opaque merged:")

src = oiio.DeepData()
src.init(2, 6, types, names)
fill(src, 0, [(0.0, 0.3, 0.0, 0.3, 1.5, 4.0)])
fill(dd, 4, [(0.2, 0.0, 0.0, 0.4, 1.0, 2.0), (0.0, 0.0, 0.4, 0.8, 5.0, 6.0)])
print("merge pixels:", dd.merge_deep_pixels(4, src, 0))
show(dd, 4, "merged:")
print("merge empty src:", dd.merge_deep_pixels(4, src, 1), dd.samples(4))
print("merge into empty:", dd.merge_deep_pixels(5, src, 0))
show(dd, 5, "copied in:")

fill(dd, 1, [(0.1, 0.1, 0.1, 0.5, 1.0, 2.0), (0.1, 0.1, 0.1, 1.0, 3.0, 3.5), (0.1, 0.1, 0.1, 0.2, 4.0, 5.0)])
print("opaque z:", dd.opaque_z(1), dd.opaque_z(0) > 1e30, dd.opaque_z(5))
dd.occlusion_cull(1)
show(dd, 1, "culled:")

noz = oiio.DeepData()
noz.init(1, 2, oiio.TypeFloat, ("R", "A"))
fill(noz, 0, [(0.5, 0.5), (0.2, 1.0)])
print("no Z:", noz.split(0, 1.0), noz.opaque_z(0) > 1e30)
noz.sort(0)
noz.merge_overlaps(0)
show(noz, 0, "no Z unchanged:")
