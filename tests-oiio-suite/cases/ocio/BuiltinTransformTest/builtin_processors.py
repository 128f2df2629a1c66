"""Processors of the builtin transforms this engine builds (camera log
curves and gamuts, ACES spaces, display encodings, in both directions):
the ops each style stands for and the pixels they give; and those styles
reached through a builtin config's colour spaces."""

import PyOpenColorIO as OCIO

STYLES = [
    "IDENTITY",
    "UTILITY - ACES-AP0_to_CIE-XYZ-D65_BFD",
    "UTILITY - ACES-AP1_to_CIE-XYZ-D65_BFD",
    "UTILITY - ACES-AP1_to_LINEAR-REC709_BFD",
    "CURVE - ACEScct-LOG_to_LINEAR",
    "ACEScct_to_ACES2065-1",
    "ACEScg_to_ACES2065-1",
    "ACESproxy10i_to_ACES2065-1",
    "ARRI_ALEXA-LOGC-EI800-AWG_to_ACES2065-1",
    "ARRI_LOGC4_to_ACES2065-1",
    "SONY_SLOG3-SGAMUT3_to_ACES2065-1",
    "SONY_SLOG3-SGAMUT3.CINE_to_ACES2065-1",
    "SONY_SLOG3-SGAMUT3-VENICE_to_ACES2065-1",
    "SONY_SLOG3-SGAMUT3.CINE-VENICE_to_ACES2065-1",
    "PANASONIC_VLOG-VGAMUT_to_ACES2065-1",
    "RED_REDLOGFILM-RWG_to_ACES2065-1",
    "RED_LOG3G10-RWG_to_ACES2065-1",
    "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709",
    "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.709 - MIRROR NEGS",
    "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020",
    "DISPLAY - CIE-XYZ-D65_to_REC.1886-REC.2020 - MIRROR NEGS",
    "DISPLAY - CIE-XYZ-D65_to_G2.2-REC.709",
    "DISPLAY - CIE-XYZ-D65_to_G2.2-REC.709 - MIRROR NEGS",
    "DISPLAY - CIE-XYZ-D65_to_sRGB",
    "DISPLAY - CIE-XYZ-D65_to_sRGB - MIRROR NEGS",
    "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-DCI-BFD",
    "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-D65",
    "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-D65 - MIRROR NEGS",
    "DISPLAY - CIE-XYZ-D65_to_G2.6-P3-D60-BFD",
    "DISPLAY - CIE-XYZ-D65_to_DCDM-D65",
    "DISPLAY - CIE-XYZ-D65_to_DisplayP3",
    "DISPLAY - CIE-XYZ-D65_to_DisplayP3-HDR",
]

cfg = OCIO.Config.CreateRaw()
pixels = [0.18, 0.5, 1.0, 0.02, 0.3, 2.5, -0.1, 0.7, 0.05, 0.0, 0.0, 0.0]

for style in STYLES:
    for d in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
        proc = cfg.getProcessor(OCIO.BuiltinTransform(style), d)
        print(style, d.name)
        for t in proc.createGroupTransform():
            print("   ", t)
        print("    rgb", [repr(v) for v in proc.getDefaultCPUProcessor().applyRGB(list(pixels))])

cg = OCIO.Config.CreateFromBuiltinConfig("cg-config-v5.0.0_aces-v2.1_ocio-v2.6")
for src, dst in [("ACEScg", "ACES2065-1"), ("ACEScct", "ACEScg"), ("ACES2065-1", "CIE XYZ-D65 - Display-referred"),
                 ("ACEScg", "sRGB Encoded Rec.709 (sRGB)"), ("Linear Rec.709 (sRGB)", "ACEScct")]:
    proc = cg.getProcessor(src, dst)
    print(src, "->", dst, len(proc.createGroupTransform()), "ops")
    print("    rgb", [repr(v) for v in proc.getDefaultCPUProcessor().applyRGB(list(pixels))])
