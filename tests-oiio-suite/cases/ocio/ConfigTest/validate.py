"""Config.validate: every builtin config passes; configs broken one way at a
time fail with the reference's message, in the reference's order of checks;
configs newer than their profile version are refused when read."""

import PyOpenColorIO as OCIO


def check(label, cfg):
    try:
        cfg.validate()
        print(label, "-> ok")
    except Exception as e:
        print(label, "->", type(e).__name__, e)


for name, *_ in OCIO.BuiltinConfigRegistry().getBuiltinConfigs():
    check(name, OCIO.Config.CreateFromBuiltinConfig(name))

BASE = """ocio_profile_version: 2.1
environment: {}
search_path: luts
roles:
  default: raw
  scene_linear: lin
file_rules:
  - !<Rule> {name: Default, colorspace: default}
displays:
  sRGB:
    - !<View> {name: Raw, colorspace: raw}
    - !<View> {name: Film, colorspace: lin, looks: +grade}
looks:
  - !<Look>
    name: grade
    process_space: lin
    transform: !<ExponentTransform> {value: [2, 2, 2, 1]}
colorspaces:
  - !<ColorSpace>
    name: raw
    isdata: true
  - !<ColorSpace>
    name: lin
    to_scene_reference: !<MatrixTransform> {}
"""


def from_text(text):
    return OCIO.Config.CreateFromStream(text)


check("base", from_text(BASE))

# One break at a time, made through the API.
cases = {}

cfg = from_text(BASE)
cfg.setRole("bad_role", "missing")
cases["role to a missing space"] = cfg

cfg = from_text(BASE)
cfg.addDisplayView("sRGB", "Broken", "missing")
cases["view to a missing space"] = cfg

cfg = from_text(BASE)
cfg.addDisplayView("sRGB", "LookMissing", "lin", "nolook")
cases["view with an unknown look"] = cfg

cfg = from_text(BASE)
cfg.addDisplayView("sRGB", "Vt", "", "lin", "", "", "")
cases["view transform view"] = cfg

cfg = from_text(BASE)
cfg.clearDisplays()
cases["no displays"] = cfg

cfg = from_text(BASE)
look = OCIO.Look(name="orphan", processSpace="nowhere")
cfg.addLook(look)
cases["look with a missing process space"] = cfg

cfg = from_text(BASE)
look = OCIO.Look(name="norole", processSpace="")
cfg.addLook(look)
cases["look without a process space"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="refers")
cs.setTransform(OCIO.ColorSpaceTransform(src="lin", dst="ghost"), OCIO.COLORSPACE_DIR_TO_REFERENCE)
cfg.addColorSpace(cs)
cases["transform to a missing space"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="ctx")
cs.setTransform(OCIO.ColorSpaceTransform(src="lin", dst="$UNKNOWN_VAR"), OCIO.COLORSPACE_DIR_TO_REFERENCE)
cfg.addColorSpace(cs)
cases["transform with an unknown variable"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="lutted")
cs.setTransform(OCIO.FileTransform(src="$SHOT/grade.cube"), OCIO.COLORSPACE_DIR_TO_REFERENCE)
cfg.addColorSpace(cs)
cases["file transform with an unresolved path"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="lutted")
cs.setTransform(OCIO.FileTransform(src="grade.cube"), OCIO.COLORSPACE_DIR_TO_REFERENCE)
cfg.addColorSpace(cs)
cfg.setSearchPath("")
cases["file transform without a search path"] = cfg

cfg = from_text(BASE)
cfg.addEnvironmentVar("SHOT", "$SEQ/010")
cases["environment default with a variable"] = cfg

cfg = from_text(BASE)
cfg.addEnvironmentVar("SHOT", "$SHOT")
cases["environment default to itself"] = cfg

cfg = from_text(BASE)
dcs = OCIO.ColorSpace(OCIO.REFERENCE_SPACE_DISPLAY, name="disp")
cfg.addColorSpace(dcs)
cases["display space without view transforms"] = cfg

cfg = from_text(BASE)
cfg.setActiveDisplays("nope")
cases["unknown active display"] = cfg

cfg = from_text(BASE)
cfg.setActiveDisplays("sRGB, nope")
cases["partly unknown active displays"] = cfg

cfg = from_text(BASE)
rules = OCIO.ViewingRules()
rules.insertRule(0, "empty")
cfg.setViewingRules(rules)
cases["viewing rule with nothing"] = cfg

cfg = from_text(BASE)
rules = OCIO.ViewingRules()
rules.insertRule(0, "ghost")
rules.addColorSpace(0, "ghost_space")
cfg.setViewingRules(rules)
cases["viewing rule to a missing space"] = cfg

cfg = from_text(BASE)
rules = cfg.getFileRules()
rules.insertRule(0, "tif", "missing", "*", "tif")
cfg.setFileRules(rules)
cases["file rule to a missing space"] = cfg

cfg = from_text(BASE)
nt = OCIO.NamedTransform(name="grade", forwardTransform=OCIO.MatrixTransform())
cfg.addNamedTransform(nt)
cases["named transform named as a look"] = cfg

cfg = from_text(BASE)
cfg.setMinorVersion(0)
cfg.setDefaultViewTransformName("nothing")
cases["unknown default view transform"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="newer")
cs.setTransform(OCIO.FixedFunctionTransform(OCIO.FIXED_FUNCTION_LIN_TO_PQ), OCIO.COLORSPACE_DIR_TO_REFERENCE)
cfg.addColorSpace(cs)
cfg.setMinorVersion(3)
cases["fixed function newer than the config"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="newer")
cs.setTransform(OCIO.BuiltinTransform("APPLE_LOG_to_ACES2065-1"), OCIO.COLORSPACE_DIR_TO_REFERENCE)
cfg.addColorSpace(cs)
cases["builtin newer than the config"] = cfg

cfg = from_text(BASE)
cs = OCIO.ColorSpace(name="interop", interopID="nothing")
cfg.addColorSpace(cs)
cases["interop id to nothing"] = cfg

for label, cfg in cases.items():
    check(label, cfg)

# Read-time version checks.
V1 = """ocio_profile_version: 1
roles:
  default: raw
displays:
  sRGB:
    - !<View> {name: Raw, colorspace: raw}
colorspaces:
  - !<ColorSpace>
    name: raw
    to_reference: %s
"""
for tr in ["!<LogAffineTransform> {}", "!<RangeTransform> {min_in_value: 0, min_out_value: 0}",
           "!<ExponentTransform> {value: [2, 2, 2, 1], style: mirror}", "!<MatrixTransform> {}",
           "!<GroupTransform> {children: [!<FixedFunctionTransform> {style: ACES_RedMod03}]}"]:
    try:
        cfg = OCIO.Config.CreateFromStream(V1 % tr)
        print("v1", tr, "-> read")
        check("   validate", cfg)
    except Exception as e:
        print("v1", tr, "->", type(e).__name__, e)
