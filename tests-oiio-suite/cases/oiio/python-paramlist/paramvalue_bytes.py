# uint8 ParamValues from bytes and numpy uint8 arrays (values come back as
# numpy arrays), including unsized uint8[] whose length is inferred.
import numpy
import OpenImageIO as oiio
from _common import show

show(oiio.ParamValue("ucarr", "uint8[10]",
                     numpy.array([49, 50, 51, 0, 0, 97, 98, 99, 1, 88], dtype="B")))
show(oiio.ParamValue("bts", "uint8[10]", b"123\x00\x00abc\x01X"))
show(oiio.ParamValue("u8unsized", oiio.TypeDesc("uint8[]"), b"1234567890"))
show(oiio.ParamValue("u8fix_n3", oiio.TypeDesc("uint8[2]"), 3,
                     oiio.Interp.CONSTANT, b"abcdef"))
show(oiio.ParamValue("u8var_n2", oiio.TypeDesc("uint8[]"), 2,
                     oiio.Interp.CONSTANT, b"12345678"))
show(oiio.ParamValue("u8_1", "uint8[1]", b"a"))
show(oiio.ParamValue("u8_scalar_bytes", "uint8", b"a"))
show(oiio.ParamValue("u8_scalar_empty", "uint8", b""))
show(oiio.ParamValue("u8_wrong_len", "uint8[3]", b"ab"))
show(oiio.ParamValue("u8_unsized_empty", "uint8[]", b""))
show(oiio.ParamValue("u8_np", "uint8[3]", numpy.array([1, 2, 3], dtype=numpy.uint8)))
v = oiio.ParamValue("bts", "uint8[4]", b"\x00\x7f\x80\xff").value
print("array dtype/shape/list:", v.dtype, v.shape, v.tolist())
