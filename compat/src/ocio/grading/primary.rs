//! `GradingRGBM` and `GradingPrimary`.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::GradingStyle;
use vfx_ocio::grading::primary::{NO_CLAMP_BLACK, NO_CLAMP_WHITE};
use vfx_ocio::grading::{GradingPrimary, GradingRgbm};

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;

type Field = fn(&mut GradingPrimary) -> &mut GradingRgbm;

/// Where a GradingRGBM's values live.
#[derive(Clone)]
enum Slot {
    Own(Arc<Mutex<GradingRgbm>>),
    InPrimary(Arc<Mutex<GradingPrimary>>, Field),
}

#[pyclass(frozen, name = "GradingRGBM", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingRGBM {
    slot: Slot,
}

impl PyGradingRGBM {
    pub fn own(v: GradingRgbm) -> Self {
        PyGradingRGBM {
            slot: Slot::Own(Arc::new(Mutex::new(v))),
        }
    }

    pub fn get(&self) -> GradingRgbm {
        match &self.slot {
            Slot::Own(a) => *a.lock().unwrap_or_else(|e| e.into_inner()),
            Slot::InPrimary(p, f) => *f(&mut p.lock().unwrap_or_else(|e| e.into_inner())),
        }
    }

    fn update(&self, g: impl FnOnce(&mut GradingRgbm)) {
        match &self.slot {
            Slot::Own(a) => g(&mut a.lock().unwrap_or_else(|e| e.into_inner())),
            Slot::InPrimary(p, f) => g(f(&mut p.lock().unwrap_or_else(|e| e.into_inner()))),
        }
    }
}

#[pymethods]
impl PyGradingRGBM {
    /// `()` or `(red, green, blue, master)` (all four, by position or keyword).
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let n_kw = kwargs.map_or(0, |k| k.len());
        if args.is_empty() && n_kw == 0 {
            return Ok(PyGradingRGBM::own(GradingRgbm::default()));
        }
        let names = ["red", "green", "blue", "master"];
        let mut v = [0.0; 4];
        for (i, name) in names.iter().enumerate() {
            let item = match args.get_item(i) {
                Ok(x) => Some(x),
                Err(_) => kwargs.and_then(|k| k.get_item(name).ok().flatten()),
            };
            v[i] = item
                .ok_or_else(|| PyTypeError::new_err("__init__(): incompatible constructor arguments"))?
                .extract()?;
        }
        if args.len() + n_kw != 4 {
            return Err(PyTypeError::new_err("__init__(): incompatible constructor arguments"));
        }
        Ok(PyGradingRGBM::own(GradingRgbm::new(v[0], v[1], v[2], v[3])))
    }

    #[getter]
    fn red(&self) -> f64 {
        self.get().red
    }
    #[setter]
    fn set_red(&self, v: f64) {
        self.update(|x| x.red = v)
    }
    #[getter]
    fn green(&self) -> f64 {
        self.get().green
    }
    #[setter]
    fn set_green(&self, v: f64) {
        self.update(|x| x.green = v)
    }
    #[getter]
    fn blue(&self) -> f64 {
        self.get().blue
    }
    #[setter]
    fn set_blue(&self, v: f64) {
        self.update(|x| x.blue = v)
    }
    #[getter]
    fn master(&self) -> f64 {
        self.get().master
    }
    #[setter]
    fn set_master(&self, v: f64) {
        self.update(|x| x.master = v)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyGradingRGBM>().is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.get().to_string()
    }
}

#[pyclass(frozen, name = "GradingPrimary", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingPrimary {
    inner: Arc<Mutex<GradingPrimary>>,
}

impl PyGradingPrimary {
    pub fn from_engine(p: GradingPrimary) -> Self {
        PyGradingPrimary {
            inner: Arc::new(Mutex::new(p)),
        }
    }

    pub fn get(&self) -> GradingPrimary {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn update<R>(&self, f: impl FnOnce(&mut GradingPrimary) -> R) -> R {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn view(&self, field: Field) -> PyGradingRGBM {
        PyGradingRGBM {
            slot: Slot::InPrimary(self.inner.clone(), field),
        }
    }
}

/// A live RGBM field and a scalar field of GradingPrimary.
macro_rules! rgbm_field {
    ($field:ident, $set:ident) => {
        #[pymethods]
        impl PyGradingPrimary {
            #[getter]
            fn $field(&self) -> PyGradingRGBM {
                self.view(|p| &mut p.$field)
            }
            #[setter]
            fn $set(&self, v: PyRef<'_, PyGradingRGBM>) {
                let v = v.get();
                self.update(|p| p.$field = v)
            }
        }
    };
}
macro_rules! scalar_field {
    ($field:ident, $get:ident, $set:ident) => {
        #[pymethods]
        impl PyGradingPrimary {
            #[getter]
            fn $get(&self) -> f64 {
                self.get().$field
            }
            #[setter]
            fn $set(&self, v: f64) {
                self.update(|p| p.$field = v)
            }
        }
    };
}

rgbm_field!(brightness, set_brightness);
rgbm_field!(contrast, set_contrast);
rgbm_field!(gamma, set_gamma);
rgbm_field!(offset, set_offset);
rgbm_field!(exposure, set_exposure);
rgbm_field!(lift, set_lift);
rgbm_field!(gain, set_gain);
scalar_field!(saturation, saturation, set_saturation);
scalar_field!(pivot, pivot, set_pivot);
scalar_field!(pivot_white, pivotWhite, set_pivotWhite);
scalar_field!(pivot_black, pivotBlack, set_pivotBlack);
scalar_field!(clamp_white, clampWhite, set_clampWhite);
scalar_field!(clamp_black, clampBlack, set_clampBlack);

#[pymethods]
impl PyGradingPrimary {
    #[new]
    #[pyo3(signature = (arg0))]
    fn new(arg0: E<GradingStyle>) -> Self {
        PyGradingPrimary::from_engine(GradingPrimary::new(arg0.0))
    }

    #[classattr]
    fn NoClampWhite() -> f64 {
        NO_CLAMP_WHITE
    }

    #[classattr]
    fn NoClampBlack() -> f64 {
        NO_CLAMP_BLACK
    }

    fn validate(&self, style: E<GradingStyle>) -> PyResult<()> {
        self.get().validate(style.0).py()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyGradingPrimary>()
            .is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.get().to_string()
    }
}
