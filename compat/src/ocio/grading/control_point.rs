//! `GradingControlPoint`: one (x, y) point of a B-spline curve (single
//! precision). Points read from a curve are copies.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::grading::GradingControlPoint;

use super::{bind, float_arg, float_property, no_overload, Overload, Place};

#[pyclass(frozen, name = "GradingControlPoint", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingControlPoint {
    pub place: Place<GradingControlPoint>,
}

impl PyGradingControlPoint {
    pub fn owned(v: GradingControlPoint) -> Self {
        PyGradingControlPoint { place: Place::owned(v) }
    }
}

#[pymethods]
impl PyGradingControlPoint {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let o = Overload {
            params: &["x", "y"],
            required: 0,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &o) {
            let coord = |v: &Option<Bound<'_, PyAny>>| v.as_ref().map_or(Some(0.0), float_arg);
            if let (Some(x), Some(y)) = (coord(&a[0]), coord(&a[1])) {
                return Ok(Self::owned(GradingControlPoint::new(x, y)));
            }
        }
        Err(no_overload(
            "__init__",
            &[
                "PyOpenColorIO.PyOpenColorIO.GradingControlPoint()",
                "PyOpenColorIO.PyOpenColorIO.GradingControlPoint(x: typing.SupportsFloat = 0.0, \
                 y: typing.SupportsFloat = 0.0)",
            ],
            args,
            kwargs,
        ))
    }

    #[getter]
    fn x(&self) -> f64 {
        self.place.with(|p| p.x.into())
    }

    #[setter]
    fn set_x(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingControlPoint", value)?;
        slf.place.with(|p| p.x = value as f32);
        Ok(())
    }

    #[getter]
    fn y(&self) -> f64 {
        self.place.with(|p| p.y.into())
    }

    #[setter]
    fn set_y(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingControlPoint", value)?;
        slf.place.with(|p| p.y = value as f32);
        Ok(())
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        let (a, b) = (self.place.get(), other.place.get());
        a == b
    }

    fn __ne__(&self, other: PyRef<'_, Self>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.place.get().to_string()
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGradingControlPoint>()
}
