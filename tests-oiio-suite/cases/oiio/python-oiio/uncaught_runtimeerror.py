# expect-error
# An int too large for the C++ int attribute escapes as RuntimeError.
import OpenImageIO as oiio

oiio.attribute("threads", 2)
print("threads:", oiio.get_int_attribute("threads"))
oiio.attribute("threads", 2**40)
