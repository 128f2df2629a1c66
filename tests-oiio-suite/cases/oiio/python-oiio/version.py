# Version constants and the intro string.
import OpenImageIO as oiio

print("__version__:", repr(oiio.__version__))
print("VERSION_STRING:", repr(oiio.VERSION_STRING))
print("VERSION:", oiio.VERSION, type(oiio.VERSION).__name__)
print("VERSION_MAJOR/MINOR/PATCH:", oiio.VERSION_MAJOR, oiio.VERSION_MINOR, oiio.VERSION_PATCH)
print("openimageio_version:", oiio.openimageio_version)
print("INTRO_STRING:", repr(oiio.INTRO_STRING))
print("AutoStride:", oiio.AutoStride, type(oiio.AutoStride).__name__)
print("__version__ == VERSION_STRING:", oiio.__version__ == oiio.VERSION_STRING)
print("VERSION == openimageio_version:", oiio.VERSION == oiio.openimageio_version)
print("VERSION encodes major/minor/patch:",
      oiio.VERSION == oiio.VERSION_MAJOR * 10000 + oiio.VERSION_MINOR * 100 + oiio.VERSION_PATCH)
print("INTRO_STRING starts with OpenImageIO:", oiio.INTRO_STRING.startswith("OpenImageIO"))
print("getattribute('version'):", repr(oiio.getattribute("version", oiio.TypeString)))
print("get_string_attribute('version'):", repr(oiio.get_string_attribute("version")))
print("version attr matches __version__:",
      oiio.get_string_attribute("version") == oiio.__version__)
print("get_int_attribute('version', -1):", oiio.get_int_attribute("version", -1))
