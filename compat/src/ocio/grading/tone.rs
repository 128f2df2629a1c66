//! `GradingRGBMSW` and `GradingTone`.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::GradingStyle;
use vfx_ocio::grading::{GradingRgbm, GradingRgbmsw, GradingTone};

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;

type Field = fn(&mut GradingTone) -> &mut GradingRgbmsw;

#[derive(Clone)]
enum Slot {
    Own(Arc<Mutex<GradingRgbmsw>>),
    InTone(Arc<Mutex<GradingTone>>, Field),
}

#[pyclass(frozen, name = "GradingRGBMSW", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingRGBMSW {
    slot: Slot,
}

impl PyGradingRGBMSW {
    pub fn own(v: GradingRgbmsw) -> Self {
        PyGradingRGBMSW {
            slot: Slot::Own(Arc::new(Mutex::new(v))),
        }
    }

    pub fn get(&self) -> GradingRgbmsw {
        match &self.slot {
            Slot::Own(a) => *a.lock().unwrap_or_else(|e| e.into_inner()),
            Slot::InTone(t, f) => *f(&mut t.lock().unwrap_or_else(|e| e.into_inner())),
        }
    }

    fn update(&self, g: impl FnOnce(&mut GradingRgbmsw)) {
        match &self.slot {
            Slot::Own(a) => g(&mut a.lock().unwrap_or_else(|e| e.into_inner())),
            Slot::InTone(t, f) => g(f(&mut t.lock().unwrap_or_else(|e| e.into_inner()))),
        }
    }
}

macro_rules! sw_field {
    ($get:ident, $set:ident, |$v:ident| $read:expr, |$w:ident, $x:ident| $write:expr) => {
        #[pymethods]
        impl PyGradingRGBMSW {
            #[getter]
            fn $get(&self) -> f64 {
                let $v = self.get();
                $read
            }
            #[setter]
            fn $set(&self, $x: f64) {
                self.update(|$w| $write)
            }
        }
    };
}

sw_field!(red, set_red, |v| v.rgbm.red, |w, x| w.rgbm.red = x);
sw_field!(green, set_green, |v| v.rgbm.green, |w, x| w.rgbm.green = x);
sw_field!(blue, set_blue, |v| v.rgbm.blue, |w, x| w.rgbm.blue = x);
sw_field!(master, set_master, |v| v.rgbm.master, |w, x| w.rgbm.master = x);
sw_field!(start, set_start, |v| v.start, |w, x| w.start = x);
sw_field!(width, set_width, |v| v.width, |w, x| w.width = x);

#[pymethods]
impl PyGradingRGBMSW {
    /// `()`, `(start, width)` or `(red, green, blue, master, start, width)`.
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let n = args.len() + kwargs.map_or(0, |k| k.len());
        let get = |i: usize, name: &str| -> PyResult<f64> {
            match args.get_item(i) {
                Ok(x) => x.extract(),
                Err(_) => kwargs
                    .and_then(|k| k.get_item(name).ok().flatten())
                    .ok_or_else(|| PyTypeError::new_err("__init__(): incompatible constructor arguments"))?
                    .extract(),
            }
        };
        let v = match n {
            0 => GradingRgbmsw::default(),
            2 => GradingRgbmsw::neutral(get(0, "start")?, get(1, "width")?),
            6 => GradingRgbmsw {
                rgbm: GradingRgbm::new(get(0, "red")?, get(1, "green")?, get(2, "blue")?, get(3, "master")?),
                start: get(4, "start")?,
                width: get(5, "width")?,
            },
            _ => return Err(PyTypeError::new_err("__init__(): incompatible constructor arguments")),
        };
        Ok(PyGradingRGBMSW::own(v))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyGradingRGBMSW>()
            .is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.get().to_string()
    }
}

#[pyclass(frozen, name = "GradingTone", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingTone {
    inner: Arc<Mutex<GradingTone>>,
}

impl PyGradingTone {
    pub fn from_engine(t: GradingTone) -> Self {
        PyGradingTone {
            inner: Arc::new(Mutex::new(t)),
        }
    }

    pub fn get(&self) -> GradingTone {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn update<R>(&self, f: impl FnOnce(&mut GradingTone) -> R) -> R {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn view(&self, field: Field) -> PyGradingRGBMSW {
        PyGradingRGBMSW {
            slot: Slot::InTone(self.inner.clone(), field),
        }
    }
}

macro_rules! tone_field {
    ($field:ident, $set:ident) => {
        #[pymethods]
        impl PyGradingTone {
            #[getter]
            fn $field(&self) -> PyGradingRGBMSW {
                self.view(|t| &mut t.$field)
            }
            #[setter]
            fn $set(&self, v: PyRef<'_, PyGradingRGBMSW>) {
                let v = v.get();
                self.update(|t| t.$field = v)
            }
        }
    };
}

tone_field!(blacks, set_blacks);
tone_field!(shadows, set_shadows);
tone_field!(midtones, set_midtones);
tone_field!(highlights, set_highlights);
tone_field!(whites, set_whites);

#[pymethods]
impl PyGradingTone {
    #[new]
    #[pyo3(signature = (arg0))]
    fn new(arg0: E<GradingStyle>) -> Self {
        PyGradingTone::from_engine(GradingTone::new(arg0.0))
    }

    #[getter]
    fn scontrast(&self) -> f64 {
        self.get().s_contrast
    }

    #[setter]
    fn set_scontrast(&self, v: f64) {
        self.update(|t| t.s_contrast = v)
    }

    fn validate(&self) -> PyResult<()> {
        self.get().validate().py()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyGradingTone>().is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.get().to_string()
    }
}
