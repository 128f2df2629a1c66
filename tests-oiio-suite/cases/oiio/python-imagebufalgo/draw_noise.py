# noise: every type and synonym (A/B meaning per type), mono, seeds, pixel
# types with non-zero origins, ROIs picking channels (blue noise on a
# channel group past the first), added onto existing values, the returning
# form, errors; and the upstream 64x64 images.
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo as IBA, ImageBuf, ImageSpec, ROI
from _iba import TYPES, ramp, show

R = ROI(-2, 3, 1, 4, 0, 1, 0, 3)
for kind, a, b in [("uniform", 0.25, 0.75), ("white", -1, 1), ("gaussian", 0.5, 0.1), ("normal", 0, 1),
                   ("blue", 0.1, 0.9), ("salt", 1, 0.3)]:
    for mono in (False, True):
        for seed in (0, 1, 42, -7):
            show("noise %s %g %g mono=%s seed=%d" % (kind, a, b, mono, seed), IBA.noise(kind, a, b, mono, seed, R))
show("noise defaults", IBA.noise(roi=ROI(0, 4, 0, 2, 0, 1, 0, 2)))
show("noise kw", IBA.noise(type="salt", A=0.5, B=0.5, seed=3, roi=ROI(0, 4, 0, 2, 0, 1, 0, 2)))

for t in TYPES:
    for kind in ("uniform", "gaussian", "blue", "salt"):
        A = ramp(6, 4, 4, t, x=3, y=-2, seed=12, lo=0.2, hi=0.8)
        print("noise", kind, t, IBA.noise(A, kind, 0.1, 0.3, False, 5, ROI(0, 7, -2, 1, 0, 1, 1, 4)))
        show("noise %s %s" % (kind, t), A)
        print("noise mono", kind, t, IBA.noise(A, kind, -0.2, 0.2, True, 9))
        show("noise mono %s %s" % (kind, t), A)

# Blue noise beyond the first group of four channels, and volumes (z feeds
# the hash).
B8 = ImageBuf(ImageSpec(3, 2, 8, "float"))
print("blue 8ch", IBA.noise(B8, "blue", 0, 1, False, 0, ROI(0, 3, 0, 2, 0, 1, 4, 8)))
show("blue 8ch", B8)
print("blue 8ch seed", IBA.noise(B8, "blue", 0, 1, False, 11))
show("blue 8ch seed", B8)
spec = ImageSpec(3, 2, 2, "float")
spec.depth = 2
spec.full_depth = 2
V = ImageBuf(spec)
print("volume", IBA.noise(V, "uniform", 0, 1, False, 2))
print("volume", IBA.noise(V, "blue", 0, 1, False, 0))
show("volume", V)

# Errors.
show("noise ret noroi", IBA.noise("uniform"))
show("noise ret badtype", IBA.noise("pink", roi=ROI(0, 2, 0, 1, 0, 1, 0, 1)))
b = ImageBuf(ImageSpec(2, 2, 1, "float"))
print("noise badtype", IBA.noise(b, "Gaussian"), repr(b.geterror()))
b = ImageBuf()
print("noise dst noroi", IBA.noise(b, "salt"), repr(b.geterror()))

# Upstream images (written as uint8, as upstream does).
IBA.noise("white", 0.25, 0.75, roi=ROI(0, 64, 0, 64, 0, 1, 0, 3)).write("noise-uniform3.tif", "uint8")
IBA.noise("blue", 0.25, 0.75, roi=ROI(0, 64, 0, 64, 0, 1, 0, 3)).write("noise-blue3.tif", "uint8")
IBA.noise("gaussian", 0.5, 0.1, roi=ROI(0, 64, 0, 64, 0, 1, 0, 3)).write("noise-gauss.tif", "uint8")
IBA.noise("salt", 1, 0.01, roi=ROI(0, 64, 0, 64, 0, 1, 0, 3)).write("noise-salt.tif", "uint8")
g = ImageBuf(ImageSpec(300, 200, 4, "half"))
IBA.fill(g, (0.5, 0.5, 0.5, 1))
IBA.noise(g, "gaussian", 0, 0.2, True, 123)
g.write("noise-mono.exr")
