//! `Look` over `vfx_ocio::config::Look`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use vfx_ocio::config::Look;

use super::held::Held;
use super::transform_arg;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::PyTransform;

#[pyclass(frozen, name = "Look", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLook {
    inner: Mutex<Look>,
    /// The transform objects handed out (edits to them are the element's).
    held: Held<2>,
}

impl PyLook {
    pub fn from_engine(l: Look) -> Self {
        PyLook {
            inner: Mutex::new(l),
            held: Held::default(),
        }
    }

    /// The engine value, with the current parameters of the transform
    /// objects handed out.
    pub fn lock(&self) -> MutexGuard<'_, Look> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let v = &mut *guard;
        self.held.sync([&mut v.transform, &mut v.inverse_transform]);
        guard
    }
}

#[pymethods]
impl PyLook {
    #[new]
    #[pyo3(signature = (name = String::new(), processSpace = String::new(), transform = None,
                        inverseTransform = None, description = String::new()))]
    fn new(
        name: String,
        processSpace: String,
        transform: Option<Bound<'_, PyTransform>>,
        inverseTransform: Option<Bound<'_, PyTransform>>,
        description: String,
    ) -> PyResult<Self> {
        Ok(PyLook::from_engine(Look {
            name,
            process_space: processSpace,
            transform: transform_arg(transform.as_ref())?,
            inverse_transform: transform_arg(inverseTransform.as_ref())?,
            description,
            ..Default::default()
        }))
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyLook::from_engine(self.lock().clone())
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }

    fn getName(&self) -> String {
        self.lock().name.clone()
    }

    fn setName(&self, name: &str) {
        self.lock().name = name.to_string()
    }

    fn getProcessSpace(&self) -> String {
        self.lock().process_space.clone()
    }

    fn setProcessSpace(&self, processSpace: &str) {
        self.lock().process_space = processSpace.to_string()
    }

    fn getDescription(&self) -> String {
        self.lock().description.clone()
    }

    fn setDescription(&self, description: &str) {
        self.lock().description = description.to_string()
    }

    fn getTransform(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().transform.clone();
        self.held.get(py, 0, t)
    }

    #[pyo3(signature = (transform))]
    fn setTransform(&self, transform: Option<Bound<'_, PyTransform>>) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.held.forget(0);
        self.lock().transform = t;
        Ok(())
    }

    fn getInverseTransform(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().inverse_transform.clone();
        self.held.get(py, 1, t)
    }

    #[pyo3(signature = (transform))]
    fn setInverseTransform(&self, transform: Option<Bound<'_, PyTransform>>) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.held.forget(1);
        self.lock().inverse_transform = t;
        Ok(())
    }

    #[pyo3(signature = (attrName))]
    fn getInterchangeAttribute(&self, attrName: Option<&str>) -> PyResult<String> {
        let name = attrName.unwrap_or("");
        self.lock().interchange.get(name).map(str::to_string).py()
    }

    #[pyo3(signature = (attrName, attrValue))]
    fn setInterchangeAttribute(&self, attrName: Option<&str>, attrValue: Option<&str>) -> PyResult<()> {
        let name = attrName.unwrap_or("");
        self.lock().interchange.set(name, attrValue.unwrap_or("")).py()
    }

    fn getInterchangeAttributes(&self) -> BTreeMap<String, String> {
        self.lock().interchange.values.clone()
    }
}
