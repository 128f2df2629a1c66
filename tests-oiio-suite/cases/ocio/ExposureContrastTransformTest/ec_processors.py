"""ExposureContrastTransform processors in each style and direction (with
and without contrast, custom pivot and log parameters), and dynamic
properties: which processors are dynamic, reading and setting exposure,
contrast and gamma on a Processor and on CPU processors (each instance has
its own values), errors for missing properties and wrong accessors."""

import PyOpenColorIO as OCIO

cfg = OCIO.Config.CreateRaw()
pixels = [0.18, 0.5, 1.0, 0.02, 0.3, 2.5, -0.1, 0.7, 0.05, 0.0, 1e-4, 8.0]


def rgb(cpu):
    return [repr(v) for v in cpu.applyRGB(list(pixels))]


for style in (OCIO.EXPOSURE_CONTRAST_LINEAR, OCIO.EXPOSURE_CONTRAST_VIDEO, OCIO.EXPOSURE_CONTRAST_LOGARITHMIC):
    for params in [dict(exposure=1.5), dict(exposure=-0.7, contrast=1.3), dict(contrast=0.8, gamma=1.2, pivot=0.3),
                   dict(exposure=0.5, contrast=1.1, logExposureStep=0.1, logMidGray=0.5)]:
        t = OCIO.ExposureContrastTransform(style=style, **params)
        for d in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
            p = cfg.getProcessor(t, d)
            print(style.name, params, d.name, p.isNoOp(), p.isDynamic())
            print("   ", [str(x) for x in p.createGroupTransform()])
            print("    rgb", rgb(p.getDefaultCPUProcessor()))

print("identity noop", cfg.getProcessor(OCIO.ExposureContrastTransform()).isNoOp())
t = OCIO.ExposureContrastTransform(exposure=0.5, contrast=1.2, dynamicExposure=True)
t.makeGammaDynamic()
p = cfg.getProcessor(t)
print("dynamic", p.isNoOp(), p.isDynamic(), [p.hasDynamicProperty(k) for k in
      (OCIO.DYNAMIC_PROPERTY_EXPOSURE, OCIO.DYNAMIC_PROPERTY_CONTRAST, OCIO.DYNAMIC_PROPERTY_GAMMA)])
cpu1 = p.getDefaultCPUProcessor()
cpu2 = p.getDefaultCPUProcessor()
print("cpu", cpu1.isDynamic(), cpu1.hasDynamicProperty(OCIO.DYNAMIC_PROPERTY_EXPOSURE), rgb(cpu1))
e1 = cpu1.getDynamicProperty(OCIO.DYNAMIC_PROPERTY_EXPOSURE)
print("type", e1.getType(), e1.getDouble())
e1.setDouble(2.0)
print("cpu1 after", rgb(cpu1))
print("cpu2 unchanged", rgb(cpu2))
g2 = cpu2.getDynamicProperty(OCIO.DYNAMIC_PROPERTY_GAMMA)
g2.setDouble(1.5)
print("cpu2 gamma", rgb(cpu2))
pe = p.getDynamicProperty(OCIO.DYNAMIC_PROPERTY_EXPOSURE)
pe.setDouble(-1.0)
print("processor value", pe.getDouble(), "cpu1 still", cpu1.getDynamicProperty(OCIO.DYNAMIC_PROPERTY_EXPOSURE).getDouble())
print("new cpu", rgb(p.getDefaultCPUProcessor()))
for f in (lambda: p.getDynamicProperty(OCIO.DYNAMIC_PROPERTY_CONTRAST), lambda: pe.getGradingPrimary(),
          lambda: pe.getGradingTone(), lambda: pe.getGradingRGBCurve(), lambda: pe.getGradingHueCurve()):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

g = OCIO.GroupTransform([OCIO.ExposureContrastTransform(exposure=1.0, dynamicExposure=True),
                         OCIO.MatrixTransform(offset=[0.1, 0.1, 0.1, 0.0]),
                         OCIO.ExposureContrastTransform(exposure=-0.5, dynamicExposure=True)])
p = cfg.getProcessor(g)
cpu = p.getDefaultCPUProcessor()
print("shared before", rgb(cpu))
cpu.getDynamicProperty(OCIO.DYNAMIC_PROPERTY_EXPOSURE).setDouble(0.25)
print("shared after", rgb(cpu))
