//! The iterator objects OCIO's bindings return (e.g. `iter(registry)`,
//! `colorspace.getAliases()`): iterable once, with `len()` and indexing.

use std::sync::Mutex;

use pyo3::exceptions::{PyIndexError, PyStopIteration};
use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;

/// How an out-of-range index is reported: pybind11's IndexError, or the
/// engine's own message where the reference lets the engine throw.
#[derive(Clone, Copy)]
pub enum OutOfRange {
    IndexError,
    Exception(&'static str),
}

#[pyclass(frozen, name = "Iterator", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyOcioIterator {
    items: Vec<Py<PyAny>>,
    pos: Mutex<usize>,
    out_of_range: OutOfRange,
}

impl PyOcioIterator {
    pub fn new(items: Vec<Py<PyAny>>, out_of_range: OutOfRange) -> Self {
        PyOcioIterator {
            items,
            pos: Mutex::new(0),
            out_of_range,
        }
    }

    /// An iterator over values convertible to Python.
    pub fn from_values<'py, T: IntoPyObject<'py>>(
        py: Python<'py>,
        values: impl IntoIterator<Item = T>,
        out_of_range: OutOfRange,
    ) -> PyResult<Self> {
        let items = values
            .into_iter()
            .map(|v| v.into_bound_py_any(py).map(Bound::unbind))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self::new(items, out_of_range))
    }
}

impl PyOcioIterator {
    /// The items as Rust values (for re-use by other bindings).
    pub fn values<'py, T: for<'a> FromPyObject<'a, 'py>>(&self, py: Python<'py>) -> PyResult<Vec<T>>
    where
        for<'a> <T as FromPyObject<'a, 'py>>::Error: Into<PyErr>,
    {
        self.items
            .iter()
            .map(|i| i.bind(py).extract::<T>().map_err(Into::into))
            .collect()
    }
}

#[pymethods]
impl PyOcioIterator {
    fn __len__(&self) -> usize {
        self.items.len()
    }

    fn __getitem__(&self, py: Python<'_>, index: isize) -> PyResult<Py<PyAny>> {
        if index >= 0 && (index as usize) < self.items.len() {
            return Ok(self.items[index as usize].clone_ref(py));
        }
        Err(match self.out_of_range {
            OutOfRange::IndexError => PyIndexError::new_err("Iterator index out of range"),
            OutOfRange::Exception(m) => super::errors::Exception::new_err(m),
        })
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut pos = self.pos.lock().unwrap_or_else(|e| e.into_inner());
        match self.items.get(*pos) {
            Some(v) => {
                *pos += 1;
                Ok(v.clone_ref(py))
            }
            None => Err(PyStopIteration::new_err(())),
        }
    }
}
