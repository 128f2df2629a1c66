# complex_to_polar / polar_to_complex: amplitude and phase in [0, 2pi),
# round trip, pixel types (results stored in the source's type), ROIs,
# existing destinations, errors.
import math

import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import ramp, show, both, TYPES

C = ramp(7, 5, 2, "float", seed=3, lo=-1.0, hi=1.0)
both("c2p", IBA.complex_to_polar, C)
P = IBA.complex_to_polar(C)
both("p2c", IBA.polar_to_complex, P)
back = IBA.polar_to_complex(P)
print("round trip ok:", float(np.abs(back.get_pixels(oiio.FLOAT) - C.get_pixels(oiio.FLOAT)).max()) < 1e-5)

# Special values: zeros, axes, negative reals (phase pi), big phases
spec = ImageSpec(4, 2, 2, "float")
S = ImageBuf(spec)
vals = np.array([[[0, 0], [1, 0], [-1, 0], [0, -1]], [[0, 1], [-2, -2], [3, 4], [-0.0, 0.0]]], np.float32)
S.set_pixels(ROI.All, vals)
both("c2p special", IBA.complex_to_polar, S)
Pp = ImageBuf(spec)
Pp.set_pixels(ROI.All, np.array([[[1, 0], [2, math.pi], [1, 7.5], [0.5, -1.0]], [[0, 3], [1, 2 * math.pi], [-1, 0.5], [3, 100.0]]], np.float32))
both("p2c special", IBA.polar_to_complex, Pp)

for t in TYPES:
    B = ramp(5, 4, 2, t, seed=11, lo=0.0, hi=1.0)
    both("c2p %s" % t, IBA.complex_to_polar, B)
    both("p2c %s" % t, IBA.polar_to_complex, B)

# ROIs: channels of the ROI are ignored (both channels are written)
both("c2p roi", IBA.complex_to_polar, C, roi=ROI(1, 5, 2, 4))
both("c2p roi chan", IBA.complex_to_polar, C, roi=ROI(0, 7, 0, 5, 0, 1, 1, 2))
both("c2p overhang", IBA.complex_to_polar, C, roi=ROI(5, 9, 3, 7))
O = ramp(4, 3, 2, "half", x=2, y=1, seed=12)
both("p2c origin", IBA.polar_to_complex, O)
both("c2p nthreads", IBA.complex_to_polar, C, nthreads=1)

# Existing destinations: type and window kept
d = ImageBuf(ImageSpec(9, 6, 2, "uint16"))
print("c2p into uint16:", IBA.complex_to_polar(d, C))
show("c2p into uint16", d)
d = ImageBuf(ImageSpec(3, 3, 2, "float"))
print("p2c into small:", IBA.polar_to_complex(d, P))
show("p2c into small", d)
d = ImageBuf(ImageSpec(7, 5, 3, "float"))
print("c2p into 3ch:", IBA.complex_to_polar(d, C), d.geterror())

# Errors
for n in (1, 3, 4):
    both("c2p %dch" % n, IBA.complex_to_polar, ramp(3, 3, n, "float", seed=n))
    both("p2c %dch" % n, IBA.polar_to_complex, ramp(3, 3, n, "float", seed=n))
both("c2p uninit", IBA.complex_to_polar, ImageBuf())
both("p2c uninit", IBA.polar_to_complex, ImageBuf())

# fft -> polar -> complex -> ifft gives the input back
A = ramp(12, 9, 1, "float", seed=13, lo=0.0, hi=1.0)
r = IBA.ifft(IBA.polar_to_complex(IBA.complex_to_polar(IBA.fft(A))))
print("fft polar ifft ok:", float(np.abs(r.get_pixels(oiio.FLOAT) - A.get_pixels(oiio.FLOAT)).max()) < 1e-5)
