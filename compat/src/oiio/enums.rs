//! OIIO's enums as real Python `enum.Enum` classes (what nanobind makes for
//! the reference), created once per interpreter and converted to and from
//! the engine's Rust enums.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyTuple};

/// Name, members (name, value) in definition order; repeated values become
/// aliases exactly as in the reference's `__members__`.
pub struct EnumDef {
    pub name: &'static str,
    pub members: &'static [(&'static str, i64)],
    /// Whether the members are also module attributes (`oiio.FLOAT`).
    pub module_level: bool,
    cell: PyOnceLock<Py<PyAny>>,
}

impl EnumDef {
    const fn new(name: &'static str, module_level: bool, members: &'static [(&'static str, i64)]) -> Self {
        EnumDef {
            name,
            members,
            module_level,
            cell: PyOnceLock::new(),
        }
    }

    /// The Python enum class, created on first use.
    pub fn class<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyAny>> {
        self.cell
            .get_or_try_init(py, || {
                let members = PyList::empty(py);
                for (n, v) in self.members {
                    members.append(PyTuple::new(
                        py,
                        [n.into_pyobject(py)?.into_any(), v.into_pyobject(py)?.into_any()],
                    )?)?;
                }
                let make = maker(py)?;
                Ok(make.call1((self.name, members, super::MODULE))?.unbind())
            })
            .map(|c| c.bind(py))
    }

    /// The member with this value.
    pub fn member<'py>(&self, py: Python<'py>, value: i64) -> PyResult<Bound<'py, PyAny>> {
        self.class(py)?.call1((value,))
    }

    /// The integer value of a member of this enum (plain ints are accepted
    /// too, as nanobind's implicit conversion does).
    pub fn value_of(&self, obj: &Bound<'_, PyAny>) -> PyResult<i64> {
        let py = obj.py();
        let cls = self.class(py)?;
        if obj.is_instance(cls)? {
            return obj.getattr("value")?.extract();
        }
        if !obj.is_instance_of::<pyo3::types::PyBool>() {
            if let Ok(v) = obj.extract::<i64>() {
                if self.members.iter().any(|(_, m)| *m == v) {
                    return Ok(v);
                }
            }
        }
        Err(PyTypeError::new_err(format!(
            "expected {}, got {}",
            self.name,
            obj.get_type().name()?
        )))
    }

    /// True if `obj` is a member of this enum.
    pub fn is_member(&self, obj: &Bound<'_, PyAny>) -> bool {
        self.class(obj.py()).and_then(|c| obj.is_instance(c)).unwrap_or(false)
    }
}

/// How nanobind shapes an enum: aliases are members of their own (own name,
/// same value, not equal to the canonical member, not iterated), and
/// `repr()` prints like `str()`.
const MAKE_ENUM: &str = r#"
import enum

def make_enum(name, members, module):
    seen, canon, aliases = set(), [], []
    for n, v in members:
        (aliases if v in seen else canon).append((n, v))
        seen.add(v)
    cls = enum.Enum(name, canon, module=module, qualname=name)
    cls.__repr__ = enum.Enum.__str__
    for n, v in aliases:
        m = object.__new__(cls)
        m._name_, m._value_ = n, v
        m.__objclass__ = cls
        type.__setattr__(cls, n, m)
        cls._member_map_[n] = m
    order = [n for n, _ in members]
    ordered = {n: cls._member_map_[n] for n in order}
    cls._member_map_.clear()
    cls._member_map_.update(ordered)
    return cls
"#;

fn maker(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static MAKER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MAKER
        .get_or_try_init(py, || {
            let code = std::ffi::CString::new(MAKE_ENUM).expect("no NUL in source");
            let m = PyModule::from_code(py, &code, c"vfx_rs_enum_maker.py", c"vfx_rs_enum_maker")?;
            Ok(m.getattr("make_enum")?.unbind())
        })
        .map(|f| f.bind(py).clone())
}

pub static BASETYPE: EnumDef = EnumDef::new(
    "BASETYPE",
    true,
    &[
        ("UNKNOWN", 0),
        ("NONE", 1),
        ("UCHAR", 2),
        ("UINT8", 2),
        ("CHAR", 3),
        ("INT8", 3),
        ("UINT16", 4),
        ("USHORT", 4),
        ("SHORT", 5),
        ("INT16", 5),
        ("UINT", 6),
        ("UINT32", 6),
        ("INT", 7),
        ("INT32", 7),
        ("ULONGLONG", 8),
        ("UINT64", 8),
        ("LONGLONG", 9),
        ("INT64", 9),
        ("HALF", 10),
        ("FLOAT", 11),
        ("DOUBLE", 12),
        ("STRING", 13),
        ("PTR", 14),
        ("LASTBASE", 16),
    ],
);

pub static AGGREGATE: EnumDef = EnumDef::new(
    "AGGREGATE",
    true,
    &[
        ("SCALAR", 1),
        ("VEC2", 2),
        ("VEC3", 3),
        ("VEC4", 4),
        ("MATRIX33", 9),
        ("MATRIX44", 16),
    ],
);

pub static VECSEMANTICS: EnumDef = EnumDef::new(
    "VECSEMANTICS",
    true,
    &[
        ("NOXFORM", 0),
        ("NOSEMANTICS", 0),
        ("COLOR", 1),
        ("POINT", 2),
        ("VECTOR", 3),
        ("NORMAL", 4),
        ("TIMECODE", 5),
        ("KEYCODE", 6),
        ("RATIONAL", 7),
        ("BOX", 8),
    ],
);

pub static INTERP: EnumDef = EnumDef::new(
    "Interp",
    false,
    &[
        ("CONSTANT", 0),
        ("PERPIECE", 1),
        ("LINEAR", 2),
        ("VERTEX", 3),
        ("INTERP_CONSTANT", 0),
        ("INTERP_PERPIECE", 1),
        ("INTERP_LINEAR", 2),
        ("INTERP_VERTEX", 3),
    ],
);

pub static WRAP: EnumDef = EnumDef::new(
    "Wrap",
    false,
    &[
        ("Default", 0),
        ("Black", 1),
        ("Clamp", 2),
        ("Periodic", 3),
        ("Mirror", 4),
        ("PeriodicPow2", 5),
        ("PeriodicSharedBorder", 6),
        ("Last", 7),
    ],
);

pub static MIPMODE: EnumDef = EnumDef::new(
    "MipMode",
    false,
    &[
        ("Default", 0),
        ("NoMIP", 1),
        ("OneLevel", 2),
        ("Trilinear", 3),
        ("Aniso", 4),
    ],
);

pub static INTERPMODE: EnumDef = EnumDef::new(
    "InterpMode",
    false,
    &[("Closest", 0), ("Bilinear", 1), ("Bicubic", 2), ("SmartBicubic", 3)],
);

pub static MAKETEXTUREMODE: EnumDef = EnumDef::new(
    "MakeTextureMode",
    true,
    &[
        ("MakeTxTexture", 0),
        ("MakeTxShadow", 1),
        ("MakeTxEnvLatl", 2),
        ("MakeTxEnvLatlFromLightProbe", 3),
        ("MakeTxBumpWithSlopes", 4),
    ],
);

pub static NONFINITEFIXMODE: EnumDef = EnumDef::new(
    "NonFiniteFixMode",
    true,
    &[("NONFINITE_NONE", 0), ("NONFINITE_BLACK", 1), ("NONFINITE_BOX3", 2)],
);

/// Every enum of the OpenImageIO module, for registration.
pub static ALL: [&EnumDef; 9] = [
    &BASETYPE,
    &AGGREGATE,
    &VECSEMANTICS,
    &INTERP,
    &WRAP,
    &MIPMODE,
    &INTERPMODE,
    &MAKETEXTUREMODE,
    &NONFINITEFIXMODE,
];

/// Module-level aliases of enum members (`oiio.FLOAT`, `oiio.VEC3`, ...).
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    for e in ALL {
        let cls = e.class(py)?;
        m.add(e.name, cls)?;
        if !e.module_level {
            continue;
        }
        for (n, v) in e.members {
            m.add(*n, e.member(py, *v)?)?;
        }
    }
    Ok(())
}
