//! `ColorSpaceSet` over `vfx_ocio::config::ColorSpaceSet`.
//!
//! As in the reference, the set holds its own copies of the colour spaces
//! added to it, and hands out those very objects: `getColorSpace` returns
//! the same object each time and editing it edits the set's member. So the
//! members are kept as Python `ColorSpace` objects; the set logic (lookup
//! by name or alias, add rules, operators) is the engine's, run on a
//! snapshot of the members. Its iterators are live views of the set.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyType;
use vfx_ocio::config::colorspace_set::{add_slot, find, find_by_name};
use vfx_ocio::config::{ColorSpace, ColorSpaceSet};

use super::colorspace::PyColorSpace;
use super::iterators::{live_iterator, nested, IndexKind};
use crate::ocio::errors::OcioResultExt;

#[pyclass(frozen, name = "ColorSpaceSet", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyColorSpaceSet {
    members: Mutex<Vec<Py<PyColorSpace>>>,
}

impl PyColorSpaceSet {
    fn members(&self) -> MutexGuard<'_, Vec<Py<PyColorSpace>>> {
        self.members.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A Python set holding new objects for the engine set's colour spaces.
    pub fn from_engine(py: Python<'_>, set: ColorSpaceSet) -> PyResult<Self> {
        let members = set
            .spaces
            .into_iter()
            .map(|cs| Py::new(py, PyColorSpace::from_engine(cs)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyColorSpaceSet {
            members: Mutex::new(members),
        })
    }

    /// The members' current engine values (copies).
    pub fn to_engine(&self, py: Python<'_>) -> ColorSpaceSet {
        ColorSpaceSet {
            spaces: self.snapshot(py),
        }
    }

    fn snapshot(&self, py: Python<'_>) -> Vec<ColorSpace> {
        self.member_refs(py).iter().map(|m| m.get().lock().clone()).collect()
    }

    /// The member objects (new references; the set's lock is not held).
    fn member_refs(&self, py: Python<'_>) -> Vec<Py<PyColorSpace>> {
        self.members().iter().map(|m| m.clone_ref(py)).collect()
    }

    fn len(&self) -> usize {
        self.members().len()
    }

    /// The member at `index` (`None` out of range, as the reference's
    /// by-index getters give for negative indices).
    fn member_at(&self, py: Python<'_>, index: i32) -> Option<Py<PyColorSpace>> {
        let members = self.members();
        usize::try_from(index)
            .ok()
            .and_then(|i| members.get(i))
            .map(|m| m.clone_ref(py))
    }

    fn add_one(&self, py: Python<'_>, cs: ColorSpace) -> PyResult<()> {
        let current = self.snapshot(py);
        let refs: Vec<&ColorSpace> = current.iter().collect();
        let slot = add_slot(&refs, &cs).py()?;
        let obj = Py::new(py, PyColorSpace::from_engine(cs))?;
        let mut members = self.members();
        match slot {
            Some(i) if i < members.len() => members[i] = obj,
            _ => members.push(obj),
        }
        Ok(())
    }

    fn remove_one(&self, py: Python<'_>, name: &str) {
        if let Some(i) = find_by_name(&self.snapshot(py), name) {
            let mut members = self.members();
            if i < members.len() {
                members.remove(i);
            }
        }
    }
}

#[pymethods]
impl PyColorSpaceSet {
    #[new]
    fn new() -> Self {
        PyColorSpaceSet {
            members: Mutex::new(Vec::new()),
        }
    }

    fn __deepcopy__(&self, py: Python<'_>, memo: &Bound<'_, PyAny>) -> PyResult<Self> {
        let _ = memo;
        Self::from_engine(py, self.to_engine(py))
    }

    fn __eq__(&self, py: Python<'_>, other: PyRef<'_, Self>) -> bool {
        self.to_engine(py).same_as(&other.to_engine(py))
    }

    fn __ne__(&self, py: Python<'_>, other: PyRef<'_, Self>) -> bool {
        !self.__eq__(py, other)
    }

    fn __sub__(&self, py: Python<'_>, other: PyRef<'_, Self>) -> PyResult<Self> {
        let set = self.to_engine(py).difference(&other.to_engine(py)).py()?;
        Self::from_engine(py, set)
    }

    fn __or__(&self, py: Python<'_>, other: PyRef<'_, Self>) -> PyResult<Self> {
        let set = self.to_engine(py).union(&other.to_engine(py)).py()?;
        Self::from_engine(py, set)
    }

    fn __and__(&self, py: Python<'_>, other: PyRef<'_, Self>) -> PyResult<Self> {
        let set = self.to_engine(py).intersection(&other.to_engine(py)).py()?;
        Self::from_engine(py, set)
    }

    #[classattr]
    fn ColorSpaceNameIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyColorSpaceNameIterator>(), "ColorSpaceSet")
    }

    #[classattr]
    fn ColorSpaceIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyColorSpaceIterator>(), "ColorSpaceSet")
    }

    fn getColorSpaceNames(slf: Bound<'_, Self>) -> PyColorSpaceNameIterator {
        PyColorSpaceNameIterator::new(slf, 0)
    }

    fn getColorSpaces(slf: Bound<'_, Self>) -> PyColorSpaceIterator {
        PyColorSpaceIterator::new(slf, 0)
    }

    /// The member `name` refers to (by name or alias), itself, or None.
    fn getColorSpace(&self, py: Python<'_>, name: Option<&str>) -> Option<Py<PyColorSpace>> {
        let i = find(&self.snapshot(py), name.unwrap_or(""))?;
        self.member_at(py, i32::try_from(i).ok()?)
    }

    fn hasColorSpace(&self, py: Python<'_>, name: Option<&str>) -> bool {
        find(&self.snapshot(py), name.unwrap_or("")).is_some()
    }

    /// Adds a copy of the colour space, replacing a member of the same name.
    fn addColorSpace(&self, py: Python<'_>, colorSpace: PyRef<'_, PyColorSpace>) -> PyResult<()> {
        let cs = colorSpace.lock().clone();
        self.add_one(py, cs)
    }

    fn addColorSpaces(&self, py: Python<'_>, colorSpaces: PyRef<'_, Self>) -> PyResult<()> {
        for cs in colorSpaces.snapshot(py) {
            self.add_one(py, cs)?;
        }
        Ok(())
    }

    fn removeColorSpace(&self, py: Python<'_>, colorSpace: Option<&str>) {
        self.remove_one(py, colorSpace.unwrap_or(""));
    }

    fn removeColorSpaces(&self, py: Python<'_>, colorSpaces: PyRef<'_, Self>) {
        for cs in colorSpaces.snapshot(py) {
            self.remove_one(py, &cs.name);
        }
    }

    fn clearColorSpaces(&self) {
        self.members().clear();
    }
}

live_iterator!(
    PyColorSpaceNameIterator = "ColorSpaceNameIterator" over PyColorSpaceSet, IndexKind::CInt,
    len(set, _arg) { Ok(set.len()) },
    item(py, set, _arg, index) -> Option<String> {
        // Out of range (negative) the reference's getter gives None.
        let m = i32::try_from(index).ok().and_then(|i| set.member_at(py, i));
        Ok(m.map(|m| m.get().lock().name.clone()))
    }
);

live_iterator!(
    PyColorSpaceIterator = "ColorSpaceIterator" over PyColorSpaceSet, IndexKind::CInt,
    len(set, _arg) { Ok(set.len()) },
    item(py, set, _arg, index) -> Option<Py<PyColorSpace>> {
        Ok(i32::try_from(index).ok().and_then(|i| set.member_at(py, i)))
    }
);
