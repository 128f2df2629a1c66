//! OCIO's enumerations as pybind11-style Python enum classes (what the
//! reference's pybind11 bindings make): members are module attributes too,
//! compare equal to their integer values, print as `Type.NAME` and repr as
//! `<Type.NAME: value>`. Built from the engine's generated tables, with the
//! `<Enum>ToString` / `<Enum>FromString` functions.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};
use vfx_ocio::enums::{self as oenums, OcioEnum};
use vfx_ocio::tables::{self, EnumTable};

use super::errors::to_py;

/// A pybind11 enum written in Python: an int-like value object with a
/// name. `__eq__` compares integer values (across enum types too), `<` is
/// not defined, and unknown values are accepted with the name "???".
const MAKE_ENUM: &str = r#"
def make_enum(name, members, module):
    class _Enum:
        __slots__ = ("_value",)

        def __init__(self, value):
            if isinstance(value, float) or not hasattr(value, "__index__"):
                raise TypeError(
                    "__init__(): incompatible constructor arguments. The following argument types are supported:\n"
                    f"    1. {module}.{name}(value: typing.SupportsInt)\n\nInvoked with: {value!r}")
            self._value = value.__index__()

        @property
        def value(self):
            return self._value

        @property
        def name(self):
            return _names.get(self._value, "???")

        def __int__(self):
            return self._value

        def __index__(self):
            return self._value

        def __hash__(self):
            return hash(self._value)

        def __eq__(self, other):
            try:
                return other is not None and self._value == int(other)
            except (TypeError, ValueError):
                return False

        def __ne__(self, other):
            return not self.__eq__(other)

        def __repr__(self):
            return f"<{name}.{self.name}: {self._value}>"

        def __str__(self):
            return f"{name}.{self.name}"

        def __getstate__(self):
            return self._value

        def __setstate__(self, state):
            self._value = state

        def __reduce__(self):
            return (type(self), (self._value,))

    _Enum.__name__ = _Enum.__qualname__ = name
    _Enum.__module__ = module
    _names = {}
    members_dict = {}
    for n, v in members:
        m = object.__new__(_Enum)
        m._value = v
        _names.setdefault(v, n)
        members_dict[n] = m
        setattr(_Enum, n, m)
    _Enum.__members__ = members_dict
    _Enum.__doc__ = "Members:\n\n" + "\n\n".join(f"  {n} : " for n in members_dict) + "\n"
    return _Enum
"#;

fn maker(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static MAKER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MAKER
        .get_or_try_init(py, || {
            let code = std::ffi::CString::new(MAKE_ENUM).expect("no NUL in source");
            let m = PyModule::from_code(py, &code, c"vfx_rs_ocio_enum.py", c"vfx_rs_ocio_enum")?;
            Ok(m.getattr("make_enum")?.unbind())
        })
        .map(|f| f.bind(py).clone())
}

/// The Python classes, one per table, created on first use.
fn classes(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    static CLASSES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    CLASSES
        .get_or_try_init(py, || {
            let d = PyDict::new(py);
            for t in tables::ENUMS {
                let members = PyList::empty(py);
                for (n, v, _) in t.members {
                    members.append(PyTuple::new(
                        py,
                        [n.into_pyobject(py)?.into_any(), v.into_pyobject(py)?.into_any()],
                    )?)?;
                }
                d.set_item(t.name, maker(py)?.call1((t.name, members, super::MODULE))?)?;
            }
            Ok(d.unbind())
        })
        .map(|d| d.bind(py))
}

/// The Python class of an enumeration.
pub fn class<'py>(py: Python<'py>, table: &EnumTable) -> PyResult<Bound<'py, PyAny>> {
    classes(py)?
        .get_item(table.name)?
        .ok_or_else(|| PyTypeError::new_err(format!("unknown enum {}", table.name)))
}

/// The member of `table` with this value (the shared singleton).
pub fn member<'py>(py: Python<'py>, table: &EnumTable, value: i64) -> PyResult<Bound<'py, PyAny>> {
    let cls = class(py, table)?;
    match table.members.iter().find(|m| m.1 == value) {
        Some((n, _, _)) => cls.getattr(*n),
        None => cls.call1((value,)),
    }
}

/// The value of an argument that must be a member of `table` (pybind11
/// accepts nothing else, not even an int: TypeError).
pub fn value_of(obj: &Bound<'_, PyAny>, table: &EnumTable) -> PyResult<i64> {
    let cls = class(obj.py(), table)?;
    if obj.is_instance(&cls)? {
        return obj.getattr("value")?.extract();
    }
    Err(PyTypeError::new_err(format!(
        "incompatible function arguments: expected {}, got {}",
        table.name,
        obj.get_type().name()?
    )))
}

/// A typed enum argument: `fn setDirection(&self, direction: E<TransformDirection>)`.
#[derive(Clone, Copy, Debug)]
pub struct E<T>(pub T);

impl<'a, 'py, T: OcioEnum> FromPyObject<'a, 'py> for E<T> {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let v = value_of(&obj, T::TABLE)?;
        T::from_value(v)
            .map(E)
            .ok_or_else(|| PyTypeError::new_err(format!("invalid {} value {v}", T::TABLE.name)))
    }
}

impl<'py, T: OcioEnum> IntoPyObject<'py> for E<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        member(py, T::TABLE, self.0.value())
    }
}

/// Converts a typed engine enum to its Python member.
pub fn py_enum<T: OcioEnum>(py: Python<'_>, v: T) -> PyResult<Bound<'_, PyAny>> {
    member(py, T::TABLE, v.value())
}

/// `<Enum>ToString(value)` for any table.
fn to_string_fn<'py>(py: Python<'py>, table: &'static EnumTable) -> PyResult<Bound<'py, PyAny>> {
    let f = move |args: &Bound<'_, PyTuple>, _kw: Option<&Bound<'_, PyDict>>| -> PyResult<String> {
        let a = args.get_item(0)?;
        let v = value_of(&a, table)?;
        Ok(oenums::text_of(table, v).to_string())
    };
    Ok(pyo3::types::PyCFunction::new_closure(py, None, None, f)?.into_any())
}

/// `<Enum>FromString(text)` for any table.
fn from_string_fn<'py>(py: Python<'py>, table: &'static EnumTable) -> PyResult<Bound<'py, PyAny>> {
    let f = move |args: &Bound<'_, PyTuple>, _kw: Option<&Bound<'_, PyDict>>| -> PyResult<Py<PyAny>> {
        let s: String = args.get_item(0)?.extract()?;
        let v = oenums::value_from_str(table, &s).map_err(to_py)?;
        Ok(member(args.py(), table, v)?.unbind())
    };
    Ok(pyo3::types::PyCFunction::new_closure(py, None, None, f)?.into_any())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    for t in tables::ENUMS {
        let cls = class(py, t)?;
        m.add(t.name, &cls)?;
        for (n, _, _) in t.members {
            m.add(*n, cls.getattr(*n)?)?;
        }
        if t.has_strings {
            m.add(format!("{}ToString", t.name), to_string_fn(py, t)?)?;
            m.add(format!("{}FromString", t.name), from_string_fn(py, t)?)?;
        }
    }
    for (n, v) in tables::STRING_CONSTANTS {
        m.add(*n, *v)?;
    }
    for (n, v) in tables::INT_CONSTANTS {
        m.add(*n, *v)?;
    }
    m.add_function(wrap_pyfunction!(GetInverseTransformDirection, m)?)?;
    m.add_function(wrap_pyfunction!(CombineTransformDirections, m)?)?;
    m.add_function(wrap_pyfunction!(BitDepthIsFloat, m)?)?;
    m.add_function(wrap_pyfunction!(BitDepthToInt, m)?)?;
    m.add_function(wrap_pyfunction!(BoolToString, m)?)?;
    m.add_function(wrap_pyfunction!(BoolFromString, m)?)?;
    Ok(())
}

#[allow(non_snake_case)]
#[pyfunction]
fn GetInverseTransformDirection(direction: E<oenums::TransformDirection>) -> E<oenums::TransformDirection> {
    E(direction.0.inverse())
}

#[allow(non_snake_case)]
#[pyfunction]
fn CombineTransformDirections(
    direction1: E<oenums::TransformDirection>,
    direction2: E<oenums::TransformDirection>,
) -> E<oenums::TransformDirection> {
    E(direction1.0.combine(direction2.0))
}

#[allow(non_snake_case)]
#[pyfunction]
#[pyo3(signature = (bitDepth))]
fn BitDepthIsFloat(bitDepth: E<oenums::BitDepth>) -> bool {
    bitDepth.0.is_float()
}

#[allow(non_snake_case)]
#[pyfunction]
#[pyo3(signature = (bitDepth))]
fn BitDepthToInt(bitDepth: E<oenums::BitDepth>) -> i64 {
    bitDepth.0.to_int()
}

#[allow(non_snake_case)]
#[pyfunction]
fn BoolToString(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// OCIO's BoolFromString: "true" and "yes" (any case) are true.
#[allow(non_snake_case)]
#[pyfunction]
#[pyo3(signature = (str))]
fn BoolFromString(str: &str) -> bool {
    let s = str.to_ascii_lowercase();
    s == "true" || s == "yes"
}
