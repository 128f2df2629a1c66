"""Workload: the issue-3 file formats on a 3840x2160 RGBA image: EXR half
(zip, piz, dwaa), TIFF uint16 (zip), PNG uint8, JPEG uint8; each written
with ImageBuf.write and read back whole with ImageInput.read_image (native
type). A format the library under test cannot write is left out of its
results (compare.py then shows no ratio for that row).
Prints {measurement: median s}."""

import json
import os
import tempfile

import numpy as np
import OpenImageIO as oiio
from _workload import repeat_count, timed

W, H = 3840, 2160
ROWS = [
    ("exr half zip", "a.exr", "half", "zip"),
    ("exr half piz", "b.exr", "half", "piz"),
    ("exr half dwaa", "c.exr", "half", "dwaa"),
    ("tiff uint16 zip", "d.tif", "uint16", "zip"),
    ("png uint8", "e.png", "uint8", None),
    ("jpeg uint8", "f.jpg", "uint8", None),
]


def plate():
    """Smooth gradients with some noise: compresses like a real plate."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    rng = np.random.default_rng(3)
    base = np.stack([x / W, y / H, (x + y) / (W + H), np.ones_like(x)], axis=-1)
    return (base + rng.normal(0, 0.01, base.shape).astype(np.float32)).clip(0, 1).astype(np.float32)


def main():
    repeat = repeat_count()
    formats = set(oiio.get_string_attribute("output_format_list").split(","))
    ext_fmt = {"exr": "openexr", "tif": "tiff", "png": "png", "jpg": "jpeg"}
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for label, name, dtype, comp in ROWS:
            if ext_fmt[name.split(".")[1]] not in formats:
                continue
            buf = oiio.ImageBuf(plate())
            if comp:
                buf.specmod().attribute("compression", comp)
            path = os.path.join(d, name)
            out[f"write {label}"] = timed(lambda: buf.write(path, dtype), repeat)
            out[f"read {label}"] = timed(lambda: oiio.ImageInput.open(path).read_image(oiio.UNKNOWN), repeat)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
