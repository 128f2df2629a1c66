"""ImageBufAlgo's overloads are generated from one description per op; check
that every op we provide has exactly the reference's overloads (names, types,
keyword names, defaults, order), as recorded in the API manifest."""

import json
import re

import OpenImageIO as oiio


def _normalise(sig: str) -> str:
    # The manifest prints default ROIs with their address; ours without.
    return re.sub(r" at 0x[0-9a-f]+>", ">", sig)


def test_overloads_match_manifest(shared_dir):
    manifest = json.loads((shared_dir / "api" / "OpenImageIO-3.2.2.0.json").read_text())
    members = manifest["names"]["ImageBufAlgo"]["members"]
    ours = [n for n in vars(oiio.ImageBufAlgo) if not n.startswith("_")]
    assert ours, "ImageBufAlgo has no functions"
    for name in ours:
        expected = [_normalise(s) for s in members[name]["signatures"]]
        got = getattr(oiio.ImageBufAlgo, name).__doc__.split("\n")
        assert got == expected, name


def test_docstring_is_signature_list():
    doc = oiio.ImageBufAlgo.add.__doc__.split("\n")
    assert len(doc) == 4 and all(line.startswith("add(") for line in doc)
