"""Helpers for the xform_* cases (not a case itself): geometry is printed,
pixels are written to files (compared within idiff tolerance)."""
import re

import OpenImageIO as oiio
from OpenImageIO import ImageBuf

_EXT = {"uint8": "tif", "uint16": "tif"}


def out(label, buf):
    """Print a result's geometry (or its error) and write its pixels."""
    if buf.has_error:
        print(label, "error:", buf.geterror())
        return
    if not buf.initialized:
        print(label, "uninitialized")
        return
    s = buf.spec()
    print(label, s.format, buf.roi, "full", buf.roi_full, "ch", s.nchannels)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
    ext = _EXT.get(str(s.format), "exr")
    buf.write("%s.%s" % (name, ext))


def both(label, func, *args, **kwargs):
    """The returning form and the dst form of an op."""
    out(label + " ret", func(*args, **kwargs))
    dst = ImageBuf()
    ok = func(dst, *args, **kwargs)
    if not ok:
        print(label, "dst -> False:", dst.geterror())
    else:
        out(label + " dst", dst)
