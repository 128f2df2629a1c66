"""Display/view and look processors: views showing a colour space, views
through a view transform into a display colour space (also a shared view
using <USE_DISPLAY_NAME>), views through a named transform, looks (forward,
inverse, several, fallback options) with their process spaces, data and
looks bypass, LookTransform; both directions; the ops built and the pixels."""

import PyOpenColorIO as OCIO

PROFILE = """ocio_profile_version: 2.1
roles:
  default: raw
  scene_linear: lin
shared_views:
  - !<View> {name: Tone, view_transform: tonemap, display_colorspace: <USE_DISPLAY_NAME>, looks: +warm}
displays:
  sRGB:
    - !<View> {name: Film, view_transform: tonemap, display_colorspace: srgb_display, looks: "+warm, -cool"}
    - !<View> {name: Log, colorspace: logspace, looks: warm}
    - !<View> {name: Raw, colorspace: raw}
    - !<View> {name: NT, colorspace: nt_view}
    - !<View> {name: VTNT, view_transform: nt_vt, display_colorspace: srgb_display}
    - !<Views> [Tone]
  srgb_display:
    - !<View> {name: Direct, colorspace: lin}
    - !<Views> [Tone]
looks:
  - !<Look>
    name: warm
    process_space: logspace
    transform: !<CDLTransform> {slope: [1.1, 1, 0.9], power: [1.05, 1, 0.95]}
  - !<Look>
    name: cool
    process_space: lin
    inverse_transform: !<MatrixTransform> {matrix: [0.9, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1.1, 0, 0, 0, 0, 1]}
view_transforms:
  - !<ViewTransform>
    name: tonemap
    from_scene_reference: !<GroupTransform>
      children:
        - !<ExponentTransform> {value: [0.8, 0.8, 0.8, 1]}
        - !<MatrixTransform> {matrix: [0.7, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 1]}
colorspaces:
  - !<ColorSpace>
    name: raw
    isdata: true
  - !<ColorSpace>
    name: lin
  - !<ColorSpace>
    name: acescg
    to_scene_reference: !<MatrixTransform> {matrix: [1.2, -0.1, -0.1, 0, -0.05, 1.1, -0.05, 0, 0, -0.1, 1.1, 0, 0, 0, 0, 1]}
  - !<ColorSpace>
    name: logspace
    from_scene_reference: !<LogAffineTransform> {base: 2, log_side_slope: 0.1, log_side_offset: 0.6, lin_side_offset: 0.01}
display_colorspaces:
  - !<ColorSpace>
    name: srgb_display
    from_display_reference: !<ExponentTransform> {value: [2.2, 2.2, 2.2, 1], direction: inverse}
named_transforms:
  - !<NamedTransform>
    name: nt_view
    transform: !<ExponentTransform> {value: [1.5, 1.5, 1.5, 1], style: mirror}
  - !<NamedTransform>
    name: nt_vt
    transform: !<RangeTransform> {min_in_value: 0, max_in_value: 2, min_out_value: 0, max_out_value: 1}
"""

cfg = OCIO.Config.CreateFromStream(PROFILE)
pixels = [0.18, 0.5, 1.0, 0.02, 0.3, 2.5, 0.0, 0.7, 0.05]


def show(label, make):
    try:
        proc = make()
    except Exception as e:
        print(label, "->", type(e).__name__, e)
        return
    group = proc.createGroupTransform()
    print(label, "->", len(group), "ops")
    for t in group:
        print("   ", t)
    print("    rgb", [repr(v) for v in proc.getDefaultCPUProcessor().applyRGB(list(pixels))])


for display in cfg.getDisplays():
    for view in cfg.getViews(display):
        for d in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
            show(f"acescg {display}/{view} {d.name}", lambda: cfg.getProcessor("acescg", display, view, d))

dv = OCIO.DisplayViewTransform(src="acescg", display="sRGB", view="Film", looksBypass=True)
show("looks bypass", lambda: cfg.getProcessor(dv))
dv = OCIO.DisplayViewTransform(src="raw", display="sRGB", view="Film")
show("data source", lambda: cfg.getProcessor(dv))
dv.setDataBypass(False)
show("data source, no bypass", lambda: cfg.getProcessor(dv))
show("unknown display", lambda: cfg.getProcessor("lin", "nope", "Film", OCIO.TRANSFORM_DIR_FORWARD))
show("unknown view", lambda: cfg.getProcessor("lin", "sRGB", "nope", OCIO.TRANSFORM_DIR_FORWARD))
show("unknown source", lambda: cfg.getProcessor("nope", "sRGB", "Film", OCIO.TRANSFORM_DIR_FORWARD))

for looks in ["warm", "-warm", "warm, cool", "+cool, -warm", "missing", "missing | warm", ""]:
    lt = OCIO.LookTransform(src="acescg", dst="lin", looks=looks)
    show(f"looks {looks!r}", lambda: cfg.getProcessor(lt))
    show(f"looks {looks!r} inverse", lambda: cfg.getProcessor(lt, OCIO.TRANSFORM_DIR_INVERSE))
lt = OCIO.LookTransform(src="acescg", dst="lin", looks="warm", skipColorSpaceConversion=True)
show("looks skip conversion", lambda: cfg.getProcessor(lt))

for d, v in [("sRGB", "Film"), ("sRGB", "Tone"), ("srgb_display", "Tone"), ("sRGB", "NT"), ("SRGB", "film")]:
    print("resolved", d, v, repr(cfg.getResolvedDisplayViewColorSpaceName(d, v)),
          repr(cfg.getCanonicalViewName(d, v)), repr(cfg.getCanonicalDisplayName(d)))
