"""Read one image file with whichever OpenImageIO is first on sys.path and
record what it saw, for sweep.py / matrix.py to compare between the
reference and ours:

    io_worker.py dump FILE OUTDIR
        OUTDIR/info.txt: format name and number of subimages, or
        OUTDIR/error.txt when the file cannot be opened; per subimage S and
        MIP level M: sS_mM.txt (spec, OIIO's detailed text serialisation)
        and sS_mM.npy (pixels as float32), or sS_mM.deep.txt (sample counts
        and values of a deep image), or sS_mM.error.txt.
"""
import os
import sys

import numpy as np
import OpenImageIO as oiio


def text_file(path):
    """Metadata may hold undecodable bytes: write them escaped, the same way for both sides."""
    return open(path, "w", encoding="utf-8", errors="backslashreplace")


def dump(path, out):
    os.makedirs(out, exist_ok=True)
    inp = oiio.ImageInput.open(path)
    if inp is None:
        with text_file(os.path.join(out, "error.txt")) as f:
            f.write(oiio.geterror())
        return
    nsub = 0
    while inp.seek_subimage(nsub, 0):
        mip = 0
        while inp.seek_subimage(nsub, mip):
            spec = inp.spec()
            stem = os.path.join(out, f"s{nsub}_m{mip}")
            with text_file(stem + ".txt") as f:
                f.write(spec.serialize("text", "detailed"))
            if spec.deep:
                dd = inp.read_native_deep_image(nsub, mip)
                with text_file(stem + ".deep.txt") as f:
                    if dd is None:
                        f.write("error: " + inp.geterror())
                    else:
                        for p in range(dd.pixels):
                            n = dd.samples(p)
                            vals = [round(dd.deep_value(p, c, s), 5) for s in range(n) for c in range(dd.channels)]
                            f.write(f"{p} {n} {vals}\n")
            else:
                px = inp.read_image(nsub, mip, 0, spec.nchannels, "float")
                if px is None:
                    with text_file(stem + ".error.txt") as f:
                        f.write(inp.geterror())
                else:
                    np.save(stem + ".npy", np.ascontiguousarray(px, dtype=np.float32))
            mip += 1
        nsub += 1
    with text_file(os.path.join(out, "info.txt")) as f:
        f.write(f"{inp.format_name()} {nsub}\n")
    inp.close()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
