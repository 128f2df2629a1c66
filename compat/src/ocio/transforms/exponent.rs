//! `ExponentTransform` and `ExponentWithLinearTransform` share nothing but
//! their negative styles; this file is the first.

use pyo3::prelude::*;
use vfx_ocio::enums::{NegativeStyle, TransformDirection};
use vfx_ocio::transforms::{ExponentTransform, TransformData};

use crate::ocio::args::{fixed, Given};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "ExponentTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyExponentTransform;

format_metadata_method!(PyExponentTransform);

#[pymethods]
impl PyExponentTransform {
    #[new]
    #[pyo3(signature = (value = Given::No, negativeStyle = Given::No, direction = Given::No))]
    fn new(
        value: Given<Vec<f64>>,
        negativeStyle: Given<E<NegativeStyle>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = value.given() || negativeStyle.given() || direction.given();
        let mut t = ExponentTransform::default();
        if let Some(v) = value.get() {
            t.value = fixed(v, "value")?;
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
        Ok(init(t, PyExponentTransform))
    }

    fn getValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, Exponent, |t| t.value.to_vec())
    }

    fn setValue(slf: PyRef<'_, Self>, value: Vec<f64>) -> PyResult<()> {
        let v = fixed(value, "value")?;
        with_variant!(slf, Exponent, |t| t.value = v)
    }

    fn getNegativeStyle(slf: PyRef<'_, Self>) -> PyResult<E<NegativeStyle>> {
        with_variant!(slf, Exponent, |t| E(t.negative_style))
    }

    fn setNegativeStyle(slf: PyRef<'_, Self>, style: E<NegativeStyle>) -> PyResult<()> {
        with_variant!(slf, Exponent, |t| t.set_negative_style(style.0))?.py()
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Exponent, |t| t.clone())?;
        with_variant!(other, Exponent, |t| a.equals(t))
    }
}
