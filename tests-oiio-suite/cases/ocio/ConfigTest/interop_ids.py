"""Config.generateLocalIDForColorSpace and findColorSpaceForID: ID token
sanitising (case, mapped and refused characters, non-ASCII), aliases
preferred when the name needs sanitising, namespaces, the local form,
reserved ACES config names, errors."""

import PyOpenColorIO as OCIO

cfg = OCIO.Config.CreateRaw()
cfg.setName("Studio <Main>, v1; 'x' \\ é")
for name, aliases in [("sRGB Encoded,Space", ["My Alias", "srgb_ok"]), ("Lin{AP1}", []), ("plain", ["p2"]),
                      ("Ünïcode space", ["ascii-alias"]), ("tabs\tand:colons", [])]:
    cfg.addColorSpace(OCIO.ColorSpace(name=name, aliases=aliases))

for src in ["sRGB Encoded,Space", "srgb_ok", "Lin{AP1}", "plain", "p2", "Ünïcode space", "tabs\tand:colons", "raw",
            "nope", ""]:
    try:
        local = cfg.generateLocalIDForColorSpace(src)
        found = cfg.findColorSpaceForID(local)
        print(repr(src), "->", repr(local), "->", found.getName() if found else None)
    except Exception as e:
        print(repr(src), "->", type(e).__name__, e)

for id_ in ["plain", "ns:plain", "a:b:plain", "local:plain", "other:local:plain", "studio_(main).:local:lin(ap1)",
            "studio_(main).:local:p2:extra", "", "raw"]:
    cs = cfg.findColorSpaceForID(id_)
    print("find", repr(id_), cs.getName() if cs else None)

for name in ["", "cg-config-v4.0.0_aces-v2.0_ocio-v2.5", "studio-config-v2.1.0_aces-v1.3_ocio-v2.3",
             "CG-Config-v5.0.0_aces-v2.1_ocio-v2.6"]:
    c = OCIO.Config.CreateRaw()
    c.setName(name)
    try:
        print("config", repr(name), c.generateLocalIDForColorSpace("raw"))
    except Exception as e:
        print("config", repr(name), type(e).__name__, e)
