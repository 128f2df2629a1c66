"""FixedFunctionTransform processors this engine renders (ACES red
modifiers 0.3 and 1.0, RGB to HSV, XYZ to xyY, u'v'Y and L*u*v*), both
directions, on pixels around the hue windows, negatives and zeros."""

import PyOpenColorIO as OCIO

cfg = OCIO.Config.CreateRaw()
pixels = [0.18, 0.5, 1.0, 0.9, 0.1, 0.05, 0.8, 0.05, 0.2, 1.5, 0.3, 0.3, 0.0, 0.0, 0.0,
          -0.2, 0.4, 0.6, 0.3, 0.3, 0.3, 0.95, 0.5, 0.02, 2.0, 0.01, 0.5, 0.04, 0.5, 0.1]

for style in (OCIO.FIXED_FUNCTION_ACES_RED_MOD_03, OCIO.FIXED_FUNCTION_ACES_RED_MOD_10,
              OCIO.FIXED_FUNCTION_RGB_TO_HSV, OCIO.FIXED_FUNCTION_XYZ_TO_xyY,
              OCIO.FIXED_FUNCTION_XYZ_TO_uvY, OCIO.FIXED_FUNCTION_XYZ_TO_LUV):
    for d in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
        p = cfg.getProcessor(OCIO.FixedFunctionTransform(style), d)
        print(style.name, d.name, [str(t) for t in p.createGroupTransform()], p.hasChannelCrosstalk())
        print("    rgb", [repr(v) for v in p.getDefaultCPUProcessor().applyRGB(list(pixels))])
