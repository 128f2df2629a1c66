//! `FormatMetadata`: a live view of one element of a metadata tree owned
//! by a transform (or processor), so edits through it change the owner, as
//! the reference's references do.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use vfx_ocio::format_metadata::FormatMetadata;
use vfx_ocio::OcioError;

use super::errors::{to_py, OcioResultExt};
use super::iter::{OutOfRange, PyOcioIterator};
use super::transform::PyTransform;

/// Who holds the tree.
pub enum Owner {
    Transform(Py<PyTransform>),
    Shared(Arc<Mutex<FormatMetadata>>),
}

#[pyclass(frozen, name = "FormatMetadata", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyFormatMetadata {
    owner: Owner,
    path: Vec<usize>,
}

impl PyFormatMetadata {
    /// The root element of a transform's metadata.
    pub fn of_transform(t: Py<PyTransform>) -> Self {
        PyFormatMetadata {
            owner: Owner::Transform(t),
            path: Vec::new(),
        }
    }

    /// The root element of a tree held on its own (e.g. by a processor).
    pub fn shared(tree: Arc<Mutex<FormatMetadata>>) -> Self {
        PyFormatMetadata {
            owner: Owner::Shared(tree),
            path: Vec::new(),
        }
    }

    fn child(&self, py: Python<'_>, index: usize) -> Self {
        let owner = match &self.owner {
            Owner::Transform(t) => Owner::Transform(t.clone_ref(py)),
            Owner::Shared(a) => Owner::Shared(a.clone()),
        };
        let mut path = self.path.clone();
        path.push(index);
        PyFormatMetadata { owner, path }
    }

    /// Runs `f` on the element this object stands for.
    fn with<R>(&self, py: Python<'_>, f: impl FnOnce(&mut FormatMetadata) -> R) -> PyResult<R> {
        let stale = || to_py(OcioError::msg("The metadata element no longer exists."));
        match &self.owner {
            Owner::Transform(t) => {
                let base = t.bind(py).get();
                let mut guard = base.lock();
                let root = guard.format_metadata_mut().ok_or_else(stale)?;
                Ok(f(root.at_mut(&self.path).ok_or_else(stale)?))
            }
            Owner::Shared(a) => {
                let mut guard = a.lock().unwrap_or_else(|e| e.into_inner());
                Ok(f(guard.at_mut(&self.path).ok_or_else(stale)?))
            }
        }
    }
}

/// pybind11 refuses None for `str` parameters; PyO3 already does, and
/// rejects non-strings with a TypeError.
fn text(o: &Bound<'_, PyAny>) -> PyResult<String> {
    o.extract::<String>()
        .map_err(|_| PyTypeError::new_err("incompatible function arguments: expected str"))
}

#[pymethods]
impl PyFormatMetadata {
    fn getElementName(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |m| m.element_name.clone())
    }

    fn setElementName(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.with(py, |m| m.set_element_name(name))?.py()
    }

    fn getElementValue(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |m| m.value.clone())
    }

    fn setElementValue(&self, py: Python<'_>, value: &str) -> PyResult<()> {
        self.with(py, |m| m.set_value(value))?.py()
    }

    fn getName(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |m| m.attribute("name").to_string())
    }

    fn setName(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.with(py, |m| m.set_attribute("name", name))
    }

    fn getID(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |m| m.attribute("id").to_string())
    }

    fn setID(&self, py: Python<'_>, id: &str) -> PyResult<()> {
        self.with(py, |m| m.set_attribute("id", id))
    }

    fn addChildElement(&self, py: Python<'_>, name: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let (name, value) = (text(name)?, text(value)?);
        self.with(py, |m| m.add_child(&name, &value))?.py()
    }

    fn clear(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, FormatMetadata::clear)
    }

    fn getChildElements(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let n = self.with(py, |m| m.children.len())?;
        let items = (0..n)
            .map(|i| Py::new(py, self.child(py, i)).map(Py::into_any))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyOcioIterator::new(
            items,
            OutOfRange::Exception("Invalid index for metadata object."),
        ))
    }

    fn getAttributes(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let attrs = self.with(py, |m| m.attributes.clone())?;
        PyOcioIterator::from_values(py, attrs, OutOfRange::IndexError)
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let names: Vec<String> = self.with(py, |m| m.attributes.iter().map(|(k, _)| k.clone()).collect())?;
        PyOcioIterator::from_values(py, names, OutOfRange::IndexError)
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, |m| m.attributes.len())
    }

    fn __contains__(&self, py: Python<'_>, name: &str) -> PyResult<bool> {
        self.with(py, |m| m.attributes.iter().any(|(k, _)| k == name))
    }

    fn __getitem__(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        self.with(py, |m| {
            m.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })?
        .ok_or_else(|| PyKeyError::new_err(format!(" '{name}'")))
    }

    fn __setitem__(&self, py: Python<'_>, name: &str, value: &str) -> PyResult<()> {
        self.with(py, |m| m.set_attribute(name, value))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |m| m.to_string())
    }
}

/// `getFormatMetadata()` of a transform object.
pub fn of(slf: &Bound<'_, PyTransform>) -> PyFormatMetadata {
    PyFormatMetadata::of_transform(slf.clone().unbind())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFormatMetadata>()
}
