"""Processor.getFormatMetadata (the group's own metadata) and
getTransformFormatMetadata (each op's transform metadata, in order)."""

import PyOpenColorIO as OCIO

cfg = OCIO.Config.CreateRaw()
m = OCIO.MatrixTransform(offset=[1, 0, 0, 0])
m.getFormatMetadata().setName("first")
m.getFormatMetadata().addChildElement("Description", "d1")
r = OCIO.RangeTransform(minInValue=0, maxInValue=1, minOutValue=0, maxOutValue=2)
r.getFormatMetadata().setID("rid")
e = OCIO.ExponentTransform([2.0, 2.0, 2.0, 1.0])
e.getFormatMetadata().addChildElement("Info", "gamma")
g = OCIO.GroupTransform([m, r, e])
g.getFormatMetadata().setName("grp")
g.getFormatMetadata()["version"] = "3"

for label, make in [("group", lambda: cfg.getProcessor(g)),
                    ("group inverse", lambda: cfg.getProcessor(g, OCIO.TRANSFORM_DIR_INVERSE)),
                    ("matrix", lambda: cfg.getProcessor(m)),
                    ("exponent", lambda: cfg.getProcessor(OCIO.ExponentTransform()))]:
    p = make()
    md = p.getTransformFormatMetadata()
    print(label, p.getFormatMetadata(), len(md), [str(x) for x in md])
