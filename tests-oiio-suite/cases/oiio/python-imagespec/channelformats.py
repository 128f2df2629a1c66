# Per-channel formats: channelformats property, get_channelformats(),
# channelformat(i), interaction with set_format.
import OpenImageIO as oiio

s = oiio.ImageSpec(4, 4, 3, "uint8")
print("initial channelformats:", s.channelformats)
print("initial get_channelformats:", s.get_channelformats())
print("channelformat(1):", s.channelformat(1))
s.channelformats = (oiio.UINT8, oiio.HALF, "float")
print("mixed:", s.channelformats)
print("get_channelformats:", s.get_channelformats())
print("format unchanged:", s.format)
print("channelformat(0..2):", [str(s.channelformat(i)) for i in range(3)])
print("channelformat(5):", s.channelformat(5))
s.channelformats = [oiio.TypeFloat, oiio.TypeFloat, oiio.TypeFloat]
print("from list of TypeDesc:", s.channelformats)
s.channelformats = ()
print("cleared:", s.channelformats, s.get_channelformats())
s.channelformats = ("half", "half", "half", "half")
print("more formats than channels:", s.channelformats, s.get_channelformats())
s.set_format("double")
print("after set_format(double):", s.format, s.channelformats, s.get_channelformats())
s.channelformats = (oiio.HALF,)
print("fewer formats than channels:", s.channelformats, "channelformat(2):", s.channelformat(2))
print("type:", type(s.channelformats).__name__, type(s.get_channelformats()).__name__)
