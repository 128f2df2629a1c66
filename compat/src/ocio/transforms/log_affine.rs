//! `LogAffineTransform`; its side accessors are shared with
//! `LogCameraTransform` through `log_sides_methods!`.

use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::{LogAffineTransform, TransformData};

use crate::ocio::args::{fixed, Given};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

/// getBase/setBase and the four get/set...Value pairs on `sides`.
macro_rules! log_sides_methods {
    ($cls:ty, $var:ident) => {
        #[pyo3::pymethods]
        impl $cls {
            fn getBase(slf: PyRef<'_, Self>) -> PyResult<f64> {
                with_variant!(slf, $var, |t| t.sides.base)
            }
            fn setBase(slf: PyRef<'_, Self>, base: f64) -> PyResult<()> {
                with_variant!(slf, $var, |t| t.sides.base = base)
            }
            fn getLogSideSlopeValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
                with_variant!(slf, $var, |t| t.sides.log_side_slope.to_vec())
            }
            fn setLogSideSlopeValue(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
                let v = crate::ocio::args::fixed(values, "values")?;
                with_variant!(slf, $var, |t| t.sides.log_side_slope = v)
            }
            fn getLogSideOffsetValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
                with_variant!(slf, $var, |t| t.sides.log_side_offset.to_vec())
            }
            fn setLogSideOffsetValue(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
                let v = crate::ocio::args::fixed(values, "values")?;
                with_variant!(slf, $var, |t| t.sides.log_side_offset = v)
            }
            fn getLinSideSlopeValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
                with_variant!(slf, $var, |t| t.sides.lin_side_slope.to_vec())
            }
            fn setLinSideSlopeValue(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
                let v = crate::ocio::args::fixed(values, "values")?;
                with_variant!(slf, $var, |t| t.sides.lin_side_slope = v)
            }
            fn getLinSideOffsetValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
                with_variant!(slf, $var, |t| t.sides.lin_side_offset.to_vec())
            }
            fn setLinSideOffsetValue(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
                let v = crate::ocio::args::fixed(values, "values")?;
                with_variant!(slf, $var, |t| t.sides.lin_side_offset = v)
            }
            fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
                let a = with_variant!(slf, $var, |t| t.clone())?;
                with_variant!(other, $var, |t| a.equals(t))
            }
        }
    };
}
pub(crate) use log_sides_methods;

#[pyclass(extends = PyTransform, frozen, name = "LogAffineTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLogAffineTransform;

format_metadata_method!(PyLogAffineTransform);
log_sides_methods!(PyLogAffineTransform, LogAffine);

#[pymethods]
impl PyLogAffineTransform {
    #[new]
    #[pyo3(signature = (logSideSlope = Given::No, logSideOffset = Given::No, linSideSlope = Given::No,
                        linSideOffset = Given::No, direction = Given::No))]
    fn new(
        logSideSlope: Given<Vec<f64>>,
        logSideOffset: Given<Vec<f64>>,
        linSideSlope: Given<Vec<f64>>,
        linSideOffset: Given<Vec<f64>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = logSideSlope.given()
            || logSideOffset.given()
            || linSideSlope.given()
            || linSideOffset.given()
            || direction.given();
        let mut t = LogAffineTransform::default();
        if let Some(v) = logSideSlope.get() {
            t.sides.log_side_slope = fixed(v, "logSideSlope")?;
        }
        if let Some(v) = logSideOffset.get() {
            t.sides.log_side_offset = fixed(v, "logSideOffset")?;
        }
        if let Some(v) = linSideSlope.get() {
            t.sides.lin_side_slope = fixed(v, "linSideSlope")?;
        }
        if let Some(v) = linSideOffset.get() {
            t.sides.lin_side_offset = fixed(v, "linSideOffset")?;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyLogAffineTransform))
    }
}
