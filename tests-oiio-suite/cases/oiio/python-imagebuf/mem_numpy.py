# numpy interplay: dtype, shape and layout of get_pixels results for
# different channel counts, volumes and regions; float16 round trips;
# non-contiguous arrays given to the constructor and to set_pixels.
import numpy as np
import OpenImageIO as oiio


def desc(r):
    return "%s %s C=%s writeable=%s strides=%s" % (
        r.dtype, r.shape, r.flags["C_CONTIGUOUS"], r.flags["WRITEABLE"], r.strides)


for nch in (1, 2, 5):
    b = oiio.ImageBuf(oiio.ImageSpec(3, 2, nch, "uint8"))
    print("%d channels:" % nch, desc(b.get_pixels()), "|", desc(b.get_pixels("uint8")))
print("1x1x1:", desc(oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float")).get_pixels()))
print("one row of 5:", desc(oiio.ImageBuf(oiio.ImageSpec(5, 1, 2, "float")).get_pixels()))
print("one column of 4:", desc(oiio.ImageBuf(oiio.ImageSpec(1, 4, 2, "half")).get_pixels("half")))

# Volumes come back 4-D (z, y, x, c), also for a single slice.
v = oiio.ImageBuf(np.arange(2 * 3 * 4 * 2, dtype=np.float32).reshape(2, 3, 4, 2))
print("volume:", v.roi, desc(v.get_pixels()))
r = v.get_pixels(oiio.FLOAT, oiio.ROI(1, 3, 0, 2, 1, 2))
print("volume, one slice region:", desc(r), r.tolist())
print("volume, channel 1 as uint16:", desc(v.get_pixels("uint16", oiio.ROI(0, 1, 0, 1, 0, 2, 1, 2))))
print("depth 1 from a 4-D array stays 3-D:", desc(oiio.ImageBuf(np.zeros((1, 2, 2, 1), np.float32)).get_pixels()))

# float16 round trip, including subnormals, infinities, NaN and -0.
h = np.array([[[0.1, 65504.0, -0.0, 6e-08], [np.inf, -np.inf, np.nan, 1e-05]]], dtype=np.float16)
hb = oiio.ImageBuf(h)
back = hb.get_pixels("half")
print("half round trip:", hb.spec().format, desc(back), back.tolist())
print("bits identical:", back.view(np.uint16).tolist() == h.view(np.uint16).tolist())
print("as float:", hb.get_pixels().tolist())

# The array returned is a private copy.
r = hb.get_pixels("half")
r[0, 0, 0] = 7
print("after changing the returned array:", hb.getpixel(0, 0))

# Non-contiguous arrays to the constructor.
a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
for label, arr in [("transposed (x, y, c)", a.transpose(1, 0, 2)),
                   ("every other column", a[:, ::2, :]),
                   ("one channel slice", a[:, :, 1:2]),
                   ("rows reversed", a[::-1]),
                   ("columns reversed", a[:, ::-1, :]),
                   ("channel stride 2", a[:, :, ::2]),
                   ("channels reversed", a[:, :, ::-1]),
                   ("Fortran order", np.asfortranarray(a)),
                   ("2-D transposed", np.arange(6, dtype=np.float32).reshape(2, 3).T),
                   ("2-D every other column", np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::2]),
                   ("2-D rows reversed", np.arange(6, dtype=np.float32).reshape(2, 3)[::-1]),
                   ("volume, every other slice", np.arange(48, dtype=np.float32).reshape(4, 2, 3, 2)[::2])]:
    b = oiio.ImageBuf(arr)
    print("ImageBuf(%s):" % label, b.initialized, b.roi, repr(b.geterror()))
    if b.initialized:
        print("   ", b.get_pixels(b.spec().format).ravel().tolist())

# Non-contiguous arrays to set_pixels (channels contiguous: accepted).
t = oiio.ImageBuf(oiio.ImageSpec(3, 2, 2, "float"))
src = np.arange(24, dtype=np.float32).reshape(2, 6, 2)
for label, arr in [("every other column", src[:, ::2, :]),
                   ("every other column of a transposed array", src.transpose(1, 0, 2)[::2].transpose(1, 0, 2)),
                   ("columns reversed", src[:, 2::-1, :]),
                   ("channels reversed", src[:, :3, ::-1])]:
    ok = t.set_pixels(oiio.ROI.All, arr)
    print("set_pixels(%s):" % label, arr.shape, ok, repr(t.geterror()))
    print("   ", t.get_pixels().ravel().tolist())

# Integer and float arrays of every dtype come back unchanged in their own type.
for dt in ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float16", "float32", "float64"]:
    info = np.iinfo(dt) if np.dtype(dt).kind in "iu" else np.finfo(dt)
    arr = np.array([[[info.min], [0], [info.max]]], dtype=dt)
    b = oiio.ImageBuf(arr)
    back = b.get_pixels(b.spec().format)
    print("%-8s -> %-6s %s same=%s" % (dt, b.spec().format, back.dtype,
                                       back.tolist() == arr.tolist()))
