//! `GroupTransform`: its children are kept as the Python objects appended,
//! so iteration and indexing give back the very same objects.

use std::sync::Mutex;

use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::GroupTransform;
use vfx_ocio::Transform;

use crate::ocio::enums::E;
use crate::ocio::transform::{to_engine, wrap, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "GroupTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGroupTransform {
    children: Mutex<Vec<Py<PyTransform>>>,
}

impl PyGroupTransform {
    fn children(&self) -> std::sync::MutexGuard<'_, Vec<Py<PyTransform>>> {
        self.children.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The engine group: `base` (direction, metadata) with the children's
    /// current engine values.
    pub fn to_engine(&self, py: Python<'_>, base: Transform) -> PyResult<Transform> {
        let Transform::Group(mut g) = base else {
            return Ok(base);
        };
        let kids: Vec<Py<PyTransform>> = self.children().iter().map(|c| c.clone_ref(py)).collect();
        g.children = kids.iter().map(|c| to_engine(c.bind(py))).collect::<PyResult<_>>()?;
        Ok(Transform::Group(g))
    }

    /// A new group object with this group's parameters and the same child
    /// objects.
    pub fn shallow_copy(&self, py: Python<'_>, base: Transform) -> PyResult<Py<PyTransform>> {
        let kids: Vec<Py<PyTransform>> = self.children().iter().map(|c| c.clone_ref(py)).collect();
        let init = PyClassInitializer::from(PyTransform::new(base)).add_subclass(PyGroupTransform {
            children: Mutex::new(kids),
        });
        let obj = Py::new(py, init)?;
        Ok(obj.into_bound(py).into_super().unbind())
    }

    /// A Python group for an engine group (children wrapped one by one).
    pub fn wrap(py: Python<'_>, mut g: GroupTransform) -> PyResult<Py<PyAny>> {
        let kids = std::mem::take(&mut g.children)
            .into_iter()
            .map(|c| wrap(py, c))
            .collect::<PyResult<Vec<_>>>()?;
        let init = PyClassInitializer::from(PyTransform::new(g)).add_subclass(PyGroupTransform {
            children: Mutex::new(kids),
        });
        Ok(Py::new(py, init)?.into_any())
    }
}

crate::ocio::transform::format_metadata_method!(PyGroupTransform);

#[allow(non_snake_case)]
#[pymethods]
impl PyGroupTransform {
    #[new]
    #[pyo3(signature = (transforms = Vec::new(), direction = E(TransformDirection::Forward)))]
    fn new(transforms: Vec<Py<PyTransform>>, direction: E<TransformDirection>) -> PyClassInitializer<Self> {
        let g = GroupTransform {
            direction: direction.0,
            ..Default::default()
        };
        PyClassInitializer::from(PyTransform::new(g)).add_subclass(PyGroupTransform {
            children: Mutex::new(transforms),
        })
    }

    fn appendTransform(slf: PyRef<'_, Self>, transform: Py<PyTransform>) {
        slf.children().push(transform);
    }

    fn prependTransform(slf: PyRef<'_, Self>, transform: Py<PyTransform>) {
        slf.children().insert(0, transform);
    }

    fn __len__(slf: PyRef<'_, Self>) -> usize {
        slf.children().len()
    }

    fn __getitem__(slf: PyRef<'_, Self>, index: isize) -> PyResult<Py<PyTransform>> {
        let kids = slf.children();
        let n = kids.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if i < 0 || i >= n {
            return Err(PyIndexError::new_err("list index out of range"));
        }
        Ok(kids[i as usize].clone_ref(slf.py()))
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let items: Vec<Py<PyTransform>> = slf.children().iter().map(|c| c.clone_ref(py)).collect();
        Ok(pyo3::types::PyList::new(py, items)?.try_iter()?.into_any().unbind())
    }
}
