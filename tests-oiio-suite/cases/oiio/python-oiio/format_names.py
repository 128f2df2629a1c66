# is_imageio_format_name for known, unknown and oddly-cased names.
import OpenImageIO as oiio

for n in ["tiff", "TIFF", "Tiff", "tif", "openexr", "OpenEXR", "exr", "jpeg",
          "jpg", "png", "bmp", "dpx", "txff", "", " ", "null", "raw",
          "fits", "hdr", "targa", "tga", "zfile", "iff", "sgi", "webp",
          "heif", "gif", "ico", "pnm", "psd", "rla", "softimage", "term",
          "cineon", "dds", "ffmpeg", "jpeg2000", "jpegxl", "openvdb", "ptex",
          "r3d", "tiff ", "ti ff"]:
    print(repr(n), oiio.is_imageio_format_name(n))
try:
    oiio.is_imageio_format_name(5)
except TypeError:
    print("is_imageio_format_name(5) -> TypeError")
