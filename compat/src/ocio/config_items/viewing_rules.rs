//! `ViewingRules` over `vfx_ocio::config::ViewingRules`.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use vfx_ocio::config::{ViewingList, ViewingRules};

use crate::ocio::errors::OcioResultExt;
use crate::ocio::iter::{OutOfRange, PyOcioIterator};

#[pyclass(frozen, name = "ViewingRules", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyViewingRules {
    inner: Mutex<ViewingRules>,
}

impl PyViewingRules {
    pub fn from_engine(r: ViewingRules) -> Self {
        PyViewingRules { inner: Mutex::new(r) }
    }

    pub fn lock(&self) -> MutexGuard<'_, ViewingRules> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pymethods]
impl PyViewingRules {
    #[new]
    fn new() -> Self {
        PyViewingRules::from_engine(ViewingRules::default())
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyViewingRules::from_engine(self.lock().clone())
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }

    fn getNumEntries(&self) -> usize {
        self.lock().rules.len()
    }

    fn getIndexForRule(&self, ruleName: &str) -> PyResult<usize> {
        self.lock().index_of(ruleName).py()
    }

    fn getName(&self, ruleIndex: usize) -> PyResult<String> {
        self.lock().rule(ruleIndex).map(|r| r.name.clone()).py()
    }

    fn getColorSpaces(&self, py: Python<'_>, ruleIndex: usize) -> PyResult<PyOcioIterator> {
        let v = self.lock().rule(ruleIndex).map(|r| r.colorspaces.clone()).py()?;
        PyOcioIterator::from_values(py, v, OutOfRange::IndexError)
    }

    fn getEncodings(&self, py: Python<'_>, ruleIndex: usize) -> PyResult<PyOcioIterator> {
        let v = self.lock().rule(ruleIndex).map(|r| r.encodings.clone()).py()?;
        PyOcioIterator::from_values(py, v, OutOfRange::IndexError)
    }

    #[pyo3(signature = (ruleIndex, colorSpaceName))]
    fn addColorSpace(&self, ruleIndex: usize, colorSpaceName: Option<&str>) -> PyResult<()> {
        self.lock()
            .add(ruleIndex, ViewingList::ColorSpaces, colorSpaceName.unwrap_or(""))
            .py()
    }

    #[pyo3(signature = (ruleIndex, encodingName))]
    fn addEncoding(&self, ruleIndex: usize, encodingName: Option<&str>) -> PyResult<()> {
        self.lock()
            .add(ruleIndex, ViewingList::Encodings, encodingName.unwrap_or(""))
            .py()
    }

    fn removeColorSpace(&self, ruleIndex: usize, colorSpaceIndex: usize) -> PyResult<()> {
        self.lock()
            .remove_from(ruleIndex, ViewingList::ColorSpaces, colorSpaceIndex)
            .py()
    }

    fn removeEncoding(&self, ruleIndex: usize, encodingIndex: usize) -> PyResult<()> {
        self.lock()
            .remove_from(ruleIndex, ViewingList::Encodings, encodingIndex)
            .py()
    }

    fn getNumCustomKeys(&self, ruleIndex: usize) -> PyResult<usize> {
        self.lock().rule(ruleIndex).map(|r| r.custom_keys.len()).py()
    }

    fn getCustomKeyName(&self, ruleIndex: usize, key: usize) -> PyResult<String> {
        self.lock().custom_key(ruleIndex, key).map(|(k, _)| k.to_string()).py()
    }

    fn getCustomKeyValue(&self, ruleIndex: usize, key: usize) -> PyResult<String> {
        self.lock().custom_key(ruleIndex, key).map(|(_, v)| v.to_string()).py()
    }

    #[pyo3(signature = (ruleIndex, key, value))]
    fn setCustomKey(&self, ruleIndex: usize, key: &str, value: Option<&str>) -> PyResult<()> {
        self.lock().set_custom_key(ruleIndex, key, value.unwrap_or("")).py()
    }

    #[pyo3(signature = (ruleIndex, name))]
    fn insertRule(&self, ruleIndex: usize, name: Option<&str>) -> PyResult<()> {
        self.lock().insert(ruleIndex, name.unwrap_or("")).py()
    }

    fn removeRule(&self, ruleIndex: usize) -> PyResult<()> {
        self.lock().remove(ruleIndex).py()
    }
}
