//! `RangeTransform`: unset limits read back as NaN, as in the reference.

use pyo3::prelude::*;
use vfx_ocio::enums::{BitDepth, RangeStyle, TransformDirection};
use vfx_ocio::transforms::range::limit;
use vfx_ocio::transforms::{RangeTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "RangeTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyRangeTransform;

format_metadata_method!(PyRangeTransform);

/// get/set/has/unset for one limit.
macro_rules! range_limit {
    ($field:ident, $get:ident, $set:ident, $has:ident, $unset:ident) => {
        #[pymethods]
        impl PyRangeTransform {
            fn $get(slf: PyRef<'_, Self>) -> PyResult<f64> {
                with_variant!(slf, Range, |t| t.$field.unwrap_or(f64::NAN))
            }
            fn $set(slf: PyRef<'_, Self>, value: f64) -> PyResult<()> {
                with_variant!(slf, Range, |t| t.$field = limit(value))
            }
            fn $has(slf: PyRef<'_, Self>) -> PyResult<bool> {
                with_variant!(slf, Range, |t| t.$field.is_some())
            }
            fn $unset(slf: PyRef<'_, Self>) -> PyResult<()> {
                with_variant!(slf, Range, |t| t.$field = None)
            }
        }
    };
}

range_limit!(min_in, getMinInValue, setMinInValue, hasMinInValue, unsetMinInValue);
range_limit!(max_in, getMaxInValue, setMaxInValue, hasMaxInValue, unsetMaxInValue);
range_limit!(
    min_out,
    getMinOutValue,
    setMinOutValue,
    hasMinOutValue,
    unsetMinOutValue
);
range_limit!(
    max_out,
    getMaxOutValue,
    setMaxOutValue,
    hasMaxOutValue,
    unsetMaxOutValue
);

#[pymethods]
impl PyRangeTransform {
    #[new]
    #[pyo3(signature = (minInValue = Given::No, maxInValue = Given::No, minOutValue = Given::No,
                        maxOutValue = Given::No, direction = Given::No))]
    fn new(
        minInValue: Given<f64>,
        maxInValue: Given<f64>,
        minOutValue: Given<f64>,
        maxOutValue: Given<f64>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any =
            minInValue.given() || maxInValue.given() || minOutValue.given() || maxOutValue.given() || direction.given();
        let mut t = RangeTransform::default();
        if any {
            t.min_in = minInValue.get().and_then(limit);
            t.max_in = maxInValue.get().and_then(limit);
            t.min_out = minOutValue.get().and_then(limit);
            t.max_out = maxOutValue.get().and_then(limit);
            if let Some(d) = direction.get() {
                t.direction = d.0;
            }
            t.validate().py()?;
        }
        Ok(init(t, PyRangeTransform))
    }

    fn getStyle(slf: PyRef<'_, Self>) -> PyResult<E<RangeStyle>> {
        with_variant!(slf, Range, |t| E(t.style))
    }

    fn setStyle(slf: PyRef<'_, Self>, style: E<RangeStyle>) -> PyResult<()> {
        with_variant!(slf, Range, |t| t.style = style.0)
    }

    fn getFileInputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Range, |t| E(t.file_in_depth))
    }

    fn setFileInputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Range, |t| t.file_in_depth = bitDepth.0)
    }

    fn getFileOutputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Range, |t| E(t.file_out_depth))
    }

    fn setFileOutputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Range, |t| t.file_out_depth = bitDepth.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Range, |t| t.clone())?;
        with_variant!(other, Range, |t| a.equals(t))
    }
}
