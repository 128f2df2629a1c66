# expect-error
# Looking up a missing key with [] raises KeyError out of the script.
import OpenImageIO as oiio

s = oiio.ImageSpec(4, 4, 3, "uint8")
s.attribute("present", 1)
print("present:", s["present"])
print(s["absent"])
