# expect-error
# An uncaught binding-level error: getchannel cannot be called at all in the
# reference (see mem_getchannel), so the script ends with a TypeError.
import OpenImageIO as oiio

b = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
print("before the call")
b.getchannel(0, 0, 0, 0)
print("not reached")
