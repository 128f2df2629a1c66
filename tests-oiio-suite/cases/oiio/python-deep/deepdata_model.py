# DeepData as a data structure: init forms, special-channel detection,
# sample counts vs capacity, values in half/float/uint channels, insert and
# erase, copies between DeepData objects.
import OpenImageIO as oiio


def show(dd, title):
    print(title, "pixels", dd.pixels, "channels", dd.channels,
          "init", dd.initialized(), "alloc", dd.allocated())
    for p in range(dd.pixels):
        n = dd.samples(p)
        if n or dd.capacity(p):
            vals = [[round(dd.deep_value(p, c, s), 4) for c in range(dd.channels)] for s in range(n)]
            print("  px", p, "n", n, "cap", dd.capacity(p), vals)


empty = oiio.DeepData()
print("fresh:", empty.pixels, empty.channels, empty.initialized(), empty.allocated())

names = ("Y", "A", "Z", "Zback", "id")
types = (oiio.TypeHalf, oiio.TypeHalf, oiio.TypeFloat, oiio.TypeFloat, oiio.TypeUInt)
dd = oiio.DeepData()
dd.init(4, len(names), types, names)
print("special:", dd.Z_channel, dd.Zback_channel, dd.A_channel, dd.AR_channel, dd.AG_channel, dd.AB_channel)
print("names/types:", [dd.channelname(c) for c in range(dd.channels)], [str(dd.channeltype(c)) for c in range(dd.channels)])
print("sizes:", [dd.channelsize(c) for c in range(dd.channels)], dd.samplesize())
print("out of range channel:", repr(dd.channelname(9)), str(dd.channeltype(9)), dd.channelsize(9))

dd.set_samples(1, 2)
dd.set_capacity(2, 5)
show(dd, "counts only:")
dd.set_deep_value(1, 0, 0, 0.3)
dd.set_deep_value(1, 1, 0, 0.25)
dd.set_deep_value(1, 2, 0, 7.5)
dd.set_deep_value(1, 3, 1, 8.0)
dd.set_deep_value_uint(1, 4, 1, 12345)
dd.set_deep_value(1, 4, 0, 0.5)
show(dd, "values set:")
print("uint reads:", dd.deep_value_uint(1, 4, 1), dd.deep_value_uint(1, 4, 0), dd.deep_value_uint(1, 2, 0))
print("missing sample:", dd.deep_value(1, 0, 7), dd.deep_value(99, 0, 0), dd.deep_value_uint(1, 9, 0))

dd.insert_samples(1, 0)
dd.set_deep_value(1, 2, 0, 1.0)
dd.insert_samples(1, 3, 2)
show(dd, "inserted:")
dd.erase_samples(1, 1)
show(dd, "erased one:")
dd.erase_samples(1, 0, 10)
show(dd, "erased all:")

dd.set_samples(3, 3)
for s in range(3):
    dd.set_deep_value(3, 2, s, 2.0 + s)
other = oiio.DeepData()
other.init(2, len(names), types, names)
print("same types:", dd.same_channeltypes(other))
print("copy pixel:", other.copy_deep_pixel(0, dd, 3), other.copy_deep_pixel(1, dd, 50))
print("copy sample:", other.copy_deep_sample(1, 0, dd, 3, 2))
show(other, "other:")

wide = oiio.DeepData()
wide.init(1, 2, oiio.TypeFloat, ("R", "G"))
print("one type for all:", [str(wide.channeltype(c)) for c in range(2)], wide.same_channeltypes(dd))

spec = oiio.ImageSpec(2, 2, 3, oiio.TypeFloat)
spec.channelnames = ("R", "A", "Z")
spec.deep = True
fromspec = oiio.DeepData()
fromspec.init(spec)
print("from spec:", fromspec.pixels, fromspec.channels, fromspec.Z_channel, fromspec.A_channel)
fromspec.clear()
print("cleared:", fromspec.pixels, fromspec.channels, fromspec.initialized())
fromspec.free()
print("freed:", fromspec.pixels, fromspec.channels, fromspec.initialized())
