# ImageBuf(numpy array): which ranks and dtypes are accepted, the geometry
# that results, the pixels that land in the buffer, and the error texts.
import numpy as np
import OpenImageIO as oiio
from _common import flush


def show(label, buf):
    print(label, "| initialized", buf.initialized, "format", buf.spec().format,
          "nchannels", buf.nchannels, "roi", buf.roi, "full", buf.roi_full,
          "depth", buf.spec().depth)
    print("   error:", repr(buf.geterror()))
    flush()


# Ranks: 2-D is (y, x) with one channel, 3-D is (y, x, c), 4-D is (z, y, x, c).
for shape in [(), (3,), (2, 3), (2, 3, 1), (2, 3, 2), (1, 2, 3, 4),
              (2, 2, 3, 1), (2, 1, 1, 1, 1)]:
    n = int(np.prod(shape)) if shape else 1
    a = np.arange(n, dtype=np.float32).reshape(shape)
    b = oiio.ImageBuf(a)
    show("shape %r" % (shape,), b)
    if b.initialized:
        print("   pixels:", b.get_pixels().ravel().tolist())

# Empty dimensions cannot make an image.
for shape in [(0, 3), (0, 0, 3), (2, 0, 1), (1, 1, 0, 1)]:
    show("shape %r" % (shape,), oiio.ImageBuf(np.zeros(shape, np.float32)))

# Every dtype: the buffer keeps the array's type.
values = [0, 1, 2, 3, 100, 127]
for dt in ["uint8", "int8", "uint16", "int16", "uint32", "int32",
           "float16", "float32", "float64"]:
    b = oiio.ImageBuf(np.array(values, dtype=dt).reshape(2, 3, 1))
    show(dt, b)
    print("   native:", b.get_pixels(b.spec().format).ravel().tolist())
    print("   as float:", b.get_pixels().ravel().tolist())

# 64-bit integers give an initialised buffer whose pixels could not be set
# (contents undefined, so they are not printed).
for dt in ["uint64", "int64"]:
    show(dt, oiio.ImageBuf(np.zeros((2, 3, 1), dtype=dt)))

# dtypes without an OIIO equivalent give an empty buffer and no error.
for dt in ["bool", "complex64", "U1", "O", ">u2", ">f4"]:
    show(dt, oiio.ImageBuf(np.zeros((2, 3), dtype=dt)))

# Negative values, values above 1, NaN and infinities are stored as given.
a = np.array([[[-1.5, 0.0], [2.0, np.nan], [np.inf, -np.inf]]], dtype=np.float32)
b = oiio.ImageBuf(a)
show("special floats", b)
print("   pixels:", b.get_pixels().ravel().tolist())

# Other objects that expose a buffer.
show("memoryview 3-D uint8", oiio.ImageBuf(memoryview(np.arange(12, dtype=np.uint8).reshape(2, 2, 3))))
show("bytes", oiio.ImageBuf(b"abcd"))
show("bytearray", oiio.ImageBuf(bytearray(b"abcd")))
import array
show("array('f')", oiio.ImageBuf(array.array("f", [1.0, 2.0])))
show("keyword buffer=", oiio.ImageBuf(buffer=np.ones((1, 2, 1), np.uint8)))

# The constructor copies the data: changing the array later has no effect.
src = np.ones((1, 2, 1), np.float32)
b = oiio.ImageBuf(src)
src[0, 0, 0] = 5.0
print("after changing the source array:", b.get_pixels().ravel().tolist())
flush()
