//! `NamedTransform` over `vfx_ocio::config::NamedTransform`.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use vfx_ocio::config::NamedTransform;
use vfx_ocio::enums::TransformDirection;

use super::{transform_arg, transform_out};
use crate::ocio::enums::E;
use crate::ocio::iter::{OutOfRange, PyOcioIterator};
use crate::ocio::transform::PyTransform;

#[pyclass(frozen, name = "NamedTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyNamedTransform {
    inner: Mutex<NamedTransform>,
}

impl PyNamedTransform {
    pub fn from_engine(n: NamedTransform) -> Self {
        PyNamedTransform { inner: Mutex::new(n) }
    }

    pub fn lock(&self) -> MutexGuard<'_, NamedTransform> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// get/set of one text attribute.
macro_rules! text_attr {
    ($field:ident, $get:ident, $set:ident, $arg:ident) => {
        #[pymethods]
        impl PyNamedTransform {
            fn $get(&self) -> String {
                self.lock().$field.clone()
            }
            fn $set(&self, $arg: &str) {
                self.lock().$field = $arg.to_string();
            }
        }
    };
}

text_attr!(family, getFamily, setFamily, family);
text_attr!(description, getDescription, setDescription, description);
text_attr!(encoding, getEncoding, setEncoding, encoding);

#[pymethods]
impl PyNamedTransform {
    #[new]
    #[pyo3(signature = (name = String::new(), aliases = Vec::new(), family = String::new(),
                        description = String::new(), forwardTransform = None, inverseTransform = None,
                        categories = Vec::new()))]
    fn new(
        name: String,
        aliases: Vec<String>,
        family: String,
        description: String,
        forwardTransform: Option<Bound<'_, PyTransform>>,
        inverseTransform: Option<Bound<'_, PyTransform>>,
        categories: Vec<String>,
    ) -> PyResult<Self> {
        let mut n = NamedTransform::default();
        n.set_name(&name);
        for a in &aliases {
            n.add_alias(a);
        }
        n.family = family;
        n.description = description;
        n.forward = transform_arg(forwardTransform.as_ref())?;
        n.inverse = transform_arg(inverseTransform.as_ref())?;
        for c in &categories {
            n.categories.add(c);
        }
        Ok(PyNamedTransform::from_engine(n))
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyNamedTransform::from_engine(self.lock().clone())
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }

    fn getName(&self) -> String {
        self.lock().name.clone()
    }

    fn setName(&self, name: &str) {
        self.lock().set_name(name)
    }

    fn getAliases(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let v = self.lock().aliases.clone();
        PyOcioIterator::from_values(py, v, OutOfRange::IndexError)
    }

    fn hasAlias(&self, alias: &str) -> bool {
        self.lock().has_alias(alias)
    }

    fn addAlias(&self, alias: &str) {
        self.lock().add_alias(alias)
    }

    fn removeAlias(&self, alias: &str) {
        self.lock().remove_alias(alias)
    }

    fn clearAliases(&self) {
        self.lock().aliases.clear()
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

    fn getTransform(&self, py: Python<'_>, direction: E<TransformDirection>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().transform(direction.0).cloned();
        transform_out(py, t)
    }

    #[pyo3(signature = (transform, direction))]
    fn setTransform(
        &self,
        transform: Option<Bound<'_, PyTransform>>,
        direction: E<TransformDirection>,
    ) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.lock().set_transform(t, direction.0);
        Ok(())
    }

    /// The transform for `direction`, derived from the other one if needed.
    #[staticmethod]
    fn GetTransform(
        py: Python<'_>,
        transform: PyRef<'_, PyNamedTransform>,
        direction: E<TransformDirection>,
    ) -> PyResult<Option<Py<PyTransform>>> {
        let t = transform.lock().resolved_transform(direction.0);
        transform_out(py, t)
    }
}
