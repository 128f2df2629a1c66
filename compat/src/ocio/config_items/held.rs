//! The transforms a config element (ColorSpace, Look, ViewTransform,
//! NamedTransform) holds, as the reference hands them out.
//!
//! The reference stores a copy of what `setTransform` is given, and
//! `getTransform` returns that stored transform itself: editing the
//! returned object edits the element. Here the element keeps its engine
//! value; a transform object it hands out is remembered, and its current
//! parameters are written back into the engine value whenever the element
//! is read (`sync`), so both stay one transform. `setTransform` replaces
//! the slot and forgets the object handed out before.

use std::sync::Mutex;

use pyo3::prelude::*;
use vfx_ocio::Transform;

use crate::ocio::transform::{to_engine, wrap, PyTransform};

/// The transform objects handed out for an element's `N` transform slots.
pub struct Held<const N: usize> {
    objects: Mutex<[Option<Py<PyTransform>>; N]>,
}

impl<const N: usize> Default for Held<N> {
    fn default() -> Self {
        Held {
            objects: Mutex::new(std::array::from_fn(|_| None)),
        }
    }
}

impl<const N: usize> Held<N> {
    fn objects(&self) -> std::sync::MutexGuard<'_, [Option<Py<PyTransform>>; N]> {
        self.objects.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the handed-out objects' current parameters into the
    /// element's slots (in the slots' order).
    pub fn sync(&self, slots: [&mut Option<Transform>; N]) {
        if self.objects().iter().all(Option::is_none) {
            return;
        }
        Python::attach(|py| {
            let objects: Vec<Option<Py<PyTransform>>> = self
                .objects()
                .iter()
                .map(|o| o.as_ref().map(|o| o.clone_ref(py)))
                .collect();
            for (slot, obj) in slots.into_iter().zip(objects) {
                if let Some(Ok(t)) = obj.map(|o| to_engine(o.bind(py))) {
                    *slot = Some(t);
                }
            }
        });
    }

    /// The object for slot `i`: the one handed out before, or a new one
    /// for the slot's current value (None for an empty slot).
    pub fn get(&self, py: Python<'_>, i: usize, current: Option<Transform>) -> PyResult<Option<Py<PyTransform>>> {
        if let Some(o) = &self.objects()[i] {
            return Ok(Some(o.clone_ref(py)));
        }
        let Some(t) = current else {
            return Ok(None);
        };
        let obj = wrap(py, t)?;
        self.objects()[i] = Some(obj.clone_ref(py));
        Ok(Some(obj))
    }

    /// Slot `i` was set anew: the object handed out before is no longer
    /// the element's.
    pub fn forget(&self, i: usize) {
        self.objects()[i] = None;
    }
}
