# getchannel is declared as getchannel(x, y, z, c, wrap=WrapMode 'black'),
# but the reference binding cannot convert its own default nor any value for
# the wrap argument, so every call fails with a binding-level TypeError.
import numpy as np
import OpenImageIO as oiio
from _common import probe

b = oiio.ImageBuf(np.array([[[0.5, 0.25]]], dtype=np.float32))
probe("getchannel(0, 0, 0, 0)", lambda: b.getchannel(0, 0, 0, 0))
probe("getchannel(0, 0, 0, 1)", lambda: b.getchannel(0, 0, 0, 1))
probe("getchannel(x=0, y=0, z=0, c=0)", lambda: b.getchannel(x=0, y=0, z=0, c=0))
probe("getchannel(0, 0, 0, 0, 'black')", lambda: b.getchannel(0, 0, 0, 0, "black"))
probe("getchannel(0, 0, 0, 0, 'clamp')", lambda: b.getchannel(0, 0, 0, 0, "clamp"))
probe("getchannel(0, 0, 0, 0, 0)", lambda: b.getchannel(0, 0, 0, 0, 0))
probe("getchannel(0, 0, 0, 0, None)", lambda: b.getchannel(0, 0, 0, 0, None))
for name in ["Default", "Black", "Clamp", "Periodic", "Mirror"]:
    probe("getchannel(0, 0, 0, 0, oiio.Wrap.%s)" % name,
          lambda name=name: b.getchannel(0, 0, 0, 0, getattr(oiio.Wrap, name)))
probe("getchannel(0, 0, 0, 0, wrap=oiio.Wrap.Black)",
      lambda: b.getchannel(0, 0, 0, 0, wrap=oiio.Wrap.Black))
probe("getchannel(0, 0)", lambda: b.getchannel(0, 0))
probe("getchannel on an empty buffer", lambda: oiio.ImageBuf().getchannel(0, 0, 0, 0))
print("has_error:", b.has_error)
