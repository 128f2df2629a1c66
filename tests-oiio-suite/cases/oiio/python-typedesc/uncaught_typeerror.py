# expect-error
# A float is not accepted by any TypeDesc constructor.
import OpenImageIO as oiio

print("fine:", oiio.TypeDesc("float"))
oiio.TypeDesc(1.5)
