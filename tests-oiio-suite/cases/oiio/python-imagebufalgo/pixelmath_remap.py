# contrast_remap, saturate, color_map, rangecompress/rangeexpand, normalize,
# fixNonFinite, channel_sum, maxchan/minchan across pixel types and ROIs.
import math
import OpenImageIO as oiio
from OpenImageIO import ImageBuf, ImageBufAlgo as IBA, ImageSpec, ROI
from _iba import TYPES, ramp, both, show

for t in TYPES:
    A = ramp(4, 3, 4, t, x=1, y=-1, seed=11, lo=-0.5, hi=2.5)
    A.specmod().alpha_channel = 3
    both("contrast_remap default %s" % t, IBA.contrast_remap, A)
    both("contrast_remap linear %s" % t, IBA.contrast_remap, A, black=0.1, white=0.9, min=0.2, max=0.8)
    both("contrast_remap sigmoid %s" % t, IBA.contrast_remap, A, scontrast=(5.0, 2.0), sthresh=0.4)
    both("contrast_remap threshold %s" % t, IBA.contrast_remap, A, black=0.5, white=0.5)
    both("saturate %s" % t, IBA.saturate, A, 0.5)
    both("saturate 0 %s" % t, IBA.saturate, A)
    both("saturate alpha %s" % t, IBA.saturate, A, 2.0, 1)
    both("saturate few %s" % t, IBA.saturate, A, 2.0, 0, roi=ROI(1, 3, -1, 1, 0, 1, 0, 2))
    for name in ("magma", "inferno", "plasma", "viridis", "turbo", "blue-red", "redblue", "spectrum", "heat"):
        both("color_map %s %s" % (name, t), IBA.color_map, A, 0, name)
    both("color_map luma %s" % t, IBA.color_map, A, -1, "viridis")
    both("color_map knots %s" % t, IBA.color_map, A, 1, 3, 2, (0.0, 1.0, 0.5, 0.5, 1.0, 0.0))
    both("color_map bad map %s" % t, IBA.color_map, A, 0, "nope")
    both("color_map bad channel %s" % t, IBA.color_map, A, 7, "heat")
    both("color_map few knots %s" % t, IBA.color_map, A, 0, 4, 3, (0.0, 1.0))
    both("rangecompress %s" % t, IBA.rangecompress, A)
    both("rangecompress luma %s" % t, IBA.rangecompress, A, True)
    both("rangeexpand %s" % t, IBA.rangeexpand, IBA.rangecompress(A))
    both("rangeexpand luma %s" % t, IBA.rangeexpand, A, useluma=True)
    both("normalize %s" % t, IBA.normalize, A)
    both("normalize centred %s" % t, IBA.normalize, A, 0.5, 0.5, 0.5)
    both("normalize 3ch %s" % t, IBA.normalize, ramp(2, 2, 3, t, seed=12))
    both("normalize 2ch %s" % t, IBA.normalize, ramp(2, 2, 2, t, seed=13))
    both("channel_sum %s" % t, IBA.channel_sum, A, (0.2126, 0.7152, 0.0722))
    both("channel_sum one weight %s" % t, IBA.channel_sum, A, (0.5,))
    both("channel_sum roi %s" % t, IBA.channel_sum, A, (1.0, 2.0, 3.0, 4.0), roi=ROI(1, 3, -1, 1, 0, 1, 1, 3))
    both("maxchan %s" % t, IBA.maxchan, A)
    both("minchan %s" % t, IBA.minchan, A)
    both("maxchan roi %s" % t, IBA.maxchan, A, roi=ROI(2, 4, 0, 2, 0, 1, 0, 2))

for t in ("half", "float"):
    B = ramp(5, 4, 3, t, seed=14)
    B.setpixel(1, 1, (math.nan, 0.5, math.inf))
    B.setpixel(3, 2, (0.25, -math.inf, 0.75))
    B.setpixel(4, 3, (math.nan, math.nan, math.nan))
    for mode in (oiio.NonFiniteFixMode.NONFINITE_NONE, oiio.NonFiniteFixMode.NONFINITE_BLACK,
                 oiio.NonFiniteFixMode.NONFINITE_BOX3):
        both("fixNonFinite %s %s" % (mode, t), IBA.fixNonFinite, B, mode)
    both("fixNonFinite default %s" % t, IBA.fixNonFinite, B)
    both("fixNonFinite roi %s" % t, IBA.fixNonFinite, B, roi=ROI(0, 2, 0, 2))
both("fixNonFinite uint8", IBA.fixNonFinite, ramp(2, 2, 3, "uint8", seed=15))
