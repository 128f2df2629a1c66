"""PackedImageDesc over numpy buffers (float32, float16, uint16, uint8;
three or four channels) and CPUProcessor.apply in place and from a source
to a destination image, with the bit depths of optimized CPU processors;
the constructor's checks (entry count, sample type, channel count)."""

import numpy as np
import PyOpenColorIO as OCIO

cfg = OCIO.Config.CreateRaw()
proc = cfg.getProcessor(OCIO.GroupTransform([
    OCIO.MatrixTransform([0.5, 0.1, 0, 0, 0, 0.9, 0.1, 0, 0.2, 0, 0.7, 0, 0, 0, 0, 1], [0.01, 0.02, 0.03, 0.0]),
    OCIO.ExponentTransform([1.8, 2.0, 2.2, 1.0]),
]))
rng = np.random.default_rng(3)
base = rng.random(7 * 3 * 4, dtype=np.float32)


def describe(d):
    print("   ", type(d).__name__, d.getWidth(), d.getHeight(), d.getNumChannels(), d.getBitDepth().name,
          d.getChanStrideBytes(), d.getXStrideBytes(), d.getYStrideBytes(), d.isFloat(), d.isRGBAPacked(),
          d.getChannelOrder().name, d.getData().dtype)


for nch in (3, 4):
    arr = base[: 7 * 3 * nch].copy()
    img = OCIO.PackedImageDesc(arr, 7, 3, nch)
    describe(img)
    proc.getDefaultCPUProcessor().apply(img)
    print("    in place", [repr(v) for v in arr[:8]])
    dst = np.zeros_like(arr)
    src = base[: 7 * 3 * nch].copy()
    proc.getDefaultCPUProcessor().apply(OCIO.PackedImageDesc(src, 7, 3, nch), OCIO.PackedImageDesc(dst, 7, 3, nch))
    print("    src kept", bool((src == base[: 7 * 3 * nch]).all()), "dst", [repr(v) for v in dst[:8]])

for depth, dtype in [(OCIO.BIT_DEPTH_UINT8, np.uint8), (OCIO.BIT_DEPTH_UINT16, np.uint16), (OCIO.BIT_DEPTH_F16, np.float16)]:
    size = np.dtype(dtype).itemsize
    arr = (base * (255 if dtype == np.uint8 else 65535 if dtype == np.uint16 else 1)).astype(dtype)
    img = OCIO.PackedImageDesc(arr, 7, 3, 4, depth, size, 4 * size, 28 * size)
    describe(img)
    cpu = proc.getOptimizedCPUProcessor(depth, depth, OCIO.OPTIMIZATION_DEFAULT)
    cpu.apply(img)
    print("    ", depth.name, [repr(v) for v in arr[:8].tolist()])
    try:
        proc.getDefaultCPUProcessor().apply(img)
    except Exception as e:
        print("    float processor:", type(e).__name__, e)

out = np.zeros(7 * 3 * 4, np.float32)
src8 = (base * 255).astype(np.uint8)
proc.getOptimizedCPUProcessor(OCIO.BIT_DEPTH_UINT8, OCIO.BIT_DEPTH_F32, OCIO.OPTIMIZATION_DEFAULT).apply(
    OCIO.PackedImageDesc(src8, 7, 3, 4, OCIO.BIT_DEPTH_UINT8, 1, 4, 28), OCIO.PackedImageDesc(out, 7, 3, 4))
print("uint8 to float", [round(float(v), 4) for v in out[:8]])

for args in [(np.zeros(10, np.float32), 7, 3, 3), (np.zeros(63, np.uint8), 7, 3, 3),
             (np.zeros(63, np.float64), 7, 3, 3), (np.zeros(42, np.float32), 7, 3, 2),
             (np.zeros(63, np.uint16), 7, 3, 3, OCIO.BIT_DEPTH_F32, 4, 12, 84)]:
    try:
        OCIO.PackedImageDesc(*args)
        print("accepted")
    except Exception as e:
        print(type(e).__name__, e)

# Planar images: one buffer per channel, with or without alpha.
for with_alpha in (False, True):
    planes = [base[i::4].copy() for i in range(4 if with_alpha else 3)]
    img = OCIO.PlanarImageDesc(*planes, 7, 3)
    print("planar", with_alpha, img.getWidth(), img.getHeight(), img.getBitDepth().name, img.getXStrideBytes(),
          img.getYStrideBytes(), img.isFloat(), img.isRGBAPacked(), img.getRData() is planes[0])
    proc.getDefaultCPUProcessor().apply(img)
    print("    ", [[repr(v) for v in p[:3]] for p in planes])
planes16 = [(base[i::4] * 65535).astype(np.uint16) for i in range(3)]
img = OCIO.PlanarImageDesc(*planes16, 7, 3, OCIO.BIT_DEPTH_UINT16, 2, 14)
proc.getOptimizedCPUProcessor(OCIO.BIT_DEPTH_UINT16, OCIO.BIT_DEPTH_UINT16, OCIO.OPTIMIZATION_DEFAULT).apply(img)
print("planar uint16", [p[:4].tolist() for p in planes16])
for args in [(base[:6].copy(), base[:6].copy(), base[:6].copy(), 4, 2),
             (base[:6].copy(), base[:6].copy(), np.zeros(6, np.uint8), 3, 2)]:
    try:
        OCIO.PlanarImageDesc(*args)
        print("accepted")
    except Exception as e:
        print(type(e).__name__, e)
