# flatten (front-to-back compositing of deep samples, AR/AG/AB for R/G/B,
# depth channels, empty pixels) and deepen (which pixels get a sample, Z
# added or found, zvalue), with ROIs, channel types, existing destinations,
# already-flat / already-deep inputs and errors.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _deep import deep_image, add, show_deep, RGBAZ


def both(label, func, *args, **kwargs):
    show_deep(label + " ret", func(*args, **kwargs))
    dst = ImageBuf()
    ok = func(dst, *args, **kwargs)
    if not ok:
        print(label, "dst -> False:", dst.geterror())
    else:
        show_deep(label + " dst", dst)


HALF4 = ("half", "half", "half", "half", "float", "float")
a = deep_image(3, 2, chanformats=HALF4)
add(a, 0, 0, (0.5, 0, 0, 0.5, 1, 2), (0, 0.4, 0, 0.4, 3, 4), (0.1, 0.1, 0.9, 0.9, 5, 6))
add(a, 1, 0, (0.2, 0.2, 0.2, 1.0, 5, 6), (0, 0.4, 0, 0.4, 7, 8))
add(a, 2, 1, (0.1, 0.2, 0.3, 0.25, 2, 2.5))
add(a, 0, 1, (0.3, 0.3, 0.3, 0.6, 1, 1.5), (0.3, 0.3, 0.3, 0.6, 2, 2.5), (0.3, 0.3, 0.3, 0.6, 3, 3.5))
show_deep("a", a)
both("flatten", IBA.flatten, a)
both("flatten roi", IBA.flatten, a, roi=ROI(1, 3, 0, 2, 0, 1, 1, 4))
both("flatten overhang", IBA.flatten, a, roi=ROI(-1, 2, 1, 3))
both("flatten nthreads", IBA.flatten, a, nthreads=1)

# Per-colour alphas: RA/GA/BA channels weigh R, G and B separately
rgb = deep_image(2, 1, ("R", "G", "B", "AR", "AG", "AB", "Z"))
add(rgb, 0, 0, (0.4, 0.2, 0.1, 0.8, 0.4, 0.2, 1.0), (0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2.0))
add(rgb, 1, 0, (1, 1, 1, 1, 1, 1, 3.0), (0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 4.0))
both("flatten per-colour alpha", IBA.flatten, rgb)
# Only Z; names that are not R, G, B; layers
z_only = deep_image(2, 2, ("Y", "A", "Z"))
add(z_only, 0, 0, (0.5, 0.5, 4.0), (0.5, 0.5, 8.0))
add(z_only, 1, 1, (0.25, 1.0, 2.0))
both("flatten Y A Z", IBA.flatten, z_only)
lay = deep_image(2, 1, ("diffuse.R", "diffuse.A", "depth.Z"))
add(lay, 0, 0, (0.5, 0.5, 4.0), (0.5, 0.5, 8.0))
both("flatten layers", IBA.flatten, lay)
# Channel types: uint32 ids, half depths
ids = deep_image(2, 1, ("R", "A", "Z", "id"), chanformats=("half", "half", "half", "uint"))
add(ids, 0, 0, (0.5, 0.5, 4.0, 0.0), (0.25, 0.5, 6.0, 0.0))
both("flatten uint id", IBA.flatten, ids)
# origin and display window of the source are kept
o = deep_image(2, 2, x=3, y=1)
add(o, 4, 2, (0.2, 0.3, 0.4, 0.5, 1, 2))
o.set_full(0, 8, 0, 4, 0, 1)
both("flatten origin", IBA.flatten, o)

# Into existing destinations (type and window kept)
for t in ("uint8", "half", "float"):
    d = ImageBuf(ImageSpec(4, 3, 6, t))
    print("flatten into", t, IBA.flatten(d, a))
    show_deep("flatten into " + t, d)
d = ImageBuf(ImageSpec(2, 2, 3, "float"))
print("flatten into 3ch", IBA.flatten(d, a))
show_deep("flatten into 3ch", d)

# Already flat: a copy; errors
both("flatten flat", IBA.flatten, ImageBuf(ImageSpec(2, 2, 3, "half")))
both("flatten uninit", IBA.flatten, ImageBuf())
both("flatten no alpha", IBA.flatten, deep_image(2, 1, ("R", "G", "Z")))
d = deep_image(3, 2)
print("flatten into deep", IBA.flatten(d, a), d.geterror())

# deepen
F = IBA.flatten(a)
both("deepen", IBA.deepen, F)
both("deepen zvalue", IBA.deepen, F, 5.5)
both("deepen zvalue kw", IBA.deepen, F, zvalue=-2.0, roi=ROI(0, 2, 0, 2))
az = ImageBuf(ImageSpec(3, 2, 2, "uint8"))
az.set_pixels(ROI.All, np.array([[[0, 0], [10, 255], [0, 3]], [[7, 0], [0, 0], [1, 1]]], np.uint8))
az.specmod().channelnames = ("A", "Z")
both("deepen A Z", IBA.deepen, az)
az.specmod().channelnames = ("A", "Zback")
both("deepen A Zback", IBA.deepen, az)
fz = ImageBuf(ImageSpec(4, 1, 3, "float"))
fz.set_pixels(ROI.All, np.array([[[0, 0, 0], [0, 1e30, 0], [0, 2e30, 5], [0, 0, 1e31]]], np.float32))
fz.specmod().channelnames = ("R", "Z", "Zback")
both("deepen far depths", IBA.deepen, fz)
for t in ("uint16", "half"):
    B = ImageBuf(ImageSpec(3, 2, 4, t))
    B.set_pixels(ROI.All, np.linspace(0, 1, 24, dtype=np.float32).reshape(2, 3, 4) * (np.arange(6).reshape(2, 3, 1) % 2))
    both("deepen " + t, IBA.deepen, B, 3.0)
W = ImageBuf(ImageSpec(3, 2, 2, "float"))
W.set_pixels(ROI.All, np.ones((2, 3, 2), np.float32) * 0.5)
W.set_origin(2, 1)
W.set_full(0, 6, 0, 4, 0, 1)
both("deepen origin", IBA.deepen, W)
both("deepen roi", IBA.deepen, W, roi=ROI(1, 4, 1, 3))
both("deepen deep", IBA.deepen, a)
both("deepen uninit", IBA.deepen, ImageBuf())
d = ImageBuf(ImageSpec(3, 2, 3, "float"))
print("deepen into flat", IBA.deepen(d, F), d.geterror())
# Into an existing deep image: pixels already holding samples get sample 0 set
d = deep_image(3, 2)
add(d, 0, 0, (9, 9, 9, 9, 9, 9), (8, 8, 8, 8, 8, 8))
add(d, 2, 0, (7, 7, 7, 7, 7, 7))
print("deepen into deep", IBA.deepen(d, F, 4.0))
show_deep("deepen into deep", d)
# round trip
show_deep("flatten deepen", IBA.flatten(IBA.deepen(F)))
