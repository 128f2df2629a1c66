# The ways of naming the format for get_pixels, and formats it refuses
# (it returns None for those, without an error message).
import numpy as np
import OpenImageIO as oiio
from _common import probe

b = oiio.ImageBuf(np.array([[[0.25, 0.5]], [[1.0, -1.0]]], dtype=np.float32))
print("source:", b.get_pixels().ravel().tolist())

FORMATS = [
    ("oiio.FLOAT", oiio.FLOAT), ("oiio.UINT8", oiio.UINT8),
    ("oiio.UCHAR", oiio.UCHAR), ("oiio.INT8", oiio.INT8),
    ("oiio.CHAR", oiio.CHAR), ("oiio.UINT16", oiio.UINT16),
    ("oiio.USHORT", oiio.USHORT), ("oiio.INT16", oiio.INT16),
    ("oiio.SHORT", oiio.SHORT), ("oiio.UINT", oiio.UINT),
    ("oiio.UINT32", oiio.UINT32), ("oiio.INT", oiio.INT),
    ("oiio.INT32", oiio.INT32), ("oiio.HALF", oiio.HALF),
    ("oiio.DOUBLE", oiio.DOUBLE),
    ("TypeFloat", oiio.TypeFloat), ("TypeUInt8", oiio.TypeUInt8),
    ("TypeUInt16", oiio.TypeUInt16), ("TypeHalf", oiio.TypeHalf),
    ("TypeInt", oiio.TypeInt), ("TypeDesc('int16')", oiio.TypeDesc("int16")),
    ("'uint8'", "uint8"), ("'int8'", "int8"), ("'uint16'", "uint16"),
    ("'int16'", "int16"), ("'uint'", "uint"), ("'uint32'", "uint32"),
    ("'int'", "int"), ("'int32'", "int32"), ("'half'", "half"),
    ("'float'", "float"), ("'double'", "double"),
    ("BASETYPE value 5 (int)", 5),
    # refused: None comes back
    ("oiio.UINT64", oiio.UINT64), ("oiio.INT64", oiio.INT64),
    ("'float16'", "float16"), ("'f'", "f"), ("'bogus'", "bogus"),
    ("''", ""), ("oiio.UNKNOWN", oiio.UNKNOWN), ("TypeUnknown", oiio.TypeUnknown),
]
for label, fmt in FORMATS:
    probe("get_pixels(%s)" % label, lambda fmt=fmt: b.get_pixels(fmt))
    if b.has_error:
        print("   error:", repr(b.geterror()))

# Things that are not a TypeDesc at all.
for label, fmt in [("None", None), ("float (the Python type)", float),
                   ("np.uint8", np.uint8), ("np.dtype('f4')", np.dtype("f4")),
                   ("1.5", 1.5)]:
    probe("get_pixels(%s)" % label, lambda fmt=fmt: b.get_pixels(fmt))
