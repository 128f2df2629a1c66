//! `ColorSpaceTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::{ColorSpaceTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "ColorSpaceTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyColorSpaceTransform;

#[pymethods]
impl PyColorSpaceTransform {
    #[new]
    #[pyo3(signature = (src = Given::No, dst = Given::No, direction = Given::No, dataBypass = Given::No))]
    fn new(
        src: Given<String>,
        dst: Given<String>,
        direction: Given<E<TransformDirection>>,
        dataBypass: Given<bool>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = src.given() || dst.given() || direction.given() || dataBypass.given();
        let mut t = ColorSpaceTransform {
            src: src.get().unwrap_or_default(),
            dst: dst.get().unwrap_or_default(),
            ..Default::default()
        };
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if let Some(b) = dataBypass.get() {
            t.data_bypass = b;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyColorSpaceTransform))
    }

    fn getSrc(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, ColorSpace, |t| t.src.clone())
    }

    fn setSrc(slf: PyRef<'_, Self>, src: &str) -> PyResult<()> {
        with_variant!(slf, ColorSpace, |t| t.src = src.to_string())
    }

    fn getDst(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, ColorSpace, |t| t.dst.clone())
    }

    fn setDst(slf: PyRef<'_, Self>, dst: &str) -> PyResult<()> {
        with_variant!(slf, ColorSpace, |t| t.dst = dst.to_string())
    }

    fn getDataBypass(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, ColorSpace, |t| t.data_bypass)
    }

    fn setDataBypass(slf: PyRef<'_, Self>, dataBypass: bool) -> PyResult<()> {
        with_variant!(slf, ColorSpace, |t| t.data_bypass = dataBypass)
    }
}
