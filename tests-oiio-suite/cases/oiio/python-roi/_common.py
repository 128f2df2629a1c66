"""Shared helper for the python-roi cases (not a case itself)."""


def show(label, r):
    print(label, "=", r)
    print("   begin/end: x", r.xbegin, r.xend, "y", r.ybegin, r.yend,
          "z", r.zbegin, r.zend, "ch", r.chbegin, r.chend)
    print("   defined", r.defined, "width", r.width, "height", r.height,
          "depth", r.depth, "nchannels", r.nchannels, "npixels", r.npixels)
