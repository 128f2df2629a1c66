# make_kernel: every filter of filter_list (and the aliases) at default,
# odd, even, fractional and one-dimensional sizes, normalized or not;
# binomial kernels (odd sizes, with depth), the laplacian, unknown names
# (a box carrying an error), depth, and the dst form.
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA


def kern(label, k):
    err = k.geterror() if k.has_error else ""
    px = k.get_pixels(oiio.FLOAT).ravel() if k.initialized else []
    print(label, k.roi, "full", k.roi_full, k.spec().format, repr(err))
    print("   ", " ".join("%.7g" % v for v in px))


filters = oiio.get_string_attribute("filter_list").split(";")
print("filters:", filters)
sizes = [(0, 0), (3, 3), (5, 5), (4, 2.5), (1, 7), (7, 1), (2, 0), (6, 6), (9, 4)]
for f in filters + ["catrom", "b-spline", "lanczos", "radial-lanczos"]:
    for w, h in sizes:
        kern("%s %gx%g" % (f, w, h), IBA.make_kernel(f, w, h))
    kern("%s 5x5 unnormalized" % f, IBA.make_kernel(f, 5, 5, normalize=False))
    kern("%s 3x3x3" % f, IBA.make_kernel(f, 3, 3, 3))
for w, h in [(1, 1), (3, 3), (5, 5), (7, 3), (3, 7), (9, 9)]:
    kern("binomial %dx%d" % (w, h), IBA.make_kernel("binomial", w, h))
    kern("binomial %dx%d raw" % (w, h), IBA.make_kernel("binomial", w, h, normalize=False))
kern("binomial 3x5x3", IBA.make_kernel("binomial", 3, 5, 3))
kern("binomial 3x3x5 raw", IBA.make_kernel("binomial", 3, 3, 5, False))
for name in ("laplacian", "Laplacian", "LAPLACIAN"):
    kern(name, IBA.make_kernel(name, 3, 3))
    kern(name + " raw", IBA.make_kernel(name, 3, 3, normalize=False))
kern("laplacian 2x3", IBA.make_kernel("laplacian", 2, 3))
kern("laplacian 5x5", IBA.make_kernel("laplacian", 5, 5))
kern("laplacian 0x0", IBA.make_kernel("laplacian", 0, 0))
kern("laplacian 3x3x3", IBA.make_kernel("laplacian", 3, 3, 3))
for name, w, h in [("nope", 0, 0), ("nope", 3, 3), ("GAUSSIAN", 5, 2.5), ("", 1, 1), ("box ", 2.25, 7)]:
    kern("unknown %r %gx%g" % (name, w, h), IBA.make_kernel(name, w, h))
    kern("unknown raw %r %gx%g" % (name, w, h), IBA.make_kernel(name, w, h, 1, False))
kern("unknown depth", IBA.make_kernel("what", 3, 3, 2))
# odd sizes: negative and fractional dimensions, depth below 1
kern("negative", IBA.make_kernel("gaussian", -3, -2))
kern("height negative", IBA.make_kernel("triangle", 5, -1))
kern("fractional", IBA.make_kernel("mitchell", 3.2, 4.9))
kern("depth 0.5", IBA.make_kernel("box", 3, 3, 0.5))
kern("depth 2", IBA.make_kernel("gaussian", 3, 3, 2))
kern("keywords", IBA.make_kernel(name="gaussian", width=5, height=3, depth=1.0, normalize=True))
kern("ints", IBA.make_kernel("sinc", 5, 5, 1))
# dst form: True for a good kernel, False (with the box and the error) otherwise
d = ImageBuf()
print("dst good:", IBA.make_kernel(d, "bspline", 5, 5))
kern("dst good", d)
d = ImageBuf(oiio.ImageSpec(4, 4, 3, "uint8"))
print("dst replaced:", IBA.make_kernel(d, "disk", 5, 3))
kern("dst replaced", d)
d = ImageBuf()
print("dst unknown:", IBA.make_kernel(d, "nope", 3, 5))
kern("dst unknown", d)
print("error after:", d.has_error)
