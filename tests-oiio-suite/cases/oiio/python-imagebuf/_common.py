"""Shared helpers for the in-memory python-imagebuf cases (not a case itself)."""
import sys


def flush():
    """Flush Python's stdout so that text printed by OIIO's C++ code (for
    example the 'destroyed with a pending error' notice) cannot overtake it."""
    sys.stdout.flush()


def probe(label, fn):
    """Run fn; print a short description of its result, or the exception
    type name only (binding-level errors have no stable message)."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - we want the type of anything
        print(label, "->", type(e).__name__)
    else:
        print(label, "->", describe(r))
    flush()


def describe(r):
    """Stable text for values returned by ImageBuf methods."""
    import numpy
    import OpenImageIO as oiio
    if isinstance(r, numpy.ndarray):
        return "ndarray %s %s %s" % (r.dtype, r.shape, r.ravel().tolist())
    if isinstance(r, oiio.ImageBuf):
        return "ImageBuf(initialized=%s, roi=%s)" % (r.initialized, r.roi)
    if isinstance(r, (oiio.ROI, oiio.TypeDesc)):
        return "%s %s" % (type(r).__name__, r)
    return repr(r)


def ftup(values, digits=6):
    """A tuple of floats printed with a fixed number of significant digits,
    for results of interpolation where the last bits are not the point."""
    return "(" + ", ".join("%.*g" % (digits, v) for v in values) + ")"


def px(buf, fmt=None):
    """All pixels of buf as a flat list, in its own pixel type by default."""
    if fmt is None:
        fmt = buf.spec().format
    return buf.get_pixels(fmt).ravel().tolist()


def dump(buf, title=None):
    """Print the geometry and state of an ImageBuf (never its pixels)."""
    if title:
        print("##", title)
    s = buf.spec()
    print("  initialized:", buf.initialized, "pixels_valid:", buf.pixels_valid,
          "has_error:", buf.has_error)
    print("  pixeltype:", buf.pixeltype, "spec.format:", s.format,
          "nchannels:", buf.nchannels, "channelnames:", s.channelnames)
    print("  size:", s.width, s.height, s.depth, "origin:", s.x, s.y, s.z,
          "full:", s.full_width, s.full_height, s.full_depth,
          s.full_x, s.full_y, s.full_z)
    print("  roi:", buf.roi, "| roi_full:", buf.roi_full)
