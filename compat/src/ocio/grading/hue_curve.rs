//! `GradingHueCurve`: the eight hue/saturation/luma curves. `c.hue_sat` is
//! the set's own curve (edits go to the set); assigning copies into it,
//! spline type and slopes included.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::GradingStyle;
use vfx_ocio::grading::GradingHueCurve;

use super::bspline::PyGradingBSplineCurve;
use super::{bind, no_overload, object_property, Overload, Place, Views};
use crate::ocio::enums::E;
use crate::ocio::errors::{Exception, OcioResultExt};

#[pyclass(frozen, weakref, name = "GradingHueCurve", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingHueCurve {
    pub place: Place<GradingHueCurve>,
    views: Views<8>,
}

impl PyGradingHueCurve {
    pub fn at(place: Place<GradingHueCurve>) -> Self {
        PyGradingHueCurve {
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
        let v = object_property::<_, PyGradingBSplineCurve>(&slf, "GradingHueCurve", "GradingBSplineCurve", value)?;
        let v = v.get().place.get();
        slf.place.with(|c| c.curves[i] = v);
        Ok(())
    }
}

/// Getter and setter of one curve.
macro_rules! curve_member {
    ($get:ident, $set:ident, $i:expr) => {
        #[pymethods]
        impl PyGradingHueCurve {
            #[getter]
            fn $get(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyGradingBSplineCurve>> {
                Self::curve(slf, $i)
            }
            #[setter]
            fn $set(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                Self::set_curve(slf, $i, value)
            }
        }
    };
}

curve_member!(hue_hue, set_hue_hue, 0);
curve_member!(hue_sat, set_hue_sat, 1);
curve_member!(hue_lum, set_hue_lum, 2);
curve_member!(lum_sat, set_lum_sat, 3);
curve_member!(sat_sat, set_sat_sat, 4);
curve_member!(lum_lum, set_lum_lum, 5);
curve_member!(sat_lum, set_sat_lum, 6);
curve_member!(hue_fx, set_hue_fx, 7);

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingHueCurve(style: PyOpenColorIO.PyOpenColorIO.GradingStyle)",
    "PyOpenColorIO.PyOpenColorIO.GradingHueCurve(arg0: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, \
     arg1: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, arg2: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, \
     arg3: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, arg4: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, \
     arg5: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, arg6: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve, \
     arg7: PyOpenColorIO.PyOpenColorIO.GradingBSplineCurve)",
];

#[pymethods]
impl PyGradingHueCurve {
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
                return Ok(Self::at(Place::owned(GradingHueCurve::new(style.0))));
            }
        }
        let by_curves = Overload {
            params: &["arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6", "arg7"],
            required: 8,
            positional_only: true,
        };
        if let Some(a) = bind(args, kwargs, &by_curves) {
            let given: Vec<&Bound<'_, PyAny>> = a.iter().flatten().collect();
            if given
                .iter()
                .all(|c| c.is_none() || c.cast::<PyGradingBSplineCurve>().is_ok())
            {
                let mut curve = GradingHueCurve::new(GradingStyle::Log);
                for (slot, c) in curve.curves.iter_mut().zip(given) {
                    let c = c
                        .cast::<PyGradingBSplineCurve>()
                        .map_err(|_| Exception::new_err("All curves have to be defined"))?;
                    *slot = c.get().place.get();
                }
                curve.validate().py()?;
                return Ok(Self::at(Place::owned(curve)));
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    fn getDrawCurveOnly(&self) -> bool {
        self.place.with(|c| c.draw_curve_only)
    }

    fn setDrawCurveOnly(&self, drawcurveonly: bool) {
        self.place.with(|c| c.draw_curve_only = drawcurveonly)
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

    fn __repr__(&self) -> String {
        self.place.with(|c| c.to_string())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGradingHueCurve>()
}
