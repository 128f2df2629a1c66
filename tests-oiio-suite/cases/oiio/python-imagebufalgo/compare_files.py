# The analysis functions on upstream sample images (as the python-imagebufalgo
# test uses them): statistics of tahoe-small.tif, comparisons of real images,
# hashes, and deep images (statistics, comparison, nonzero region).
import os
import sys
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ROI

shared = os.environ.get("VFX_SHARED")
root = os.path.join(shared, "images", "oiio-testsuite") if shared else None
if not root or not os.path.isdir(root):
    print("SKIP: no shared images")
    sys.exit(0)


def path(*p):
    return os.path.join(root, *p)


def dump(label, r):
    print(label, "mean %.9g rms %.9g PSNR %.9g max %.9g" % (r.meanerror, r.rms_error, r.PSNR, r.maxerror),
          "@", (r.maxx, r.maxy, r.maxz, r.maxc), "warn", r.nwarn, "fail", r.nfail, "error", r.error)


b = ImageBuf(path("tahoe-small.tif"))
# Several 64-row pieces: the reference merges them in whatever order its
# threads finish, which moves the last bits of the double sums; one thread
# merges them in order.
stats = IBA.computePixelStats(b, nthreads=1)
for name in ("min", "max", "avg", "stddev", "nancount", "infcount", "finitecount", "sum", "sum2"):
    print(name, getattr(stats, name))
stats = IBA.computePixelStats(b)
print("threads", stats.avg, stats.stddev, ["%.12g" % v for v in stats.sum2])
print("hash", IBA.computePixelHashSHA1(b), IBA.computePixelHashSHA1(b, "info", blocksize=16))
print("const", IBA.isConstantColor(b), IBA.isMonochrome(b), IBA.nonzero_region(b))
print("range", IBA.color_range_check(b, 0.1, 0.9))
print("hist", IBA.histogram(b, 1, 8))
grid = ImageBuf(path("grid-small.exr"))
print("grid nonzero", IBA.nonzero_region(grid), IBA.isMonochrome(grid))
checker = ImageBuf(path("checker_with_alpha.exr"))
print("checker", IBA.isConstantColor(checker), IBA.isConstantChannel(checker, 3, 1.0))
dump("grid vs checker", IBA.compare(grid, checker, 0.1, 0.01))
dump("tahoe vs grid", IBA.compare(b, grid, 0.1, 0.01, 0.2, 0.1))

for name in ("deep-onesample.exr", "deep-nosamples.exr", "deepalpha.exr"):
    d = ImageBuf(path("oiiotool-deep", name))
    d.read()
    print(name, "deep", d.deep, "spec", d.roi)
    s = IBA.computePixelStats(d)
    print("   stats", s.min, s.max, s.avg, s.finitecount)
    print("   nonzero", IBA.nonzero_region(d))
    dump("   self", IBA.compare(d, d, 0.0, 0.0))
a = ImageBuf(path("oiiotool-deep", "deep-onesample.exr"))
n = ImageBuf(path("oiiotool-deep", "deep-nosamples.exr"))
dump("deep onesample vs nosamples", IBA.compare(a, n, 0.1, 0.01))
# (The reference leaves the other fields uninitialized here.)
print("deep vs flat error", IBA.compare(a, b, 0.1, 0.01).error, a.geterror())
