//! `Context` over `vfx_ocio::config::Context`; `getSearchPaths()` is a live
//! iterator (it sees paths added later), as the reference's is.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::exceptions::{PyIndexError, PyKeyError, PyStopIteration};
use pyo3::prelude::*;
use vfx_ocio::config::Context;
use vfx_ocio::enums::EnvironmentMode;

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::iter::{OutOfRange, PyOcioIterator};

#[pyclass(frozen, name = "Context", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyContext {
    inner: Arc<Mutex<Context>>,
}

impl PyContext {
    pub fn from_engine(c: Context) -> Self {
        PyContext {
            inner: Arc::new(Mutex::new(c)),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Context> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[pyclass(frozen, name = "SearchPathIterator", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PySearchPathIterator {
    ctx: Arc<Mutex<Context>>,
    pos: Mutex<usize>,
}

impl PySearchPathIterator {
    fn paths(&self) -> Vec<String> {
        self.ctx.lock().unwrap_or_else(|e| e.into_inner()).search_paths.clone()
    }
}

#[pymethods]
impl PySearchPathIterator {
    fn __len__(&self) -> usize {
        self.paths().len()
    }

    fn __getitem__(&self, index: usize) -> PyResult<String> {
        self.paths()
            .get(index)
            .cloned()
            .ok_or_else(|| PyIndexError::new_err("Iterator index out of range"))
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<String> {
        let mut pos = self.pos.lock().unwrap_or_else(|e| e.into_inner());
        let p = self
            .paths()
            .get(*pos)
            .cloned()
            .ok_or_else(|| PyStopIteration::new_err(()))?;
        *pos += 1;
        Ok(p)
    }
}

#[pymethods]
impl PyContext {
    #[new]
    #[pyo3(signature = (workingDir = String::new(), searchPaths = Vec::new(), stringVars = BTreeMap::new(),
                        environmentMode = E(EnvironmentMode::LoadPredefined)))]
    fn new(
        workingDir: String,
        searchPaths: Vec<String>,
        stringVars: BTreeMap<String, String>,
        environmentMode: E<EnvironmentMode>,
    ) -> Self {
        PyContext::from_engine(Context {
            search_paths: searchPaths.into_iter().filter(|p| !p.is_empty()).collect(),
            working_dir: workingDir,
            env_mode: environmentMode.0,
            vars: stringVars,
        })
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyContext::from_engine(self.lock().clone())
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }

    fn __len__(&self) -> usize {
        self.lock().vars.len()
    }

    fn __contains__(&self, name: &str) -> bool {
        self.lock().vars.contains_key(name)
    }

    fn __getitem__(&self, name: &str) -> PyResult<String> {
        self.lock()
            .vars
            .get(name)
            .cloned()
            .ok_or_else(|| PyKeyError::new_err(format!("'{name}'")))
    }

    fn __setitem__(&self, name: &str, value: &str) {
        self.lock().vars.insert(name.to_string(), value.to_string());
    }

    fn __iter__(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let names: Vec<String> = self.lock().vars.keys().cloned().collect();
        PyOcioIterator::from_values(py, names, OutOfRange::IndexError)
    }

    fn getStringVars(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let pairs: Vec<(String, String)> = self.lock().vars.clone().into_iter().collect();
        PyOcioIterator::from_values(py, pairs, OutOfRange::IndexError)
    }

    fn setStringVar(&self, name: &str, value: &str) {
        self.__setitem__(name, value)
    }

    fn clearStringVars(&self) {
        self.lock().vars.clear();
    }

    fn getCacheID(&self) -> String {
        self.lock().cache_id()
    }

    fn getSearchPath(&self) -> String {
        self.lock().search_paths.join(":")
    }

    fn setSearchPath(&self, path: &str) {
        self.lock().set_search_path(path);
    }

    fn getSearchPaths(&self) -> PySearchPathIterator {
        PySearchPathIterator {
            ctx: self.inner.clone(),
            pos: Mutex::new(0),
        }
    }

    fn addSearchPath(&self, path: &str) {
        if !path.is_empty() {
            self.lock().search_paths.push(path.to_string());
        }
    }

    fn clearSearchPaths(&self) {
        self.lock().search_paths.clear();
    }

    fn getWorkingDir(&self) -> String {
        self.lock().working_dir.clone()
    }

    fn setWorkingDir(&self, dirName: &str) {
        self.lock().working_dir = dirName.to_string();
    }

    fn getEnvironmentMode(&self) -> E<EnvironmentMode> {
        E(self.lock().env_mode)
    }

    fn setEnvironmentMode(&self, mode: E<EnvironmentMode>) {
        self.lock().env_mode = mode.0;
    }

    fn loadEnvironment(&self) {
        self.lock().load_environment();
    }

    #[pyo3(signature = (string))]
    fn resolveStringVar(&self, string: &str) -> String {
        self.lock().resolve_string_var(string)
    }

    fn resolveFileLocation(&self, filename: &str) -> PyResult<String> {
        self.lock().resolve_file_location(filename).py()
    }
}
