//! `LookTransform` (src and dst are required in the full constructor).

use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::{LookTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "LookTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLookTransform;

#[pymethods]
impl PyLookTransform {
    #[new]
    #[pyo3(signature = (src = Given::No, dst = Given::No, looks = Given::No, skipColorSpaceConversion = Given::No,
                        direction = Given::No))]
    fn new(
        src: Given<String>,
        dst: Given<String>,
        looks: Given<String>,
        skipColorSpaceConversion: Given<bool>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = src.given() || dst.given() || looks.given() || skipColorSpaceConversion.given() || direction.given();
        if any && !(src.given() && dst.given()) {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "__init__(): incompatible constructor arguments: src and dst are required",
            ));
        }
        let t = LookTransform {
            src: src.get().unwrap_or_default(),
            dst: dst.get().unwrap_or_default(),
            looks: looks.get().unwrap_or_default(),
            skip_colorspace_conversion: skipColorSpaceConversion.get().unwrap_or(false),
            direction: direction.get().map_or(TransformDirection::Forward, |x| x.0),
        };
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyLookTransform))
    }

    fn getSrc(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, Look, |t| t.src.clone())
    }

    fn setSrc(slf: PyRef<'_, Self>, src: &str) -> PyResult<()> {
        with_variant!(slf, Look, |t| t.src = src.to_string())
    }

    fn getDst(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, Look, |t| t.dst.clone())
    }

    fn setDst(slf: PyRef<'_, Self>, dst: &str) -> PyResult<()> {
        with_variant!(slf, Look, |t| t.dst = dst.to_string())
    }

    fn getLooks(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, Look, |t| t.looks.clone())
    }

    fn setLooks(slf: PyRef<'_, Self>, looks: &str) -> PyResult<()> {
        with_variant!(slf, Look, |t| t.looks = looks.to_string())
    }

    fn getSkipColorSpaceConversion(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, Look, |t| t.skip_colorspace_conversion)
    }

    fn setSkipColorSpaceConversion(slf: PyRef<'_, Self>, skipColorSpaceConversion: bool) -> PyResult<()> {
        with_variant!(slf, Look, |t| t.skip_colorspace_conversion = skipColorSpaceConversion)
    }
}
