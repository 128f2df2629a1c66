# deep_merge (mutual splits, sorting, exact overlaps merged, occlusion_cull
# on and off, reserved capacities) and deep_holdout (cut at the holdout's
# opaque depth, splits straddling samples), with ROIs, windows, channel
# types, existing destinations and errors.
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _deep import deep_image, add, show_deep, RGBAZ


def both(label, func, *args, **kwargs):
    show_deep(label + " ret", func(*args, **kwargs), capacity=True)
    dst = ImageBuf()
    ok = func(dst, *args, **kwargs)
    if not ok:
        print(label, "dst -> False:", dst.geterror())
    else:
        show_deep(label + " dst", dst, capacity=True)


HALF4 = ("half", "half", "half", "half", "float", "float")
A = deep_image(4, 2, chanformats=HALF4)
B = deep_image(4, 2, chanformats=HALF4)
# (0,0): overlapping volumes; (1,0): B has an opaque sample in front;
# (2,0): only A; (3,0): only B; (0,1): identical depths (merged);
# (1,1): point samples; (2,1): A overlapping itself; (3,1): empty.
add(A, 0, 0, (0.5, 0, 0, 0.5, 10, 12))
add(B, 0, 0, (0, 0.5, 0, 0.5, 11, 13))
add(A, 1, 0, (0.3, 0.3, 0, 0.6, 5, 6), (0.1, 0, 0.1, 0.2, 9, 10))
add(B, 1, 0, (0, 0, 1, 1, 7, 8), (0, 1, 0, 1, 8.5, 9.5))
add(A, 2, 0, (0.2, 0.2, 0.2, 0.2, 1, 2), (0.1, 0.1, 0.1, 0.1, 3, 4))
add(B, 3, 0, (0.4, 0.4, 0.4, 0.4, 2, 3))
add(A, 0, 1, (0.4, 0, 0, 0.4, 2, 3))
add(B, 0, 1, (0, 0.4, 0, 0.4, 2, 3), (0, 0, 0.4, 0.4, 2, 3))
add(A, 1, 1, (0.2, 0, 0, 0.2, 4, 4), (0.2, 0, 0, 0.2, 6, 6))
add(B, 1, 1, (0, 0.2, 0, 0.2, 5, 5), (0, 0.2, 0, 1.0, 6, 6))
add(A, 2, 1, (0.3, 0, 0, 0.3, 1, 5), (0, 0.3, 0, 0.3, 2, 3))
add(B, 2, 1, (0, 0, 0.3, 0.3, 4, 6))
both("merge", IBA.deep_merge, A, B)
both("merge no cull", IBA.deep_merge, A, B, False)
both("merge BA", IBA.deep_merge, B, A, occlusion_cull=False)
both("merge roi", IBA.deep_merge, A, B, roi=ROI(1, 3, 0, 2))
both("merge self", IBA.deep_merge, A, A)
both("merge nthreads", IBA.deep_merge, A, B, True, nthreads=1)

# Different windows: union of both
C = deep_image(2, 2, x=3, y=1)
add(C, 3, 1, (0.1, 0.2, 0.3, 0.4, 0.5, 20))
add(C, 4, 2, (0.9, 0.9, 0.9, 0.9, 1, 1.5))
both("merge windows", IBA.deep_merge, A, C)
# Float with half channels: float result
both("merge types", IBA.deep_merge, C, A, False)
# Z only (no Zback)
Z1 = deep_image(2, 1, ("R", "A", "Z"))
Z2 = deep_image(2, 1, ("R", "A", "Z"))
add(Z1, 0, 0, (0.5, 0.5, 3), (0.2, 0.2, 6))
add(Z2, 0, 0, (0.1, 0.1, 4), (0.3, 1.0, 5))
add(Z2, 1, 0, (0.1, 0.1, 4))
both("merge Z only", IBA.deep_merge, Z1, Z2)
both("merge Z only keep", IBA.deep_merge, Z1, Z2, False)

# Into an existing deep destination
d = deep_image(4, 2)
add(d, 3, 1, (1, 1, 1, 1, 1, 1))
print("merge into deep", IBA.deep_merge(d, A, B))
show_deep("merge into deep", d, capacity=True)

# Errors
flat = ImageBuf(ImageSpec(4, 2, 6, "float"))
both("merge flat A", IBA.deep_merge, flat, B)
both("merge flat B", IBA.deep_merge, A, flat)
both("merge uninit", IBA.deep_merge, ImageBuf(), B)
both("merge chans", IBA.deep_merge, A, Z1)
other = deep_image(4, 2, ("R", "G", "B", "A", "depth", "Zback"))
both("merge names", IBA.deep_merge, A, other)
d = ImageBuf(ImageSpec(4, 2, 6, "float"))
print("merge into flat", IBA.deep_merge(d, A, B), d.geterror())

# deep_holdout
H = deep_image(6, 1, chanformats=HALF4)
src = deep_image(6, 1, chanformats=HALF4)
add(src, 1, 0, (0.5, 0, 0, 0.75, 10, 10.5))
add(src, 2, 0, (0.5, 0, 0, 0.75, 20, 20.5))
add(src, 3, 0, (0.5, 0, 0, 0.75, 10, 10.5), (0.5, 0, 0, 0.75, 20, 20.5))
add(src, 4, 0, (0.5, 0, 0, 0.75, 10, 10.5), (0.5, 0, 0, 0.75, 15, 16), (0.5, 0, 0, 0.75, 20, 20.5))
add(src, 5, 0, (0.2, 0.2, 0.2, 0.2, 1, 30))
for x in range(6):
    add(H, x, 0, (0, 0, 0, 0.5, 12, 12.5), (0, 0, 0, 1.0, 15 + 0.1 * x, 15.1 + 0.1 * x))
both("holdout", IBA.deep_holdout, src, H)
both("holdout roi", IBA.deep_holdout, src, H, roi=ROI(2, 5, 0, 1))
both("holdout nthreads", IBA.deep_holdout, src, H, nthreads=1)
# Holdout never opaque: nothing cut; holdout with per-colour alphas
Hn = deep_image(6, 1)
add(Hn, 4, 0, (0, 0, 0, 0.5, 12, 12.5))
both("holdout transparent", IBA.deep_holdout, src, Hn)
Hc = deep_image(6, 1, ("AR", "AG", "AB", "Z"))
add(Hc, 4, 0, (1, 1, 0.5, 15.5), (1, 1, 1, 16.5))
add(Hc, 1, 0, (0.5, 0.5, 0.5, 1.0))
both("holdout RGB alphas", IBA.deep_holdout, src, Hc)
Hz = deep_image(6, 1, ("Y", "Z"))
add(Hz, 4, 0, (0.2, 15.5))
both("holdout no alpha", IBA.deep_holdout, src, Hz)
# Holdout with a smaller window; source with an origin
Hs = deep_image(2, 1, x=3)
add(Hs, 4, 0, (0, 0, 0, 1, 10.25, 10.25))
both("holdout small", IBA.deep_holdout, src, Hs)
So = deep_image(3, 1, x=2, chanformats=HALF4)
add(So, 3, 0, (0.5, 0.5, 0.5, 0.5, 11, 13))
both("holdout origin", IBA.deep_holdout, So, H)
d = deep_image(6, 1)
add(d, 0, 0, (1, 1, 1, 1, 1, 1))
print("holdout into deep", IBA.deep_holdout(d, src, H))
show_deep("holdout into deep", d, capacity=True)
both("holdout flat", IBA.deep_holdout, flat, H)
both("holdout flat holdout", IBA.deep_holdout, src, flat)
both("holdout uninit", IBA.deep_holdout, ImageBuf(), H)
d = ImageBuf(ImageSpec(6, 1, 6, "float"))
print("holdout into flat", IBA.deep_holdout(d, src, H), d.geterror())
