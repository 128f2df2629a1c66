# Setting every plain data field and reading it back.
import OpenImageIO as oiio
from _common import dump

s = oiio.ImageSpec()
s.set_format(oiio.FLOAT)
s.x = 1
s.y = 2
s.z = 3
s.width = 640
s.height = 480
s.depth = 1
s.full_x = 4
s.full_y = 5
s.full_z = 6
s.full_width = 1280
s.full_height = 960
s.full_depth = 7
s.tile_width = 32
s.tile_height = 64
s.tile_depth = 16
s.nchannels = 5
s.alpha_channel = 3
s.z_channel = 4
dump(s, "before default_channel_names")
s.default_channel_names()
dump(s, "after default_channel_names")
s.z_channel = 4
s.deep = True
s.channelformats = (oiio.UINT8, oiio.UINT8, oiio.UINT8, oiio.UINT8, oiio.FLOAT)
dump(s, "with channelformats and deep")
s.format = oiio.TypeHalf
print("format property set to half:", s.format)
s.format = "int16"
print("format property set from str:", s.format)
s.width = -5
s.height = 0
print("negative/zero sizes:", s.width, s.height, s.roi)
print("field types:", type(s.width).__name__, type(s.deep).__name__,
      type(s.format).__name__)
