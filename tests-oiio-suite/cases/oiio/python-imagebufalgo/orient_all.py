# flip, flop, rotate90/180/270, transpose and reorient (Orientation 1-8):
# display windows that differ from the data window, non-zero origins, ROIs,
# in-place use, preallocated destinations of other types, wide types.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ROI
from _iba import TYPES, ramp
from _copy import bothx, showx

OPS = ["flip", "flop", "rotate90", "rotate180", "rotate270", "transpose"]
for t in TYPES:
    A = ramp(5, 3, 3, t, x=2, y=-1, seed=11)
    A.specmod().attribute("Author", "me")
    F = ramp(4, 3, 2, t, x=1, y=1, seed=12)
    F.set_full(0, 7, 0, 6, 0, 1)
    for name in OPS:
        f = getattr(IBA, name)
        bothx("%s %s" % (name, t), f, A)
        bothx("%s %s full" % (name, t), f, F)
        bothx("%s %s roi" % (name, t), f, A, ROI(3, 6, -1, 1, 0, 1, 1, 3))
        bothx("%s %s roi-out" % (name, t), f, F, ROI(0, 3, 2, 6))
        if name != "transpose":  # OIIO's in-place transpose reads what it writes
            B = ramp(5, 3, 3, t, x=2, y=-1, seed=11)
            print("%s in place" % name, f(B, B))
            showx("   ", B)
        for dt in ["float", "uint8"]:
            D = ramp(6, 6, 3, dt, x=0, y=-2, seed=13)
            print("%s %s into %s" % (name, t, dt), f(D, A))
            showx("   ", D)

for t in TYPES:
    A = ramp(4, 3, 2, t, x=1, y=2, seed=14)
    A.set_full(0, 6, 0, 5, 0, 1)
    for o in range(0, 10):
        A.specmod().attribute("Orientation", o)
        bothx("reorient %s %d" % (t, o), IBA.reorient, A)
        B = A.copy()
        print("reorient in place", o, IBA.reorient(B, B))
        showx("   ", B)
    A.specmod().erase_attribute("Orientation")
    bothx("reorient %s none" % t, IBA.reorient, A)

for t, dt, vals in [("uint", np.uint32, [1, 123456789, 4294967295, 7]),
                    ("double", np.float64, [0.1, 1e-12, -3.5, 1.0 / 3.0]),
                    ("int16", np.int16, [-32768, 5, 32767, -1])]:
    B = ImageBuf(oiio.ImageSpec(2, 2, 1, t))
    B.set_pixels(ROI(0, 2, 0, 2), np.array(vals).reshape(2, 2, 1).astype(dt))
    for name in OPS:
        r = getattr(IBA, name)(B)
        print(t, name, r.spec().format, r.get_pixels(t).ravel().tolist())

for name in OPS + ["reorient"]:
    bothx(name + " uninit", getattr(IBA, name), ImageBuf())
