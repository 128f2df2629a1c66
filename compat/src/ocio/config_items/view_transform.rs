//! `ViewTransform` over `vfx_ocio::config::ViewTransform`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyType;
use vfx_ocio::config::ViewTransform;
use vfx_ocio::enums::{ReferenceSpaceType, ViewTransformDirection};

use super::held::Held;
use super::iterators::{live_iterator, nested, token_at, IndexKind};
use super::transform_arg;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::PyTransform;

#[pyclass(frozen, name = "ViewTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyViewTransform {
    inner: Mutex<ViewTransform>,
    /// The transform objects handed out (edits to them are the element's).
    held: Held<2>,
}

impl PyViewTransform {
    pub fn from_engine(v: ViewTransform) -> Self {
        PyViewTransform {
            inner: Mutex::new(v),
            held: Held::default(),
        }
    }

    /// The engine value, with the current parameters of the transform
    /// objects handed out.
    pub fn lock(&self) -> MutexGuard<'_, ViewTransform> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let v = &mut *guard;
        self.held.sync([&mut v.to_reference, &mut v.from_reference]);
        guard
    }

    fn slot(dir: ViewTransformDirection) -> usize {
        match dir {
            ViewTransformDirection::ToReference => 0,
            ViewTransformDirection::FromReference => 1,
        }
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

    #[classattr]
    fn ViewTransformCategoryIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyViewTransformCategoryIterator>(), "ViewTransform")
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

    /// None is taken as "" (as the reference's binding does).
    #[pyo3(signature = (name))]
    fn setName(&self, name: Option<&str>) {
        self.lock().name = name.unwrap_or("").to_string()
    }

    fn getFamily(&self) -> String {
        self.lock().family.clone()
    }

    /// None is taken as "" (as the reference's binding does).
    #[pyo3(signature = (family))]
    fn setFamily(&self, family: Option<&str>) {
        self.lock().family = family.unwrap_or("").to_string()
    }

    fn getDescription(&self) -> String {
        self.lock().description.clone()
    }

    /// None is taken as "" (as the reference's binding does).
    #[pyo3(signature = (description))]
    fn setDescription(&self, description: Option<&str>) {
        self.lock().description = description.unwrap_or("").to_string()
    }

    fn getReferenceSpaceType(&self) -> E<ReferenceSpaceType> {
        E(self.lock().reference_space)
    }

    fn getCategories(slf: Bound<'_, Self>) -> PyViewTransformCategoryIterator {
        PyViewTransformCategoryIterator::new(slf, 0)
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

    fn getTransform(&self, py: Python<'_>, direction: E<ViewTransformDirection>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().transform(direction.0).cloned();
        self.held.get(py, Self::slot(direction.0), t)
    }

    #[pyo3(signature = (transform, direction))]
    fn setTransform(
        &self,
        transform: Option<Bound<'_, PyTransform>>,
        direction: E<ViewTransformDirection>,
    ) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.held.forget(Self::slot(direction.0));
        self.lock().set_transform(t, direction.0);
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

live_iterator!(
    PyViewTransformCategoryIterator = "ViewTransformCategoryIterator" over PyViewTransform, IndexKind::CInt,
    len(vt, _arg) { Ok(vt.lock().categories.0.len()) },
    item(py, vt, _arg, index) -> Option<String> { Ok(token_at(&vt.lock().categories.0, index)) }
);
