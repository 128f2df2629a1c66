//! `GradingRGBCurve`: red, green, blue and master curves. `c.red` is the
//! set's own curve (edits go to the set); assigning copies into it. Like
//! the reference, the class has no `__repr__` of its own.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::GradingStyle;
use vfx_ocio::grading::{GradingBSplineCurve, GradingRGBCurve};

use super::bspline::PyGradingBSplineCurve;
use super::{bind, no_overload, object_property, Overload, Place, Views};
use crate::ocio::enums::E;
use crate::ocio::errors::{Exception, OcioResultExt};

#[pyclass(frozen, weakref, name = "GradingRGBCurve", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingRGBCurve {
    pub place: Place<GradingRGBCurve>,
    views: Views<4>,
}

impl PyGradingRGBCurve {
    pub fn at(place: Place<GradingRGBCurve>) -> Self {
        PyGradingRGBCurve {
            place,
            views: Views::default(),
        }
    }

    fn curve<'py>(slf: PyRef<'py, Self>, i: usize) -> PyResult<Bound<'py, PyGradingBSplineCurve>> {
        slf.views.get(slf.py(), i, || {
            PyGradingBSplineCurve::at(slf.place.project(move |c| &mut c.curves[i]))
        })
    }

    fn set_curve(slf: PyRef<'_, Self>, i: usize, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let v = object_property::<_, PyGradingBSplineCurve>(&slf, "GradingRGBCurve", "GradingBSplineCurve", value)?;
        let v = v.get().place.get();
        slf.place.with(|c| c.curves[i] = v);
        Ok(())
    }
}

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingRGBCurve(style: PyOpenColorIO.PyOpenColorIO.GradingStyle)",
    "PyOpenColorIO.PyOpenColorIO.GradingRGBCurve(red: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve = \
     <control_points=[<x=0, y=0><x=0.5, y=0.5><x=1, y=1>]>, green: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve = \
     <control_points=[<x=0, y=0><x=0.5, y=0.5><x=1, y=1>]>, blue: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve = \
     <control_points=[<x=0, y=0><x=0.5, y=0.5><x=1, y=1>]>, master: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve = \
     <control_points=[<x=0, y=0><x=0.5, y=0.5><x=1, y=1>]>)",
];

#[pymethods]
impl PyGradingRGBCurve {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let by_style = Overload {
            params: &["style"],
            required: 1,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &by_style) {
            if let Some(Ok(style)) = a[0].as_ref().map(|s| s.extract::<E<GradingStyle>>()) {
                return Ok(Self::at(Place::owned(GradingRGBCurve::new(style.0))));
            }
        }
        let by_curves = Overload {
            params: &["red", "green", "blue", "master"],
            required: 0,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &by_curves) {
            // Each curve: given (None stands for a missing one), or the default.
            let curves: Option<Vec<Option<_>>> = a
                .iter()
                .map(|c| match c {
                    None => Some(Some(GradingRGBCurve::default_curve(GradingStyle::Log))),
                    Some(c) if c.is_none() => Some(None),
                    Some(c) => c
                        .cast::<PyGradingBSplineCurve>()
                        .ok()
                        .map(|c| Some(c.get().place.get())),
                })
                .collect();
            if let Some(curves) = curves {
                let given: Option<Vec<GradingBSplineCurve>> = curves.into_iter().collect();
                let Some([r, g, b, m]) = given.and_then(|v| <[GradingBSplineCurve; 4]>::try_from(v).ok()) else {
                    return Err(Exception::new_err("All curves have to be defined"));
                };
                return Ok(Self::at(Place::owned(GradingRGBCurve::from_curves(r, g, b, m))));
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    #[getter]
    fn red(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyGradingBSplineCurve>> {
        Self::curve(slf, 0)
    }
    #[setter]
    fn set_red(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        Self::set_curve(slf, 0, value)
    }
    #[getter]
    fn green(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyGradingBSplineCurve>> {
        Self::curve(slf, 1)
    }
    #[setter]
    fn set_green(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        Self::set_curve(slf, 1, value)
    }
    #[getter]
    fn blue(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyGradingBSplineCurve>> {
        Self::curve(slf, 2)
    }
    #[setter]
    fn set_blue(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        Self::set_curve(slf, 2, value)
    }
    #[getter]
    fn master(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyGradingBSplineCurve>> {
        Self::curve(slf, 3)
    }
    #[setter]
    fn set_master(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        Self::set_curve(slf, 3, value)
    }

    fn validate(&self) -> PyResult<()> {
        self.place.with(|c| c.validate()).py()
    }

    fn isIdentity(&self) -> bool {
        self.place.with(|c| c.is_identity())
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        let (a, b) = (self.place.get(), other.place.get());
        a == b
    }

    fn __ne__(&self, other: PyRef<'_, Self>) -> bool {
        !self.__eq__(other)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGradingRGBCurve>()
}
