//! `GradingRGBM`: red, green, blue and master of one primary control. An
//! object may be a part of a `GradingPrimary` (`primary.gamma`): edits then
//! go to the primary.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::grading::GradingRGBM;

use super::{arg, bind, float_property, no_overload, Overload, Place};

#[pyclass(frozen, weakref, name = "GradingRGBM", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingRGBM {
    pub place: Place<GradingRGBM>,
}

impl PyGradingRGBM {
    pub fn at(place: Place<GradingRGBM>) -> Self {
        PyGradingRGBM { place }
    }
}

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingRGBM()",
    "PyOpenColorIO.PyOpenColorIO.GradingRGBM(red: typing.SupportsFloat, green: typing.SupportsFloat, \
     blue: typing.SupportsFloat, master: typing.SupportsFloat)",
];

#[pymethods]
impl PyGradingRGBM {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let none = Overload {
            params: &[],
            required: 0,
            positional_only: false,
        };
        if bind(args, kwargs, &none).is_some() {
            return Ok(Self::at(Place::owned(GradingRGBM::default())));
        }
        let full = Overload {
            params: &["red", "green", "blue", "master"],
            required: 4,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &full) {
            if let (Some(r), Some(g), Some(b), Some(m)) =
                (arg(&a[0], 0.0), arg(&a[1], 0.0), arg(&a[2], 0.0), arg(&a[3], 0.0))
            {
                return Ok(Self::at(Place::owned(GradingRGBM::new(r, g, b, m))));
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    #[getter]
    fn red(&self) -> f64 {
        self.place.with(|v| v.red)
    }
    #[setter]
    fn set_red(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBM", value)?;
        slf.place.with(|v| v.red = value);
        Ok(())
    }
    #[getter]
    fn green(&self) -> f64 {
        self.place.with(|v| v.green)
    }
    #[setter]
    fn set_green(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBM", value)?;
        slf.place.with(|v| v.green = value);
        Ok(())
    }
    #[getter]
    fn blue(&self) -> f64 {
        self.place.with(|v| v.blue)
    }
    #[setter]
    fn set_blue(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBM", value)?;
        slf.place.with(|v| v.blue = value);
        Ok(())
    }
    #[getter]
    fn master(&self) -> f64 {
        self.place.with(|v| v.master)
    }
    #[setter]
    fn set_master(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBM", value)?;
        slf.place.with(|v| v.master = value);
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
    m.add_class::<PyGradingRGBM>()
}
