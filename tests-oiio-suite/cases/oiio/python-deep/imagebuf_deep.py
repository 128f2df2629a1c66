# A deep ImageBuf made from a deep spec: per-pixel sample access through the
# ImageBuf methods and through the live DeepData view deepdata() returns.
import OpenImageIO as oiio

spec = oiio.ImageSpec(3, 2, 4, oiio.TypeFloat)
spec.channelnames = ("R", "G", "A", "Z")
spec.deep = True
buf = oiio.ImageBuf(spec)
print("deep:", buf.deep, buf.initialized, buf.spec().deep)
print("samples:", [buf.deep_samples(x, y) for y in range(2) for x in range(3)])
buf.set_deep_samples(1, 0, 0, 2)
buf.set_deep_samples(2, 1, 0, 1)
buf.set_deep_value(1, 0, 0, 3, 0, 4.5)
buf.set_deep_value(1, 0, 0, 3, 1, 6.0)
buf.set_deep_value(1, 0, 0, 2, 1, 0.75)
buf.set_deep_value_uint(2, 1, 0, 0, 0, 1)
print("values:", buf.deep_value(1, 0, 0, 3, 0), buf.deep_value(1, 0, 0, 3, 1), buf.deep_value(1, 0, 0, 2, 1),
      buf.deep_value(2, 1, 0, 0, 0), buf.deep_value_uint(2, 1, 0, 0, 0))
print("outside:", buf.deep_samples(7, 7), buf.deep_value(7, 7, 0, 0, 0))
buf.deep_insert_samples(1, 0, 0, 0, 1)
print("inserted:", buf.deep_samples(1, 0), [buf.deep_value(1, 0, 0, 3, s) for s in range(3)])
buf.deep_erase_samples(1, 0, 0, 2)
print("erased:", buf.deep_samples(1, 0), [buf.deep_value(1, 0, 0, 3, s) for s in range(2)])

dd = buf.deepdata()
print("view:", dd.pixels, dd.channels, dd.Z_channel, dd.A_channel, dd.samples(1))
dd.set_samples(4, 3)
dd.set_deep_value(4, 3, 2, 9.0)
print("through view:", buf.deep_samples(1, 1), buf.deep_value(1, 1, 0, 3, 2))

flat = oiio.ImageBuf(oiio.ImageSpec(2, 2, 1, oiio.TypeFloat))
print("flat:", flat.deep, flat.deep_samples(0, 0), flat.deep_value(0, 0, 0, 0, 0))
