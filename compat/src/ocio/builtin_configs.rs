//! `BuiltinConfigRegistry` and `ResolveConfigPath` over
//! `vfx_ocio::builtin_configs`.

use pyo3::prelude::*;
use vfx_ocio::builtin_configs;

use super::errors::OcioResultExt;
use super::iter::{OutOfRange, PyOcioIterator};

const OUT_OF_RANGE: OutOfRange = OutOfRange::Exception("Config index is out of range.");

#[pyclass(frozen, name = "BuiltinConfigRegistry", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyBuiltinConfigRegistry;

#[pymethods]
impl PyBuiltinConfigRegistry {
    #[new]
    fn new() -> Self {
        PyBuiltinConfigRegistry
    }

    fn __len__(&self) -> usize {
        builtin_configs::all().len()
    }

    fn __getitem__(&self, name: &str) -> PyResult<&'static str> {
        builtin_configs::text(name).py()
    }

    fn __contains__(&self, name: &str) -> bool {
        builtin_configs::text(name).is_ok()
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        PyOcioIterator::from_values(py, builtin_configs::all().into_iter().map(|c| c.name), OUT_OF_RANGE)
    }

    /// `(name, ui name, recommended, default)` for every builtin config.
    fn getBuiltinConfigs(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let rows = builtin_configs::all()
            .into_iter()
            .map(|c| (c.name, c.ui_name, c.recommended, c.default));
        PyOcioIterator::from_values(py, rows, OUT_OF_RANGE)
    }
}

#[pyfunction]
fn ResolveConfigPath(arg0: &str) -> String {
    builtin_configs::resolve_config_path(arg0)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBuiltinConfigRegistry>()?;
    m.add_function(wrap_pyfunction!(ResolveConfigPath, m)?)?;
    Ok(())
}
