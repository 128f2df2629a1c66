//! `GradingTone`: the values of a tonal grade. Its RGBMSW members are the
//! tone's own (`t.whites.red = 2` edits `t`); assigning one copies.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::GradingStyle;
use vfx_ocio::grading::GradingTone;

use super::rgbmsw::PyGradingRGBMSW;
use super::{bind, float_property, no_overload, object_property, Overload, Place, Views};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;

#[pyclass(frozen, name = "GradingTone", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingTone {
    pub place: Place<GradingTone>,
    views: Views<5>,
}

impl PyGradingTone {
    pub fn owned(v: GradingTone) -> Self {
        PyGradingTone {
            place: Place::owned(v),
            views: Views::default(),
        }
    }
}

/// Getter and setter of an RGBMSW member.
macro_rules! rgbmsw_member {
    ($get:ident, $set:ident, $i:expr) => {
        #[pymethods]
        impl PyGradingTone {
            #[getter]
            fn $get<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyGradingRGBMSW>> {
                slf.views.get(slf.py(), $i, || {
                    PyGradingRGBMSW::at(slf.place.project(|t| &mut t.$get))
                })
            }
            #[setter]
            fn $set(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
                let v = object_property::<_, PyGradingRGBMSW>(&slf, "GradingTone", "GradingRGBMSW", value)?;
                let v = v.get().place.get();
                slf.place.with(|t| t.$get = v);
                Ok(())
            }
        }
    };
}

rgbmsw_member!(blacks, set_blacks, 0);
rgbmsw_member!(shadows, set_shadows, 1);
rgbmsw_member!(midtones, set_midtones, 2);
rgbmsw_member!(highlights, set_highlights, 3);
rgbmsw_member!(whites, set_whites, 4);

#[pymethods]
impl PyGradingTone {
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
                return Ok(Self::owned(GradingTone::new(style.0)));
            }
        }
        Err(no_overload(
            "__init__",
            &["PyOpenColorIO.PyOpenColorIO.GradingTone(arg0: PyOpenColorIO.PyOpenColorIO.GradingStyle)"],
            args,
            kwargs,
        ))
    }

    #[getter]
    fn scontrast(&self) -> f64 {
        self.place.with(|t| t.scontrast)
    }

    #[setter]
    fn set_scontrast(slf: PyRef<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = float_property(&slf, "GradingTone", value)?;
        slf.place.with(|t| t.scontrast = value);
        Ok(())
    }

    fn validate(&self) -> PyResult<()> {
        self.place.get().validate().py()
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
    m.add_class::<PyGradingTone>()
}
