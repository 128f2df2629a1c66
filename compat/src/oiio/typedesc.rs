//! `OpenImageIO.TypeDesc` over `vfx_core::TypeDesc`.

use super::enums::{AGGREGATE, BASETYPE, VECSEMANTICS};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use vfx_core::{Aggregate, BaseType, TypeDesc, VecSemantics};

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "TypeDesc", module = "OpenImageIO.OpenImageIO", from_py_object)]
#[derive(Clone)]
pub struct PyTypeDesc {
    pub inner: TypeDesc,
}

pub fn basetype_from(obj: &Bound<'_, PyAny>) -> PyResult<BaseType> {
    let v = BASETYPE.value_of(obj)?;
    BaseType::from_u8(v as u8).ok_or_else(|| PyTypeError::new_err("bad BASETYPE"))
}
fn aggregate_from(obj: &Bound<'_, PyAny>) -> PyResult<Aggregate> {
    let v = AGGREGATE.value_of(obj)?;
    Aggregate::from_u8(v as u8).ok_or_else(|| PyTypeError::new_err("bad AGGREGATE"))
}
fn vecsemantics_from(obj: &Bound<'_, PyAny>) -> PyResult<VecSemantics> {
    let v = VECSEMANTICS.value_of(obj)?;
    VecSemantics::from_u8(v as u8).ok_or_else(|| PyTypeError::new_err("bad VECSEMANTICS"))
}

/// Accept what the reference converts to a TypeDesc implicitly: a TypeDesc,
/// a BASETYPE member or a type name string.
pub fn to_typedesc(obj: &Bound<'_, PyAny>) -> PyResult<TypeDesc> {
    if let Ok(t) = obj.cast::<PyTypeDesc>() {
        return Ok(t.borrow().inner);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(TypeDesc::parse_prefix(&s.to_cow()?).0);
    }
    // BASETYPE members, and plain ints naming one (nanobind converts those).
    if BASETYPE.is_member(obj) || (obj.is_instance_of::<pyo3::types::PyInt>() && BASETYPE.value_of(obj).is_ok()) {
        return Ok(TypeDesc::scalar(basetype_from(obj)?));
    }
    Err(PyTypeError::new_err(format!(
        "incompatible argument: expected TypeDesc, BASETYPE or str, got {}",
        obj.get_type().name()?
    )))
}

/// Extraction wrapper so `#[pyfunction]` arguments convert like the reference.
pub struct TypeDescArg(pub TypeDesc);

impl<'a, 'py> FromPyObject<'a, 'py> for TypeDescArg {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        to_typedesc(&obj).map(TypeDescArg)
    }
}

/// So defaults like `format = TypeDescArg(TypeDesc::FLOAT)` can be shown.
impl<'py> IntoPyObject<'py> for TypeDescArg {
    type Target = PyTypeDesc;
    type Output = Bound<'py, PyTypeDesc>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        Bound::new(py, PyTypeDesc::from(self.0))
    }
}

impl From<TypeDesc> for PyTypeDesc {
    fn from(inner: TypeDesc) -> Self {
        PyTypeDesc { inner }
    }
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyTypeDesc {
    #[getter]
    fn basetype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        BASETYPE.member(py, self.inner.basetype as i64)
    }
    #[setter]
    fn set_basetype(&mut self, v: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.basetype = basetype_from(v)?;
        Ok(())
    }
    #[getter]
    fn aggregate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        AGGREGATE.member(py, self.inner.aggregate as i64)
    }
    #[setter]
    fn set_aggregate(&mut self, v: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.aggregate = aggregate_from(v)?;
        Ok(())
    }
    #[getter]
    fn vecsemantics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        VECSEMANTICS.member(py, self.inner.vecsemantics as i64)
    }
    #[setter]
    fn set_vecsemantics(&mut self, v: &Bound<'_, PyAny>) -> PyResult<()> {
        self.inner.vecsemantics = vecsemantics_from(v)?;
        Ok(())
    }
    #[getter]
    fn arraylen(&self) -> i32 {
        self.inner.arraylen
    }
    #[setter]
    fn set_arraylen(&mut self, v: i32) {
        self.inner.arraylen = v;
    }

    fn c_str(&self) -> String {
        self.inner.name()
    }
    fn __str__(&self) -> String {
        self.inner.name()
    }
    fn __repr__(&self) -> String {
        format!("<TypeDesc '{}'>", self.inner.name())
    }
    fn numelements(&self) -> usize {
        self.inner.numelements()
    }
    fn basevalues(&self) -> usize {
        self.inner.basevalues()
    }
    fn size(&self) -> usize {
        self.inner.size()
    }
    fn basesize(&self) -> usize {
        self.inner.basesize()
    }
    fn elementsize(&self) -> usize {
        self.inner.elementsize()
    }
    fn elementtype(&self) -> PyTypeDesc {
        self.inner.elementtype().into()
    }
    fn unarray(&mut self) {
        self.inner.unarray()
    }
    /// Re-parse in place; like OIIO, an unknown name leaves UNKNOWN.
    fn fromstring(&mut self, s: &str) {
        self.inner = TypeDesc::parse_prefix(s).0;
    }
    fn equivalent(&self, other: TypeDescArg) -> bool {
        self.inner.equivalent(&other.0)
    }
    #[pyo3(signature = (b = None))]
    fn is_vec2(&self, b: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        Ok(self.inner.is_vec2(opt_base(b)?))
    }
    #[pyo3(signature = (b = None))]
    fn is_vec3(&self, b: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        Ok(self.inner.is_vec3(opt_base(b)?))
    }
    #[pyo3(signature = (b = None))]
    fn is_vec4(&self, b: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        Ok(self.inner.is_vec4(opt_base(b)?))
    }
    #[pyo3(signature = (b = None))]
    fn is_box2(&self, b: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        Ok(self.inner.is_box2(opt_base(b)?))
    }
    #[pyo3(signature = (b = None))]
    fn is_box3(&self, b: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        Ok(self.inner.is_box3(opt_base(b)?))
    }
    #[staticmethod]
    fn all_types_equal(types: Vec<TypeDescArg>) -> bool {
        types.windows(2).all(|w| w[0].0 == w[1].0)
    }

    /// Equality with anything convertible to a TypeDesc (BASETYPE compares
    /// as a scalar of that type); other objects are "not implemented".
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        Ok(match to_typedesc(other) {
            Ok(t) => (self.inner == t).into_pyobject(py)?.to_owned().into_any().unbind(),
            Err(_) => py.NotImplemented(),
        })
    }
    fn __ne__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        Ok(match to_typedesc(other) {
            Ok(t) => (self.inner != t).into_pyobject(py)?.to_owned().into_any().unbind(),
            Err(_) => py.NotImplemented(),
        })
    }
    fn __hash__(&self) -> u64 {
        let t = &self.inner;
        (t.basetype as u64)
            | (t.aggregate as u64) << 8
            | (t.vecsemantics as u64) << 16
            | (t.arraylen as u32 as u64) << 32
    }
}

fn opt_base(b: Option<&Bound<'_, PyAny>>) -> PyResult<BaseType> {
    b.map_or(Ok(BaseType::Float), basetype_from)
}

/// The `Type*` constants of the module.
pub const CONSTANTS: &[(&str, TypeDesc)] = &[
    ("TypeUnknown", TypeDesc::UNKNOWN),
    ("TypeFloat", TypeDesc::FLOAT),
    ("TypeHalf", TypeDesc::HALF),
    ("TypeInt", TypeDesc::INT),
    ("TypeUInt", TypeDesc::UINT),
    ("TypeInt32", TypeDesc::INT),
    ("TypeUInt32", TypeDesc::UINT),
    ("TypeInt16", TypeDesc::INT16),
    ("TypeUInt16", TypeDesc::UINT16),
    ("TypeInt8", TypeDesc::INT8),
    ("TypeUInt8", TypeDesc::UINT8),
    ("TypeInt64", TypeDesc::INT64),
    ("TypeUInt64", TypeDesc::UINT64),
    ("TypeString", TypeDesc::STRING),
    ("TypePointer", TypeDesc::POINTER),
    ("TypeColor", TypeDesc::COLOR),
    ("TypePoint", TypeDesc::POINT),
    ("TypeVector", TypeDesc::VECTOR),
    ("TypeNormal", TypeDesc::NORMAL),
    ("TypeMatrix", TypeDesc::MATRIX44),
    ("TypeMatrix33", TypeDesc::MATRIX33),
    ("TypeMatrix44", TypeDesc::MATRIX44),
    ("TypeFloat2", TypeDesc::FLOAT2),
    ("TypeVector2", TypeDesc::VECTOR2),
    ("TypeFloat4", TypeDesc::FLOAT4),
    ("TypeVector4", TypeDesc::FLOAT4),
    ("TypeVector2i", TypeDesc::VECTOR2I),
    ("TypeVector3i", TypeDesc::VECTOR3I),
    ("TypeBox2", TypeDesc::BOX2),
    ("TypeBox3", TypeDesc::BOX3),
    ("TypeBox2i", TypeDesc::BOX2I),
    ("TypeBox3i", TypeDesc::BOX3I),
    ("TypeTimeCode", TypeDesc::TIMECODE),
    ("TypeKeyCode", TypeDesc::KEYCODE),
    ("TypeRational", TypeDesc::RATIONAL),
    ("TypeURational", TypeDesc::URATIONAL),
];

/// Entry points taking `*args` (overloads): their stubs are written by hand
/// in stubgen.rs, so this block is not annotated for stub generation.
#[pymethods]
impl PyTypeDesc {
    #[new]
    #[pyo3(signature = (*args))]
    fn py_new(args: &Bound<'_, PyTuple>) -> PyResult<Self> {
        let n = args.len();
        let inner = match n {
            0 => TypeDesc::UNKNOWN,
            1 => to_typedesc(&args.get_item(0)?)?,
            2..=4 => {
                let b = basetype_from(&args.get_item(0)?)?;
                let a = aggregate_from(&args.get_item(1)?)?;
                let v = if n >= 3 {
                    vecsemantics_from(&args.get_item(2)?)?
                } else {
                    VecSemantics::NoXform
                };
                let len = if n == 4 { args.get_item(3)?.extract::<i32>()? } else { 0 };
                TypeDesc::new(b, a, v, len)
            }
            _ => return Err(PyTypeError::new_err("TypeDesc() takes at most 4 arguments")),
        };
        Ok(PyTypeDesc { inner })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTypeDesc>()?;
    for (name, t) in CONSTANTS {
        m.add(*name, PyTypeDesc::from(*t))?;
    }
    Ok(())
}
