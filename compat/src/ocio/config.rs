//! `Config` over `vfx_ocio::config::Config`.

use std::sync::Mutex;

use pyo3::exceptions::PyNotImplementedError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use vfx_ocio::config::Config;
use vfx_ocio::enums::TransformDirection;

use super::enums::E;
use super::errors::OcioResultExt;
use super::processor::PyProcessor;
use super::transform::{to_engine, PyTransform};

#[pyclass(frozen, name = "Config", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyConfig {
    inner: Mutex<Config>,
}

impl PyConfig {
    fn lock(&self) -> std::sync::MutexGuard<'_, Config> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pymethods]
impl PyConfig {
    #[new]
    fn new() -> Self {
        PyConfig {
            inner: Mutex::new(Config::default()),
        }
    }

    fn getMajorVersion(&self) -> u32 {
        self.lock().major
    }

    fn getMinorVersion(&self) -> u32 {
        self.lock().minor
    }

    fn getName(&self) -> String {
        self.lock().name.clone()
    }

    fn setName(&self, name: &str) {
        self.lock().name = name.to_string();
    }

    /// The transform forms `(transform)` and `(transform, direction)`; the
    /// colour-space, display/view and named-transform forms need the
    /// config model that is not there yet.
    #[pyo3(signature = (*args))]
    fn getProcessor(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<PyProcessor> {
        let first = args.get_item(0).ok();
        let Some(t) = first.as_ref().and_then(|a| a.cast::<PyTransform>().ok()) else {
            return Err(PyNotImplementedError::new_err(
                "Config.getProcessor: only the (transform[, direction]) forms are implemented so far",
            ));
        };
        let dir = match args.len() {
            1 => TransformDirection::Forward,
            2 => args.get_item(1)?.extract::<E<TransformDirection>>()?.0,
            _ => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "getProcessor(): incompatible function arguments",
                ))
            }
        };
        let t = to_engine(t)?;
        let config = self.lock().clone();
        let inner = py.detach(|| config.processor_for_transform(&t, dir)).py()?;
        Ok(PyProcessor { inner })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyConfig>()
}
