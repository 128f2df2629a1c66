# The spec's own fields are visible through the attribute getters under
# their names (case-insensitively), though they are not "in" the spec.
import OpenImageIO as oiio

s = oiio.ImageSpec(640, 480, 3, "uint16")
s.tile_width = 64
s.tile_height = 32
s.x = 5
s.full_width = 800
names = ["x", "y", "z", "width", "height", "depth", "full_x", "full_y",
         "full_z", "full_width", "full_height", "full_depth", "tile_width",
         "tile_height", "tile_depth", "nchannels", "format", "alpha_channel",
         "z_channel", "deep", "channelnames", "channelformats", "roi", "geom",
         "resolution", "datawindow", "displaywindow", "Width", "WIDTH", "x ",
         "nope"]
for n in names:
    cols = [repr(s.getattribute(n)), repr(s.get(n, "DEF"))]
    try:
        cols.append(repr(s[n]))
    except KeyError:
        cols.append("KeyError")
    cols.append(str(n in s))
    cols.append(str(s.get_int_attribute(n, -7)))
    cols.append(str(s.get_float_attribute(n, -7.5)))
    cols.append(repr(s.get_string_attribute(n, "D")))
    for t in (oiio.TypeInt, oiio.TypeFloat, oiio.TypeString, "int[2]", "uint"):
        cols.append(repr(s.getattribute(n, t)))
    print("%-14s" % n, " | ".join(cols))
print("extra_attribs still empty:", len(s.extra_attribs))
