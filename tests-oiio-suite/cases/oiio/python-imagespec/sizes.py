# Byte/pixel size queries, with and without per-channel formats.
import OpenImageIO as oiio


def sizes(s, label):
    print("##", label)
    print("  channel_bytes():", s.channel_bytes())
    for c in range(s.nchannels):
        print("  channel_bytes(%d):" % c, s.channel_bytes(c),
              "native", s.channel_bytes(c, True),
              "kw", s.channel_bytes(channel=c, native=True))
    print("  pixel_bytes:", s.pixel_bytes(), "native", s.pixel_bytes(True),
          "kw", s.pixel_bytes(native=True))
    print("  pixel_bytes(0,2):", s.pixel_bytes(0, 2), "native", s.pixel_bytes(0, 2, True))
    print("  pixel_bytes(1,nch):", s.pixel_bytes(1, s.nchannels),
          "native", s.pixel_bytes(1, s.nchannels, True))
    print("  scanline_bytes:", s.scanline_bytes(), "native", s.scanline_bytes(True),
          "uint16", s.scanline_bytes("uint16"), "TypeHalf", s.scanline_bytes(oiio.TypeHalf))
    print("  tile_bytes:", s.tile_bytes(), "native", s.tile_bytes(True),
          "uint16", s.tile_bytes("uint16"))
    print("  image_bytes:", s.image_bytes(), "native", s.image_bytes(True),
          "uint16", s.image_bytes("uint16"), "double", s.image_bytes(oiio.TypeDesc("double")))
    print("  tile_pixels:", s.tile_pixels(), "image_pixels:", s.image_pixels(),
          "size_t_safe:", s.size_t_safe())


s = oiio.ImageSpec()
s.set_format(oiio.FLOAT)
s.x, s.y, s.z = 1, 2, 3
s.width, s.height, s.depth = 640, 480, 1
s.tile_width, s.tile_height, s.tile_depth = 32, 64, 16
s.nchannels = 5
s.default_channel_names()
sizes(s, "uniform float, 5 channels, tiled")
s.channelformats = (oiio.UINT8, oiio.UINT8, oiio.UINT8, oiio.UINT8, oiio.FLOAT)
sizes(s, "mixed channel formats")
sizes(oiio.ImageSpec(100, 50, 3, "uint16"), "100x50 uint16 untiled")
sizes(oiio.ImageSpec(), "empty spec")
vol = oiio.ImageSpec(8, 8, 2, "half")
vol.depth = 4
sizes(vol, "volume 8x8x4 half")
big = oiio.ImageSpec(1 << 20, 1 << 20, 4, "float")
print("big:", big.image_bytes(), big.image_pixels(), big.size_t_safe())
huge = oiio.ImageSpec(1 << 30, 1 << 30, 1 << 10, "double")
huge.depth = 1 << 20
print("huge:", huge.image_bytes(), huge.image_pixels(), huge.size_t_safe(),
      huge.scanline_bytes())
deep = oiio.ImageSpec(100, 100, 3, "uint8")
deep.deep = True
print("deep:", deep.image_bytes(), deep.pixel_bytes(), deep.scanline_bytes())
# out-of-range channel indices do not raise
t = oiio.ImageSpec(4, 4, 3, "uint8")
for c in (3, 99, -1):
    print("channel_bytes(%d):" % c, t.channel_bytes(c), t.channel_bytes(c, True))
print("pixel_bytes(0, 99):", t.pixel_bytes(0, 99), "pixel_bytes(2, 1):", t.pixel_bytes(2, 1))
