# ImageSpec constructor overloads.
import OpenImageIO as oiio
from _common import dump

dump(oiio.ImageSpec(), "ImageSpec()")
dump(oiio.ImageSpec(oiio.UINT16), "ImageSpec(UINT16)")
dump(oiio.ImageSpec("half"), "ImageSpec('half')")
dump(oiio.ImageSpec(oiio.TypeFloat), "ImageSpec(TypeFloat)")
dump(oiio.ImageSpec(640, 480, 3, oiio.UINT8), "ImageSpec(640, 480, 3, UINT8)")
dump(oiio.ImageSpec(1, 1, 1, "float"), "ImageSpec(1, 1, 1, 'float')")
dump(oiio.ImageSpec(2, 3, 5, "uint16"), "ImageSpec(2, 3, 5, 'uint16')")
dump(oiio.ImageSpec(4, 4, 0, "uint8"), "ImageSpec(4, 4, 0, 'uint8')")
dump(oiio.ImageSpec(0, 0, 0, "uint8"), "ImageSpec(0, 0, 0, 'uint8')")
dump(oiio.ImageSpec(oiio.ROI(0, 640, 0, 480, 0, 1, 0, 3), oiio.FLOAT),
     "ImageSpec(ROI(0,640,0,480,0,1,0,3), FLOAT)")
dump(oiio.ImageSpec(oiio.ROI(10, 20, 30, 50, 2, 4, 1, 3), "half"),
     "ImageSpec(ROI(10,20,30,50,2,4,1,3), 'half')")
# An ROI made with 4 args has chend 10000; only summarise the result.
wide = oiio.ImageSpec(oiio.ROI(0, 8, 0, 8), "uint8")
print("ROI(0,8,0,8) spec: nchannels", wide.nchannels,
      "names", len(wide.channelnames), "first", wide.channelnames[:5],
      "last", wide.channelnames[-1], "alpha", wide.alpha_channel,
      "roi", wide.roi)
src = oiio.ImageSpec(16, 8, 2, "float")
src.attribute("note", "copied")
dup = oiio.ImageSpec(src)
dump(dup, "ImageSpec(other spec)")
