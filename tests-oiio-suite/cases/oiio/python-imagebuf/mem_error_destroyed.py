# An ImageBuf destroyed while an error is still pending makes the reference
# print a notice with the error text on stdout. The notice is written by C++
# code, so to keep the order of lines fixed whatever the stdout buffering,
# all destructions happen at the very end, after a flush, with nothing
# printed by Python afterwards.
import numpy as np
import OpenImageIO as oiio
from _common import flush

# 1: one pending error.
one = oiio.ImageBuf()
one.getpixel(0, 0)

# 2: several errors, joined by newlines.
several = oiio.ImageBuf()
several.getpixel(0, 0)
several.interppixel(0.5, 0.5)

# 3: error looked at with clear=False is still pending.
peeked = oiio.ImageBuf()
peeked.interppixel_bicubic(0.5, 0.5)
print("peeked:", repr(peeked.geterror(clear=False)))

# 4: retrieved error: no notice.
retrieved = oiio.ImageBuf()
retrieved.getpixel(0, 0)
print("retrieved:", repr(retrieved.geterror()))

# 5: constructor error from a numpy array.
from_array = oiio.ImageBuf(np.zeros(5, np.float32))

# 6: set_pixels error text.
bad_set = oiio.ImageBuf(oiio.ImageSpec(2, 1, 1, "float"))
bad_set.set_pixels(oiio.ROI.All, np.zeros(3, np.float32))

# 7: a buffer with no error at all: no notice.
clean = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))

# 8: the pending error moves with swap.
swapped_in = oiio.ImageBuf(oiio.ImageSpec(1, 1, 1, "float"))
carrier = oiio.ImageBuf()
carrier.getpixel(1, 1)
swapped_in.swap(carrier)

print("pending:", one.has_error, several.has_error, peeked.has_error, retrieved.has_error,
      from_array.has_error, bad_set.has_error, clean.has_error, swapped_in.has_error,
      carrier.has_error)
print("destroying in order: one, several, peeked, retrieved, from_array, bad_set, clean,"
      " carrier, swapped_in")
flush()
del one
del several
del peeked
del retrieved
del from_array
del bad_set
del clean
del carrier
del swapped_in
