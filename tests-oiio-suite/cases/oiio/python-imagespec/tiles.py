# Tiling fields, tile_pixels/tile_bytes and valid_tile_range.
import OpenImageIO as oiio

u = oiio.ImageSpec(100, 100, 3, "uint8")
print("untiled:", u.tile_width, u.tile_height, u.tile_depth, u.tile_pixels(),
      u.tile_bytes(), u.valid_tile_range(0, 100, 0, 100),
      u.valid_tile_range(0, 50, 0, 100))
u.tile_width = 16
print("width only:", u.tile_pixels(), u.tile_bytes(),
      u.valid_tile_range(0, 16, 0, 16))
u.tile_height = 16
print("16x16 tiles:", u.tile_pixels(), u.tile_bytes(), u.tile_bytes(True),
      u.tile_bytes("float"))
ranges = [(0, 100, 0, 100), (0, 16, 0, 16), (0, 16, 0, 32, 0, 1),
          (96, 100, 0, 16), (16, 48, 16, 32), (1, 17, 0, 16), (0, 16, 0, 16, 0, 2),
          (-16, 0, 0, 16), (0, 112, 0, 16), (0, 0, 0, 0)]
for r in ranges:
    print("valid_tile_range", r, "->", u.valid_tile_range(*r))
print("keywords:", u.valid_tile_range(xbegin=0, xend=16, ybegin=0, yend=16, zbegin=0, zend=1))

s = oiio.ImageSpec()
s.x, s.y, s.z = 1, 2, 3
s.width, s.height, s.depth = 640, 480, 1
s.tile_width, s.tile_height, s.tile_depth = 32, 64, 16
s.nchannels = 5
s.set_format("float")
print("offset origin aligned:", s.valid_tile_range(1, 641, 2, 482, 3, 4))
print("offset origin misaligned:", s.valid_tile_range(2, 640, 2, 480, 3, 4))
print("tile_pixels with depth 16:", s.tile_pixels(), s.tile_bytes())
s.tile_depth = 0
print("tile_depth 0:", s.tile_pixels(), s.tile_bytes())
