# setpixel in its three forms, with tuples, lists, scalars, numpy arrays and
# odd element types, fewer or more values than channels, and coordinates
# outside the data window.
import numpy as np
import OpenImageIO as oiio
from _common import flush, probe

b = oiio.ImageBuf(oiio.ImageSpec(3, 2, 3, "float"))


def after(label, fn):
    try:
        r = fn()
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        print(label, "->", r)
    print("   ", b.get_pixels().ravel().tolist(), repr(b.geterror()))
    flush()


after("setpixel(x, y, z, tuple)", lambda: b.setpixel(0, 0, 0, (1.0, 2.0, 3.0)))
after("setpixel(x, y, list of ints)", lambda: b.setpixel(1, 0, [4, 5, 6]))
after("setpixel(i, tuple)", lambda: b.setpixel(2, (7.5, 8.5, 9.5)))
after("setpixel(i=5, ...)", lambda: b.setpixel(5, (0.1, 0.2, 0.3)))
after("keywords x, y, pixel", lambda: b.setpixel(x=0, y=1, pixel=(-1.0, -2.0, -3.0)))
after("keywords x, y, z, pixel", lambda: b.setpixel(x=1, y=1, z=0, pixel=(11, 12, 13)))
after("keywords i, pixel", lambda: b.setpixel(i=0, pixel=(0.0, 0.0, 0.0)))

# Value counts that do not match the channel count.
b.setpixel(0, 0, (7.0, 7.0, 7.0))
after("one value into 3 channels", lambda: b.setpixel(0, 0, (0.5,)))
after("five values into 3 channels", lambda: b.setpixel(1, 0, (21.0, 22.0, 23.0, 24.0, 25.0)))
after("empty tuple (ignored)", lambda: b.setpixel(1, 0, ()))
after("bare float", lambda: b.setpixel(2, 0, 3.5))
after("bare int", lambda: b.setpixel(2, 0, 7))
after("bare np.float32", lambda: b.setpixel(2, 0, np.float32(0.75)))
after("setpixel(0, 0) is setpixel(i=0, pixel=0)", lambda: b.setpixel(0, 0))

# Element types: float and int (and bool) elements are used; anything else
# inside a tuple or list becomes 42.
after("(np.float32, int, int)", lambda: b.setpixel(0, 1, (np.float32(0.5), 1, 2)))
after("(np.float64, np.int64, np.int32)", lambda: b.setpixel(0, 1, (np.float64(0.5), np.int64(3), np.int32(2))))
after("(None, 1, 2)", lambda: b.setpixel(0, 1, [None, 1, 2]))
after("(complex, 1, 2)", lambda: b.setpixel(0, 1, (1 + 2j, 1, 2)))
after("('1', '2', '3')", lambda: b.setpixel(0, 1, ("1", "2", "3")))
after("((1, 2), 3)", lambda: b.setpixel(0, 1, ((1, 2), 3)))
after("(True, False, 1e40)", lambda: b.setpixel(0, 1, (True, False, 1e40)))
after("(2**70, 1, 1)", lambda: b.setpixel(0, 1, (2**70, 1, 1)))

# Buffers: a float32 array is read; other buffers give 42 per element.
for label, p in [("float32 array", np.array([0.5, 0.25, 0.125], np.float32)),
                 ("float32 2-D array", np.array([[1, 2, 3]], np.float32)),
                 ("float64 array", np.array([1, 2, 3], np.float64)),
                 ("uint8 array", np.array([1, 2, 3], np.uint8)),
                 ("float16 array", np.array([0.5, 0.25, 1], np.float16)),
                 ("0-d float64 array", np.array(0.5)),
                 ("bytes of length 2", b"12"),
                 ("bytearray of length 1", bytearray(b"\x01"))]:
    b.setpixel(1, 1, (-7.0, -7.0, -7.0))
    after(label, lambda p=p: b.setpixel(1, 1, p))

# Things that give no values at all, so nothing is written.
for label, p in [("str", "12"), ("range", range(3)), ("dict", {1: 2}),
                 ("iterator", iter([1, 2, 3]))]:
    after(label + " (ignored)", lambda p=p: b.setpixel(2, 1, p))
probe("setpixel(0, 0, None)", lambda: b.setpixel(0, 0, None))

# Outside the data window (or past the end for the index form): ignored.
c = oiio.ImageBuf(oiio.ImageSpec(2, 2, 1, "float"))
c.set_origin(1, 1)
for label, fn in [("x past the end", lambda: c.setpixel(3, 1, (9.0,))),
                  ("x before the start", lambda: c.setpixel(0, 1, (9.0,))),
                  ("z=1 on a 2-D image", lambda: c.setpixel(1, 1, 1, (9.0,))),
                  ("index 4 of 4", lambda: c.setpixel(4, (9.0,))),
                  ("index -1", lambda: c.setpixel(-1, (9.0,))),
                  ("index 3 (last)", lambda: c.setpixel(3, (5.0,))),
                  ("(1, 1) first pixel", lambda: c.setpixel(1, 1, (1.0,)))]:
    fn()
    print(label, "->", c.get_pixels().ravel().tolist(), repr(c.geterror()))

# A volume: the index form only reaches the first z slice.
v = oiio.ImageBuf(np.zeros((2, 2, 2, 1), np.float32))
for i in range(8):
    v.setpixel(i, (float(i),))
print("volume by index:", v.get_pixels().ravel().tolist())
v.setpixel(1, 0, 1, (42.5,))
print("volume setpixel(1, 0, 1):", v.getpixel(1, 0, 1), v.get_pixels().ravel().tolist())

# Binding-level refusals.
probe("setpixel(0.5, 0, (1,))", lambda: b.setpixel(0.5, 0, (1.0,)))
probe("setpixel('a', (1,))", lambda: b.setpixel("a", (1.0,)))
probe("setpixel()", lambda: b.setpixel())
probe("setpixel(0, 0, 0, 0, (1,))", lambda: b.setpixel(0, 0, 0, 0, (1.0,)))
