"""Extract OpenImageIO's built-in blue-noise table into vfx-iba's data file.

The table is data shipped inside OpenImageIO (Apache-2.0); the reference
wheel hands it out as ImageBufAlgo.bluenoise_image() (256 x 256, 4 float
channels). Every channel holds the same 65536 distinct values in a different
order, so the file stores them compactly and losslessly:

    65536 x float32 LE   the distinct values, ascending
    256*256*4 x uint16 LE per pixel and channel (row-major, y then x then c),
                         the index of its value in the list above

usage: PYTHONPATH=.ref/site python tools/gen_bluenoise.py [output]
(default output: impl/vfx-iba/data/bluenoise.bin)
"""

import sys
from pathlib import Path

import numpy as np
import OpenImageIO as oiio

ROOT = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "impl/vfx-iba/data/bluenoise.bin"

img = oiio.ImageBufAlgo.bluenoise_image()
spec = img.spec()
assert (spec.width, spec.height, spec.nchannels) == (256, 256, 4), "unexpected table shape"
table = np.asarray(img.get_pixels(oiio.FLOAT), dtype=np.float32).reshape(256, 256, 4)
values, ranks = np.unique(table, return_inverse=True)
assert len(values) <= 65536
ranks = ranks.reshape(table.shape).astype("<u2")
assert np.array_equal(values[ranks].view(np.uint32), table.view(np.uint32)), "not lossless"
data = np.zeros(65536, dtype="<f4")
data[: len(values)] = values
out.write_bytes(data.tobytes() + ranks.tobytes())
print(f"wrote {out} ({out.stat().st_size} bytes) from OpenImageIO {oiio.__version__}")
