//! Argument helpers for pybind11-style signatures.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// A keyword argument that distinguishes "not given" from any value; a
/// given `None` is a TypeError for non-optional parameters (as pybind11
/// does), because `T` itself refuses it.
#[derive(Debug, Clone, Default)]
pub enum Given<T> {
    #[default]
    No,
    Yes(T),
}

impl<T> Given<T> {
    pub fn given(&self) -> bool {
        matches!(self, Given::Yes(_))
    }

    pub fn get(self) -> Option<T> {
        match self {
            Given::Yes(v) => Some(v),
            Given::No => None,
        }
    }
}

impl<'a, 'py, T> FromPyObject<'a, 'py> for Given<T>
where
    T: for<'b> FromPyObject<'b, 'py>,
    for<'b> <T as FromPyObject<'b, 'py>>::Error: Into<PyErr>,
{
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Err(PyTypeError::new_err(
                "incompatible function arguments: None is not accepted",
            ));
        }
        obj.extract::<T>().map(Given::Yes).map_err(|e| {
            let e: PyErr = e.into();
            PyTypeError::new_err(e.to_string())
        })
    }
}

/// A `FixedSize(N)` sequence (pybind11 refuses other lengths with a TypeError).
pub fn fixed<const N: usize, T: Copy>(v: Vec<T>, what: &str) -> PyResult<[T; N]> {
    <[T; N]>::try_from(v.as_slice())
        .map_err(|_| PyTypeError::new_err(format!("incompatible function arguments: {what} must have {N} values")))
}
