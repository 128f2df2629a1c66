# ImageBuf._repr_png_ (Jupyter display): PNG bytes whose decoded pixels and
# spec match; float/half images become 8-bit, uint16 stays 16-bit; images
# PNG cannot hold raise TypeError.
import numpy as np
import OpenImageIO as oiio

rng = np.random.default_rng(5)
for dt, scale in (("float32", 1), ("float16", 1), ("uint8", 255), ("uint16", 65535)):
    for nch in (1, 2, 3, 4):
        a = (rng.random((5, 7, nch)) * scale).astype(dt)
        png = oiio.ImageBuf(a)._repr_png_()
        print(dt, nch, type(png).__name__, png[:8])
        with open("repr_%s_%d.png" % (dt, nch), "wb") as f:
            f.write(png)
        back = oiio.ImageBuf("repr_%s_%d.png" % (dt, nch))
        print("   decoded:", back.spec().format, back.nchannels, back.spec().width, back.spec().height)
for label, buf in (("empty", oiio.ImageBuf()), ("5 channels", oiio.ImageBuf(oiio.ImageSpec(3, 2, 5, "float")))):
    try:
        buf._repr_png_()
        print(label, "-> bytes")
    except TypeError:
        print(label, "-> TypeError")
