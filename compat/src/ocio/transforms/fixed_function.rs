//! `FixedFunctionTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::{FixedFunctionStyle, TransformDirection};
use vfx_ocio::transforms::FixedFunctionTransform;

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "FixedFunctionTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyFixedFunctionTransform;

format_metadata_method!(PyFixedFunctionTransform);

#[pymethods]
impl PyFixedFunctionTransform {
    /// The parameters are checked (in the forward direction) before the
    /// direction is applied, as the reference's constructor does.
    #[new]
    #[pyo3(signature = (style, params = Vec::new(), direction = E(TransformDirection::Forward)))]
    fn new(
        style: E<FixedFunctionStyle>,
        params: Vec<f64>,
        direction: E<TransformDirection>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let mut t = FixedFunctionTransform::new(style.0, params).py()?;
        t.check_params().py()?;
        t.direction = direction.0;
        Ok(init(t, PyFixedFunctionTransform))
    }

    fn getStyle(slf: PyRef<'_, Self>) -> PyResult<E<FixedFunctionStyle>> {
        with_variant!(slf, FixedFunction, |t| E(t.style))
    }

    fn setStyle(slf: PyRef<'_, Self>, style: E<FixedFunctionStyle>) -> PyResult<()> {
        with_variant!(slf, FixedFunction, |t| t.set_style(style.0))?.py()
    }

    fn getParams(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, FixedFunction, |t| t.params.clone())
    }

    fn setParams(slf: PyRef<'_, Self>, params: Vec<f64>) -> PyResult<()> {
        with_variant!(slf, FixedFunction, |t| t.params = params)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, FixedFunction, |t| t.clone())?;
        with_variant!(other, FixedFunction, |t| a.equals(t))
    }
}
