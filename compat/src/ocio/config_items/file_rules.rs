//! `FileRules` over `vfx_ocio::config::FileRules`.

use std::sync::{Mutex, MutexGuard};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use vfx_ocio::config::FileRules;

use super::iterators::SizeT;
use crate::ocio::errors::OcioResultExt;

#[pyclass(frozen, name = "FileRules", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyFileRules {
    inner: Mutex<FileRules>,
}

impl PyFileRules {
    pub fn from_engine(r: FileRules) -> Self {
        PyFileRules { inner: Mutex::new(r) }
    }

    pub fn lock(&self) -> MutexGuard<'_, FileRules> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn field(&self, i: usize, f: impl Fn(&vfx_ocio::config::FileRule) -> String) -> PyResult<String> {
        self.lock().rule(i).map(f).py()
    }
}

#[pymethods]
impl PyFileRules {
    #[new]
    fn new() -> Self {
        PyFileRules::from_engine(FileRules::default())
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyFileRules::from_engine(self.lock().clone())
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }

    fn getNumEntries(&self) -> usize {
        self.lock().len()
    }

    fn isDefault(&self) -> bool {
        self.lock().is_default()
    }

    fn getIndexForRule(&self, ruleName: &str) -> PyResult<usize> {
        self.lock().index_of(ruleName).py()
    }

    fn getName(&self, ruleIndex: SizeT) -> PyResult<String> {
        self.field(ruleIndex.0, |r| r.name.clone())
    }

    fn getPattern(&self, ruleIndex: SizeT) -> PyResult<String> {
        self.field(ruleIndex.0, |r| r.pattern.clone())
    }

    fn getExtension(&self, ruleIndex: SizeT) -> PyResult<String> {
        self.field(ruleIndex.0, |r| r.extension.clone())
    }

    fn getRegex(&self, ruleIndex: SizeT) -> PyResult<String> {
        self.field(ruleIndex.0, |r| r.regex.clone())
    }

    fn getColorSpace(&self, ruleIndex: SizeT) -> PyResult<String> {
        self.field(ruleIndex.0, |r| r.colorspace.clone())
    }

    /// None behaves as an empty text (an error), as in the reference.
    #[pyo3(signature = (ruleIndex, pattern))]
    fn setPattern(&self, ruleIndex: SizeT, pattern: Option<&str>) -> PyResult<()> {
        self.lock().set_pattern(ruleIndex.0, pattern.unwrap_or("")).py()
    }

    #[pyo3(signature = (ruleIndex, extension))]
    fn setExtension(&self, ruleIndex: SizeT, extension: Option<&str>) -> PyResult<()> {
        self.lock().set_extension(ruleIndex.0, extension.unwrap_or("")).py()
    }

    #[pyo3(signature = (ruleIndex, regex))]
    fn setRegex(&self, ruleIndex: SizeT, regex: Option<&str>) -> PyResult<()> {
        self.lock().set_regex(ruleIndex.0, regex.unwrap_or("")).py()
    }

    #[pyo3(signature = (ruleIndex, colorSpace))]
    fn setColorSpace(&self, ruleIndex: SizeT, colorSpace: Option<&str>) -> PyResult<()> {
        self.lock().set_colorspace(ruleIndex.0, colorSpace.unwrap_or("")).py()
    }

    fn setDefaultRuleColorSpace(&self, colorSpace: &str) -> PyResult<()> {
        self.lock().set_default_colorspace(colorSpace).py()
    }

    fn getNumCustomKeys(&self, ruleIndex: SizeT) -> PyResult<usize> {
        self.lock().rule(ruleIndex.0).map(|r| r.custom_keys.len()).py()
    }

    fn getCustomKeyName(&self, ruleIndex: SizeT, key: SizeT) -> PyResult<String> {
        self.lock()
            .custom_key(ruleIndex.0, key.0)
            .map(|(k, _)| k.to_string())
            .py()
    }

    fn getCustomKeyValue(&self, ruleIndex: SizeT, key: SizeT) -> PyResult<String> {
        self.lock()
            .custom_key(ruleIndex.0, key.0)
            .map(|(_, v)| v.to_string())
            .py()
    }

    #[pyo3(signature = (ruleIndex, key, value))]
    fn setCustomKey(&self, ruleIndex: SizeT, key: &str, value: Option<&str>) -> PyResult<()> {
        self.lock().set_custom_key(ruleIndex.0, key, value.unwrap_or("")).py()
    }

    /// `(ruleIndex, name, colorSpace, pattern, extension)` or
    /// `(ruleIndex, name, colorSpace, regex)`.
    #[pyo3(signature = (*args, **kwargs))]
    fn insertRule(&self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<()> {
        let get = |i: usize, name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            if let Ok(v) = args.get_item(i) {
                return Ok(Some(v));
            }
            match kwargs {
                Some(k) => k.get_item(name),
                None => Ok(None),
            }
        };
        let text = |v: Option<Bound<'_, PyAny>>| -> PyResult<String> {
            match v {
                None => Ok(String::new()),
                Some(o) if o.is_none() => Ok(String::new()),
                Some(o) => o
                    .extract::<String>()
                    .map_err(|_| PyTypeError::new_err("insertRule(): incompatible function arguments")),
            }
        };
        let index = get(0, "ruleIndex")?
            .ok_or_else(|| PyTypeError::new_err("insertRule(): incompatible function arguments"))?
            .extract::<SizeT>()?
            .0;
        let name = text(get(1, "name")?)?;
        let cs = text(get(2, "colorSpace")?)?;
        let regex = get(3, "regex")?
            .filter(|_| args.len() == 4 || kwargs.is_some_and(|k| k.contains("regex").unwrap_or(false)));
        let mut rules = self.lock();
        if args.len() == 4 || regex.is_some() {
            let re = text(get(3, "regex")?)?;
            return rules.insert_regex(index, &name, &cs, &re).py();
        }
        let pattern = text(get(3, "pattern")?)?;
        let ext = text(get(4, "extension")?)?;
        rules.insert_glob(index, &name, &cs, &pattern, &ext).py()
    }

    fn insertPathSearchRule(&self, ruleIndex: SizeT) -> PyResult<()> {
        self.lock().insert_path_search(ruleIndex.0).py()
    }

    fn removeRule(&self, ruleIndex: SizeT) -> PyResult<()> {
        self.lock().remove(ruleIndex.0).py()
    }

    fn increaseRulePriority(&self, ruleIndex: SizeT) -> PyResult<()> {
        self.lock().increase_priority(ruleIndex.0).py()
    }

    fn decreaseRulePriority(&self, ruleIndex: SizeT) -> PyResult<()> {
        self.lock().decrease_priority(ruleIndex.0).py()
    }
}
