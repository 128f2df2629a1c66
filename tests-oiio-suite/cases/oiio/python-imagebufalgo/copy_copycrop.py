# copy (with and without type conversion), crop and cut: ROIs inside,
# partly outside and beyond the data window, channel subsets, non-zero
# origins, preallocated destinations, metadata and display windows kept.
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ROI
from _iba import TYPES, ramp
from _copy import bothx, showx

for t in TYPES:
    A = ramp(5, 4, 4, t, x=3, y=-2, seed=1)
    A.specmod().full_x, A.specmod().full_y = 1, -3
    A.specmod().full_width, A.specmod().full_height = 9, 8
    A.specmod().attribute("Author", "me")
    A.specmod().attribute("oiio:SHA-1", "abc")
    for conv in ["unknown", "uint8", "uint16", "half", "float", "double", "uint", "int8"]:
        bothx("copy %s->%s" % (t, conv), IBA.copy, A, oiio.TypeDesc(conv))
    bothx("copy %s roi" % t, IBA.copy, A, roi=ROI(4, 7, -1, 1))
    bothx("copy %s roi-out" % t, IBA.copy, A, roi=ROI(1, 6, -3, 0, 0, 1, 1, 3))
    bothx("copy %s convert+roi" % t, IBA.copy, A, "half", ROI(4, 6, 0, 2, 0, 1, 0, 2))
    for r in [ROI(4, 7, -1, 1), ROI(0, 10, -5, 5), ROI(4, 6, -1, 1, 0, 1, 1, 3), ROI(100, 102, 0, 1), ROI.All]:
        bothx("crop %s %s" % (t, r), IBA.crop, A, r)
        bothx("cut %s %s" % (t, r), IBA.cut, A, r)
    # Into an existing image: only the ROI changes, dst keeps its type.
    for dt in TYPES:
        D = ramp(6, 6, 4, dt, x=2, y=-3, seed=9)
        ok = IBA.copy(D, A, roi=ROI(3, 6, -2, 0))
        print("copy into", t, dt, ok)
        showx("   ", D)
        D = ramp(4, 4, 3, dt, seed=9)
        ok = IBA.copy(D, A, "float")
        print("copy into 3ch", t, dt, ok)
        showx("   ", D)
    D = ramp(6, 6, 4, t, seed=9)
    print("crop into", IBA.crop(D, A, ROI(3, 5, 0, 2)))
    showx("   ", D)

# Exactness of the wider types.
import numpy as np
WIDE = [("uint", np.uint32, [1, 123456789, 4294967295, 7]), ("double", np.float64, [0.1, 1e-12, -3.5, 1.0 / 3.0]),
        ("int16", np.int16, [-32768, 5, 32767, -1]), ("int", np.int32, [-5, 2**31 - 1, 1234567, 0])]
for t, dt, vals in WIDE:
    B = ImageBuf(oiio.ImageSpec(2, 2, 1, t))
    B.set_pixels(ROI(0, 2, 0, 2), np.array(vals).reshape(2, 2, 1).astype(dt))
    for f in [lambda: IBA.copy(B), lambda: IBA.crop(B, ROI(0, 2, 1, 2)), lambda: IBA.cut(B, ROI(1, 2, 0, 2)),
              lambda: IBA.copy(B, "float"), lambda: IBA.copy(B, "uint8")]:
        r = f()
        print(t, r.spec().format, r.get_pixels(r.spec().format).ravel().tolist())

# Errors and odd inputs.
bothx("copy uninit", IBA.copy, ImageBuf())
bothx("crop uninit", IBA.crop, ImageBuf())
bothx("cut uninit", IBA.cut, ImageBuf())

# In place: copy does nothing; crop and cut clear their own source first.
for name, args in [("copy", ()), ("copy", ("float", ROI(1, 3, 0, 2))), ("crop", (ROI(1, 3, 0, 2),)),
                   ("cut", (ROI(1, 3, 0, 2),))]:
    B = ramp(4, 3, 3, "uint8", x=1, y=-1, seed=3)
    print(name, "in place", getattr(IBA, name)(B, B, *args), B.geterror())
    showx("   ", B)
