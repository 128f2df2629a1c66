# Calling conventions: in-place (dst is an input), keyword arguments,
# errors returned as False or on the returned image, wrong argument types.
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI
from _iba import ramp, show

A = ramp(4, 3, 3, "float", seed=9)
B = ramp(4, 3, 3, "half", seed=10)
d = A.copy()
print("in place add:", IBA.add(d, d, B))
show("in place add", d)
d = A.copy()
print("in place mad:", IBA.mad(d, d, d, d))
show("in place mad", d)
show("keywords", IBA.mul(A=A, B=(2.0, 3.0, 4.0), roi=ROI(1, 3, 0, 2), nthreads=1))
show("uninitialized input", IBA.add(ImageBuf(), A))
r = ImageBuf()
print("two constants:", IBA.add(r, A, B, roi=ROI(0, 2, 0, 2)), r.has_error)
show("prefilled dst", r)
pre = ramp(2, 2, 2, "uint8", seed=11)
print("into smaller dst:", IBA.sub(pre, A, B))
show("smaller dst", pre)
for label, call in [("ints", lambda: IBA.add(1, 2)), ("string operand", lambda: IBA.add(A, "x")),
                    ("no args", lambda: IBA.add()), ("bad kw", lambda: IBA.add(A, B, bogus=1)),
                    ("roi positional", lambda: IBA.abs(A, ROI(0, 1, 0, 1)))]:
    try:
        r = call()
        print(label, "->", type(r).__name__, r.has_error if isinstance(r, ImageBuf) else r)
    except Exception as e:  # noqa: BLE001
        print(label, "->", type(e).__name__)
