# ImageSpec.metadata_val(param, human) for many types and well-known names.
import OpenImageIO as oiio
from _common import rich_spec

s = rich_spec()
for p in s.extra_attribs:
    print("%s [%s]" % (p.name, p.type))
    print("   raw:  ", s.metadata_val(p))
    print("   human:", s.metadata_val(p, True))
    print("   kw:   ", oiio.ImageSpec.metadata_val(param=p, human=False))

print("-- standalone ParamValues")
extra = [oiio.ParamValue("Orientation", 1), oiio.ParamValue("Orientation", 3),
         oiio.ParamValue("Orientation", 8), oiio.ParamValue("Orientation", 42),
         oiio.ParamValue("ResolutionUnit", 2),
         oiio.ParamValue("Exif:ExposureProgram", 2),
         oiio.ParamValue("Exif:Flash", 0), oiio.ParamValue("Exif:Flash", 16),
         oiio.ParamValue("Exif:LightSource", 1),
         oiio.ParamValue("Exif:SensingMethod", 2),
         oiio.ParamValue("Exif:SceneCaptureType", 1),
         oiio.ParamValue("Exif:ExposureTime", 0.5),
         oiio.ParamValue("Exif:ExposureTime", 0.01),
         oiio.ParamValue("Exif:ApertureValue", 5.0),
         oiio.ParamValue("Exif:ShutterSpeedValue", 3.0),
         oiio.ParamValue("Exif:MeteringMode", 2),
         oiio.ParamValue("Exif:Contrast", 1),
         oiio.ParamValue("Exif:SubjectDistance", 10.0),
         oiio.ParamValue("Exif:FocalLength", 35.5),
         oiio.ParamValue("Exif:ColorSpace", 65535),
         oiio.ParamValue("GPS:AltitudeRef", 1),
         oiio.ParamValue("compression", "zip"),
         oiio.ParamValue("plain", "quote\"and\\backslash"),
         oiio.ParamValue("tc", "timecode", (0x01020304, 0)),
         oiio.ParamValue("ur", "urational", (1, 3)),
         oiio.ParamValue("zero_den", "rational", (5, 0)),
         oiio.ParamValue("pressure", "float", 4, oiio.Interp.LINEAR, (1, 3, 5, 7)),
         oiio.ParamValue("u8", "uint8", 200),
         oiio.ParamValue("uint", "uint", 4000000000),
         oiio.ParamValue("neg", -7),
         oiio.ParamValue("tiny", 1.0e-30),
         oiio.ParamValue("third", 1.0 / 3.0),
         oiio.ParamValue("big", 1.0e20),
         oiio.ParamValue("whole", 100.0),
         oiio.ParamValue("e6", 1234567.0)]
for p in extra:
    print("%s [%s]: %s | %s" % (p.name, p.type, s.metadata_val(p), s.metadata_val(p, human=True)))
