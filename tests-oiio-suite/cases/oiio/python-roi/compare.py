# ROI equality and inequality.
import OpenImageIO as oiio

r = oiio.ROI(0, 640, 0, 480, 0, 1, 0, 4)
r2 = oiio.ROI(r)
r3 = oiio.ROI(r)
r3.xend = 320
print("r == r2:", r == r2)
print("r != r2:", r != r2)
print("r == r3:", r == r3)
print("r != r3:", r != r3)
print("ROI() == ROI():", oiio.ROI() == oiio.ROI())
print("4-arg == 8-arg defaults:",
      oiio.ROI(0, 4, 0, 4) == oiio.ROI(0, 4, 0, 4, 0, 1, 0, 10000))
# Undefined ROIs compare equal only if all fields match.
u = oiio.ROI()
u.chend = 3
print("ROI() vs ROI() with chend changed:", oiio.ROI() == u)
print("r == None:", r == None)
print("r != None:", r != None)
print("r == tuple:", r == (0, 640, 0, 480, 0, 1, 0, 4))
print("r == str(r):", r == str(r))
print("hashable:", isinstance(hash(r), int))
