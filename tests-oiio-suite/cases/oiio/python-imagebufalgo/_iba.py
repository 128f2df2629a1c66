"""Shared helpers for the python-imagebufalgo cases (not a case itself)."""
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec

TYPES = ["uint8", "uint16", "half", "float"]


def ramp(w, h, nch, fmt, x=0, y=0, seed=0, lo=-0.25, hi=1.25):
    """A small deterministic image with values spread over [lo, hi)."""
    rng = np.random.default_rng(seed)
    vals = rng.uniform(lo, hi, size=(h, w, nch)).astype(np.float32)
    spec = ImageSpec(w, h, nch, fmt)
    spec.x, spec.y = x, y
    buf = ImageBuf(spec)
    buf.set_pixels(oiio.ROI(x, x + w, y, y + h, 0, 1, 0, nch), vals)
    return buf


def show(label, buf):
    """Geometry, type and every pixel of a result (3 decimals), or its error."""
    if buf.has_error:
        print(label, "error:", buf.geterror())
        return
    s = buf.spec()
    print(label, s.format, buf.roi, "full", buf.roi_full, "ch", list(s.channelnames), "alpha", s.alpha_channel)
    px = buf.get_pixels(oiio.FLOAT)
    flat = ["%.3f" % v for v in px.ravel()]
    print("   ", " ".join(flat))


def both(label, func, *args, **kwargs):
    """Run the returning form and the dst form; show both results."""
    show(label + " ret", func(*args, **kwargs))
    dst = ImageBuf()
    ok = func(dst, *args, **kwargs)
    if not ok:
        print(label, "dst -> False:", dst.geterror())
    else:
        show(label + " dst", dst)
