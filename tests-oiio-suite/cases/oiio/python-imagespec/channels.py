# Channel names, default names, lookups and out-of-range channel queries.
import OpenImageIO as oiio

for n in range(0, 7):
    s = oiio.ImageSpec(2, 2, n, "uint8")
    print(n, "channels:", s.channelnames, "alpha", s.alpha_channel,
          "z", s.z_channel)

s = oiio.ImageSpec(4, 4, 4, "float")
print("channelindex R/G/B/A:", [s.channelindex(c) for c in "RGBA"])
print("channelindex 'r' (case):", s.channelindex("r"))
print("channelindex '' :", s.channelindex(""))
print("channelindex 'foo':", s.channelindex("foo"))
for i in (0, 3, 4, 99, -1):
    print("channel_name(%d) = %r" % (i, s.channel_name(i)),
          "channelformat(%d) = %r" % (i, s.channelformat(i)))

s.channelnames = ("X", "Y", "Z", "W")
print("renamed:", s.channelnames, "alpha still", s.alpha_channel)
s.channelnames = ["Ya", "A"]
print("fewer names than channels:", s.channelnames, "nchannels", s.nchannels)
print("channel_name(3):", repr(s.channel_name(3)))
s.nchannels = 6
print("nchannels=6 leaves names:", s.channelnames)
s.default_channel_names()
print("defaults for 6:", s.channelnames, "alpha", s.alpha_channel, "z", s.z_channel)
s.channelnames = ("R", "G", "B", "A", "Z", "Z")
print("duplicate names, index of Z:", s.channelindex("Z"))
s.channelnames = ()
print("cleared names:", s.channelnames, "channel_name(0):", repr(s.channel_name(0)))
print("channelnames type:", type(s.channelnames).__name__)
s.channelnames = ("ünï", "b")
print("unicode name:", s.channelnames, s.channelindex("ünï"))

deep = oiio.ImageSpec(2, 2, 5, "half")
deep.channelnames = ("R", "G", "B", "A", "Z")
deep.alpha_channel = 3
deep.z_channel = 4
print("explicit alpha/z:", deep.alpha_channel, deep.z_channel)
deep.default_channel_names()
print("after default_channel_names:", deep.channelnames, deep.alpha_channel, deep.z_channel)
