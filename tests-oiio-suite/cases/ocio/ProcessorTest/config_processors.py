"""Config.getProcessor between colour spaces and named transforms: names,
aliases and roles, context variables, data bypass, equality groups, the
default view transform between scene and display references, both
directions; the ops built (createGroupTransform) and the pixels they give."""

import PyOpenColorIO as OCIO

PROFILE = """ocio_profile_version: 2.1
environment: {CS: lin2}
roles:
  default: raw
  scene_linear: lin
  compositing_log: logc
displays:
  sRGB:
    - !<View> {name: Raw, colorspace: raw}
view_transforms:
  - !<ViewTransform>
    name: tonemap
    from_scene_reference: !<MatrixTransform> {matrix: [0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 1]}
colorspaces:
  - !<ColorSpace>
    name: raw
    isdata: true
  - !<ColorSpace>
    name: lin
    aliases: [linear]
    equalitygroup: base
  - !<ColorSpace>
    name: lin_copy
    equalitygroup: base
    to_scene_reference: !<MatrixTransform> {offset: [1, 1, 1, 0]}
  - !<ColorSpace>
    name: lin2
    to_scene_reference: !<MatrixTransform> {matrix: [2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1], offset: [0.1, 0.2, 0.3, 0]}
  - !<ColorSpace>
    name: logc
    from_scene_reference: !<GroupTransform>
      children:
        - !<RangeTransform> {min_in_value: 0, max_in_value: 2, min_out_value: 0.25, max_out_value: 0.75}
        - !<MatrixTransform> {offset: [0.01, 0.02, 0.03, 0]}
  - !<ColorSpace>
    name: clamped
    to_scene_reference: !<RangeTransform> {min_in_value: 0.1, min_out_value: 0.1}
  - !<ColorSpace>
    name: noclamp
    to_scene_reference: !<RangeTransform> {min_in_value: 0, max_in_value: 1, min_out_value: -1, max_out_value: 3, style: noClamp}
  - !<ColorSpace>
    name: via_cst
    to_scene_reference: !<ColorSpaceTransform> {src: lin2, dst: lin}
  - !<ColorSpace>
    name: ctx
    to_scene_reference: !<ColorSpaceTransform> {src: $CS, dst: lin}
display_colorspaces:
  - !<ColorSpace>
    name: disp
    from_display_reference: !<MatrixTransform> {offset: [0, 0, 0.5, 0]}
named_transforms:
  - !<NamedTransform>
    name: nt_fwd
    aliases: [ntf]
    transform: !<MatrixTransform> {offset: [0.5, 0, 0, 0]}
  - !<NamedTransform>
    name: nt_inv
    inverse_transform: !<RangeTransform> {min_in_value: 0, max_in_value: 1, min_out_value: 0, max_out_value: 0.5}
"""

cfg = OCIO.Config.CreateFromStream(PROFILE)
pixels = [0.0, 0.5, 1.0, -0.25, 0.25, 2.0, 0.75, 0.125, 0.375]


def show(label, make):
    try:
        proc = make()
    except Exception as e:
        print(label, "->", type(e).__name__, e)
        return
    group = proc.createGroupTransform()
    print(label, "->", len(group), "ops, noop", proc.isNoOp(), "crosstalk", proc.hasChannelCrosstalk())
    for t in group:
        print("   ", t)
    out = proc.getDefaultCPUProcessor().applyRGB(list(pixels))
    print("    rgb", [round(v, 6) for v in out])


pairs = [
    ("lin", "lin2"), ("lin2", "lin"), ("linear", "lin2"), ("scene_linear", "compositing_log"),
    ("lin", "lin_copy"), ("raw", "lin2"), ("lin2", "raw"), ("lin2", "logc"), ("logc", "lin2"),
    ("clamped", "lin"), ("lin", "clamped"), ("noclamp", "lin"), ("lin", "noclamp"),
    ("via_cst", "lin"), ("ctx", "lin"), ("lin2", "disp"), ("disp", "lin2"),
    ("nt_fwd", "lin"), ("lin", "ntf"), ("nt_fwd", "nt_inv"), ("lin", "nt_inv"),
    ("lin", "missing"), ("missing", "lin"),
]
for src, dst in pairs:
    show(f"{src} -> {dst}", lambda: cfg.getProcessor(src, dst))

show("colour space objects", lambda: cfg.getProcessor(cfg.getColorSpace("lin2"), cfg.getColorSpace("logc")))
show("keywords", lambda: cfg.getProcessor(srcColorSpaceName="lin2", dstColorSpaceName="logc"))

ctx = cfg.getCurrentContext()
ctx["CS"] = "logc"
show("context override", lambda: cfg.getProcessor(ctx, "ctx", "lin"))

show("named transform forward", lambda: cfg.getProcessor("nt_fwd", OCIO.TRANSFORM_DIR_FORWARD))
show("named transform inverse", lambda: cfg.getProcessor("nt_fwd", OCIO.TRANSFORM_DIR_INVERSE))
show("named transform object", lambda: cfg.getProcessor(cfg.getNamedTransform("nt_inv"), OCIO.TRANSFORM_DIR_FORWARD))

cst = OCIO.ColorSpaceTransform(src="lin2", dst="logc")
show("transform", lambda: cfg.getProcessor(cst))
show("transform inverse", lambda: cfg.getProcessor(cst, OCIO.TRANSFORM_DIR_INVERSE))
cst.setDataBypass(False)
cst.setSrc("raw")
show("no data bypass", lambda: cfg.getProcessor(cst))

# The processor cache: the same request gives the same object until the
# config changes, the cache is cleared or turned off.
a = cfg.getProcessor("lin", "lin2")
print("cached", a is cfg.getProcessor("lin", "lin2"), a is cfg.getProcessor("lin2", "lin"))
cfg.clearProcessorCache()
b = cfg.getProcessor("lin", "lin2")
print("after clear", a is b, b is cfg.getProcessor("lin", "lin2"))
cfg.setRole("extra", "lin")
print("after edit", b is cfg.getProcessor("lin", "lin2"))
c = cfg.getProcessor("lin", "lin2")
cfg.setProcessorCacheFlags(OCIO.PROCESSOR_CACHE_OFF)
print("cache off", c is cfg.getProcessor("lin", "lin2"))
cfg.setProcessorCacheFlags(OCIO.PROCESSOR_CACHE_DEFAULT)
print("cache back", c is cfg.getProcessor("lin", "lin2"))
