# unsharp_mask: the default gaussian, widths up to 3 (one 2-D kernel) and
# beyond (two 1-D passes, so ROI edges see the first pass's zeros),
# other filters, the median kind, contrast and threshold, pixel types,
# ROI and channel subsets, origins, existing destinations, and errors
# (unknown kernels with either path). Pixels go to files.
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import ramp, TYPES
from _xform import out, both

A = ramp(21, 15, 3, "float", seed=1, lo=0.0, hi=1.0)
both("default", IBA.unsharp_mask, A)
for kern, w in [("gaussian", 1.0), ("gaussian", 2.5), ("gaussian", 3.0), ("gaussian", 3.5), ("gaussian", 5.0),
                ("gaussian", 7.0), ("box", 3.0), ("box", 5.0), ("triangle", 4.0), ("blackman-harris", 6.0),
                ("disk", 3.0), ("disk", 5.0), ("sharp-gaussian", 2.0), ("lanczos3", 6.0), ("median", 3.0),
                ("median", 2.5), ("median", 5.0), ("median", 1.0), ("binomial", 3.0), ("binomial", 5.0)]:
    out("%s %g" % (kern, w), IBA.unsharp_mask(A, kern, w))
for contrast, threshold in [(2.0, 0.0), (0.5, 0.0), (1.0, 0.05), (3.0, 0.2), (-1.0, 0.0), (1.0, -1.0)]:
    out("contrast %g threshold %g" % (contrast, threshold), IBA.unsharp_mask(A, "gaussian", 5.0, contrast, threshold))
    out("median contrast %g threshold %g" % (contrast, threshold), IBA.unsharp_mask(A, "median", 3.0, contrast, threshold))
out("keywords", IBA.unsharp_mask(A, kernel="gaussian", width=5.0, contrast=1.5, threshold=0.01, roi=ROI.All, nthreads=1))
for t in TYPES:
    for n in (1, 4):
        B = ramp(13, 10, n, t, seed=10 + n, lo=0.0, hi=1.0)
        out("type %s %dch" % (t, n), IBA.unsharp_mask(B))
        out("type %s %dch wide" % (t, n), IBA.unsharp_mask(B, "gaussian", 5.0, 2.0))
        out("type %s %dch median" % (t, n), IBA.unsharp_mask(B, "median", 3.0, 2.0))
# ROIs: inside (two-pass edges), channel subsets, outside the source
for kern, w in [("gaussian", 3.0), ("gaussian", 5.0), ("median", 3.0)]:
    out("roi inside %s %g" % (kern, w), IBA.unsharp_mask(A, kern, w, roi=ROI(4, 15, 3, 11)))
    out("roi chans %s %g" % (kern, w), IBA.unsharp_mask(A, kern, w, roi=ROI(0, 21, 0, 15, 0, 1, 1, 3)))
    out("roi outside %s %g" % (kern, w), IBA.unsharp_mask(A, kern, w, roi=ROI(-4, 10, -3, 9)))
C = ramp(14, 11, 3, "half", x=4, y=-2, seed=3, lo=0.0, hi=1.0)
both("origin", IBA.unsharp_mask, C, "gaussian", 5.0)
out("origin median", IBA.unsharp_mask(C, "median", 3.0))
D = ramp(14, 11, 2, "float", seed=4, lo=0.0, hi=1.0)
D.set_full(-3, 18, -2, 15, 0, 1)
out("display larger", IBA.unsharp_mask(D, "gaussian", 5.0))
# existing destination
G = ImageBuf(ImageSpec(21, 15, 3, "float"))
print("into float:", IBA.unsharp_mask(G, A, "gaussian", 5.0, roi=ROI(2, 12, 3, 10)))
out("into float", G)
# errors
for kern, w in [("nope", 3.0), ("nope", 5.0), ("GAUSSIAN", 2.0), ("laplacian", 4.0)]:
    both("error %s %g" % (kern, w), IBA.unsharp_mask, A, kern, w)
I = ImageBuf(ImageSpec(21, 15, 2, "float"))
print("channel mismatch:", IBA.unsharp_mask(I, A), I.geterror())
both("uninitialized", IBA.unsharp_mask, ImageBuf())
vs = ImageSpec(4, 4, 1, "float")
vs.depth = 2
out("volume", IBA.unsharp_mask(ImageBuf(vs)))
