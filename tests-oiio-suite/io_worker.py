"""Read one image file with whichever OpenImageIO is first on sys.path and
record what it saw, for sweep.py / matrix.py to compare between the
reference and ours:

    io_worker.py write FILE TYPE TILE COMPRESSION NCHANNELS
        write a generated test image (ImageOutput; TILE 0 for scanlines,
        COMPRESSION "-" for the format's default); prints "ok" or the error.
    io_worker.py batch-write CELLS.json OUTDIR   (each cell: name, type, tile, compression, nchannels)
    io_worker.py batch-dump INDIR OUTDIR          (dump every file of INDIR into OUTDIR/<file>/)
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


def test_image(w, h, nch):
    """Smooth ramps plus a few exact values (0, 1, mid-grey) per channel."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    chans = [(x / (w - 1)), (y / (h - 1)), ((x + y) / (w + h - 2)), 1.0 - 0.5 * (x / (w - 1))]
    img = np.stack([chans[c % 4] for c in range(nch)], axis=-1).astype(np.float32)
    img[0, 0, :] = 0.0
    img[0, 1, :] = 1.0
    img[1, 0, :] = 0.5
    return img


def batch_write(cells_json, outdir):
    import contextlib
    import io
    import json

    os.makedirs(outdir, exist_ok=True)
    for cell in json.load(open(cells_json)):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            write(os.path.join(outdir, cell["name"]), cell["type"], cell["tile"], cell["compression"], cell["nchannels"])
        with text_file(os.path.join(outdir, cell["name"] + ".status")) as f:
            f.write(buf.getvalue())


def batch_dump(indir, outdir):
    for name in sorted(os.listdir(indir)):
        if not name.endswith(".status"):
            dump(os.path.join(indir, name), os.path.join(outdir, name))


def write(path, dtype, tile, compression, nch):
    w, h = 67, 45
    spec = oiio.ImageSpec(w, h, nch, dtype)
    if tile:
        spec.tile_width = spec.tile_height = tile
    if compression != "-":
        spec.attribute("compression", compression)
    out = oiio.ImageOutput.create(path)
    if out is None:
        print("error:", oiio.geterror())
        return
    ok = out.open(path, spec) and out.write_image(test_image(w, h, nch)) and out.close()
    print("ok" if ok else "error: " + out.geterror())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "batch-write":
        batch_write(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "batch-dump":
        batch_dump(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 7 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    else:
        sys.exit(__doc__)
