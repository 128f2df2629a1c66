"""The main job, on an embedded sample: describe a generated camera plate the
way a pipeline does before any pixel moves, and write its spec sidecar.

Then make the plate's pixels (a synthetic gradient with a hot spot), write
them as a float PFM and a 16-bit PPM proxy, read the files back and print
their specs and per-channel statistics. Written only against the public
OpenImageIO API, so it runs unchanged with the official wheel. EXR output and
ImageBufAlgo statistics replace the stand-ins as those features land.

usage: python examples/plate_report.py [OUTDIR]
"""

import os
import sys

import numpy as np
import OpenImageIO as oiio


def make_plate_spec() -> oiio.ImageSpec:
    """The spec a camera-to-EXR conversion would produce for one frame."""
    spec = oiio.ImageSpec(4096, 2160, 4, oiio.HALF)
    spec.full_width, spec.full_height = 4096, 2304  # open-gate display window
    spec.full_y = -72
    spec.tile_width = spec.tile_height = 64
    spec.attribute("compression", "zip")
    spec.attribute("oiio:ColorSpace", "ACEScg")
    spec.attribute("Orientation", 1)
    spec.attribute("PixelAspectRatio", 1.0)
    spec.attribute("FramesPerSecond", oiio.TypeRational, (24000, 1001))
    spec.attribute("smpte:TimeCode", oiio.TypeTimeCode, (0x01021314, 0))
    spec.attribute("Exif:ExposureTime", 1.0 / 48)
    spec.attribute("Exif:FocalLength", 35.0)
    spec.attribute("Exif:ApertureValue", 4.0)
    spec.attribute("cameraSerial", "ARRI-0042")
    spec.attribute("worldToCamera", oiio.TypeMatrix, tuple(float(i == j) for i in range(4) for j in range(4)))
    return spec


def main(outdir: str) -> int:
    spec = make_plate_spec()
    print(f"OpenImageIO {oiio.__version__} (module {oiio.__name__})")
    print("plate spec:")
    print(spec.serialize("text", "detailedhuman"), end="")
    print(f"data window   {oiio.get_roi(spec)}")
    print(f"display window {oiio.get_roi_full(spec)}")
    print(f"pixel bytes {spec.pixel_bytes()}  scanline {spec.scanline_bytes()}  "
          f"tile {spec.tile_bytes()}  image {spec.image_bytes()} ({spec.image_bytes() / 2**20:.1f} MiB)")
    print(f"as float: {spec.image_bytes(oiio.TypeFloat) / 2**20:.1f} MiB; "
          f"tiles across x down: {-(-spec.width // spec.tile_width)} x {-(-spec.height // spec.tile_height)}")
    timecode = next(p for p in spec.extra_attribs if p.name == "smpte:TimeCode")
    print(f"frame rate {spec.get_float_attribute('FramesPerSecond'):.3f} fps, "
          f"timecode {oiio.ImageSpec.metadata_val(timecode)}")

    os.makedirs(outdir, exist_ok=True)
    sidecar = os.path.join(outdir, "plate.spec.xml")
    with open(sidecar, "w") as f:
        f.write(spec.to_xml())
    back = oiio.ImageSpec()
    back.from_xml(open(sidecar).read())
    same = (back.width, back.height, back.format, back.get_string_attribute("oiio:ColorSpace")) == (
        spec.width, spec.height, spec.format, "ACEScg")
    print(f"wrote {sidecar}; read back {back.width}x{back.height} {back.format}: {'ok' if same else 'MISMATCH'}")

    # Pixels: a small proxy of the plate (RGB), gradient plus a hot spot.
    h, w = 108, 192
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    rgb = np.stack([x / (w - 1), y / (h - 1), 0.25 + 0.5 * (x + y) / (w + h)], axis=-1)
    rgb[40:44, 90:94] = 8.0  # a specular highlight above 1
    plate = oiio.ImageBuf(np.ascontiguousarray(rgb, dtype=np.float32))
    pfm = os.path.join(outdir, "plate_proxy.pfm")
    ppm = os.path.join(outdir, "plate_proxy.ppm")
    print(f"write {os.path.basename(pfm)}: {plate.write(pfm)}; {os.path.basename(ppm)} (uint16): {plate.write(ppm, 'uint16')}")
    for path in (pfm, ppm):
        img = oiio.ImageBuf(path)
        px = img.get_pixels(oiio.FLOAT)
        print(f"{os.path.basename(path)}: {img.file_format_name}, {img.spec().serialize('text', 'brief')}", end="")
        for c, name in enumerate(img.spec().channelnames):
            ch = px[:, :, c]
            print(f"    {name}: min {ch.min():.4f} max {ch.max():.4f} mean {ch.mean():.4f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out"))
