//! `GradingBSplineCurve` and its `GradingControlPointIterator`. A curve
//! object may be a part of a `GradingRGBCurve` / `GradingHueCurve`
//! (`rgb.red`): edits then go to the owner. The iterator reaches into its
//! curve, so `curve.getControlPoints()[1] = point` edits the curve.

use std::sync::atomic::{AtomicI32, Ordering};

use pyo3::exceptions::{PyMemoryError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::{BSplineType, HueCurveType};
use vfx_ocio::grading::{GradingBSplineCurve, GradingControlPoint};

use super::control_point::PyGradingControlPoint;
use super::{bad_call, bind, float_seq, no_overload, ulong, Overload, Place};
use crate::ocio::enums::E;
use crate::ocio::errors::{Exception, OcioResultExt};

#[pyclass(
    frozen,
    weakref,
    name = "GradingBSplineCurve",
    module = "PyOpenColorIO.PyOpenColorIO"
)]
pub struct PyGradingBSplineCurve {
    pub place: Place<GradingBSplineCurve>,
}

impl PyGradingBSplineCurve {
    pub fn at(place: Place<GradingBSplineCurve>) -> Self {
        PyGradingBSplineCurve { place }
    }
}

fn memory_error() -> PyErr {
    PyMemoryError::new_err("std::bad_alloc")
}

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve(size: typing.SupportsInt)",
    "PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve(size: typing.SupportsInt, \
     huecurvetype: PyOpenColorIO.PyOpenColorIO.HueCurveType)",
    "PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve(size: typing.SupportsInt, \
     splinetype: PyOpenColorIO.PyOpenColorIO.BSplineType)",
    "PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve(arg0: collections.abc.Sequence[typing.SupportsFloat])",
    "PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve(arg0: collections.abc.Sequence[typing.SupportsFloat], \
     arg1: PyOpenColorIO.PyOpenColorIO.HueCurveType)",
];

/// A curve through the points of a flat `[x0, y0, x1, y1, ...]` list.
fn from_values(values: &[f32], spline_type: BSplineType) -> PyResult<GradingBSplineCurve> {
    if values.len() < 4 {
        return Err(Exception::new_err("GradingBSpline needs at least 4 values."));
    }
    if values.len() % 2 != 0 {
        return Err(Exception::new_err("GradingBSpline needs an even number of values."));
    }
    let pts: Vec<GradingControlPoint> = values
        .chunks_exact(2)
        .map(|p| GradingControlPoint::new(p[0], p[1]))
        .collect();
    Ok(GradingBSplineCurve::from_points(&pts, spline_type))
}

/// The most control points a C++ `std::vector` of them may hold (8-byte
/// points): beyond it the reference's vector refuses with a length error.
const MAX_POINTS: u64 = (i64::MAX as u64) / 8;

fn with_size(size: u64, spline_type: BSplineType) -> PyResult<GradingBSplineCurve> {
    if size > MAX_POINTS {
        return Err(PyValueError::new_err(
            "cannot create std::vector larger than max_size()",
        ));
    }
    let size = usize::try_from(size).map_err(|_| memory_error())?;
    GradingBSplineCurve::with_size(size, spline_type).map_err(|_| memory_error())
}

#[pymethods]
impl PyGradingBSplineCurve {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let own = |c: GradingBSplineCurve| Ok(Self::at(Place::owned(c)));
        let o = |params: &'static [&'static str], positional_only| Overload {
            params,
            required: params.len(),
            positional_only,
        };
        if let Some(a) = bind(args, kwargs, &o(&["size"], false)) {
            if let Some(n) = a[0].as_ref().and_then(ulong) {
                return own(with_size(n, BSplineType::BSpline)?);
            }
        }
        if let Some(a) = bind(args, kwargs, &o(&["size", "huecurvetype"], false)) {
            let n = a[0].as_ref().and_then(ulong);
            let t = a[1].as_ref().and_then(|t| t.extract::<E<HueCurveType>>().ok());
            if let (Some(n), Some(t)) = (n, t) {
                return own(with_size(n, GradingBSplineCurve::spline_type_for(t.0))?);
            }
        }
        if let Some(a) = bind(args, kwargs, &o(&["size", "splinetype"], false)) {
            let n = a[0].as_ref().and_then(ulong);
            let t = a[1].as_ref().and_then(|t| t.extract::<E<BSplineType>>().ok());
            if let (Some(n), Some(t)) = (n, t) {
                return own(with_size(n, t.0)?);
            }
        }
        if let Some(a) = bind(args, kwargs, &o(&["arg0"], true)) {
            if let Some(v) = a[0].as_ref().and_then(float_seq) {
                return own(from_values(&v, BSplineType::BSpline)?);
            }
        }
        if let Some(a) = bind(args, kwargs, &o(&["arg0", "arg1"], true)) {
            let v = a[0].as_ref().and_then(float_seq);
            let t = a[1].as_ref().and_then(|t| t.extract::<E<HueCurveType>>().ok());
            if let (Some(v), Some(t)) = (v, t) {
                return own(from_values(&v, GradingBSplineCurve::spline_type_for(t.0))?);
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    fn validate(&self) -> PyResult<()> {
        self.place.with(|c| c.validate()).py()
    }

    fn setNumControlPoints(slf: PyRef<'_, Self>, size: &Bound<'_, PyAny>) -> PyResult<()> {
        let n = ulong(size).ok_or_else(|| {
            bad_call(
                &slf,
                "setNumControlPoints(self: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, size: typing.SupportsInt) \
                 -> None",
                &[size],
            )
        })?;
        if n > MAX_POINTS {
            return Err(PyValueError::new_err("vector::_M_default_append"));
        }
        let n = usize::try_from(n).map_err(|_| memory_error())?;
        slf.place
            .with(|c| c.set_num_control_points(n))
            .map_err(|_| memory_error())
    }

    fn getControlPoints(&self) -> PyGradingControlPointIterator {
        PyGradingControlPointIterator {
            curve: self.place.clone(),
            next: AtomicI32::new(0),
        }
    }

    fn getSplineType(&self) -> E<BSplineType> {
        E(self.place.with(|c| c.spline_type))
    }

    fn setSplineType(&self, splinetype: E<BSplineType>) {
        self.place.with(|c| c.spline_type = splinetype.0)
    }

    fn slopesAreDefault(&self) -> bool {
        self.place.with(|c| c.slopes_are_default())
    }

    fn getSlopes(&self) -> Vec<f64> {
        self.place.with(|c| c.slopes().iter().map(|&s| f64::from(s)).collect())
    }

    #[pyo3(signature = (arg0, /))]
    fn setSlopes(slf: PyRef<'_, Self>, arg0: &Bound<'_, PyAny>) -> PyResult<()> {
        let slopes = float_seq(arg0).ok_or_else(|| {
            bad_call(
                &slf,
                "setSlopes(self: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, arg0: \
                 collections.abc.Sequence[typing.SupportsFloat]) -> None",
                &[arg0],
            )
        })?;
        slf.place.with(|c| c.set_slopes(&slopes)).py()
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        let (a, b) = (self.place.get(), other.place.get());
        a == b
    }

    fn __ne__(&self, other: PyRef<'_, Self>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.place.with(|c| c.to_string())
    }
}

/// The control points of a curve: indexable (`int` indices, as C `int`;
/// negative ones are out of bounds), assignable, with `len()`; iterating
/// consumes it (its `__iter__` is itself).
#[pyclass(frozen, name = "GradingControlPointIterator", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingControlPointIterator {
    curve: Place<GradingBSplineCurve>,
    next: AtomicI32,
}

/// A C `int` index converted to `size_t` as the reference does (negative
/// values wrap to huge ones); `None` for a non-int or out-of-range value.
fn c_index(i: &Bound<'_, PyAny>) -> Option<usize> {
    if i.is_instance_of::<pyo3::types::PyFloat>() {
        return None;
    }
    let v = i.extract::<i32>().ok()?;
    Some(i64::from(v) as u64 as usize)
}

const SIG_GETITEM: &str =
    "__getitem__(self: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve.GradingControlPointIterator, \
                           arg0: typing.SupportsInt) -> PyOpenColorIO.PyOpenColorIO.GradingControlPoint";
const SIG_SETITEM: &str =
    "__setitem__(self: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve.GradingControlPointIterator, \
                           arg0: typing.SupportsInt, arg1: PyOpenColorIO.PyOpenColorIO.GradingControlPoint) -> None";

#[pymethods]
impl PyGradingControlPointIterator {
    fn __len__(&self) -> usize {
        self.curve.with(|c| c.num_control_points())
    }

    fn __getitem__(slf: PyRef<'_, Self>, i: &Bound<'_, PyAny>) -> PyResult<PyGradingControlPoint> {
        let i = c_index(i).ok_or_else(|| bad_call(&slf, SIG_GETITEM, &[i]))?;
        let p = slf.curve.with(|c| c.control_point(i)).py()?;
        Ok(PyGradingControlPoint::owned(p))
    }

    fn __setitem__(slf: PyRef<'_, Self>, i: &Bound<'_, PyAny>, cpt: &Bound<'_, PyAny>) -> PyResult<()> {
        let (Some(idx), Ok(p)) = (c_index(i), cpt.cast::<PyGradingControlPoint>()) else {
            return Err(bad_call(&slf, SIG_SETITEM, &[i, cpt]));
        };
        let p = p.get().place.get();
        slf.curve.with(|c| c.set_control_point(idx, p)).py()
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<Option<PyGradingControlPoint>> {
        let n = i32::try_from(self.__len__()).unwrap_or(i32::MAX);
        let i = self.next.load(Ordering::Relaxed);
        if i >= n {
            return Ok(None);
        }
        self.next.store(i + 1, Ordering::Relaxed);
        let p = self.curve.with(|c| c.control_point(i as usize)).py()?;
        Ok(Some(PyGradingControlPoint::owned(p)))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGradingBSplineCurve>()?;
    // The iterator class is nested in the curve class, as in the reference.
    let py = m.py();
    let it = py.get_type::<PyGradingControlPointIterator>();
    it.setattr("__qualname__", "GradingBSplineCurve.GradingControlPointIterator")?;
    py.get_type::<PyGradingBSplineCurve>()
        .setattr("GradingControlPointIterator", it)?;
    Ok(())
}
