# get_roi / set_roi / get_roi_full / set_roi_full on an ImageSpec, and the
# ImageSpec.roi / roi_full properties.
import OpenImageIO as oiio

spec = oiio.ImageSpec(640, 480, 3, oiio.UINT8)
print("get_roi:", oiio.get_roi(spec))
print("get_roi_full:", oiio.get_roi_full(spec))
oiio.set_roi(spec, oiio.ROI(3, 5, 7, 9))
oiio.set_roi_full(spec, oiio.ROI(13, 15, 17, 19))
print("after set, roi:", oiio.get_roi(spec))
print("after set, roi_full:", oiio.get_roi_full(spec))
print("fields:", spec.x, spec.y, spec.z, spec.width, spec.height, spec.depth,
      "full:", spec.full_x, spec.full_y, spec.full_z, spec.full_width,
      spec.full_height, spec.full_depth, "nchannels:", spec.nchannels)
oiio.set_roi(spec, oiio.ROI(0, 8, 0, 8, 2, 6, 0, 1))
print("3D roi:", oiio.get_roi(spec), "nchannels still", spec.nchannels)
print("property roi:", spec.roi, "| roi_full:", spec.roi_full)
spec.roi = oiio.ROI(1, 2, 3, 4)
spec.roi_full = oiio.ROI(-5, 10, -5, 20, 0, 1, 0, 2)
print("after property set:", spec.roi, "|", spec.roi_full)
print("set_roi returns:", oiio.set_roi(spec, oiio.ROI(0, 1, 0, 1)))
empty = oiio.ImageSpec()
print("empty spec roi:", oiio.get_roi(empty), "|", oiio.get_roi_full(empty))
oiio.set_roi(empty, oiio.ROI())
print("after set_roi(ROI()):", oiio.get_roi(empty), empty.width, empty.x)
