# fft / ifft: which channel is transformed, the padding to the display
# window, output geometry/type/names/metadata, unitary scaling (ifft of fft
# gives the input back), ROIs, pixel types, errors. Geometry is printed,
# pixels are written to files (compared within idiff tolerance).
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import ramp, TYPES
from _xform import out


def meta(label, buf):
    """What fft/ifft keep of the source spec besides pixels."""
    if buf.has_error or not buf.initialized:
        return
    s = buf.spec()
    print("   ", label, list(s.channelnames), "alpha", s.alpha_channel, "z", s.z_channel,
          "foo", s.get_string_attribute("foo"), "tile", s.tile_width)


def both(label, func, *args, **kwargs):
    r = func(*args, **kwargs)
    out(label + " ret", r)
    meta(label, r)
    dst = ImageBuf()
    ok = func(dst, *args, **kwargs)
    if not ok:
        print(label, "dst -> False:", dst.geterror())
    else:
        out(label + " dst", dst)


A = ramp(16, 12, 3, "float", seed=1, lo=0.0, hi=1.0)
A.specmod().attribute("foo", "bar")
A.specmod().alpha_channel = 2
both("fft", IBA.fft, A)
F = IBA.fft(A)
both("ifft", IBA.ifft, F)
back = IBA.ifft(F)
print("round trip max err < 1e-5:", float(np.abs(back.get_pixels(oiio.FLOAT)[..., 0] - A.get_pixels(oiio.FLOAT)[..., 0]).max()) < 1e-5)
# DC term of a unitary transform: sum / sqrt(w*h)
print("DC ok:", abs(F.getpixel(0, 0)[0] - float(A.get_pixels(oiio.FLOAT)[..., 0].sum()) / np.sqrt(16 * 12)) < 1e-4)

# Odd, prime and power-of-two sizes
for w, h in ((1, 1), (1, 7), (9, 1), (13, 11), (32, 8), (30, 18), (17, 64)):
    B = ramp(w, h, 1, "float", seed=w * 100 + h, lo=-1.0, hi=1.0)
    F = IBA.fft(B)
    out("fft %dx%d" % (w, h), F)
    out("ifft %dx%d" % (w, h), IBA.ifft(F))

# The channel used is the ROI's first; the ROI's size and position choose the region
both("fft chan 1", IBA.fft, A, roi=ROI(0, 16, 0, 12, 0, 1, 1, 3))
both("fft chan 2", IBA.fft, A, roi=ROI(0, 16, 0, 12, 0, 1, 2, 3))
both("fft subregion", IBA.fft, A, roi=ROI(3, 11, 2, 9))
both("fft overhang", IBA.fft, A, roi=ROI(-4, 10, 6, 20, 0, 1, 1, 2))
both("fft nthreads 1", IBA.fft, A, nthreads=1)

# Data window inside a bigger display window: padded with zeros
W = ramp(10, 6, 2, "half", x=3, y=2, seed=5, lo=0.0, hi=1.0)
W.set_full(0, 16, 0, 12, 0, 1)
both("fft window", IBA.fft, W)
# Data window outside the display window: the union of both
V = ramp(6, 5, 1, "float", x=4, y=3, seed=6)
V.set_full(0, 8, 0, 4, 0, 1)
both("fft union", IBA.fft, V)

for t in TYPES:
    B = ramp(12, 10, 2, t, seed=7, lo=0.0, hi=1.0)
    both("fft %s" % t, IBA.fft, B)

# ifft: region size from the ROI (read from the origin)
F = IBA.fft(A)
both("ifft roi", IBA.ifft, F, roi=ROI(0, 10, 0, 8))
both("ifft roi chans", IBA.ifft, F, roi=ROI(0, 16, 0, 12, 0, 1, 1, 2))
both("ifft nthreads 1", IBA.ifft, F, nthreads=1)

# Errors
both("ifft 3ch", IBA.ifft, A)
both("ifft half", IBA.ifft, ramp(4, 4, 2, "half", seed=8))
both("ifft uninit", IBA.ifft, ImageBuf())
vol = ImageSpec(4, 4, 2, "float")
vol.depth = 3
both("fft volume", IBA.fft, ImageBuf(vol))
both("ifft volume", IBA.ifft, ImageBuf(vol))

# dst already holding an image is replaced
d = ImageBuf(ImageSpec(3, 3, 4, "uint8"))
print("fft into used dst:", IBA.fft(d, A))
out("fft used dst", d)
