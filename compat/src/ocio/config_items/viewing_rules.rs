//! `ViewingRules` over `vfx_ocio::config::ViewingRules`.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyType;
use vfx_ocio::config::{ViewingList, ViewingRules};

use super::iterators::{live_iterator, nested, text_or_empty, IndexKind, SizeT};
use crate::ocio::errors::OcioResultExt;

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

    fn getName(&self, ruleIndex: SizeT) -> PyResult<String> {
        self.lock().rule(ruleIndex.0).map(|r| r.name.clone()).py()
    }

    #[classattr]
    fn ViewingRuleColorSpaceIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyViewingRuleColorSpaceIterator>(), "ViewingRules")
    }

    #[classattr]
    fn ViewingRuleEncodingIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyViewingRuleEncodingIterator>(), "ViewingRules")
    }

    /// A live view of the rule's colour spaces; an invalid rule index
    /// fails when the iterator is used, as in the reference.
    fn getColorSpaces(slf: Bound<'_, Self>, ruleIndex: SizeT) -> PyViewingRuleColorSpaceIterator {
        PyViewingRuleColorSpaceIterator::new(slf, ruleIndex.0)
    }

    fn getEncodings(slf: Bound<'_, Self>, ruleIndex: SizeT) -> PyViewingRuleEncodingIterator {
        PyViewingRuleEncodingIterator::new(slf, ruleIndex.0)
    }

    #[pyo3(signature = (ruleIndex, colorSpaceName))]
    fn addColorSpace(&self, ruleIndex: SizeT, colorSpaceName: Option<&str>) -> PyResult<()> {
        self.lock()
            .add(ruleIndex.0, ViewingList::ColorSpaces, colorSpaceName.unwrap_or(""))
            .py()
    }

    #[pyo3(signature = (ruleIndex, encodingName))]
    fn addEncoding(&self, ruleIndex: SizeT, encodingName: Option<&str>) -> PyResult<()> {
        self.lock()
            .add(ruleIndex.0, ViewingList::Encodings, encodingName.unwrap_or(""))
            .py()
    }

    fn removeColorSpace(&self, ruleIndex: SizeT, colorSpaceIndex: SizeT) -> PyResult<()> {
        self.lock()
            .remove_from(ruleIndex.0, ViewingList::ColorSpaces, colorSpaceIndex.0)
            .py()
    }

    fn removeEncoding(&self, ruleIndex: SizeT, encodingIndex: SizeT) -> PyResult<()> {
        self.lock()
            .remove_from(ruleIndex.0, ViewingList::Encodings, encodingIndex.0)
            .py()
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

    #[pyo3(signature = (ruleIndex, name))]
    fn insertRule(&self, ruleIndex: SizeT, name: Option<&str>) -> PyResult<()> {
        self.lock().insert(ruleIndex.0, name.unwrap_or("")).py()
    }

    fn removeRule(&self, ruleIndex: SizeT) -> PyResult<()> {
        self.lock().remove(ruleIndex.0).py()
    }
}

/// One list of a rule (colour spaces or encodings), read live.
fn rule_list(rules: &PyViewingRules, rule: usize, list: ViewingList) -> PyResult<Vec<String>> {
    let r = rules.lock();
    let rule = r.rule(rule).py()?;
    Ok(match list {
        ViewingList::ColorSpaces => rule.colorspaces.clone(),
        ViewingList::Encodings => rule.encodings.clone(),
    })
}

live_iterator!(
    PyViewingRuleColorSpaceIterator = "ViewingRuleColorSpaceIterator" over PyViewingRules, IndexKind::SizeT,
    len(rules, rule) { Ok(rule_list(rules, rule, ViewingList::ColorSpaces)?.len()) },
    item(py, rules, rule, index) -> String {
        let v = rule_list(rules, rule, ViewingList::ColorSpaces)?;
        Ok(text_or_empty(usize::try_from(index).ok().and_then(|i| v.get(i))))
    }
);

live_iterator!(
    PyViewingRuleEncodingIterator = "ViewingRuleEncodingIterator" over PyViewingRules, IndexKind::SizeT,
    len(rules, rule) { Ok(rule_list(rules, rule, ViewingList::Encodings)?.len()) },
    item(py, rules, rule, index) -> String {
        let v = rule_list(rules, rule, ViewingList::Encodings)?;
        Ok(text_or_empty(usize::try_from(index).ok().and_then(|i| v.get(i))))
    }
);
