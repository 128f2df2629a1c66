"""What a pipeline asks a config: colour spaces (by name, alias, role),
roles, displays and views in active order, defaults, looks, view and named
transforms, inactive spaces."""

import PyOpenColorIO as OCIO

for name in ["cg-config-v5.0.0_aces-v2.1_ocio-v2.6", "studio-config-v2.2.0_aces-v1.3_ocio-v2.4"]:
    cfg = OCIO.Config.CreateFromBuiltinConfig(name)
    print("==", name, cfg.getMajorVersion(), cfg.getMinorVersion(), repr(cfg.getName()))
    print("roles", list(cfg.getRoles()))
    print("active names", list(cfg.getColorSpaceNames()))
    print("all scene", list(cfg.getColorSpaceNames(OCIO.SEARCH_REFERENCE_SPACE_SCENE, OCIO.COLORSPACE_ALL)))
    print("inactive display", list(cfg.getColorSpaceNames(OCIO.SEARCH_REFERENCE_SPACE_DISPLAY,
                                                           OCIO.COLORSPACE_INACTIVE)))
    for key in ["scene_linear", "aces2065_1", "ACEScg", "acescg", "nope", ""]:
        cs = cfg.getColorSpace(key)
        print("lookup", repr(key), cs.getName() if cs else None, repr(cfg.getCanonicalName(key)))
    print("inactive", repr(cfg.getInactiveColorSpaces()))
    print("default display", cfg.getDefaultDisplay())
    for d in cfg.getDisplays():
        views = list(cfg.getViews(d))
        print("display", d, views, cfg.getDefaultView(d))
        for v in views:
            print("   ", v, repr(cfg.getDisplayViewColorSpaceName(d, v)), repr(cfg.getDisplayViewTransformName(d, v)),
                  repr(cfg.getDisplayViewLooks(d, v)), repr(cfg.getDisplayViewRule(d, v)))
    print("looks", list(cfg.getLookNames()))
    print("view transforms", list(cfg.getViewTransformNames()), cfg.getDefaultViewTransformName())
    print("named transforms", list(cfg.getNamedTransformNames()))
    print("search", repr(cfg.getSearchPath()), cfg.isStrictParsingEnabled(), cfg.getDefaultLumaCoefs())
    cs = cfg.getColorSpace("ACEScg")
    print(repr(cs))
