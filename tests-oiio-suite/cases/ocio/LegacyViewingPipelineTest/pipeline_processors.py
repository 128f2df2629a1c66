"""LegacyViewingPipeline: the processor it builds (linear and colour-timing
corrections in their roles' spaces, the view's looks or an override, a
channel view, the display/view transform, a display correction; data
bypass), printed as ops and pixels, and its printed form."""

import PyOpenColorIO as OCIO

PROFILE = """ocio_profile_version: 2.1
roles:
  default: raw
  scene_linear: lin
  color_timing: logc
displays:
  sRGB:
    - !<View> {name: Film, view_transform: tone, display_colorspace: srgb, looks: +warm}
    - !<View> {name: Raw, colorspace: raw}
looks:
  - !<Look>
    name: warm
    process_space: logc
    transform: !<CDLTransform> {slope: [1.1, 1, 0.9], power: [1.02, 1, 1]}
  - !<Look>
    name: cool
    process_space: lin
    transform: !<MatrixTransform> {matrix: [0.9, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1.1, 0, 0, 0, 0, 1]}
view_transforms:
  - !<ViewTransform>
    name: tone
    from_scene_reference: !<ExponentTransform> {value: [0.9, 0.9, 0.9, 1]}
colorspaces:
  - !<ColorSpace>
    name: raw
    isdata: true
  - !<ColorSpace>
    name: lin
  - !<ColorSpace>
    name: plate
    to_scene_reference: !<MatrixTransform> {matrix: [1.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.9, 0, 0, 0, 0, 1]}
  - !<ColorSpace>
    name: logc
    from_scene_reference: !<LogAffineTransform> {base: 2, log_side_slope: 0.1, log_side_offset: 0.6, lin_side_offset: 0.01}
display_colorspaces:
  - !<ColorSpace>
    name: srgb
    from_display_reference: !<ExponentWithLinearTransform> {gamma: 2.4, offset: 0.055, direction: inverse}
"""

cfg = OCIO.Config.CreateFromStream(PROFILE)
pixels = [0.18, 0.5, 1.0, 0.02, 0.3, 2.5, 0.0, 0.7, 0.05]


def show(label, pipeline, direction=None):
    try:
        proc = pipeline.getProcessor(cfg)
    except Exception as e:
        print(label, "->", type(e).__name__, e)
        return
    print(label, "->", [str(t) for t in proc.createGroupTransform()])
    print("    rgb", [repr(v) for v in proc.getDefaultCPUProcessor().applyRGB(list(pixels))])


p = OCIO.LegacyViewingPipeline()
show("empty", p)
p.setDisplayViewTransform(OCIO.DisplayViewTransform(src="plate", display="sRGB", view="Film"))
show("display view", p)
p.setLinearCC(OCIO.ExposureContrastTransform(exposure=0.5))
show("linear cc", p)
p.setColorTimingCC(OCIO.CDLTransform(slope=[1.0, 1.05, 1.1], power=[1.0, 1.0, 1.03]))
show("colour timing cc", p)
p.setChannelView(OCIO.MatrixTransform([0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]))
show("channel view", p)
p.setDisplayCC(OCIO.RangeTransform(minInValue=0.0, maxInValue=1.0, minOutValue=0.0, maxOutValue=1.0))
show("display cc", p)
p.setLooksOverrideEnabled(True)
p.setLooksOverride("cool")
show("looks override", p)
print(repr(p))
p.setLooksOverrideEnabled(False)
p.setChannelView(OCIO.MatrixTransform([1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
show("alpha channel view", p)
p.setDisplayViewTransform(OCIO.DisplayViewTransform(src="raw", display="sRGB", view="Film"))
show("data source", p)
dv = OCIO.DisplayViewTransform(src="plate", display="sRGB", view="Film", looksBypass=True,
                               direction=OCIO.TRANSFORM_DIR_INVERSE)
p = OCIO.LegacyViewingPipeline()
p.setDisplayViewTransform(dv)
show("inverse, looks bypassed", p)
print(repr(p), p.getDisplayViewTransform().getLooksBypass())
