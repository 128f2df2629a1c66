# The ImageBuf Python object itself: type names, repr, equality, hashing,
# copying and pickling support, and attribute assignment.
import copy
import pickle
import OpenImageIO as oiio
from _common import probe

b = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
print("type:", type(b).__name__, type(b).__module__, type(b).__qualname__)
print("repr:", repr(b))
print("str:", str(b))
print("is ImageBuf:", isinstance(b, oiio.ImageBuf), isinstance(oiio.ImageBuf(), oiio.ImageBuf))
print("== itself:", b == b, "| == its copy:", b == b.copy(), "| != its copy:", b != b.copy())
print("hash stable:", hash(b) == hash(b))
print("bool:", bool(b), bool(oiio.ImageBuf()))
probe("copy.copy", lambda: copy.copy(b))
probe("copy.deepcopy", lambda: copy.deepcopy(b))
probe("pickle.dumps", lambda: pickle.dumps(b))
probe("len", lambda: len(b))
probe("b[0]", lambda: b[0])
probe("iter", lambda: iter(b))
probe("b < b", lambda: b < b)
probe("b.foo = 1", lambda: setattr(b, "foo", 1))
probe("del b.nchannels", lambda: delattr(b, "nchannels"))
print("callable members:", all(callable(getattr(b, n)) for n in [
    "clear", "reset", "copy", "copy_pixels", "copy_metadata", "merge_metadata", "swap",
    "spec", "nativespec", "specmod", "get_pixels", "set_pixels", "getpixel", "setpixel",
    "getchannel", "interppixel", "interppixel_NDC", "interppixel_NDC_full",
    "interppixel_bicubic", "interppixel_bicubic_NDC", "pixelindex", "set_origin",
    "set_full", "geterror", "make_writable", "set_write_format", "set_write_tiles",
    "set_thumbnail", "get_thumbnail", "clear_thumbnail"]))
