# Exact halfway cases when get_pixels converts float pixels to uint8 and
# uint16. Every value below becomes exactly k + 0.5 once scaled. The result
# depends on where the value sits in a row of the requested region (runs of
# 4 values at the start of each row, the remainder of the row, single
# channels, regions reaching outside the data window) and on the source type.
import numpy as np
import OpenImageIO as oiio

HALVES = ((np.arange(30) % 8) + 0.5)
print("scaled by 255:", (np.float32(HALVES / 255) * np.float32(255)).tolist())

a = (HALVES / 255).astype(np.float32).reshape(3, 5, 2)
b = oiio.ImageBuf(a)
print("5x3x2 float, all       :", b.get_pixels("uint8").ravel().tolist())
print("rows 1..2              :", b.get_pixels("uint8", oiio.ROI(0, 5, 1, 3)).ravel().tolist())
print("columns 1..4           :", b.get_pixels("uint8", oiio.ROI(1, 5, 0, 3)).ravel().tolist())
print("channel 0 only         :", b.get_pixels("uint8", oiio.ROI(0, 5, 0, 3, 0, 1, 0, 1)).ravel().tolist())
print("channel 1 only         :", b.get_pixels("uint8", oiio.ROI(0, 5, 0, 3, 0, 1, 1, 2)).ravel().tolist())
print("one column outside     :", b.get_pixels("uint8", oiio.ROI(-1, 5, 0, 3)).ravel().tolist())
print("single row of 2 pixels :", b.get_pixels("uint8", oiio.ROI(0, 2, 0, 1)).ravel().tolist())

print("half source            :", oiio.ImageBuf(a.astype(np.float16)).get_pixels("uint8").ravel().tolist())
print("double source          :", oiio.ImageBuf(a.astype(np.float64)).get_pixels("uint8").ravel().tolist())

# Negative halves (clamped to 0 either way) and the same for uint16.
neg = oiio.ImageBuf((-HALVES[:8] / 255).astype(np.float32).reshape(1, 8, 1))
print("negative halves        :", neg.get_pixels("uint8").ravel().tolist())
u16 = (HALVES[:6] / 65535).astype(np.float32)
print("scaled by 65535:", (u16 * np.float32(65535)).tolist())
w = oiio.ImageBuf(u16.reshape(1, 6, 1))
print("uint16, row of 6       :", w.get_pixels("uint16").ravel().tolist())
print("uint16, 6 rows of 1    :", oiio.ImageBuf(u16.reshape(6, 1, 1)).get_pixels("uint16").ravel().tolist())

# Signed targets: halfway values always round away from zero.
s = np.array([(k + 0.5) / 127 for k in range(4)] + [-(k + 0.5) / 127 for k in range(4)],
             dtype=np.float32)
print("scaled by 127:", (s * np.float32(127)).tolist())
print("int8, row of 8         :", oiio.ImageBuf(s.reshape(1, 8, 1)).get_pixels("int8").ravel().tolist())
