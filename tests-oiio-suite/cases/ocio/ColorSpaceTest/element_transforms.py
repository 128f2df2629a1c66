"""Transforms held by config elements: setTransform stores a copy of its
argument, getTransform hands out the stored transform itself (editing it,
or a group's children, edits the element), deepcopy copies it, setting a
new one detaches the old; NamedTransform.GetTransform shares a stored
transform and derives a new inverted one otherwise."""

import copy

import PyOpenColorIO as OCIO


def check(label, obj, get, setter):
    m = OCIO.MatrixTransform()
    setter(obj, m)
    t = get(obj)
    print(label, t is m, type(t).__name__)
    m.setOffset([9, 9, 9, 9])
    print("  argument edited", get(obj).getOffset())
    t.setOffset([1, 2, 3, 4])
    print("  handed out edited", get(obj).getOffset())
    d = copy.deepcopy(obj)
    print("  deepcopy", get(d).getOffset(), get(d) is t)
    t.setOffset([5, 5, 5, 5])
    print("  deepcopy independent", get(d).getOffset(), "5, 5, 5, 5" in repr(obj))
    g = OCIO.GroupTransform()
    g.appendTransform(OCIO.MatrixTransform())
    setter(obj, g)
    gg = get(obj)
    gg[0].setOffset([7, 7, 7, 7])
    gg.appendTransform(OCIO.RangeTransform())
    print("  group edited", get(obj)[0].getOffset(), len(get(obj)))
    print("  old one after set", t.getOffset())
    setter(obj, None)
    print("  none", get(obj))


check("ColorSpace", OCIO.ColorSpace(),
      lambda o: o.getTransform(OCIO.COLORSPACE_DIR_TO_REFERENCE),
      lambda o, t: o.setTransform(t, OCIO.COLORSPACE_DIR_TO_REFERENCE))
check("ViewTransform", OCIO.ViewTransform(),
      lambda o: o.getTransform(OCIO.VIEWTRANSFORM_DIR_FROM_REFERENCE),
      lambda o, t: o.setTransform(t, OCIO.VIEWTRANSFORM_DIR_FROM_REFERENCE))
check("NamedTransform", OCIO.NamedTransform(),
      lambda o: o.getTransform(OCIO.TRANSFORM_DIR_INVERSE),
      lambda o, t: o.setTransform(t, OCIO.TRANSFORM_DIR_INVERSE))

nt = OCIO.NamedTransform(forwardTransform=OCIO.MatrixTransform())
OCIO.NamedTransform.GetTransform(nt, OCIO.TRANSFORM_DIR_FORWARD).setOffset([3, 3, 3, 3])
print("GetTransform stored", nt.getTransform(OCIO.TRANSFORM_DIR_FORWARD).getOffset())
inv = OCIO.NamedTransform.GetTransform(nt, OCIO.TRANSFORM_DIR_INVERSE)
inv.setOffset([4, 4, 4, 4])
print("GetTransform derived", nt.getTransform(OCIO.TRANSFORM_DIR_FORWARD).getOffset(),
      nt.getTransform(OCIO.TRANSFORM_DIR_INVERSE), inv.getDirection())

look = OCIO.Look(transform=OCIO.MatrixTransform())
look.getTransform().setOffset([6, 6, 6, 6])
print("Look", look.getTransform().getOffset(), repr(look).count("6, 6, 6, 6"))

cs = OCIO.ColorSpace(name="x", toReference=OCIO.MatrixTransform())
cs.getTransform(OCIO.COLORSPACE_DIR_TO_REFERENCE).setOffset([8, 8, 8, 8])
cfg = OCIO.Config.CreateRaw()
cfg.addColorSpace(cs)
print("added to a config", cfg.getColorSpace("x").getTransform(OCIO.COLORSPACE_DIR_TO_REFERENCE).getOffset())
s = OCIO.ColorSpaceSet()
s.addColorSpace(cs)
print("added to a set", s.getColorSpace("x").getTransform(OCIO.COLORSPACE_DIR_TO_REFERENCE).getOffset())
