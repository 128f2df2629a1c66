//! Python <-> metadata value conversion with the reference's rules: which
//! Python objects become which stored values, and what comes back out.

use numpy::PyArray1;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyList, PyString, PyTuple};
use vfx_core::{BaseType, ParamValue, TypeDesc, Value};

/// The C++ element types OIIO's bindings convert Python data into.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Want {
    Int,
    UInt,
    Float,
    Str,
    UInt8,
}

impl Want {
    /// The element type OIIO uses to fill an attribute of base type `b`;
    /// `None` where the bindings refuse the type.
    pub fn for_base(b: BaseType) -> Option<Want> {
        match b {
            BaseType::Int32 => Some(Want::Int),
            BaseType::UInt32 => Some(Want::UInt),
            BaseType::Float => Some(Want::Float),
            BaseType::String => Some(Want::Str),
            BaseType::UInt8 => Some(Want::UInt8),
            _ => None,
        }
    }
    fn placeholder(self) -> Value {
        match self {
            Want::Str => Value::Str(String::new()),
            _ => Value::Int(42),
        }
    }
}

/// An integer argument; any conversion failure is a TypeError, as with
/// nanobind (PyO3 would raise OverflowError for out-of-range values).
pub fn int_arg<'py, T: for<'a> FromPyObject<'a, 'py>>(o: &Bound<'py, PyAny>) -> PyResult<T> {
    if o.is_instance_of::<PyFloat>() {
        return Err(PyTypeError::new_err("incompatible function arguments: expected int"));
    }
    o.extract::<T>()
        .map_err(|_| PyTypeError::new_err("incompatible function arguments: expected int"))
}

/// Wrapper for `#[pyfunction]` integer parameters with nanobind's errors.
#[derive(Clone, Copy, Debug)]
pub struct Int<T>(pub T);

/// So defaults like `z = Int(0)` can be shown (stub generation renders them).
impl<'py, T: IntoPyObject<'py>> IntoPyObject<'py> for Int<T> {
    type Target = T::Target;
    type Output = T::Output;
    type Error = T::Error;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        self.0.into_pyobject(py)
    }
}

impl<'a, 'py, T: for<'b> FromPyObject<'b, 'py>> FromPyObject<'a, 'py> for Int<T> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        int_arg::<T>(&obj).map(Int)
    }
}

/// nanobind refuses None for plain object parameters.
pub fn reject_none(o: &Bound<'_, PyAny>) -> PyResult<()> {
    if o.is_none() {
        Err(PyTypeError::new_err(
            "incompatible function arguments: None is not accepted",
        ))
    } else {
        Ok(())
    }
}

/// A C++ `py::cast<int>` failure surfaces as RuntimeError("std::bad_cast").
fn bad_cast() -> PyErr {
    PyRuntimeError::new_err("std::bad_cast")
}

fn is_int(o: &Bound<'_, PyAny>) -> bool {
    o.is_instance_of::<PyInt>()
}

/// One element of a list/tuple, or a lone scalar.
fn element(o: &Bound<'_, PyAny>, want: Want, indexable: bool) -> PyResult<Option<Value>> {
    Ok(match want {
        Want::Float if o.is_instance_of::<PyFloat>() => Some(Value::Float(o.extract::<f64>()? as f32 as f64)),
        Want::Float | Want::Int if is_int(o) => Some(Value::Int(o.extract::<i32>().map_err(|_| bad_cast())? as i64)),
        Want::UInt if is_int(o) => Some(Value::UInt(o.extract::<u32>().map_err(|_| bad_cast())? as u64)),
        Want::UInt8 if !indexable && is_int(o) => Some(Value::UInt(o.extract::<u8>().map_err(|_| bad_cast())? as u64)),
        Want::Str if o.is_instance_of::<PyString>() => Some(Value::Str(o.extract::<String>()?)),
        _ => None,
    })
}

/// Buffer element format code -> base type (numpy/memoryview format strings).
fn buffer_base(fmt: &str) -> Option<BaseType> {
    let c = fmt.trim_start_matches(['<', '>', '=', '@', '!']);
    Some(match c {
        "f" => BaseType::Float,
        "d" => BaseType::Double,
        "e" => BaseType::Half,
        "i" => BaseType::Int32,
        "I" => BaseType::UInt32,
        "h" => BaseType::Int16,
        "H" => BaseType::UInt16,
        "b" => BaseType::Int8,
        "B" | "c" => BaseType::UInt8,
        "l" | "q" => BaseType::Int64,
        "L" | "Q" => BaseType::UInt64,
        _ => return None,
    })
}

/// OIIO's `py_to_stdvector`: values and whether every element converted.
/// Elements that do not convert become a placeholder (42 or "") and clear
/// the flag, exactly like the reference.
pub fn py_to_values(obj: &Bound<'_, PyAny>, want: Want) -> PyResult<(Vec<Value>, bool)> {
    if obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>() {
        let mut ok = true;
        let mut vals = Vec::new();
        for item in obj.try_iter()? {
            let item = item?;
            match element(&item, want, true)? {
                Some(v) => vals.push(v),
                None => {
                    ok = false;
                    vals.push(want.placeholder());
                }
            }
        }
        return Ok((vals, ok));
    }
    let is_buffer = !obj.is_instance_of::<PyString>()
        && obj
            .py()
            .import("builtins")?
            .getattr("memoryview")?
            .call1((obj,))
            .is_ok();
    if is_buffer {
        if want == Want::Str {
            return Ok((Vec::new(), false));
        }
        let mv = obj.py().import("builtins")?.getattr("memoryview")?.call1((obj,))?;
        let fmt: String = mv.getattr("format")?.extract()?;
        let count = mv.getattr("nbytes")?.extract::<usize>()? / mv.getattr("itemsize")?.extract::<usize>()?.max(1);
        let base = buffer_base(&fmt);
        let accepted = matches!(
            (want, base),
            (Want::Float, Some(BaseType::Float))
                | (Want::Float | Want::Int, Some(BaseType::Int32))
                | (Want::UInt, Some(BaseType::UInt32))
                | (Want::UInt8, Some(BaseType::UInt8))
        );
        if !accepted {
            // Every element of a buffer of another type reads as 42.
            return Ok((vec![Value::Int(42); count], false));
        }
        let flat = mv
            .call_method1("cast", ("B",))
            .and_then(|b| b.call_method1("cast", (fmt.trim_start_matches(['<', '>', '=', '@', '!']),)))?;
        let mut vals = Vec::with_capacity(count);
        for it in flat.call_method0("tolist")?.try_iter()? {
            let it = it?;
            vals.push(if base == Some(BaseType::Float) {
                Value::Float(it.extract::<f64>()?)
            } else {
                Value::Int(it.extract::<i64>()?)
            });
        }
        return Ok((vals, true));
    }
    Ok(match element(obj, want, false)? {
        Some(v) => (vec![v], true),
        None => (Vec::new(), false),
    })
}

/// OIIO's `attribute_typed`: build the ParamValue an attribute(name, type,
/// value) call stores, or `None` when the reference silently stores nothing.
pub fn typed_param(name: &str, ty: TypeDesc, nvalues: i32, obj: &Bound<'_, PyAny>) -> PyResult<Option<ParamValue>> {
    reject_none(obj)?;
    if !matches!(
        ty.basetype,
        BaseType::Int32 | BaseType::UInt32 | BaseType::Float | BaseType::String | BaseType::UInt8
    ) {
        return Ok(None);
    }
    let want = Want::for_base(ty.basetype).unwrap();
    let (vals, ok) = py_to_values(obj, want)?;
    if !ok || vals.len() != ty.numelements() * ty.aggregate.count() * nvalues.max(0) as usize {
        return Ok(None);
    }
    Ok(ParamValue::from_values(name, ty, nvalues, Default::default(), &vals))
}

/// OIIO's one-argument `attribute(name, value)`: int, float, str or bytes.
pub fn onearg_param(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<Option<ParamValue>> {
    reject_none(obj)?;
    Ok(if obj.is_instance_of::<PyFloat>() {
        Some(ParamValue::from_float(name, obj.extract::<f64>()? as f32))
    } else if is_int(obj) {
        Some(ParamValue::from_int(
            name,
            obj.extract::<i32>().map_err(|_| bad_cast())?,
        ))
    } else if obj.is_instance_of::<PyString>() {
        Some(ParamValue::from_str(name, &obj.extract::<String>()?))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        Some(ParamValue::from_str(name, &String::from_utf8_lossy(b.as_bytes())))
    } else {
        None
    })
}

/// OIIO's `make_pyobject`: one value -> scalar, several -> tuple, uint8
/// arrays -> numpy array; types it cannot express give `default`.
pub fn param_to_py<'py>(
    py: Python<'py>,
    p: &ParamValue,
    nvalues: i32,
    default: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let ty = p.type_desc();
    if nvalues <= 0 || p.count() == 0 {
        return Ok(default);
    }
    let one = |v: &Value| -> PyResult<Bound<'py, PyAny>> {
        Ok(match v {
            Value::Int(x) => x.into_pyobject(py)?.into_any(),
            Value::UInt(x) => x.into_pyobject(py)?.into_any(),
            Value::Float(x) => x.into_pyobject(py)?.into_any(),
            Value::Str(s) => s.into_pyobject(py)?.into_any(),
        })
    };
    use BaseType::*;
    match ty.basetype {
        UInt8 if ty.arraylen > 0 => {
            let n = (ty.arraylen * nvalues).max(0) as usize;
            if n == 0 {
                return Ok(default);
            }
            let bytes: Vec<u8> = p
                .values()
                .iter()
                .take(n)
                .map(|v| match v {
                    Value::UInt(x) => *x as u8,
                    Value::Int(x) => *x as u8,
                    _ => 0,
                })
                .collect();
            Ok(PyArray1::from_vec(py, bytes).into_any())
        }
        Int32 | Float | String | UInt32 | Int16 | UInt16 | Int64 | UInt64 | Double | Half | UInt8 => {
            let n = ty.numelements() * ty.aggregate.count() * nvalues.max(0) as usize;
            let vals = p.values();
            if n == 1 && ty.arraylen == 0 {
                one(&vals[0])
            } else {
                let items = vals.iter().take(n).map(one).collect::<PyResult<Vec<_>>>()?;
                Ok(PyTuple::new(py, items)?.into_any())
            }
        }
        _ => Ok(default),
    }
}

/// True for Python `bool` (which is also an `int`).
pub fn is_bool(o: &Bound<'_, PyAny>) -> bool {
    o.is_instance_of::<PyBool>()
}

/// Pick the first of several overloads (parameter names, with how many of
/// them are required) that a call's positional and keyword arguments fit,
/// as nanobind tries overloads in order. Returns the overload's index and
/// each parameter's argument (None where a default applies); a TypeError
/// when none fits.
pub fn bind_overloads<'py>(
    fname: &str,
    args: &Bound<'py, pyo3::types::PyTuple>,
    kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
    overloads: &[(&[&str], usize)],
) -> PyResult<(usize, Vec<Option<Bound<'py, PyAny>>>)> {
    use pyo3::types::PyDictMethods;
    'next: for (i, (names, required)) in overloads.iter().enumerate() {
        if args.len() > names.len() {
            continue;
        }
        let mut bound: Vec<Option<Bound<'py, PyAny>>> = args.iter().map(Some).collect();
        bound.resize(names.len(), None);
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let k: String = k.extract()?;
                match names.iter().position(|n| *n == k) {
                    Some(p) if bound[p].is_none() => bound[p] = Some(v),
                    _ => continue 'next,
                }
            }
        }
        if bound[..*required].iter().any(|b| b.is_none()) {
            continue;
        }
        return Ok((i, bound));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "{fname}(): incompatible function arguments"
    )))
}
