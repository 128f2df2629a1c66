# compare: the three call forms, absolute and relative thresholds, pixel
# types, NaN/Inf (matching and not), mismatched data windows and channel
# counts, ROIs, several 4096-pixel batches, and CompareResults itself.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp


def dump(label, r):
    print(label, "mean", repr(r.meanerror), "rms", repr(r.rms_error), "PSNR", repr(r.PSNR),
          "max", repr(r.maxerror), "@", (r.maxx, r.maxy, r.maxz, r.maxc),
          "warn", r.nwarn, "fail", r.nfail, "error", r.error)


r = oiio.CompareResults()
print(type(r).__name__, type(r).__module__)
dump("default", r)
try:
    r.nfail = 3
except AttributeError as e:
    print("AttributeError", e)

for ta in TYPES:
    for tb in TYPES:
        A = ramp(5, 4, 3, ta, seed=21)
        B = ramp(5, 4, 3, tb, seed=22)
        dump("cmp %s %s" % (ta, tb), IBA.compare(A, B, 0.5, 0.25))
    A = ramp(5, 4, 3, ta, seed=21)
    B = ramp(5, 4, 3, ta, seed=21, hi=1.3)
    dump("near %s" % ta, IBA.compare(A, B, 0.01, 0.001))
    dump("near %s rel" % ta, IBA.compare(A, B, 0.0, 0.0, 0.05, 0.02))
    dump("same %s" % ta, IBA.compare(A, A, 0.0, 0.0))
    dump("roi %s" % ta, IBA.compare(A, B, 0.01, 0.001, ROI(1, 4, 1, 3, 0, 1, 1, 3)))
    dump("roi-pos %s" % ta, IBA.compare(A, B, 0.01, 0.001, roi=ROI(3, 7, -1, 2, 0, 1, 0, 2)))
    res = oiio.CompareResults()
    print("deprecated", IBA.compare(A, B, 0.01, 0.001, res), end=" ")
    dump("", res)
    res2 = oiio.CompareResults()
    print("deprecated roi", IBA.compare(A, B, 0.5, 0.5, res2, ROI(0, 2, 0, 2, 0, 1, 0, 3), 1), end=" ")
    dump("", res2)

# Mismatched windows and channel counts.
A = ramp(4, 3, 3, "float", seed=31)
B = ramp(3, 4, 4, "float", x=2, y=1, seed=32)
dump("windows", IBA.compare(A, B, 0.1, 0.05))
dump("windows swapped", IBA.compare(B, A, 0.1, 0.05))
C = ramp(4, 3, 1, "half", seed=33)
dump("channels", IBA.compare(A, C, 0.1, 0.05))
dump("channels roi", IBA.compare(C, A, 0.1, 0.05, roi=ROI(0, 4, 0, 3, 0, 1, 0, 2)))
dump("no channels", IBA.compare(A, B, 0.1, 0.05, roi=ROI(0, 4, 0, 3, 0, 1, 5, 7)))
dump("empty roi", IBA.compare(A, B, 0.1, 0.05, roi=ROI(0, 0, 0, 3, 0, 1, 0, 3)))

# NaN and Inf: matching non-finite values are skipped; the first mismatch
# makes the error infinite, later ones poison the sums.
def nonfinite(vals):
    b = ImageBuf(ImageSpec(4, 1, 1, "float"))
    b.set_pixels(ROI(), np.array(vals, dtype=np.float32).reshape(1, 4, 1))
    return b


cases = [
    ([np.nan, 1.0, np.inf, -np.inf], [np.nan, 1.5, np.inf, np.inf]),
    ([np.nan, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]),
    ([0.5, np.inf, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]),
    ([0.5, np.inf, np.nan, 0.25], [0.0, 1.0, 2.0, 0.0]),
    ([0.5, np.inf, 2.0, 0.25], [0.0, 1.0, np.nan, 3.0]),
    ([0.5, np.inf, 2.0, np.inf], [0.0, np.nan, 1.0, 3.0]),
    ([3e38, -3e38, 0.0, 1.0], [-3e38, 3e38, 0.0, 1.0]),
]
for i, (a, b) in enumerate(cases):
    dump("nonfinite %d" % i, IBA.compare(nonfinite(a), nonfinite(b), 0.1, 0.1))
    dump("nonfinite %d swapped" % i, IBA.compare(nonfinite(b), nonfinite(a), 0.1, 0.1, 0.5, 0.5))

# Several batches and parallel pieces: sums and the first maximum.
rng = np.random.default_rng(7)
h, w = 700, 420
va = rng.uniform(0, 1, size=(h, w, 3)).astype(np.float32)
vb = va + rng.normal(0, 0.01, size=(h, w, 3)).astype(np.float32)
vb[500, 17, 1] = va[500, 17, 1] + 0.75
vb[650, 400, 2] = va[650, 400, 2] + 0.75
A = ImageBuf(ImageSpec(w, h, 3, "float"))
A.set_pixels(ROI(), va)
B = ImageBuf(ImageSpec(w, h, 3, "float"))
B.set_pixels(ROI(), vb)
dump("big", IBA.compare(A, B, 0.02, 0.01))
dump("big rel", IBA.compare(A, B, 0.0, 0.0, 0.1, 0.02))
dump("big 1 thread", IBA.compare(A, B, 0.02, 0.01, nthreads=1))
dump("big roi", IBA.compare(A, B, 0.02, 0.01, roi=ROI(13, 399, 3, 650, 0, 1, 1, 3)))
Bh = B.copy()
Bh.setpixel(3, 300, (np.nan, 0.5, 0.5))
dump("big nan", IBA.compare(A, Bh, 0.02, 0.01))

# Empty and deep/flat mixes.
e = ImageBuf()
A = ramp(3, 2, 3, "float", seed=41)
dump("empty B", IBA.compare(A, e, 0.1, 0.1))
print(A.geterror())
