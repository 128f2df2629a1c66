//! `ViewTransform` over `vfx_ocio::config::ViewTransform`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use vfx_ocio::config::ViewTransform;
use vfx_ocio::enums::{ReferenceSpaceType, ViewTransformDirection};

use super::{transform_arg, transform_out};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::iter::{OutOfRange, PyOcioIterator};
use crate::ocio::transform::PyTransform;

#[pyclass(frozen, name = "ViewTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyViewTransform {
    inner: Mutex<ViewTransform>,
}

impl PyViewTransform {
    pub fn from_engine(v: ViewTransform) -> Self {
        PyViewTransform { inner: Mutex::new(v) }
    }

    pub fn lock(&self) -> MutexGuard<'_, ViewTransform> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pymethods]
impl PyViewTransform {
    #[new]
    #[pyo3(signature = (referenceSpace = E(ReferenceSpaceType::Scene), name = String::new(), family = String::new(),
                        description = String::new(), toReference = None, fromReference = None,
                        categories = Vec::new()))]
    fn new(
        referenceSpace: E<ReferenceSpaceType>,
        name: String,
        family: String,
        description: String,
        toReference: Option<Bound<'_, PyTransform>>,
        fromReference: Option<Bound<'_, PyTransform>>,
        categories: Vec<String>,
    ) -> PyResult<Self> {
        let mut v = ViewTransform::new(referenceSpace.0);
        v.name = name;
        v.family = family;
        v.description = description;
        v.to_reference = transform_arg(toReference.as_ref())?;
        v.from_reference = transform_arg(fromReference.as_ref())?;
        for c in &categories {
            v.categories.add(c);
        }
        Ok(PyViewTransform::from_engine(v))
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyViewTransform::from_engine(self.lock().clone())
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

    fn getFamily(&self) -> String {
        self.lock().family.clone()
    }

    fn setFamily(&self, family: &str) {
        self.lock().family = family.to_string()
    }

    fn getDescription(&self) -> String {
        self.lock().description.clone()
    }

    fn setDescription(&self, description: &str) {
        self.lock().description = description.to_string()
    }

    fn getReferenceSpaceType(&self) -> E<ReferenceSpaceType> {
        E(self.lock().reference_space)
    }

    fn getCategories(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let v = self.lock().categories.0.clone();
        PyOcioIterator::from_values(py, v, OutOfRange::IndexError)
    }

    fn hasCategory(&self, category: &str) -> bool {
        self.lock().categories.has(category)
    }

    fn addCategory(&self, category: &str) {
        self.lock().categories.add(category)
    }

    fn removeCategory(&self, category: &str) {
        self.lock().categories.remove(category)
    }

    fn clearCategories(&self) {
        self.lock().categories.clear()
    }

    fn getTransform(&self, py: Python<'_>, direction: E<ViewTransformDirection>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().transform(direction.0).cloned();
        transform_out(py, t)
    }

    #[pyo3(signature = (transform, direction))]
    fn setTransform(
        &self,
        transform: Option<Bound<'_, PyTransform>>,
        direction: E<ViewTransformDirection>,
    ) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.lock().set_transform(t, direction.0);
        Ok(())
    }

    fn getInterchangeAttribute(&self, attrName: &str) -> PyResult<String> {
        self.lock().interchange.get(attrName).map(str::to_string).py()
    }

    #[pyo3(signature = (attrName, value))]
    fn setInterchangeAttribute(&self, attrName: &str, value: Option<&str>) -> PyResult<()> {
        self.lock().interchange.set(attrName, value.unwrap_or("")).py()
    }

    fn getInterchangeAttributes(&self) -> BTreeMap<String, String> {
        self.lock().interchange.values.clone()
    }
}
