"""Helpers for the copy/orient/channels cases (not a case itself)."""
import hashlib

import OpenImageIO as oiio
from OpenImageIO import ImageBuf

from _iba import show


def showx(label, buf):
    """`show`, plus what shows exact values: a hash of the native pixels,
    the z channel and the metadata names with values."""
    if not buf.has_error and not buf.initialized:
        print(label, "uninitialized", [(p.name, p.value) for p in buf.spec().extra_attribs])
        return
    show(label, buf)
    if buf.has_error:
        return
    s = buf.spec()
    raw = buf.get_pixels(s.format)
    h = hashlib.sha1(raw.tobytes()).hexdigest()[:16] if raw is not None else None
    meta = ", ".join("%s=%s" % (p.name, p.value) for p in s.extra_attribs)
    print("    z", s.z_channel, "deep", s.deep, "native", h, "meta:", meta)


def bothx(label, func, *args, **kwargs):
    """Returning form and dst form, each shown exactly."""
    showx(label + " ret", func(*args, **kwargs))
    dst = ImageBuf()
    ok = func(dst, *args, **kwargs)
    if not ok:
        print(label, "dst -> False:", dst.geterror())
    else:
        showx(label + " dst", dst)
