//! `NamedTransform` over `vfx_ocio::config::NamedTransform`.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyType;
use vfx_ocio::config::NamedTransform;
use vfx_ocio::enums::TransformDirection;

use super::held::Held;
use super::iterators::{alias_at, live_iterator, nested, token_at, IndexKind};
use super::{transform_arg, transform_out};
use crate::ocio::enums::E;
use crate::ocio::errors::Exception;
use crate::ocio::transform::PyTransform;

#[pyclass(frozen, name = "NamedTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyNamedTransform {
    inner: Mutex<NamedTransform>,
    /// The transform objects handed out (edits to them are the element's).
    held: Held<2>,
}

impl PyNamedTransform {
    pub fn from_engine(n: NamedTransform) -> Self {
        PyNamedTransform {
            inner: Mutex::new(n),
            held: Held::default(),
        }
    }

    /// The engine value, with the current parameters of the transform
    /// objects handed out.
    pub fn lock(&self) -> MutexGuard<'_, NamedTransform> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let v = &mut *guard;
        self.held.sync([&mut v.forward, &mut v.inverse]);
        guard
    }

    fn slot(dir: TransformDirection) -> usize {
        match dir {
            TransformDirection::Forward => 0,
            TransformDirection::Inverse => 1,
        }
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

    #[classattr]
    fn NamedTransformAliasIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyNamedTransformAliasIterator>(), "NamedTransform")
    }

    #[classattr]
    fn NamedTransformCategoryIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyNamedTransformCategoryIterator>(), "NamedTransform")
    }

    fn getAliases(slf: Bound<'_, Self>) -> PyNamedTransformAliasIterator {
        PyNamedTransformAliasIterator::new(slf, 0)
    }

    #[pyo3(signature = (alias))]
    fn hasAlias(&self, alias: Option<&str>) -> bool {
        alias.is_some_and(|a| self.lock().has_alias(a))
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

    fn getCategories(slf: Bound<'_, Self>) -> PyNamedTransformCategoryIterator {
        PyNamedTransformCategoryIterator::new(slf, 0)
    }

    #[pyo3(signature = (category))]
    fn hasCategory(&self, category: Option<&str>) -> bool {
        self.lock().categories.has(category.unwrap_or(""))
    }

    #[pyo3(signature = (category))]
    fn addCategory(&self, category: Option<&str>) {
        self.lock().categories.add(category.unwrap_or(""))
    }

    #[pyo3(signature = (category))]
    fn removeCategory(&self, category: Option<&str>) {
        self.lock().categories.remove(category.unwrap_or(""))
    }

    fn clearCategories(&self) {
        self.lock().categories.clear()
    }

    fn getTransform(&self, py: Python<'_>, direction: E<TransformDirection>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().transform(direction.0).cloned();
        self.held.get(py, Self::slot(direction.0), t)
    }

    #[pyo3(signature = (transform, direction))]
    fn setTransform(
        &self,
        transform: Option<Bound<'_, PyTransform>>,
        direction: E<TransformDirection>,
    ) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.held.forget(Self::slot(direction.0));
        self.lock().set_transform(t, direction.0);
        Ok(())
    }

    /// The transform for `direction`, derived from the other one if needed.
    /// None for the named transform is the reference's "unspecified"
    /// error.
    #[staticmethod]
    #[pyo3(signature = (transform, direction))]
    fn GetTransform(
        py: Python<'_>,
        transform: Option<PyRef<'_, PyNamedTransform>>,
        direction: E<TransformDirection>,
    ) -> PyResult<Option<Py<PyTransform>>> {
        let Some(transform) = transform else {
            return Err(Exception::new_err("Named transform: Unspecified TransformDirection."));
        };
        // The stored transform itself when there is one; else a new,
        // inverted copy of the other.
        let stored = transform.lock().transform(direction.0).cloned();
        if stored.is_some() {
            return transform.held.get(py, Self::slot(direction.0), stored);
        }
        let t = transform.lock().resolved_transform(direction.0);
        transform_out(py, t)
    }
}

live_iterator!(
    PyNamedTransformCategoryIterator = "NamedTransformCategoryIterator" over PyNamedTransform, IndexKind::CInt,
    len(nt, _arg) { Ok(nt.lock().categories.0.len()) },
    item(py, nt, _arg, index) -> Option<String> { Ok(token_at(&nt.lock().categories.0, index)) }
);

live_iterator!(
    PyNamedTransformAliasIterator = "NamedTransformAliasIterator" over PyNamedTransform, IndexKind::CInt,
    len(nt, _arg) { Ok(nt.lock().aliases.len()) },
    item(py, nt, _arg, index) -> String { Ok(alias_at(&nt.lock().aliases, index)) }
);
