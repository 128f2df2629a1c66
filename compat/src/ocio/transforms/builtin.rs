//! `BuiltinTransform` and `BuiltinTransformRegistry`.

use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::builtin::{lookup, registry};
use vfx_ocio::transforms::{BuiltinTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::iter::{OutOfRange, PyOcioIterator};
use crate::ocio::transform::{init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "BuiltinTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyBuiltinTransform;

#[pymethods]
impl PyBuiltinTransform {
    #[new]
    #[pyo3(signature = (style = Given::No, direction = Given::No))]
    fn new(style: Given<String>, direction: Given<E<TransformDirection>>) -> PyResult<PyClassInitializer<Self>> {
        let any = style.given() || direction.given();
        let mut t = BuiltinTransform::default();
        if let Some(s) = style.get().filter(|s| !s.is_empty()) {
            t.set_style(&s).py()?;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyBuiltinTransform))
    }

    fn getStyle(slf: PyRef<'_, Self>) -> PyResult<&'static str> {
        with_variant!(slf, Builtin, |t| t.style)
    }

    fn setStyle(slf: PyRef<'_, Self>, style: &str) -> PyResult<()> {
        with_variant!(slf, Builtin, |t| t.set_style(style))?.py()
    }

    fn getDescription(slf: PyRef<'_, Self>) -> PyResult<&'static str> {
        with_variant!(slf, Builtin, |t| t.description())
    }
}

#[pyclass(frozen, name = "BuiltinTransformRegistry", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyBuiltinTransformRegistry;

#[pymethods]
impl PyBuiltinTransformRegistry {
    #[new]
    fn new() -> Self {
        PyBuiltinTransformRegistry
    }

    fn __len__(&self) -> usize {
        registry().count()
    }

    fn __getitem__(&self, style: &str) -> PyResult<&'static str> {
        lookup(style)
            .map(|(_, d)| d)
            .ok_or_else(|| PyKeyError::new_err(style.to_string()))
    }

    fn __contains__(&self, style: &str) -> bool {
        lookup(style).is_some()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        PyOcioIterator::from_values(py, registry().map(|(s, _)| s), OutOfRange::IndexError)
    }

    fn getBuiltins(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        PyOcioIterator::from_values(py, registry(), OutOfRange::IndexError)
    }
}
