# serialize('text') describing data/display windows, tiles, depth,
# per-channel formats and deep data.
import OpenImageIO as oiio

s = oiio.ImageSpec(640, 480, 5, "float")
s.x, s.y, s.z = 1, 2, 3
s.full_x, s.full_y = 4, 5
s.full_width, s.full_height, s.full_depth = 1280, 960, 7
s.tile_width, s.tile_height, s.tile_depth = 32, 64, 16
s.channelformats = ("uint8", "uint8", "uint8", "uint8", "float")
s.z_channel = 4
print(s.serialize("text", "brief"))
print(s.serialize("text", "detailed"))

v = oiio.ImageSpec(8, 8, 1, "uint16")
v.depth = 4
v.full_depth = 4
print(v.serialize("text", "detailed"))

d = oiio.ImageSpec(100, 100, 3, "half")
d.deep = True
d.tile_width = 16
d.tile_height = 16
print(d.serialize("text", "detailed"))

w = oiio.ImageSpec(12345, 6, 2, "double")
w.full_x = -10
w.full_y = -20
print(w.serialize("text", "detailed"))
print(oiio.ImageSpec(3, 3, 1, "uint8").serialize("xml", "brief"))
