"""Shared helpers for the python-imagespec cases (not a case itself)."""


def dump(spec, title=None):
    """Print the geometry, format, channel and metadata fields of a spec."""
    if title:
        print("##", title)
    print("  size:", spec.width, spec.height, spec.depth,
          "origin:", spec.x, spec.y, spec.z)
    print("  full size:", spec.full_width, spec.full_height, spec.full_depth,
          "full origin:", spec.full_x, spec.full_y, spec.full_z)
    print("  tile:", spec.tile_width, spec.tile_height, spec.tile_depth)
    print("  format:", spec.format, "nchannels:", spec.nchannels)
    print("  channelformats:", spec.channelformats)
    print("  channelnames:", spec.channelnames)
    print("  alpha:", spec.alpha_channel, "z:", spec.z_channel,
          "deep:", spec.deep)
    print("  roi:", spec.roi, "| roi_full:", spec.roi_full)
    for p in spec.extra_attribs:
        print("  attr", p.name, p.type, "=", p.value)


def probe(label, fn):
    """Run fn; print its result, or the exception type name only."""
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__)


def rich_spec():
    """A spec carrying many kinds of well-known and custom metadata."""
    import OpenImageIO as oiio
    import numpy
    s = oiio.ImageSpec(64, 32, 4, "half")
    s.attribute("foo_str", "blah")
    s.attribute("foo_int", 14)
    s.attribute("foo_float", 3.14)
    s.attribute("foo_vector", oiio.TypeVector, (1, 0, 11))
    s.attribute("foo_matrix", oiio.TypeMatrix, tuple(range(16)))
    s.attribute("smpte:TimeCode", oiio.TypeTimeCode, (18356486, 4294967295))
    s.attribute("ucarr", "uint8[10]",
                numpy.array([49, 50, 51, 0, 0, 97, 98, 99, 1, 88], dtype="B"))
    s.attribute("Orientation", 6)
    s.attribute("ImageDescription", "A test image")
    s.attribute("DateTime", "2024:01:02 03:04:05")
    s.attribute("ResolutionUnit", "in")
    s.attribute("XResolution", 72.0)
    s.attribute("YResolution", 300.0)
    s.attribute("compression", "zip")
    s.attribute("Exif:ExposureTime", 0.004)
    s.attribute("Exif:FNumber", 2.8)
    s.attribute("Exif:Flash", 1)
    s.attribute("Exif:MeteringMode", 5)
    s.attribute("Exif:WhiteBalance", 0)
    s.attribute("Exif:ISOSpeedRatings", 400)
    s.attribute("Exif:ShutterSpeedValue", 7.0)
    s.attribute("Exif:ApertureValue", 3.0)
    s.attribute("Exif:SubjectDistance", 1.5)
    s.attribute("Exif:FocalLength", 50.0)
    s.attribute("GPS:LatitudeRef", "N")
    s.attribute("GPS:Latitude", oiio.TypeDesc("float[3]"), (37.0, 46.0, 30.5))
    s.attribute("PixelAspectRatio", 1.0)
    s.attribute("FramesPerSecond", oiio.TypeRational, (24, 1))
    s.attribute("rat", oiio.TypeRational, (30000, 1001))
    s.attribute("strs", oiio.TypeDesc("string[3]"), ("a", "b c", 'd"q'))
    s.attribute("ints", oiio.TypeDesc("int[3]"), (1, 2, 3))
    s.attribute("floats", oiio.TypeDesc("float[5]"), (1.0, 2.5, 1e10, 1e-7, -0.0))
    s.attribute("bigf", 123456789.0)
    s.attribute("keyc", oiio.TypeKeyCode, (1, 2, 3, 4, 5, 6, 7))
    s.attribute("box", oiio.TypeDesc("box2i"), (0, 0, 10, 20))
    s.attribute("col", oiio.TypeColor, (0.5, 0.25, 1))
    s.attribute("m33", oiio.TypeMatrix33, tuple(range(9)))
    s.attribute("xml<&>", "a<b>&c\"d'e")
    return s
