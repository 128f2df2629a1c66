//! The grading value classes (`GradingRGBM`, `GradingPrimary`,
//! `GradingRGBMSW`, `GradingTone`, `GradingControlPoint`,
//! `GradingBSplineCurve`, `GradingRGBCurve`, `GradingHueCurve`), one file
//! each, over `vfx_ocio::grading`.
//!
//! The reference's objects alias each other: `primary.gamma` is the
//! primary's own RGBM (editing it edits the primary), `rgbCurve.red` the
//! curve's own spline, and `GradingRgbCurveTransform.getValue()` the
//! transform's own curves. A Python object here is therefore a [`Place`]:
//! a way to reach a value that may live inside another one.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyWeakrefReference};

pub mod bspline;
pub mod control_point;
pub mod hue_curve;
pub mod primary;
pub mod rgb_curve;
pub mod rgbm;
pub mod rgbmsw;
pub mod tone;

type Access<T> = dyn Fn(&mut dyn FnMut(&mut T)) + Send + Sync;

/// Where a value lives: its own storage, or a part of another value's.
pub struct Place<T: 'static>(Arc<Access<T>>);

impl<T: 'static> Clone for Place<T> {
    fn clone(&self) -> Self {
        Place(Arc::clone(&self.0))
    }
}

impl<T: Send + 'static> Place<T> {
    /// A value of its own.
    pub fn owned(v: T) -> Self {
        Place::shared(Arc::new(Mutex::new(v)))
    }

    /// A value shared with its owner (e.g. a transform's curves).
    pub fn shared(m: Arc<Mutex<T>>) -> Self {
        Place(Arc::new(move |f: &mut dyn FnMut(&mut T)| {
            f(&mut m.lock().unwrap_or_else(|e| e.into_inner()))
        }))
    }

    /// The part of this value `part` selects.
    pub fn project<U: 'static>(&self, part: impl Fn(&mut T) -> &mut U + Send + Sync + 'static) -> Place<U> {
        let outer = self.clone();
        Place(Arc::new(move |f: &mut dyn FnMut(&mut U)| {
            (outer.0)(&mut |t: &mut T| f(part(t)))
        }))
    }

    /// Runs `f` on the value (locked meanwhile: `f` must not reach another
    /// place of the same storage).
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut f = Some(f);
        let mut out = None;
        (self.0)(&mut |t: &mut T| {
            if let Some(f) = f.take() {
                out = Some(f(t));
            }
        });
        out.expect("a place always reaches its value")
    }

    /// A copy of the value.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(|t| t.clone())
    }

    pub fn set(&self, v: T) {
        self.with(|t| *t = v)
    }
}

/// The Python objects handed out for the parts of a value (`primary.gamma`,
/// `rgb.red`, ...), remembered weakly: while one is alive, asking again
/// gives the same object, as pybind11's instance registry does.
pub struct Views<const N: usize>(Mutex<[Option<Py<PyWeakrefReference>>; N]>);

impl<const N: usize> Default for Views<N> {
    fn default() -> Self {
        Views(Mutex::new(std::array::from_fn(|_| None)))
    }
}

impl<const N: usize> Views<N> {
    /// The live object for part `i`, or a new one from `make`.
    pub fn get<'py, T>(&self, py: Python<'py>, i: usize, make: impl FnOnce() -> T) -> PyResult<Bound<'py, T>>
    where
        T: pyo3::PyClass + Into<PyClassInitializer<T>>,
    {
        // The lock is never held while Python runs (an allocation may run
        // finalizers that come back here).
        let cached = self.0.lock().unwrap_or_else(|e| e.into_inner())[i]
            .as_ref()
            .map(|w| w.clone_ref(py));
        if let Some(obj) = cached.and_then(|w| w.bind(py).upgrade()) {
            if let Ok(obj) = obj.cast_into::<T>() {
                return Ok(obj);
            }
        }
        let obj = Bound::new(py, make())?;
        let weak = PyWeakrefReference::new(obj.as_any())?.unbind();
        self.0.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(weak);
        Ok(obj)
    }
}

/// The Python object handed out for a transform's shared value, remembered
/// weakly with the storage it shows: the same object comes back while it is
/// alive and the transform still holds that storage.
#[derive(Default)]
pub struct ValueView(Mutex<Option<(usize, Py<PyWeakrefReference>)>>);

impl ValueView {
    pub fn get<'py, V, T>(
        &self,
        py: Python<'py>,
        storage: Arc<Mutex<V>>,
        make: impl FnOnce(Arc<Mutex<V>>) -> T,
    ) -> PyResult<Bound<'py, T>>
    where
        T: pyo3::PyClass + Into<PyClassInitializer<T>>,
    {
        let key = Arc::as_ptr(&storage) as usize;
        let cached = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|(k, w)| (*k, w.clone_ref(py)));
        // The cached object holds its storage, so a live one with the same
        // address shows this very storage.
        if let Some((k, w)) = cached {
            if k == key {
                if let Some(obj) = w.bind(py).upgrade() {
                    if let Ok(obj) = obj.cast_into::<T>() {
                        return Ok(obj);
                    }
                }
            }
        }
        let obj = Bound::new(py, make(storage))?;
        let weak = PyWeakrefReference::new(obj.as_any())?.unbind();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, weak));
        Ok(obj)
    }
}

/// One pybind11 overload: parameter names, how many are required, and
/// which may only be given by position (pybind11's `arg0`...).
pub struct Overload {
    pub params: &'static [&'static str],
    pub required: usize,
    pub positional_only: bool,
}

/// Matches call arguments to an overload's parameters: `None` when the
/// count or the keyword names do not fit (pybind11 then tries the next
/// overload).
pub fn bind<'py>(
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
    o: &Overload,
) -> Option<Vec<Option<Bound<'py, PyAny>>>> {
    if args.len() > o.params.len() {
        return None;
    }
    let mut out: Vec<Option<Bound<'py, PyAny>>> = vec![None; o.params.len()];
    for (i, a) in args.iter().enumerate() {
        out[i] = Some(a);
    }
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            let k: String = k.extract().ok()?;
            if o.positional_only {
                return None;
            }
            let i = o.params.iter().position(|p| *p == k)?;
            if out[i].is_some() {
                return None;
            }
            out[i] = Some(v);
        }
    }
    if out[..o.required].iter().any(Option::is_none) {
        return None;
    }
    Some(out)
}

/// pybind11's "incompatible arguments" TypeError for a call no overload
/// accepted.
pub fn no_overload(
    what: &str,
    signatures: &[&str],
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyErr {
    let mut msg = if what == "__init__" {
        "__init__(): incompatible constructor arguments. The following argument types are supported:\n".to_string()
    } else {
        format!("{what}(): incompatible function arguments. The following argument types are supported:\n")
    };
    for (i, s) in signatures.iter().enumerate() {
        msg.push_str(&format!("    {}. {s}\n", i + 1));
    }
    let mut parts: Vec<String> = args
        .iter()
        .map(|a| a.repr().map(|r| r.to_string()).unwrap_or_default())
        .collect::<Vec<_>>();
    let mut invoked = parts.join(", ");
    if let Some(kw) = kwargs.filter(|k| !k.is_empty()) {
        parts = kw
            .iter()
            .map(|(k, v)| format!("{k}={}", v.repr().map(|r| r.to_string()).unwrap_or_default()))
            .collect();
        if !invoked.is_empty() {
            invoked.push_str("; ");
        }
        invoked.push_str(&format!("kwargs: {}", parts.join(", ")));
    }
    msg.push_str(&format!("\nInvoked with: {invoked}"));
    PyTypeError::new_err(msg)
}

/// pybind11's TypeError for a method whose arguments it could not convert:
/// `signature` is the method's (from the reference), `args` what it was
/// called with.
pub fn bad_call<T: pyo3::PyClass>(slf: &PyRef<'_, T>, signature: &str, args: &[&Bound<'_, PyAny>]) -> PyErr {
    let py = slf.py();
    let me = match slf.into_pyobject(py) {
        Ok(b) => b.as_any().clone(),
        Err(e) => match e {},
    };
    let (name, params) = signature.split_at(signature.find('(').unwrap_or(0));
    let mut invoked = vec![me.repr().map(|r| r.to_string()).unwrap_or_default()];
    invoked.extend(args.iter().map(|a| a.repr().map(|r| r.to_string()).unwrap_or_default()));
    PyTypeError::new_err(format!(
        "{name}(): incompatible function arguments. The following argument types are supported:\n    1. {params}\n\n\
         Invoked with: {}",
        invoked.join(", ")
    ))
}

/// The number assigned to a float property of `class` (pybind11's
/// TypeError for anything else).
pub fn float_property<T: pyo3::PyClass>(slf: &PyRef<'_, T>, class: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    value.extract::<f64>().map_err(|_| {
        let sig = format!("(self: PyOpenColorIO.PyOpenColorIO.{class}, arg0: typing.SupportsFloat) -> None");
        bad_call(slf, &sig, &[value])
    })
}

/// The object of class `C` assigned to a property of `class` (pybind11's
/// TypeError for anything else).
pub fn object_property<'a, 'py, T: pyo3::PyClass, C: pyo3::PyClass>(
    slf: &PyRef<'_, T>,
    class: &str,
    value_class: &str,
    value: &'a Bound<'py, PyAny>,
) -> PyResult<&'a Bound<'py, C>> {
    value.cast::<C>().map_err(|_| {
        let sig = format!(
            "(self: PyOpenColorIO.PyOpenColorIO.{class}, arg0: PyOpenColorIO.PyOpenColorIO.{value_class}) -> None"
        );
        bad_call(slf, &sig, &[value])
    })
}

/// Converts an optional bound argument, using `default` when absent; a
/// conversion failure means "this overload does not apply".
pub fn arg<'py, T: FromPyObjectOwned<'py>>(a: &Option<Bound<'py, PyAny>>, default: T) -> Option<T> {
    match a {
        None => Some(default),
        Some(v) => v.extract().ok(),
    }
}

/// A C++ `unsigned long` / `size_t` argument: an int in range, else the
/// overload does not apply (pybind11 rejects negative numbers and floats).
pub fn ulong(obj: &Bound<'_, PyAny>) -> Option<u64> {
    if obj.is_instance_of::<pyo3::types::PyFloat>() {
        return None;
    }
    obj.extract::<u64>().ok()
}

/// A C++ `float` argument (pybind11 narrows Python floats to single precision).
pub fn float_arg(obj: &Bound<'_, PyAny>) -> Option<f32> {
    obj.extract::<f64>().ok().map(|v| v as f32)
}

/// A C++ `bool` argument as pybind11 converts it: `True`/`False`, numpy
/// booleans, and (on its converting pass) `None` and numbers by truth value.
pub struct Flag(pub bool);

impl<'a, 'py> FromPyObject<'a, 'py> for Flag {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(b) = obj.extract::<bool>() {
            return Ok(Flag(b));
        }
        if obj.is_none() {
            return Ok(Flag(false));
        }
        if obj.is_instance_of::<pyo3::types::PyInt>() || obj.is_instance_of::<pyo3::types::PyFloat>() {
            return Ok(Flag(obj.is_truthy()?));
        }
        Err(PyTypeError::new_err(format!(
            "incompatible function arguments: expected bool, got {}",
            obj.get_type().name()?
        )))
    }
}

/// A `std::vector<float>` argument: any sequence but a string, of numbers.
pub fn float_seq(obj: &Bound<'_, PyAny>) -> Option<Vec<f32>> {
    if obj.is_instance_of::<pyo3::types::PyString>() || obj.is_instance_of::<pyo3::types::PyBytes>() {
        return None;
    }
    // SAFETY: `obj` is a valid object; PySequence_Check only inspects its type.
    if unsafe { pyo3::ffi::PySequence_Check(obj.as_ptr()) } == 0 {
        return None;
    }
    let n = obj.len().ok()?;
    let mut out = Vec::new();
    out.try_reserve_exact(n).ok()?;
    for i in 0..n {
        out.push(float_arg(&obj.get_item(i).ok()?)?);
    }
    Some(out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    rgbm::register(m)?;
    primary::register(m)?;
    rgbmsw::register(m)?;
    tone::register(m)?;
    control_point::register(m)?;
    bspline::register(m)?;
    rgb_curve::register(m)?;
    hue_curve::register(m)?;
    Ok(())
}
