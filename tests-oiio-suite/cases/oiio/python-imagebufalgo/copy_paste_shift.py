# paste (offsets, channel offsets, source ROIs partly outside, into new and
# existing images of other types) and circular_shift (negative and large
# shifts, ROIs, non-zero origins) across pixel types.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ROI
from _iba import TYPES, ramp
from _copy import bothx, showx

for ts in TYPES:
    S = ramp(3, 2, 3, ts, x=1, y=2, seed=5)
    for td in TYPES:
        D = ramp(6, 5, 4, td, x=-1, y=1, seed=6)
        print("paste", ts, td, IBA.paste(D, 1, -1, 0, 0, S))
        showx("   ", D)
        D = ramp(6, 5, 4, td, seed=6)
        print("paste ch+2", ts, td, IBA.paste(D, 0, 0, 0, 2, S))
        showx("   ", D)
    D = ramp(4, 4, 3, ts, seed=7)
    print("paste edge", IBA.paste(D, 2, 1, 0, 0, S))
    showx("   ", D)
    D = ramp(4, 4, 3, ts, seed=7)
    print("paste roi-out", IBA.paste(D, 0, 0, 0, 1, S, ROI(0, 3, 1, 4, 0, 1, 1, 4)))
    showx("   ", D)
    D = ImageBuf()
    print("paste new", IBA.paste(D, 2, 3, 0, 1, S))
    showx("   ", D)
    D = ramp(4, 4, 3, ts, seed=7)
    print("paste negative ch", IBA.paste(D, 0, 0, 0, -1, S))
    showx("   ", D)
    D = ramp(4, 4, 3, ts, seed=7)
    print("paste kw", IBA.paste(D, xbegin=1, ybegin=0, zbegin=0, chbegin=0, src=S, roi=ROI(1, 3, 2, 3)))
    showx("   ", D)

for t in TYPES:
    A = ramp(5, 4, 3, t, x=2, y=-1, seed=8)
    for xs, ys in [(0, 0), (1, 0), (-2, 1), (7, -9), (-5, -4), (123, 45)]:
        bothx("circular_shift %s %d %d" % (t, xs, ys), IBA.circular_shift, A, xs, ys)
    bothx("circular_shift %s roi" % t, IBA.circular_shift, A, 1, -1, roi=ROI(3, 6, 0, 3, 0, 1, 0, 2))
    bothx("circular_shift %s roi-out" % t, IBA.circular_shift, A, -1, 2, 0, ROI(0, 4, -2, 2))
    D = ramp(5, 4, 3, t, x=2, y=-1, seed=9)
    print("circular_shift into", IBA.circular_shift(D, A, 2, 1, 0, ROI(3, 6, 0, 2)))
    showx("   ", D)

# Wider types go through float in OIIO's dispatch.
for t, dt, vals in [("uint", np.uint32, [1, 123456789, 4294967295, 7]),
                    ("double", np.float64, [0.1, 1e-12, -3.5, 1.0 / 3.0])]:
    B = ImageBuf(oiio.ImageSpec(2, 2, 1, t))
    B.set_pixels(ROI(0, 2, 0, 2), np.array(vals).reshape(2, 2, 1).astype(dt))
    r = IBA.circular_shift(B, 1, 0)
    print(t, "shift", r.get_pixels(t).ravel().tolist())
    D = ImageBuf(oiio.ImageSpec(3, 2, 1, t))
    D.set_pixels(ROI(0, 3, 0, 2), np.array(vals + [5, 6]).reshape(2, 3, 1).astype(dt))
    IBA.paste(D, 1, 0, 0, 0, B, ROI(0, 1, 0, 1))
    print(t, "paste", D.get_pixels(t).ravel().tolist())
    D = ImageBuf(oiio.ImageSpec(3, 2, 1, "float"))
    IBA.paste(D, 1, 0, 0, 0, B)
    print(t, "paste->float", D.get_pixels("float").ravel().tolist())

bothx("circular_shift uninit", IBA.circular_shift, ImageBuf(), 1, 1)
D = ramp(2, 2, 3, "float")
print("paste uninit src", IBA.paste(D, 0, 0, 0, 0, ImageBuf()), D.geterror())
