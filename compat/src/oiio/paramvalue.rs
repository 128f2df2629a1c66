//! `OpenImageIO.ParamValue` and `ParamValueList`. A ParamValueList is
//! either owned or a live view of an ImageSpec's `extra_attribs`, because
//! the reference hands out references that write through to the spec.

use super::enums::INTERP;
use super::imagespec::PyImageSpec;
use super::typedesc::{PyTypeDesc, TypeDescArg};
use super::values::{int_arg, onearg_param, param_to_py, py_to_values, reject_none, typed_param, Int, Want};
use pyo3::exceptions::{PyIndexError, PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use vfx_core::{Interp, ParamValue, ParamValueList, TypeDesc};

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ParamValue", module = "OpenImageIO.OpenImageIO", from_py_object)]
#[derive(Clone)]
pub struct PyParamValue {
    pub inner: ParamValue,
}

/// What an invalid construction leaves: an empty, untyped value.
fn empty_param() -> ParamValue {
    ParamValue::zeroed("", TypeDesc::UNKNOWN, 0, Interp::Constant)
}

/// The reference's "build a ParamValue from a Python object" rules: more
/// values than needed are fine, unconvertible ones read as 42.
fn param_from_py(
    name: &str,
    ty: TypeDesc,
    nvalues: i32,
    interp: Interp,
    obj: &Bound<'_, PyAny>,
) -> PyResult<ParamValue> {
    if ty.basetype == vfx_core::BaseType::UInt8 && ty.arraylen != 0 {
        if let Ok(b) = obj.cast::<PyBytes>() {
            let bytes = b.as_bytes();
            let mut t = ty;
            if ty.arraylen < 0 && nvalues > 0 {
                t.arraylen = bytes.len() as i32 / nvalues;
            }
            if (t.arraylen * nvalues) as usize == bytes.len() {
                if bytes.is_empty() {
                    // An empty unsized array collapses to a zeroed scalar.
                    return Ok(ParamValue::zeroed(name, t, nvalues, interp));
                }
                let vals: Vec<_> = bytes.iter().map(|&x| vfx_core::Value::UInt(x as u64)).collect();
                return Ok(ParamValue::from_values(name, t, nvalues, interp, &vals).unwrap_or_else(empty_param));
            }
            return Ok(empty_param());
        }
    }
    reject_none(obj)?;
    let Some(want) = Want::for_base(ty.basetype) else {
        // The reference reports this on stdout and builds an empty value.
        let msg = format!("ParamValue_from_pyobject not sure how to handle {name} {ty}\n");
        obj.py()
            .import("sys")?
            .getattr("stdout")?
            .call_method1("write", (msg,))?;
        return Ok(empty_param());
    };
    let expected = ty.numelements() * ty.aggregate.count() * nvalues.max(0) as usize;
    let (vals, _ok) = py_to_values(obj, want)?;
    if expected == 0 {
        return Ok(ParamValue::zeroed(name, ty, nvalues, interp));
    }
    if vals.len() >= expected {
        return Ok(ParamValue::from_values(name, ty, nvalues, interp, &vals[..expected]).unwrap_or_else(empty_param));
    }
    Ok(empty_param())
}

/// The (name, int), (name, float), (name, str) constructors, tried in that
/// order: an int too big for C `int` falls through to the float overload.
fn scalar_param(name: &str, v: &Bound<'_, PyAny>) -> PyResult<ParamValue> {
    let no = || PyTypeError::new_err("ParamValue(name, value): value must be int, float or str");
    if v.is_instance_of::<pyo3::types::PyInt>() {
        return Ok(match v.extract::<i32>() {
            Ok(i) => ParamValue::from_int(name, i),
            Err(_) => ParamValue::from_float(name, v.extract::<f64>().map_err(|_| no())? as f32),
        });
    }
    if v.is_instance_of::<pyo3::types::PyFloat>() {
        return Ok(ParamValue::from_float(name, v.extract::<f64>()? as f32));
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(ParamValue::from_str(name, &s));
    }
    Err(no())
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyParamValue {
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }
    #[getter]
    #[pyo3(name = "type")]
    fn type_(&self) -> PyTypeDesc {
        self.inner.type_desc().into()
    }
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        param_to_py(py, &self.inner, self.inner.nvalues(), py.None().into_bound(py))
    }
}

fn to_td(o: &Bound<'_, PyAny>) -> PyResult<TypeDesc> {
    super::typedesc::to_typedesc(o)
}

enum Backing {
    Owned(ParamValueList),
    Spec(Py<PyImageSpec>),
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ParamValueList", module = "OpenImageIO.OpenImageIO")]
pub struct PyParamValueList {
    backing: Backing,
}

impl PyParamValueList {
    pub fn view_of(spec: Py<PyImageSpec>) -> Self {
        PyParamValueList {
            backing: Backing::Spec(spec),
        }
    }
    pub fn with<R>(&self, py: Python<'_>, f: impl FnOnce(&ParamValueList) -> R) -> R {
        match &self.backing {
            Backing::Owned(l) => f(l),
            Backing::Spec(s) => f(&s.bind(py).borrow().r().extra_attribs),
        }
    }
    pub fn with_mut<R>(&mut self, py: Python<'_>, f: impl FnOnce(&mut ParamValueList) -> R) -> R {
        match &mut self.backing {
            Backing::Owned(l) => f(l),
            Backing::Spec(s) => f(&mut s.bind(py).borrow_mut().m().extra_attribs),
        }
    }
    pub fn snapshot(&self, py: Python<'_>) -> ParamValueList {
        self.with(py, |l| l.clone())
    }
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyParamValueList {
    #[new]
    fn py_new() -> Self {
        PyParamValueList {
            backing: Backing::Owned(ParamValueList::new()),
        }
    }

    fn __setitem__(&mut self, py: Python<'_>, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let p = onearg_param(key, value)?.ok_or_else(|| PyValueError::new_err("Bad type for __setitem__"))?;
        self.with_mut(py, |l| l.add_or_replace(p, true));
        Ok(())
    }
    fn __delitem__(&mut self, py: Python<'_>, key: &str) {
        self.with_mut(py, |l| l.remove(key, TypeDesc::UNKNOWN, true))
    }
    fn __contains__(&self, py: Python<'_>, key: &str) -> bool {
        self.with(py, |l| l.contains(key, TypeDesc::UNKNOWN, true))
    }
    fn __len__(&self, py: Python<'_>) -> usize {
        self.with(py, |l| l.len())
    }
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self.with(py, |l| l.items.clone());
        let objs = items
            .into_iter()
            .map(|p| Bound::new(py, PyParamValue { inner: p }))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, objs)?.try_iter().map(|i| i.into_any())
    }
    fn append(&mut self, py: Python<'_>, value: PyParamValue) {
        self.with_mut(py, |l| l.items.push(value.inner))
    }
    fn clear(&mut self, py: Python<'_>) {
        self.with_mut(py, |l| l.items.clear())
    }
    fn free(&mut self, py: Python<'_>) {
        self.with_mut(py, |l| l.items = Vec::new())
    }
    fn resize(&mut self, py: Python<'_>, size: Int<usize>) {
        self.with_mut(py, |l| l.items.resize_with(size.0, empty_param))
    }
    #[pyo3(signature = (name, r#type = None, casesensitive = true))]
    fn remove(&mut self, py: Python<'_>, name: &str, r#type: Option<TypeDescArg>, casesensitive: bool) {
        let t = r#type.map_or(TypeDesc::UNKNOWN, |t| t.0);
        self.with_mut(py, |l| l.remove(name, t, casesensitive))
    }
    #[pyo3(signature = (name, r#type = None, casesensitive = true))]
    fn contains(&self, py: Python<'_>, name: &str, r#type: Option<TypeDescArg>, casesensitive: bool) -> bool {
        let t = r#type.map_or(TypeDesc::UNKNOWN, |t| t.0);
        self.with(py, |l| l.contains(name, t, casesensitive))
    }
    #[pyo3(signature = (value, casesensitive = true))]
    fn add_or_replace(&mut self, py: Python<'_>, value: PyParamValue, casesensitive: bool) {
        self.with_mut(py, |l| l.add_or_replace(value.inner, casesensitive))
    }
    #[pyo3(signature = (casesensitive = true))]
    fn sort(&mut self, py: Python<'_>, casesensitive: bool) {
        self.with_mut(py, |l| l.sort(casesensitive))
    }
    #[pyo3(signature = (other, r#override = false))]
    fn merge(&mut self, py: Python<'_>, other: PyRef<'_, PyParamValueList>, r#override: bool) {
        let o = other.snapshot(py);
        drop(other);
        self.with_mut(py, |l| l.merge(&o, r#override))
    }
}

/// Entry points taking `*args` (overloads): their stubs are written by hand
/// in stubgen.rs, so this block is not annotated for stub generation.
#[pymethods]
impl PyParamValue {
    /// ParamValue(name, int|float|str), ParamValue(name, type, value),
    /// ParamValue(name, type, nvalues, interp, value).
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn py_new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
        let mut a: Vec<Bound<'_, PyAny>> = args.iter().collect();
        if let Some(kw) = kwargs {
            for key in ["name", "type", "nvalues", "interp", "value"] {
                if let Some(v) = kw.get_item(key)? {
                    a.push(v);
                }
            }
        }
        let name: String = a
            .first()
            .ok_or_else(|| PyTypeError::new_err("ParamValue() needs a name"))?
            .extract()?;
        let inner = match a.len() {
            2 => scalar_param(&name, &a[1])?,
            3 => param_from_py(&name, to_td(&a[1])?, 1, Interp::Constant, &a[2])?,
            5 => {
                let interp = Interp::from_u8(INTERP.value_of(&a[3])? as u8).unwrap_or_default();
                param_from_py(&name, to_td(&a[1])?, int_arg(&a[2])?, interp, &a[4])?
            }
            _ => return Err(PyTypeError::new_err("ParamValue() takes 2, 3 or 5 arguments")),
        };
        Ok(PyParamValue { inner })
    }

    /// Value count; installed as the *property* `__len__` (see `register`),
    /// as the reference exposes it.
    fn _nvalues(&self) -> i32 {
        self.inner.nvalues()
    }
}

/// Entry points taking `*args` (overloads): their stubs are written by hand
/// in stubgen.rs, so this block is not annotated for stub generation.
#[pymethods]
impl PyParamValueList {
    /// `l[i]` gives the ParamValue, `l["name"]` its value.
    fn __getitem__<'py>(&self, py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(name) = key.extract::<String>() {
            let p = self.with(py, |l| l.get(&name, TypeDesc::UNKNOWN, true).cloned());
            let p = p.ok_or_else(|| PyKeyError::new_err(format!("key '{name}' does not exist")))?;
            return param_to_py(py, &p, 1, py.None().into_bound(py));
        }
        // An index is a C size_t: negatives do not convert (TypeError).
        let i: usize = int_arg(key)?;
        let p = self.with(py, |l| l.items.get(i).cloned());
        match p {
            Some(p) => Ok(Bound::new(py, PyParamValue { inner: p })?.into_any()),
            None => Err(PyIndexError::new_err("")),
        }
    }

    /// attribute(name, val), attribute(name, type, val),
    /// attribute(name, type, nvalues, val).
    #[pyo3(signature = (name, *args, val = None))]
    fn attribute(
        &mut self,
        py: Python<'_>,
        name: &str,
        args: &Bound<'_, PyTuple>,
        val: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut a: Vec<Bound<'_, PyAny>> = args.iter().collect();
        if let Some(v) = val {
            a.push(v.clone());
        }
        let p = match a.len() {
            1 => Some(
                onearg_param(name, &a[0])?
                    .ok_or_else(|| PyTypeError::new_err("attribute() value must be int, float, or str"))?,
            ),
            2 => typed_param(name, to_td(&a[0])?, 1, &a[1])?,
            3 => typed_param(name, to_td(&a[0])?, int_arg(&a[1])?, &a[2])?,
            _ => {
                return Err(PyTypeError::new_err(
                    "attribute() takes (name, val), (name, type, val) or (name, type, nvalues, val)",
                ))
            }
        };
        if let Some(p) = p {
            self.with_mut(py, |l| l.add_or_replace(p, true));
        }
        Ok(())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyParamValue>()?;
    // The reference has `__len__` as a property (so `len(p)` fails with
    // "'int' object is not callable"); PyO3 would make it a slot instead.
    let cls = m.getattr("ParamValue")?;
    let prop = m
        .py()
        .import("builtins")?
        .getattr("property")?
        .call1((cls.getattr("_nvalues")?,))?;
    cls.setattr("__len__", prop)?;
    m.add_class::<PyParamValueList>()?;
    Ok(())
}
