//! `GradingPrimary`: the values of a primary grade. Its RGBM members are
//! the primary's own (`p.gamma.red = 2` edits `p`); assigning one copies.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::GradingStyle;
use vfx_ocio::grading::primary::{NO_CLAMP_BLACK, NO_CLAMP_WHITE};
use vfx_ocio::grading::GradingPrimary;

use super::rgbm::PyGradingRGBM;
use super::{bad_call, bind, float_property, no_overload, object_property, Overload, Place, Views};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;

#[pyclass(frozen, name = "GradingPrimary", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingPrimary {
    pub place: Place<GradingPrimary>,
    views: Views<7>,
}

impl PyGradingPrimary {
    pub fn owned(v: GradingPrimary) -> Self {
        PyGradingPrimary {
            place: Place::owned(v),
            views: Views::default(),
        }
    }
}

/// Getter and setter of an RGBM member.
macro_rules! rgbm_member {
    ($get:ident, $set:ident, $field:ident, $i:expr) => {
        #[pymethods]
        impl PyGradingPrimary {
            #[getter]
            fn $get<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyGradingRGBM>> {
                slf.views.get(slf.py(), $i, || {
                    PyGradingRGBM::at(slf.place.project(|p| &mut p.$field))
                })
            }
            #[setter]
            fn $set(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let v = object_property::<_, PyGradingRGBM>(&slf, "GradingPrimary", "GradingRGBM", value)?;
                let v = v.get().place.get();
                slf.place.with(|p| p.$field = v);
                Ok(())
            }
        }
    };
}

/// Getter and setter of a number member.
macro_rules! f64_member {
    ($get:ident, $set:ident, $field:ident) => {
        #[pymethods]
        impl PyGradingPrimary {
            #[getter]
            fn $get(&self) -> f64 {
                self.place.with(|p| p.$field)
            }
            #[setter]
            fn $set(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let value = float_property(&slf, "GradingPrimary", value)?;
                slf.place.with(|p| p.$field = value);
                Ok(())
            }
        }
    };
}

rgbm_member!(brightness, set_brightness, brightness, 0);
rgbm_member!(contrast, set_contrast, contrast, 1);
rgbm_member!(gamma, set_gamma, gamma, 2);
rgbm_member!(offset, set_offset, offset, 3);
rgbm_member!(exposure, set_exposure, exposure, 4);
rgbm_member!(lift, set_lift, lift, 5);
rgbm_member!(gain, set_gain, gain, 6);
f64_member!(saturation, set_saturation, saturation);
f64_member!(pivot, set_pivot, pivot);
f64_member!(pivotBlack, set_pivotBlack, pivot_black);
f64_member!(pivotWhite, set_pivotWhite, pivot_white);
f64_member!(clampBlack, set_clampBlack, clamp_black);
f64_member!(clampWhite, set_clampWhite, clamp_white);

#[pymethods]
impl PyGradingPrimary {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let o = Overload {
            params: &["arg0"],
            required: 1,
            positional_only: true,
        };
        if let Some(a) = bind(args, kwargs, &o) {
            if let Some(Ok(style)) = a[0].as_ref().map(|s| s.extract::<E<GradingStyle>>()) {
                return Ok(Self::owned(GradingPrimary::new(style.0)));
            }
        }
        Err(no_overload(
            "__init__",
            &["PyOpenColorIO.PyOpenColorIO.GradingPrimary(arg0: PyOpenColorIO.PyOpenColorIO.GradingStyle)"],
            args,
            kwargs,
        ))
    }

    #[classattr]
    fn NoClampBlack() -> f64 {
        NO_CLAMP_BLACK
    }

    #[classattr]
    fn NoClampWhite() -> f64 {
        NO_CLAMP_WHITE
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn validate(slf: PyRef<'_, Self>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let o = Overload {
            params: &["arg0"],
            required: 1,
            positional_only: true,
        };
        let style =
            bind(args, kwargs, &o).and_then(|a| a[0].as_ref().and_then(|s| s.extract::<E<GradingStyle>>().ok()));
        let Some(style) = style else {
            let given: Vec<Bound<'_, PyAny>> = args.iter().collect();
            return Err(bad_call(
                &slf,
                "validate(self: PyOpenColorIO.PyOpenColorIO.GradingPrimary, arg0: PyOpenColorIO.PyOpenColorIO.GradingStyle) \
                 -> None",
                &given.iter().collect::<Vec<_>>(),
            ));
        };
        slf.place.get().validate(style.0).py()
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
    m.add_class::<PyGradingPrimary>()
}
