//! `PyOpenColorIO.Exception` and `PyOpenColorIO.ExceptionMissingFile`: both
//! derive from Python's `Exception` directly (the second is not a subclass
//! of the first, as in the reference).

use pyo3::prelude::*;
use vfx_ocio::OcioError;

pyo3::create_exception!(PyOpenColorIO, Exception, pyo3::exceptions::PyException);
pyo3::create_exception!(PyOpenColorIO, ExceptionMissingFile, pyo3::exceptions::PyException);

/// Maps an engine error to the reference's exception type.
pub fn to_py(e: OcioError) -> PyErr {
    match e {
        OcioError::Exception(m) => Exception::new_err(m),
        OcioError::MissingFile(m) => ExceptionMissingFile::new_err(m),
        OcioError::NotImplemented(m) => pyo3::exceptions::PyNotImplementedError::new_err(m),
    }
}

/// `result.map_err(to_py)` for engine results.
pub trait OcioResultExt<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> OcioResultExt<T> for Result<T, OcioError> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let exc = py.get_type::<Exception>();
    let missing = py.get_type::<ExceptionMissingFile>();
    for t in [&exc, &missing] {
        t.setattr("__module__", super::MODULE)?;
    }
    m.add("Exception", exc)?;
    m.add("ExceptionMissingFile", missing)?;
    Ok(())
}
