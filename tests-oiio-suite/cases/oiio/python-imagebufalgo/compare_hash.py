# computePixelHashSHA1: pixel types, extrainfo, blocksize (parallel
# blocks), full-width ROIs, volumes and offset data windows.
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageSpec, ImageBufAlgo as IBA, ROI
from _iba import TYPES, ramp

for t in TYPES + ["uint", "double", "int16"]:
    A = ramp(17, 23, 3, t, seed=61)
    print(t, IBA.computePixelHashSHA1(A), IBA.computePixelHashSHA1(A, "extra"),
          IBA.computePixelHashSHA1(A, blocksize=4), IBA.computePixelHashSHA1(A, "x", blocksize=5, nthreads=1),
          IBA.computePixelHashSHA1(A, blocksize=23), IBA.computePixelHashSHA1(A, blocksize=22),
          IBA.computePixelHashSHA1(A, roi=ROI(0, 17, 3, 9)), IBA.computePixelHashSHA1(A, "", ROI(0, 17, 2, 20), 3),
          IBA.computePixelHashSHA1(A, roi=ROI(2, 9, 3, 9)))
B = ramp(8, 9, 4, "half", x=-3, y=5, seed=62)
print("offset", IBA.computePixelHashSHA1(B), IBA.computePixelHashSHA1(B, blocksize=2),
      IBA.computePixelHashSHA1(B, roi=ROI(-3, 5, 6, 10), blocksize=3))
spec = ImageSpec(5, 4, 2, "float")
spec.depth = 3
V = ImageBuf(spec)
V.set_pixels(ROI(0, 5, 0, 4, 0, 3, 0, 2), np.arange(120, dtype=np.float32).reshape(3, 4, 5, 2))
print("volume", IBA.computePixelHashSHA1(V), IBA.computePixelHashSHA1(V, "v", blocksize=2),
      IBA.computePixelHashSHA1(V, roi=ROI(0, 5, 1, 3, 1, 3)))
big = ImageBuf(ImageSpec(1500, 1500, 3, "float"))
big.set_pixels(ROI(), (np.arange(1500 * 1500 * 3) % 1013).astype(np.float32).reshape(1500, 1500, 3))
print("big", IBA.computePixelHashSHA1(big), IBA.computePixelHashSHA1(big, blocksize=256))
