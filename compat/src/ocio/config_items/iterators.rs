//! The reference's iterator objects for config elements
//! (`ColorSpace.ColorSpaceAliasIterator`, ...) and pybind11's integer
//! arguments.
//!
//! The reference's iterators hold their owner, not a copy: `len()`,
//! indexing and `next()` read the owner as it is at that moment, so an
//! iterator taken before `addAlias` sees the new alias. Each is its own
//! class, nested in its owner's (`__qualname__` "Owner.NameIterator").
//! Indexing checks only the upper bound, as pybind11's iterator helper
//! does; what a negative index gives is then the owner's by-index getter's
//! answer for it ("" or None), which each iterator states.

use std::sync::Mutex;

use pyo3::exceptions::{PyIndexError, PyStopIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyType};

/// How pybind11 converts an index argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    /// C `int`: negative values pass.
    CInt,
    /// C `size_t`: a negative value is a TypeError.
    SizeT,
}

fn incompatible(what: &str) -> PyErr {
    PyTypeError::new_err(format!("{what}(): incompatible function arguments"))
}

/// An integer argument as pybind11 takes it: no floats, and a value out
/// of the C type's range is a TypeError (not an OverflowError).
pub fn int_arg(obj: &Bound<'_, PyAny>, kind: IndexKind, what: &str) -> PyResult<i64> {
    if obj.is_instance_of::<PyFloat>() {
        return Err(incompatible(what));
    }
    match kind {
        IndexKind::CInt => obj.extract::<i32>().map(i64::from).map_err(|_| incompatible(what)),
        IndexKind::SizeT => obj
            .extract::<u64>()
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(|| incompatible(what)),
    }
}

/// A `size_t` argument (rule and key indices): `fn getName(&self, ruleIndex: SizeT)`.
#[derive(Clone, Copy, Debug)]
pub struct SizeT(pub usize);

impl<'a, 'py> FromPyObject<'a, 'py> for SizeT {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let v = int_arg(&obj, IndexKind::SizeT, "function")?;
        usize::try_from(v).map(SizeT).map_err(|_| incompatible("function"))
    }
}

/// pybind11's bool conversion: True/False, None as False, and any object
/// whose type defines `__bool__` (numbers); anything else is a TypeError.
#[derive(Clone, Copy, Debug)]
pub struct BoolArg(pub bool);

impl<'a, 'py> FromPyObject<'a, 'py> for BoolArg {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Ok(BoolArg(false));
        }
        if let Ok(b) = obj.extract::<bool>() {
            return Ok(BoolArg(b));
        }
        if obj.get_type().hasattr("__bool__")? {
            return obj.is_truthy().map(BoolArg);
        }
        Err(incompatible("function"))
    }
}

/// The next position of an iterator over `len` items.
pub fn next_index(pos: &Mutex<usize>, len: usize) -> PyResult<i64> {
    let mut pos = pos.lock().unwrap_or_else(|e| e.into_inner());
    if *pos >= len {
        return Err(PyStopIteration::new_err(()));
    }
    *pos += 1;
    Ok(*pos as i64 - 1)
}

/// pybind11's iterator bound check: only indices past the end fail.
pub fn check_index(index: i64, len: usize) -> PyResult<()> {
    if index >= 0 && index as u64 >= len as u64 {
        return Err(PyIndexError::new_err("Iterator index out of range"));
    }
    Ok(())
}

/// Names an iterator class as nested in its owner's class (to be called
/// from a `#[classattr]` of the owner, which also makes it an attribute).
pub fn nested(iter: Bound<'_, PyType>, owner: &str) -> PyResult<Py<PyType>> {
    let name = iter.name()?.to_string();
    iter.setattr("__qualname__", format!("{owner}.{name}"))?;
    Ok(iter.unbind())
}

/// A text item the owner's by-index getter answers `""` for out of range.
pub fn text_or_empty(v: Option<&String>) -> String {
    v.cloned().unwrap_or_default()
}

/// Defines a live iterator class over an owner class:
/// `live_iterator!(PyFooIterator = "FooIterator" over PyFoo, IndexKind::CInt,
///     len(owner, arg) { ... }, item(py, owner, arg, index) { ... });`
/// `arg` is the iterator's extra argument (a rule index, or unused);
/// `item` gets the index as `i64` (possibly negative for `CInt`) and
/// returns what Python sees.
macro_rules! live_iterator {
    (
        $ty:ident = $pyname:literal over $owner:ty, $kind:expr,
        len($o:ident, $a:ident) $len:block,
        item($py:ident, $o2:ident, $a2:ident, $i:ident) -> $out:ty $item:block
    ) => {
        #[pyclass(frozen, name = $pyname, module = "PyOpenColorIO.PyOpenColorIO")]
        pub struct $ty {
            owner: Py<$owner>,
            arg: usize,
            pos: std::sync::Mutex<usize>,
        }

        impl $ty {
            pub fn new(owner: Bound<'_, $owner>, arg: usize) -> Self {
                $ty {
                    owner: owner.unbind(),
                    arg,
                    pos: std::sync::Mutex::new(0),
                }
            }

            fn length(&self) -> PyResult<usize> {
                let $o: &$owner = self.owner.get();
                let $a: usize = self.arg;
                let _ = $a;
                $len
            }

            fn item_at(&self, $py: Python<'_>, $i: i64) -> PyResult<$out> {
                let $o2: &$owner = self.owner.get();
                let $a2: usize = self.arg;
                let _ = ($a2, $py);
                $item
            }
        }

        #[pymethods]
        impl $ty {
            fn __len__(&self) -> PyResult<usize> {
                self.length()
            }

            fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<$out> {
                let i = $crate::ocio::config_items::iterators::int_arg(index, $kind, "__getitem__")?;
                $crate::ocio::config_items::iterators::check_index(i, self.length()?)?;
                self.item_at(py, i)
            }

            fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
                slf
            }

            fn __next__(&self, py: Python<'_>) -> PyResult<$out> {
                let i = $crate::ocio::config_items::iterators::next_index(&self.pos, self.length()?)?;
                self.item_at(py, i)
            }
        }
    };
}
pub(crate) use live_iterator;

/// A category at `index` as the reference's getter gives it: None out of
/// range.
pub fn token_at(tokens: &[String], index: i64) -> Option<String> {
    usize::try_from(index).ok().and_then(|i| tokens.get(i)).cloned()
}

/// An alias at `index` as the reference's getter gives it: "" out of
/// range.
pub fn alias_at(aliases: &[String], index: i64) -> String {
    text_or_empty(usize::try_from(index).ok().and_then(|i| aliases.get(i)))
}
