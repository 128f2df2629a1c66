# str() of ROI; repr() is the default object repr (address normalised).
import OpenImageIO as oiio

print(oiio.ROI())
print(str(oiio.ROI(0, 640, 100, 200)))
print(oiio.ROI(1, 2, 3, 4, 5, 6, 7, 8))
print("f-string: {}".format(oiio.ROI(0, 4, 0, 4)), f"{oiio.ROI(0, 1, 0, 1, 0, 1, 0, 1)}")
print(repr(oiio.ROI(0, 4, 0, 4)))
print("tuple:", (oiio.ROI(0, 1, 0, 1),))
print("list has repr:", [oiio.ROI(0, 1, 0, 1)])
print(type(oiio.ROI()).__name__, type(oiio.ROI()).__module__)
