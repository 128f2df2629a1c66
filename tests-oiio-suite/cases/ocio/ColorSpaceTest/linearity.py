"""Config.isColorSpaceLinear on the builtin configs' colour spaces (scene and
display reference types) and its errors."""

import PyOpenColorIO as OCIO

for name in ["cg-config-v5.0.0_aces-v2.1_ocio-v2.6", "studio-config-v2.2.0_aces-v1.3_ocio-v2.4"]:
    cfg = OCIO.Config.CreateFromBuiltinConfig(name)
    print("==", name)
    for cs in cfg.getColorSpaceNames(OCIO.SEARCH_REFERENCE_SPACE_ALL, OCIO.COLORSPACE_ALL):
        row = []
        for ref in (OCIO.REFERENCE_SPACE_SCENE, OCIO.REFERENCE_SPACE_DISPLAY):
            try:
                row.append(cfg.isColorSpaceLinear(cs, ref))
            except Exception as e:
                row.append(type(e).__name__)
        print(cs, row)
    try:
        cfg.isColorSpaceLinear("nope", OCIO.REFERENCE_SPACE_SCENE)
    except Exception as e:
        print(type(e).__name__, e)
