//! `LogCameraTransform` (its side accessors come from log_affine.rs).

use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::log_affine::LogSides;
use vfx_ocio::transforms::LogCameraTransform;

use super::log_affine::log_sides_methods;
use crate::ocio::args::fixed;
use crate::ocio::enums::E;
use crate::ocio::errors::Exception;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "LogCameraTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLogCameraTransform;

format_metadata_method!(PyLogCameraTransform);
log_sides_methods!(PyLogCameraTransform, LogCamera);

#[pymethods]
impl PyLogCameraTransform {
    /// `linSideBreak` is required (the reference has no default constructor).
    #[new]
    #[pyo3(signature = (linSideBreak, base = 2.0, logSideSlope = vec![1.0; 3], logSideOffset = vec![0.0; 3],
                        linSideSlope = vec![1.0; 3], linSideOffset = vec![0.0; 3], linearSlope = Vec::new(),
                        direction = E(TransformDirection::Forward)))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        linSideBreak: Vec<f64>,
        base: f64,
        logSideSlope: Vec<f64>,
        logSideOffset: Vec<f64>,
        linSideSlope: Vec<f64>,
        linSideOffset: Vec<f64>,
        linearSlope: Vec<f64>,
        direction: E<TransformDirection>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let mut t = LogCameraTransform::new(fixed(linSideBreak, "linSideBreak")?);
        t.sides = LogSides {
            base,
            log_side_slope: fixed(logSideSlope, "logSideSlope")?,
            log_side_offset: fixed(logSideOffset, "logSideOffset")?,
            lin_side_slope: fixed(linSideSlope, "linSideSlope")?,
            lin_side_offset: fixed(linSideOffset, "linSideOffset")?,
        };
        if !linearSlope.is_empty() {
            let v: [f64; 3] = linearSlope
                .as_slice()
                .try_into()
                .map_err(|_| Exception::new_err("LinearSlope must be 3 doubles."))?;
            t.linear_slope = Some(v);
        }
        t.direction = direction.0;
        Ok(init(t, PyLogCameraTransform))
    }

    fn getLinSideBreakValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, LogCamera, |t| t.lin_side_break.to_vec())
    }

    fn setLinSideBreakValue(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
        let v = fixed(values, "values")?;
        with_variant!(slf, LogCamera, |t| t.lin_side_break = v)
    }

    fn isLinearSlopeValueSet(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, LogCamera, |t| t.linear_slope.is_some())
    }

    /// NaNs while unset, as the reference reports.
    fn getLinearSlopeValue(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, LogCamera, |t| t.linear_slope.unwrap_or([f64::NAN; 3]).to_vec())
    }

    fn setLinearSlopeValue(slf: PyRef<'_, Self>, values: Vec<f64>) -> PyResult<()> {
        let v = fixed(values, "values")?;
        with_variant!(slf, LogCamera, |t| t.linear_slope = Some(v))
    }

    fn unsetLinearSlopeValue(slf: PyRef<'_, Self>) -> PyResult<()> {
        with_variant!(slf, LogCamera, |t| t.linear_slope = None)
    }
}
