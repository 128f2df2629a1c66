//! `LogTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::{LogTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "LogTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLogTransform;

format_metadata_method!(PyLogTransform);

#[pymethods]
impl PyLogTransform {
    #[new]
    #[pyo3(signature = (base = Given::No, direction = Given::No))]
    fn new(base: Given<f64>, direction: Given<E<TransformDirection>>) -> PyResult<PyClassInitializer<Self>> {
        let any = base.given() || direction.given();
        let mut t = LogTransform::default();
        if let Some(b) = base.get() {
            t.base = b;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyLogTransform))
    }

    fn getBase(slf: PyRef<'_, Self>) -> PyResult<f64> {
        with_variant!(slf, Log, |t| t.base)
    }

    fn setBase(slf: PyRef<'_, Self>, base: f64) -> PyResult<()> {
        with_variant!(slf, Log, |t| t.base = base)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Log, |t| t.clone())?;
        with_variant!(other, Log, |t| a.equals(t))
    }
}
