//! The `Transform` base class. Every transform object holds its engine
//! parameters in the base; the subclasses (one file each under
//! `transforms/`) only add accessors. A `GroupTransform` keeps its children
//! as the Python objects it was given, so they come back identical (`is`),
//! as with the reference's shared pointers.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use vfx_ocio::enums::{TransformDirection, TransformType};
use vfx_ocio::Transform;

use super::enums::E;
use super::errors::OcioResultExt;
use super::transforms::{group::PyGroupTransform, matrix::PyMatrixTransform};

#[pyclass(
    subclass,
    frozen,
    weakref,
    name = "Transform",
    module = "PyOpenColorIO.PyOpenColorIO"
)]
pub struct PyTransform {
    inner: Mutex<Transform>,
}

impl PyTransform {
    pub fn new(t: impl Into<Transform>) -> Self {
        PyTransform {
            inner: Mutex::new(t.into()),
        }
    }

    /// The engine transform (for a group: without its children; use
    /// `to_engine` for the whole tree).
    pub fn lock(&self) -> MutexGuard<'_, Transform> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `f` on the engine parameters of a transform subclass object:
/// `with_variant!(slf, Matrix, |m| m.offset)` where `slf` is a
/// `PyRef`/`Bound` of the subclass.
macro_rules! with_variant {
    ($slf:expr, $var:ident, |$t:ident| $body:expr) => {{
        let base = $slf.as_super();
        let mut guard = base.lock();
        match &mut *guard {
            vfx_ocio::Transform::$var($t) => Ok($body),
            other => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "expected a {} transform, found {:?}",
                stringify!($var),
                other.kind()
            ))),
        }
    }};
}
pub(crate) use with_variant;

/// The whole engine transform behind a Python transform object.
pub fn to_engine(obj: &Bound<'_, PyTransform>) -> PyResult<Transform> {
    if let Ok(g) = obj.cast::<PyGroupTransform>() {
        return g.get().to_engine(obj.py(), obj.get().lock().clone());
    }
    Ok(obj.get().lock().clone())
}

/// A new Python object of the right subclass for an engine transform.
pub fn wrap(py: Python<'_>, t: Transform) -> PyResult<Py<PyTransform>> {
    let obj: Py<PyAny> = match t {
        Transform::Group(g) => PyGroupTransform::wrap(py, g)?,
        t @ Transform::Matrix(_) => Py::new(
            py,
            PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyMatrixTransform),
        )?
        .into_any(),
    };
    Ok(obj.bind(py).cast::<PyTransform>()?.clone().unbind())
}

#[allow(non_snake_case)]
#[pymethods]
impl PyTransform {
    fn getTransformType(slf: &Bound<'_, Self>) -> E<TransformType> {
        E(slf.get().lock().kind())
    }

    fn getDirection(slf: &Bound<'_, Self>) -> E<TransformDirection> {
        E(slf.get().lock().direction())
    }

    fn setDirection(slf: &Bound<'_, Self>, direction: E<TransformDirection>) {
        slf.get().lock().set_direction(direction.0)
    }

    fn validate(slf: &Bound<'_, Self>) -> PyResult<()> {
        to_engine(slf)?.validate().py()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Ok(to_engine(slf)?.to_string())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTransform>()
}
