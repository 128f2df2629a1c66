//! `ExponentWithLinearTransform` over its engine parameters.

use pyo3::prelude::*;
use vfx_ocio::enums::{NegativeStyle, TransformDirection};
use vfx_ocio::transforms::{ExponentWithLinearTransform, TransformData};

use crate::ocio::args::{fixed, Given};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(
    extends = PyTransform,
    frozen,
    name = "ExponentWithLinearTransform",
    module = "PyOpenColorIO.PyOpenColorIO"
)]
pub struct PyExponentWithLinearTransform;

format_metadata_method!(PyExponentWithLinearTransform);

#[pymethods]
impl PyExponentWithLinearTransform {
    #[new]
    #[pyo3(signature = (gamma = Given::No, offset = Given::No, negativeStyle = Given::No, direction = Given::No))]
    fn new(
        gamma: Given<Vec<f64>>,
        offset: Given<Vec<f64>>,
        negativeStyle: Given<E<NegativeStyle>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = gamma.given() || offset.given() || negativeStyle.given() || direction.given();
        let mut t = ExponentWithLinearTransform::default();
        if let Some(v) = gamma.get() {
            t.gamma = fixed(v, "gamma")?;
        }
        if let Some(v) = offset.get() {
            t.offset = fixed(v, "offset")?;
        }
        if let Some(s) = negativeStyle.get() {
            t.set_negative_style(s.0).py()?;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyExponentWithLinearTransform))
    }

    fn getGamma(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, ExponentWithLinear, |t| t.gamma.to_vec())
    }

    fn setGamma(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
        let v = fixed(values, "values")?;
        with_variant!(slf, ExponentWithLinear, |t| t.gamma = v)
    }

    fn getOffset(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, ExponentWithLinear, |t| t.offset.to_vec())
    }

    fn setOffset(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
        let v = fixed(values, "values")?;
        with_variant!(slf, ExponentWithLinear, |t| t.offset = v)
    }

    fn getNegativeStyle(slf: PyRef<'_, Self>) -> PyResult<E<NegativeStyle>> {
        with_variant!(slf, ExponentWithLinear, |t| E(t.negative_style))
    }

    fn setNegativeStyle(slf: PyRef<'_, Self>, style: E<NegativeStyle>) -> PyResult<()> {
        with_variant!(slf, ExponentWithLinear, |t| t.set_negative_style(style.0))?.py()
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, ExponentWithLinear, |t| t.clone())?;
        with_variant!(other, ExponentWithLinear, |t| a.equals(t))
    }
}
