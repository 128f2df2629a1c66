# convolve and laplacian: separable and non-separable kernels from
# make_kernel, hand-made kernels (asymmetric, off-centre origin, several
# channels, integer pixel type), normalize on and off, pixel types and
# channel counts, ROI subsets and channel subsets, ROIs reaching outside
# the source, data-window origins and display windows (edge clamping is
# to the display window), existing destinations, errors. Pixels go to
# files (compared within idiff tolerance); geometry and errors print.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import ramp, TYPES
from _xform import out, both

A = ramp(23, 17, 3, "float", seed=1, lo=0.0, hi=1.0)
kernels = {
    "gauss5": IBA.make_kernel("gaussian", 5, 5),
    "gauss7x3": IBA.make_kernel("gaussian", 7, 3),
    "box3": IBA.make_kernel("box", 3, 3),
    "disk5": IBA.make_kernel("disk", 5, 5),
    "rlanczos": IBA.make_kernel("radial-lanczos3", 5, 5),
    "catrom": IBA.make_kernel("catmull-rom", 5, 5),
    "bspline15": IBA.make_kernel("bspline", 15, 15),
    "binomial3": IBA.make_kernel("binomial", 3, 3),
    "vertical": IBA.make_kernel("gaussian", 1, 7),
    "horizontal": IBA.make_kernel("triangle", 7, 1),
    "laplacian": IBA.make_kernel("laplacian", 3, 3),
    "unknown-box": IBA.make_kernel("nope", 3, 3),
}
for name, k in kernels.items():
    both("conv %s" % name, IBA.convolve, A, k)
    out("conv %s raw" % name, IBA.convolve(A, k, False))
# hand-made kernels
asym = ImageBuf(np.array([[0.1, 0.0, 0.3], [0.2, 0.5, -0.1]], dtype=np.float32).reshape(2, 3, 1))
out("asym", IBA.convolve(A, asym))
asym.set_origin(-2, 0)
out("asym origin", IBA.convolve(A, asym))
asym.set_origin(1, 3)
out("asym far origin", IBA.convolve(A, asym, normalze=False))
outer = np.outer([1.0, 2.0, 3.0, 2.0, 1.0], [1.0, 4.0, 6.0, 4.0, 1.0]).astype(np.float32)
sep = ImageBuf(outer.reshape(5, 5, 1))
sep.set_origin(-2, -2)
out("outer product", IBA.convolve(A, sep))
out("outer product raw", IBA.convolve(A, sep, False, roi=ROI(3, 20, 2, 15)))
multi = ImageBuf(np.random.default_rng(7).uniform(0, 1, (3, 3, 3)).astype(np.float32))
multi.set_origin(-1, -1)
out("kernel 3 channels", IBA.convolve(A, multi))
k8 = ImageBuf(ImageSpec(3, 3, 1, "uint8"))
k8.set_pixels(ROI(0, 3, 0, 3, 0, 1, 0, 1), np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.uint8).reshape(3, 3, 1))
k8.set_origin(-1, -1)
out("kernel uint8", IBA.convolve(A, k8))
out("kernel 1x1", IBA.convolve(A, IBA.make_kernel("box", 1, 1)))
# pixel types and channel counts
for t in TYPES:
    for n in (1, 2, 4):
        B = ramp(15, 11, n, t, seed=10 + n, lo=0.0, hi=1.0)
        out("type %s %dch gauss" % (t, n), IBA.convolve(B, kernels["gauss5"]))
        out("type %s %dch disk" % (t, n), IBA.convolve(B, kernels["disk5"]))
    out("laplacian %s" % t, IBA.laplacian(ramp(15, 11, 3, t, seed=2, lo=0.0, hi=1.0)))
# ROIs
out("roi inside", IBA.convolve(A, kernels["gauss5"], roi=ROI(4, 15, 3, 12)))
out("roi chans", IBA.convolve(A, kernels["gauss5"], roi=ROI(0, 23, 0, 17, 0, 1, 1, 3)))
out("roi chans disk", IBA.convolve(A, kernels["disk5"], roi=ROI(2, 20, 2, 14, 0, 1, 0, 2)))
out("roi outside", IBA.convolve(A, kernels["gauss5"], roi=ROI(-5, 10, -4, 8)))
out("roi outside disk", IBA.convolve(A, kernels["disk5"], roi=ROI(15, 30, 10, 25)))
out("roi far outside", IBA.convolve(A, kernels["box3"], roi=ROI(40, 45, 30, 33)))
# origins and display windows
C = ramp(16, 12, 3, "float", x=5, y=-3, seed=4, lo=0.0, hi=1.0)
both("origin", IBA.convolve, C, kernels["gauss7x3"])
both("origin disk", IBA.convolve, C, kernels["disk5"])
D = ramp(16, 12, 2, "half", x=2, y=1, seed=5, lo=0.0, hi=1.0)
D.set_full(0, 25, 0, 20, 0, 1)
out("display larger", IBA.convolve(D, kernels["gauss5"]))
out("display larger disk", IBA.convolve(D, kernels["disk5"]))
out("display larger roi", IBA.convolve(D, kernels["gauss5"], roi=ROI(-2, 22, -1, 16)))
E = ramp(16, 12, 2, "float", seed=6, lo=0.0, hi=1.0)
E.set_full(3, 10, 2, 8, 0, 1)
out("display smaller", IBA.convolve(E, kernels["gauss5"]))
out("display smaller disk", IBA.convolve(E, kernels["disk5"]))
F = ramp(16, 12, 2, "float", seed=7, lo=0.0, hi=1.0)
F.set_full(-4, 12, 2, 20, 0, 1)
out("display shifted", IBA.convolve(F, kernels["gauss5"]))
out("display shifted laplacian", IBA.laplacian(F))
# laplacian forms and ROIs
both("laplacian", IBA.laplacian, A)
out("laplacian roi", IBA.laplacian(A, roi=ROI(2, 9, 3, 11, 0, 1, 0, 2)))
out("laplacian origin", IBA.laplacian(C))
# existing destinations
G = ImageBuf(ImageSpec(23, 17, 3, "uint8"))
print("into uint8:", IBA.convolve(G, A, kernels["gauss5"], roi=ROI(3, 18, 2, 12)))
out("into uint8", G)
H = ImageBuf(ImageSpec(10, 8, 3, "half"))
H.set_origin(6, 4)
print("into offset:", IBA.convolve(H, A, kernels["disk5"]))
out("into offset", H)
print("laplacian into:", IBA.laplacian(H, A, roi=ROI(0, 12, 0, 9)))
out("laplacian into", H)
# errors
I = ImageBuf(ImageSpec(23, 17, 4, "float"))
print("channel mismatch:", IBA.convolve(I, A, kernels["box3"]), I.geterror())
print("laplacian channel mismatch:", IBA.laplacian(I, A), I.geterror())
both("uninitialized src", IBA.convolve, ImageBuf(), kernels["box3"])
both("laplacian uninitialized", IBA.laplacian, ImageBuf())
vs = ImageSpec(4, 4, 1, "float")
vs.depth = 2
out("laplacian volume", IBA.laplacian(ImageBuf(vs)))
