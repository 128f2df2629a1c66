"""Processors of the power, log and CDL families (ExponentTransform with each
negative style, ExponentWithLinearTransform, LogTransform, LogAffineTransform,
LogCameraTransform with and without a linear slope, CDLTransform clamping
or not, with a power other than 1), both directions: the
ops they build and the pixels the default CPU processor gives, printed in
full: OCIO's fast pow/log/exp approximations are reproduced bit for bit."""

import PyOpenColorIO as OCIO

cfg = OCIO.Config.CreateRaw()
pixels = [0.0, 0.18, 1.0, -0.25, 0.5, 4.0, 1e-4, 0.75, 16.0, float("nan"), -1.0, 2.5]
rgba = [0.18, 0.5, 1.0, 0.5, -0.5, 2.0, 0.01, 1.0]


def fmt(v):
    return repr(v)


def show(label, t):
    for direction in (OCIO.TRANSFORM_DIR_FORWARD, OCIO.TRANSFORM_DIR_INVERSE):
        try:
            proc = cfg.getProcessor(t, direction)
        except Exception as e:
            print(label, direction.name, "->", type(e).__name__, e)
            continue
        group = proc.createGroupTransform()
        print(label, direction.name, "->", [str(x) for x in group])
        cpu = proc.getDefaultCPUProcessor()
        print("    rgb ", [fmt(v) for v in cpu.applyRGB(list(pixels))])
        print("    rgba", [fmt(v) for v in cpu.applyRGBA(list(rgba))])


for style in (OCIO.NEGATIVE_CLAMP, OCIO.NEGATIVE_MIRROR, OCIO.NEGATIVE_PASS_THRU):
    show(f"exponent {style.name}", OCIO.ExponentTransform([2.2, 2.4, 1.8, 1.0], negativeStyle=style))
show("exponent alpha", OCIO.ExponentTransform([2.0, 2.0, 2.0, 2.0]))
for style in (OCIO.NEGATIVE_LINEAR, OCIO.NEGATIVE_MIRROR):
    show(f"moncurve {style.name}", OCIO.ExponentWithLinearTransform(
        [2.4, 2.2, 3.0, 1.0], [0.055, 0.099, 0.1, 0.0], negativeStyle=style))
for base in (2.0, 10.0, 3.0):
    show(f"log base {base}", OCIO.LogTransform(base))
aff = OCIO.LogAffineTransform(
    logSideSlope=[0.25, 0.3, 0.35], logSideOffset=[0.5, 0.6, 0.4],
    linSideSlope=[5.0, 4.0, 3.0], linSideOffset=[0.1, 0.2, 0.05])
aff.setBase(10.0)
show("log affine", aff)
show("log camera", OCIO.LogCameraTransform(
    linSideBreak=[0.01, 0.02, 0.005], logSideSlope=[0.25, 0.25, 0.25],
    logSideOffset=[0.5, 0.5, 0.5], linSideSlope=[5.0, 5.0, 5.0],
    linSideOffset=[0.1, 0.1, 0.1], base=2.0))
cam = OCIO.LogCameraTransform(linSideBreak=[0.01, 0.01, 0.01], base=10.0)
cam.setLinearSlopeValue([3.0, 3.5, 4.0])
show("log camera slope", cam)

for style in (OCIO.CDL_ASC, OCIO.CDL_NO_CLAMP):
    cdl = OCIO.CDLTransform(slope=[1.2, 0.9, 1.1], offset=[0.01, -0.02, 0.03], power=[1.1, 0.9, 1.25], sat=0.8)
    cdl.setStyle(style)
    show(f"cdl {style.name}", cdl)
show("cdl saturation only", OCIO.CDLTransform(power=[1.0, 1.0, 1.01], sat=1.3))

mtx = [0.6124, 0.3387, 0.0489, 0.01, 0.0702, 0.9164, 0.0134, 0.0, 0.0206, 0.1096, 0.8698, 0.0, 0.0, 0.0, 0.0, 1.0]
show("matrix", OCIO.MatrixTransform(mtx))
show("matrix offset", OCIO.MatrixTransform(mtx, [0.1, -0.2, 0.3, 0.0]))
show("scale", OCIO.MatrixTransform([0.3, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 1.3, 0, 0, 0, 0, 1]))
pixels.append(-0.0)
pixels.extend([1e30, -3.0])

g = OCIO.GroupTransform([OCIO.ExponentTransform([2.2, 2.2, 2.2, 1.0]),
                         OCIO.LogTransform(2.0),
                         OCIO.MatrixTransform(offset=[0.1, 0.1, 0.1, 0.0])])
show("group", g)
