"""Helpers for the deep_* cases (not a case itself): build small deep
images sample by sample and print every sample of a result."""
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec

RGBAZ = ("R", "G", "B", "A", "Z", "Zback")


def deep_image(w, h, names=RGBAZ, fmt="float", chanformats=None, x=0, y=0):
    """An empty deep image with the given channels."""
    spec = ImageSpec(w, h, len(names), fmt)
    spec.x, spec.y = x, y
    spec.channelnames = names
    if chanformats:
        spec.channelformats = chanformats
    spec.deep = True
    return ImageBuf(spec)


def add(buf, x, y, *samples):
    """Append samples (one value per channel each) to pixel (x, y)."""
    for vals in samples:
        s = buf.deep_samples(x, y)
        buf.set_deep_samples(x, y, 0, s + 1)
        for c, v in enumerate(vals):
            buf.set_deep_value(x, y, 0, c, s, float(v))


def show_deep(label, buf, capacity=False):
    """Geometry, channels and every sample (4 decimals) of a deep result."""
    if buf.has_error:
        print(label, "error:", buf.geterror())
        return
    if not buf.initialized:
        print(label, "uninitialized")
        return
    s = buf.spec()
    print(label, "deep" if buf.deep else "flat", s.format, buf.roi, "full", buf.roi_full,
          "ch", list(s.channelnames), [str(t) for t in s.channelformats], "z", s.z_channel, "alpha", s.alpha_channel)
    if not buf.deep:
        px = buf.get_pixels(oiio.FLOAT)
        print("   ", " ".join("%.4g" % v for v in px.ravel()))
        return
    dd = buf.deepdata()
    r = buf.roi
    for z in range(r.zbegin, r.zend):
        for y in range(r.ybegin, r.yend):
            for x in range(r.xbegin, r.xend):
                n = buf.deep_samples(x, y, z)
                p = ((z - s.z) * s.height + (y - s.y)) * s.width + (x - s.x)
                if n == 0 and not (capacity and dd.capacity(p)):
                    continue
                vals = [" ".join("%.4g" % buf.deep_value(x, y, z, c, i) for c in range(s.nchannels)) for i in range(n)]
                cap = " cap %d" % dd.capacity(p) if capacity else ""
                print("    (%d,%d)" % (x, y), n, cap, "|", " / ".join(vals))
