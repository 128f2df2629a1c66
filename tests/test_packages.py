"""One wheel, three front doors onto one native module."""

import re

import OpenImageIO
import PyOpenColorIO
import vfx_rs
from vfx_rs import _vfx_rs

from conftest import ROOT


def test_all_three_packages_share_one_native_module():
    assert OpenImageIO.TypeDesc is _vfx_rs.oiio.TypeDesc
    assert OpenImageIO.ImageSpec is _vfx_rs.oiio.ImageSpec
    assert PyOpenColorIO.Config is _vfx_rs.ocio.Config
    assert PyOpenColorIO.MatrixTransform is _vfx_rs.ocio.MatrixTransform


def test_objects_pass_between_packages_without_copies():
    spec = _vfx_rs.oiio.ImageSpec(8, 4, 3, "float")
    assert isinstance(spec, OpenImageIO.ImageSpec)
    # extra_attribs is a live view onto the same object, not a copy.
    view = spec.extra_attribs
    view.attribute("shot", "sq010_sh020")
    assert spec.get_string_attribute("shot") == "sq010_sh020"


def test_versions():
    assert OpenImageIO.__version__ == "3.2.2.0"
    assert (OpenImageIO.VERSION, OpenImageIO.VERSION_STRING) == (30202, "3.2.2.0")
    assert (OpenImageIO.VERSION_MAJOR, OpenImageIO.VERSION_MINOR, OpenImageIO.VERSION_PATCH) == (3, 2, 2)
    assert PyOpenColorIO.__version__ == "2.6.0"
    cargo = (ROOT / "Cargo.toml").read_text()
    ours = re.search(r'^version = "([^"]+)"', cargo, re.M).group(1)
    assert vfx_rs.__version__ == ours


def test_classes_report_the_reference_module():
    for cls in (OpenImageIO.TypeDesc, OpenImageIO.ROI, OpenImageIO.ImageSpec,
                OpenImageIO.ParamValue, OpenImageIO.ParamValueList, OpenImageIO.BASETYPE):
        assert cls.__module__ == "OpenImageIO.OpenImageIO"


def test_stubs_parse_and_declare_every_public_name():
    import ast

    for pyi in (ROOT / "python").rglob("*.pyi"):
        ast.parse(pyi.read_text(), filename=str(pyi))
    stub = (ROOT / "python" / "OpenImageIO" / "OpenImageIO.pyi").read_text()
    declared = set(re.findall(r"^(?:class |def )?(\w+)\b", stub, re.M))
    public = {n for n in dir(OpenImageIO) if not n.startswith("_") and n != "OpenImageIO"}
    assert not public - declared, sorted(public - declared)
