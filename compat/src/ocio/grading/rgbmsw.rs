//! `GradingRGBMSW`: red, green, blue, master, start and width of one tonal
//! control. An object may be a part of a `GradingTone` (`tone.whites`):
//! edits then go to the tone.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::grading::GradingRGBMSW;

use super::{arg, bind, float_property, no_overload, Overload, Place};

#[pyclass(frozen, weakref, name = "GradingRGBMSW", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingRGBMSW {
    pub place: Place<GradingRGBMSW>,
}

impl PyGradingRGBMSW {
    pub fn at(place: Place<GradingRGBMSW>) -> Self {
        PyGradingRGBMSW { place }
    }
}

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingRGBMSW()",
    "PyOpenColorIO.PyOpenColorIO.GradingRGBMSW(red: typing.SupportsFloat, green: typing.SupportsFloat, \
     blue: typing.SupportsFloat, master: typing.SupportsFloat, start: typing.SupportsFloat, \
     width: typing.SupportsFloat)",
    "PyOpenColorIO.PyOpenColorIO.GradingRGBMSW(start: typing.SupportsFloat, width: typing.SupportsFloat)",
];

#[pymethods]
impl PyGradingRGBMSW {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let none = Overload {
            params: &[],
            required: 0,
            positional_only: false,
        };
        if bind(args, kwargs, &none).is_some() {
            return Ok(Self::at(Place::owned(GradingRGBMSW::default())));
        }
        let full = Overload {
            params: &["red", "green", "blue", "master", "start", "width"],
            required: 6,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &full) {
            let v: Option<Vec<f64>> = a.iter().map(|x| arg(x, 0.0)).collect();
            if let Some(v) = v {
                return Ok(Self::at(Place::owned(GradingRGBMSW::new(
                    v[0], v[1], v[2], v[3], v[4], v[5],
                ))));
            }
        }
        let range = Overload {
            params: &["start", "width"],
            required: 2,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &range) {
            if let (Some(s), Some(w)) = (arg(&a[0], 0.0), arg(&a[1], 0.0)) {
                return Ok(Self::at(Place::owned(GradingRGBMSW::range(s, w))));
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
        let value = float_property(&slf, "GradingRGBMSW", value)?;
        slf.place.with(|v| v.red = value);
        Ok(())
    }
    #[getter]
    fn green(&self) -> f64 {
        self.place.with(|v| v.green)
    }
    #[setter]
    fn set_green(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBMSW", value)?;
        slf.place.with(|v| v.green = value);
        Ok(())
    }
    #[getter]
    fn blue(&self) -> f64 {
        self.place.with(|v| v.blue)
    }
    #[setter]
    fn set_blue(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBMSW", value)?;
        slf.place.with(|v| v.blue = value);
        Ok(())
    }
    #[getter]
    fn master(&self) -> f64 {
        self.place.with(|v| v.master)
    }
    #[setter]
    fn set_master(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBMSW", value)?;
        slf.place.with(|v| v.master = value);
        Ok(())
    }
    #[getter]
    fn start(&self) -> f64 {
        self.place.with(|v| v.start)
    }
    #[setter]
    fn set_start(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBMSW", value)?;
        slf.place.with(|v| v.start = value);
        Ok(())
    }
    #[getter]
    fn width(&self) -> f64 {
        self.place.with(|v| v.width)
    }
    #[setter]
    fn set_width(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingRGBMSW", value)?;
        slf.place.with(|v| v.width = value);
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
    m.add_class::<PyGradingRGBMSW>()
}
