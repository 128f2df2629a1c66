# Thumbnails on in-memory buffers: set_thumbnail, get_thumbnail (returns a
# copy), has_thumbnail, clear_thumbnail, and the thumbnail_* metadata that
# set_thumbnail adds. get_thumbnail is never called on a buffer without a
# thumbnail (the reference crashes there).
import numpy as np
import OpenImageIO as oiio
from _common import probe


def attrs(buf):
    return [(p.name, p.value) for p in buf.spec().extra_attribs]


b = oiio.ImageBuf(oiio.ImageSpec(4, 4, 3, "float"))
print("new buffer: has_thumbnail", b.has_thumbnail, attrs(b))

th = oiio.ImageBuf(np.array([[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]], dtype=np.float32))
th.set_origin(3, 3)
th.specmod().attribute("thumbmeta", 1)
b.set_thumbnail(th)
print("after set_thumbnail: has_thumbnail", b.has_thumbnail, attrs(b))
t = b.get_thumbnail()
print("get_thumbnail:", type(t).__name__, t.initialized, t.roi, t.spec().format,
      t.get_pixels().ravel().tolist(), [p.name for p in t.spec().extra_attribs])

th.setpixel(3, 3, (9.0, 9.0, 9.0))
print("source changed afterwards:", b.get_thumbnail().get_pixels().ravel().tolist())
t.setpixel(3, 3, (5.0, 5.0, 5.0))
print("returned copy changed:", b.get_thumbnail().get_pixels().ravel().tolist())

# Replacing with a different thumbnail updates the metadata.
b.set_thumbnail(thumb=oiio.ImageBuf(np.zeros((3, 5, 1), np.uint8)))
print("replaced:", b.has_thumbnail, attrs(b), b.get_thumbnail().spec().format,
      b.get_thumbnail().roi)

c = b.copy()
print("copy(): has_thumbnail", c.has_thumbnail, attrs(c))
d = oiio.ImageBuf()
d.copy(b)
print("copy(src): has_thumbnail", d.has_thumbnail)
m = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
m.copy_metadata(b)
print("copy_metadata: has_thumbnail", m.has_thumbnail, attrs(m))

b.clear_thumbnail()
print("after clear_thumbnail: has_thumbnail", b.has_thumbnail, attrs(b))
b.clear_thumbnail()
print("cleared twice:", b.has_thumbnail)

b.set_thumbnail(oiio.ImageBuf())
print("set_thumbnail(empty buffer): has_thumbnail", b.has_thumbnail, attrs(b))

b.set_thumbnail(th)
s = oiio.ImageBuf()
s.swap(b)
print("swap moves it:", s.has_thumbnail, b.has_thumbnail)
s.reset(oiio.ImageSpec(1, 1, 1, "float"))
print("after reset(spec):", s.has_thumbnail, attrs(s))

e = oiio.ImageBuf()
e.set_thumbnail(th)
print("empty buffer with a thumbnail:", e.has_thumbnail, e.initialized, attrs(e))
e.clear()
print("after clear():", e.has_thumbnail)

probe("set_thumbnail(None)", lambda: b.set_thumbnail(None))
probe("set_thumbnail(spec)", lambda: b.set_thumbnail(b.spec()))
probe("set_thumbnail(array)", lambda: b.set_thumbnail(np.zeros((2, 2, 1), np.float32)))
probe("set_thumbnail()", lambda: b.set_thumbnail())
probe("has_thumbnail = True", lambda: setattr(b, "has_thumbnail", True))
