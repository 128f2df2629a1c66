//! `ImageBufAlgo`: a class of static functions, generated from one
//! description per op. Each [`Op`] lists its overloads as the reference's
//! signature text (without the module prefix); the "write into dst" and
//! "return a new ImageBuf" shapes of ordinary ops are derived from one list.
//! Calls resolve the overload as pybind11 would (first match in order), pull
//! the arguments into plain Rust values, release the GIL, and run the op's
//! body against the engine (`vfx-iba`). No pixel work happens here.

mod color;
mod compare;
mod copy;
mod deep;
mod draw;
mod fft;
mod filter;
mod pixelmath;
mod xform;

use super::imagebuf::PyImageBuf;
use super::roi::PyRoi;
use super::typedesc::to_typedesc;
use super::values::{py_to_values, Want};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyCFunction, PyDict, PyFloat, PyString, PyTuple};
use std::sync::OnceLock;
use vfx_core::{ImageBuf, Roi, TypeDesc};
use vfx_iba::{IbaError, Operand};

/// Which call shapes an op has.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Forms {
    /// Each listed parameter list as `f(dst, ...) -> bool`, then each as
    /// `f(...) -> ImageBuf` (the reference's order).
    Both,
    /// Only `f(dst, ...) -> bool`.
    DstOnly,
    /// Only `f(...) -> ImageBuf`.
    RetOnly,
    /// The lists are complete signatures ending in `-> type`; a parameter
    /// named `dst` of type ImageBuf is the destination.
    Custom,
}

/// Builds an op's own Python result once the GIL is held again.
pub type ToPython = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// What an op's body gives back, converted under the GIL afterwards.
pub enum Out {
    /// Success: `True`, or the new ImageBuf in the returning form.
    Done,
    /// A value of the op's own.
    Value(ToPython),
}

pub type Body = fn(&mut ImageBuf, &Ctx) -> Result<Out, IbaError>;

/// One ImageBufAlgo function.
pub struct Op {
    pub name: &'static str,
    pub forms: Forms,
    pub sigs: &'static [&'static str],
    pub body: Body,
}

/// Parameter types the reference's signatures use.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Image,
    Object,
    Roi,
    Int,
    Float,
    Bool,
    Str,
    Tuple,
    TypeDesc,
    /// One of the module's enums (members read as their integer value).
    Enum(usize),
    Other,
}

/// A tuple element (channel orders and names mix ints, floats and strings).
#[derive(Clone, Debug)]
pub enum Item {
    Int(i64),
    Float(f64),
    Str(String),
}

/// An argument after conversion.
#[derive(Clone)]
pub enum V<'a> {
    Image(&'a ImageBuf),
    Floats(Vec<f32>),
    Roi(Roi),
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Tuple(Vec<Item>),
    TypeDesc(TypeDesc),
    /// Arguments of other classes (PixelStats, CompareResults...), kept for
    /// the op's own conversion.
    Other,
}

struct Param {
    name: String,
    ty: Ty,
    type_text: String,
    default: Option<String>,
}

struct Sig {
    params: Vec<Param>,
    ret: String,
    has_dst: bool,
}

/// The arguments of one call (all but the destination), by parameter name.
pub struct Ctx<'a> {
    vals: Vec<(String, V<'a>)>,
    /// Python objects of the arguments typed as other classes.
    pub others: Vec<(String, Py<PyAny>)>,
    /// Index of the overload that matched (in the expanded list).
    pub overload: usize,
    /// Image parameters that were the destination object itself (the op
    /// then runs on a copy; some ops behave differently in place).
    aliased: Vec<String>,
    /// A second reference to each of `others`, which a body may move into
    /// its `Out::Value` closure (e.g. to fill a passed-in result object).
    taken: std::sync::Mutex<Vec<(String, Py<PyAny>)>>,
}

impl<'a> Ctx<'a> {
    fn get(&self, name: &str) -> &V<'a> {
        &self
            .vals
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("ImageBufAlgo: no parameter {name}"))
            .1
    }
    /// Whether image parameter `name` is the destination itself.
    pub fn in_place(&self, name: &str) -> bool {
        self.aliased.iter().any(|n| n == name)
    }

    /// The Python object passed for parameter `name` (typed as another
    /// class), moved out for use once the GIL is held again.
    pub fn take_other(&self, name: &str) -> Option<Py<PyAny>> {
        let mut t = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        let i = t.iter().position(|(n, _)| n == name)?;
        Some(t.swap_remove(i).1)
    }
    pub fn has(&self, name: &str) -> bool {
        self.vals.iter().any(|(n, _)| n == name)
    }
    pub fn image(&self, name: &str) -> &'a ImageBuf {
        match self.get(name) {
            V::Image(i) => i,
            _ => panic!("ImageBufAlgo: {name} is not an image"),
        }
    }
    pub fn operand(&self, name: &str) -> Operand<'_> {
        match self.get(name) {
            V::Image(i) => Operand::Image(i),
            V::Floats(f) => Operand::Const(f),
            _ => Operand::Const(&[]),
        }
    }
    pub fn floats(&self, name: &str) -> &[f32] {
        match self.get(name) {
            V::Floats(f) => f,
            _ => &[],
        }
    }
    pub fn roi(&self) -> Roi {
        match self.get("roi") {
            V::Roi(r) => *r,
            _ => Roi::ALL,
        }
    }
    pub fn nthreads(&self) -> i32 {
        self.int("nthreads") as i32
    }
    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            V::Int(i) => *i,
            V::Bool(b) => *b as i64,
            _ => 0,
        }
    }
    pub fn float(&self, name: &str) -> f32 {
        match self.get(name) {
            V::Float(f) => *f as f32,
            V::Int(i) => *i as f32,
            _ => 0.0,
        }
    }
    pub fn bool(&self, name: &str) -> bool {
        matches!(self.get(name), V::Bool(true))
    }
    pub fn str(&self, name: &str) -> &str {
        match self.get(name) {
            V::Str(s) => s,
            _ => "",
        }
    }
    pub fn tuple(&self, name: &str) -> &[Item] {
        match self.get(name) {
            V::Tuple(t) => t,
            _ => &[],
        }
    }
    /// Per-channel values as the reference's binding sizes them before the
    /// call (its `vecresize`): to the ROI's channel count when the ROI is
    /// defined, else to `buf`'s channels when it is initialized, else kept
    /// (at least one value); growing repeats the last value when
    /// `from_back`, else pads with zeros.
    pub fn values_for(&self, name: &str, buf: &ImageBuf, from_back: bool) -> Vec<f32> {
        let mut v = self.floats(name).to_vec();
        let roi = if self.has("roi") { self.roi() } else { Roi::ALL };
        let len = if roi.defined() {
            roi.nchannels().max(0) as usize
        } else if buf.initialized() {
            buf.nchannels() as usize
        } else {
            v.len().max(1)
        };
        let fill = if from_back {
            v.last().copied().unwrap_or(0.0)
        } else {
            0.0
        };
        v.resize(len, fill);
        v
    }

    pub fn typedesc(&self, name: &str) -> TypeDesc {
        match self.get(name) {
            V::TypeDesc(t) => *t,
            _ => TypeDesc::UNKNOWN,
        }
    }
}

fn parse_ty(t: &str) -> Ty {
    match t {
        "ImageBuf" => Ty::Image,
        // `None` (an optional colour) converts to no values.
        "object" | "object | None" => Ty::Object,
        "ROI" => Ty::Roi,
        "int" => Ty::Int,
        "float" => Ty::Float,
        "bool" => Ty::Bool,
        "str" => Ty::Str,
        "tuple" => Ty::Tuple,
        "TypeDesc" => Ty::TypeDesc,
        other => super::enums::ALL
            .iter()
            .position(|e| e.name == other)
            .map_or(Ty::Other, Ty::Enum),
    }
}

/// Split a parameter list at top-level commas (defaults may hold tuples).
fn split_params(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, ch) in s.char_indices() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !s[start..].trim().is_empty() {
        out.push(s[start..].trim());
    }
    out
}

fn parse_sig(text: &str, ret: &str) -> Sig {
    let (plist, ret) = match text.split_once("->") {
        Some((p, r)) => (p.trim(), r.trim().to_string()),
        None => (text, ret.to_string()),
    };
    let params: Vec<Param> = split_params(plist)
        .into_iter()
        .map(|p| {
            let (decl, default) = match p.split_once('=') {
                Some((d, v)) => (d.trim(), Some(v.trim().to_string())),
                None => (p, None),
            };
            let (name, ty) = decl
                .split_once(':')
                .map(|(n, t)| (n.trim(), t.trim()))
                .unwrap_or((decl, "object"));
            Param {
                name: name.to_string(),
                ty: parse_ty(ty),
                type_text: ty.to_string(),
                default,
            }
        })
        .collect();
    let has_dst = params.first().is_some_and(|p| p.name == "dst" && p.ty == Ty::Image);
    Sig { params, ret, has_dst }
}

/// Every overload of `op`, in the reference's order.
fn expand(op: &Op) -> Vec<Sig> {
    let dst = |s: &str| {
        if s.is_empty() {
            "dst: ImageBuf".to_string()
        } else {
            format!("dst: ImageBuf, {s}")
        }
    };
    match op.forms {
        Forms::Both => op
            .sigs
            .iter()
            .map(|s| parse_sig(&dst(s), "bool"))
            .chain(op.sigs.iter().map(|s| parse_sig(s, "ImageBuf")))
            .collect(),
        Forms::DstOnly => op.sigs.iter().map(|s| parse_sig(&dst(s), "bool")).collect(),
        Forms::RetOnly => op.sigs.iter().map(|s| parse_sig(s, "ImageBuf")).collect(),
        Forms::Custom => op.sigs.iter().map(|s| parse_sig(s, "bool")).collect(),
    }
}

/// A default value written in signature text.
fn default_value(text: &str, ty: Ty) -> V<'static> {
    let t = text.trim();
    match ty {
        Ty::Roi => V::Roi(Roi::ALL),
        Ty::TypeDesc => V::TypeDesc(TypeDesc::UNKNOWN),
        Ty::Bool => V::Bool(t == "True"),
        Ty::Str => V::Str(t.trim_matches('\'').to_string()),
        Ty::Tuple => V::Tuple(Vec::new()),
        Ty::Int => V::Int(t.parse().unwrap_or(0)),
        Ty::Float => V::Float(t.parse().unwrap_or(0.0)),
        Ty::Object => V::Floats(
            t.trim_matches(|c| c == '(' || c == ')')
                .split(',')
                .filter_map(|v| v.trim().parse::<f32>().ok())
                .collect(),
        ),
        Ty::Enum(i) => {
            let e = super::enums::ALL[i];
            let member = t.rsplit('.').next().unwrap_or(t);
            V::Int(e.members.iter().find(|(n, _)| *n == member).map_or(0, |(_, v)| *v))
        }
        Ty::Image | Ty::Other => V::Other,
    }
}

/// How one argument converts, or `None` when this overload does not take it.
fn convert<'a>(obj: &Bound<'_, PyAny>, ty: Ty) -> PyResult<Option<V<'a>>> {
    Ok(match ty {
        Ty::Image => unreachable!("images are borrowed by the caller"),
        Ty::Object => {
            let (vals, _) = py_to_values(obj, Want::Float)?;
            Some(V::Floats(vals.iter().map(|v| v.as_f64() as f32).collect()))
        }
        Ty::Roi => obj.cast::<PyRoi>().ok().map(|r| V::Roi(r.borrow().inner)),
        Ty::Int => {
            if obj.is_instance_of::<PyFloat>() {
                None
            } else {
                obj.extract::<i64>().ok().map(V::Int)
            }
        }
        Ty::Float => obj.extract::<f64>().ok().map(V::Float),
        Ty::Bool => obj.cast::<PyBool>().ok().map(|b| V::Bool(b.is_true())),
        Ty::Str => obj.cast::<PyString>().ok().map(|s| V::Str(s.to_string())),
        Ty::Tuple => match obj.cast::<PyTuple>() {
            Ok(t) => Some(V::Tuple(
                t.iter()
                    .map(|i| {
                        if let Ok(s) = i.cast::<PyString>() {
                            Item::Str(s.to_string())
                        } else if i.is_instance_of::<PyFloat>() {
                            Item::Float(i.extract().unwrap_or(0.0))
                        } else {
                            i.extract::<i64>().map(Item::Int).unwrap_or(Item::Float(f64::NAN))
                        }
                    })
                    .collect(),
            )),
            Err(_) => None,
        },
        Ty::TypeDesc => to_typedesc(obj).ok().map(V::TypeDesc),
        Ty::Enum(i) => {
            let e = super::enums::ALL[i];
            let is_member = obj.get_type().name().is_ok_and(|n| n == e.name);
            if is_member {
                obj.getattr("value")?.extract::<i64>().ok().map(V::Int)
            } else {
                None
            }
        }
        Ty::Other => Some(V::Other),
    })
}

/// Whether `obj`'s class is named `name` (for parameters of other classes).
fn is_instance_named(obj: &Bound<'_, PyAny>, name: &str) -> bool {
    obj.get_type().name().is_ok_and(|n| n == name)
}

/// Bind positional and keyword arguments to `sig`'s parameters, or `None`.
fn bind<'py>(
    sig: &Sig,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> Option<Vec<Option<Bound<'py, PyAny>>>> {
    if args.len() > sig.params.len() {
        return None;
    }
    let mut bound: Vec<Option<Bound<'py, PyAny>>> = args.iter().map(Some).collect();
    bound.resize(sig.params.len(), None);
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            let k: String = k.extract().ok()?;
            match sig.params.iter().position(|p| p.name == k) {
                Some(i) if bound[i].is_none() => bound[i] = Some(v),
                _ => return None,
            }
        }
    }
    if sig
        .params
        .iter()
        .zip(&bound)
        .any(|(p, b)| b.is_none() && p.default.is_none())
    {
        return None;
    }
    if sig
        .params
        .iter()
        .zip(&bound)
        .any(|(p, b)| p.ty == Ty::Image && b.as_ref().is_some_and(|o| o.cast::<PyImageBuf>().is_err()))
    {
        return None;
    }
    Some(bound)
}

/// An input image: borrowed, or copied when it is also the destination.
enum Held<'py> {
    Ref(PyRef<'py, PyImageBuf>),
    Owned(Box<ImageBuf>),
}

impl Held<'_> {
    fn get(&self) -> &ImageBuf {
        match self {
            Held::Ref(r) => &r.inner,
            Held::Owned(b) => b,
        }
    }
}

fn call(
    py: Python<'_>,
    op: &'static Op,
    sigs: &[Sig],
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    for (index, sig) in sigs.iter().enumerate() {
        let Some(bound) = bind(sig, args, kwargs) else { continue };
        let dst_obj = if sig.has_dst {
            bound[0].as_ref().map(|d| d.cast::<PyImageBuf>().cloned()).transpose()?
        } else {
            None
        };
        // Convert everything that is not an image; a mismatch tries the next overload.
        let mut plain: Vec<(usize, Option<V<'static>>)> = Vec::new();
        let mut others = Vec::new();
        let mut taken = Vec::new();
        let mut ok = true;
        for (i, (p, b)) in sig.params.iter().zip(&bound).enumerate() {
            if p.ty == Ty::Image {
                continue;
            }
            if p.ty == Ty::Other && b.as_ref().is_some_and(|o| !is_instance_named(o, &p.type_text)) {
                ok = false;
                break;
            }
            match b {
                Some(obj) => match convert(obj, p.ty)? {
                    Some(v) => {
                        if p.ty == Ty::Other {
                            others.push((p.name.clone(), obj.clone().unbind()));
                            taken.push((p.name.clone(), obj.clone().unbind()));
                        }
                        plain.push((i, Some(v)));
                    }
                    None => {
                        ok = false;
                        break;
                    }
                },
                None => plain.push((i, Some(default_value(p.default.as_deref().unwrap_or(""), p.ty)))),
            }
        }
        if !ok {
            continue;
        }
        // Borrow the input images (copying any that is the destination).
        let mut held: Vec<(usize, Held)> = Vec::new();
        let mut aliased = Vec::new();
        for (i, (p, b)) in sig.params.iter().zip(&bound).enumerate() {
            if p.ty != Ty::Image || (sig.has_dst && i == 0) {
                continue;
            }
            let Some(obj) = b else { continue };
            let img = obj.cast::<PyImageBuf>()?;
            if dst_obj.as_ref().is_some_and(|d| d.is(img)) {
                aliased.push(p.name.clone());
                held.push((i, Held::Owned(Box::new(img.borrow().inner.clone()))));
            } else {
                held.push((i, Held::Ref(img.try_borrow()?)));
            }
        }
        let mut vals: Vec<(String, V)> = Vec::with_capacity(sig.params.len());
        let mut plain = plain.into_iter().peekable();
        let mut held_it = held.iter().peekable();
        for (i, p) in sig.params.iter().enumerate() {
            if sig.has_dst && i == 0 {
                continue;
            }
            if held_it.peek().is_some_and(|(j, _)| *j == i) {
                let (_, h) = held_it.next().expect("peeked");
                vals.push((p.name.clone(), V::Image(h.get())));
            } else if plain.peek().is_some_and(|(j, _)| *j == i) {
                let (_, v) = plain.next().expect("peeked");
                vals.push((p.name.clone(), v.unwrap_or(V::Other)));
            }
        }
        return match dst_obj {
            Some(d) => {
                let mut d = d.try_borrow_mut()?;
                let dst = &mut d.inner;
                let ctx = Ctx {
                    vals,
                    others,
                    overload: index,
                    aliased,
                    taken: std::sync::Mutex::new(std::mem::take(&mut taken)),
                };
                let res = py.detach(|| (op.body)(dst, &ctx));
                match res {
                    Ok(Out::Done) => Ok(PyBool::new(py, true).to_owned().into_any().unbind()),
                    Ok(Out::Value(f)) => f(py),
                    Err(IbaError::BadAlloc) => Err(pyo3::exceptions::PyMemoryError::new_err("std::bad_alloc")),
                    Err(e) => {
                        if e != IbaError::Silent {
                            d.inner.error(&e.to_string());
                        }
                        Ok(PyBool::new(py, false).to_owned().into_any().unbind())
                    }
                }
            }
            None => {
                let mut dst = ImageBuf::new();
                let ctx = Ctx {
                    vals,
                    others,
                    overload: index,
                    aliased,
                    taken: std::sync::Mutex::new(std::mem::take(&mut taken)),
                };
                let res = py.detach(|| (op.body)(&mut dst, &ctx));
                match res {
                    Ok(Out::Done) => Ok(Py::new(py, PyImageBuf { inner: dst })?.into_any()),
                    Ok(Out::Value(f)) => f(py),
                    Err(IbaError::BadAlloc) => Err(pyo3::exceptions::PyMemoryError::new_err("std::bad_alloc")),
                    Err(e) => {
                        if e == IbaError::Silent {
                            if !dst.has_error() {
                                dst.error(&silent_failure_text(op.name));
                            }
                        } else {
                            dst.error(&e.to_string());
                        }
                        Ok(Py::new(py, PyImageBuf { inner: dst })?.into_any())
                    }
                }
            }
        };
    }
    Err(PyTypeError::new_err(incompatible(op.name, sigs, args, kwargs)))
}

/// What the reference's returning form reports when the op failed without
/// saying why (its wording varies by op).
fn silent_failure_text(name: &str) -> String {
    match name {
        "normalize" | "pow" | "channel_sum" => format!("{name} error"),
        "clamp" | "contrast_remap" | "flatten" | "deepen" | "deep_merge" | "deep_holdout" => {
            format!("ImageBufAlgo::{name} error")
        }
        _ => format!("ImageBufAlgo::{name}() error"),
    }
}

/// pybind11's message for a call no overload accepts.
fn incompatible(name: &str, sigs: &[Sig], args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> String {
    let mut msg = format!("{name}(): incompatible function arguments. The following argument types are supported:\n");
    for (i, s) in sigs.iter().enumerate() {
        msg.push_str(&format!("    {}. {}\n", i + 1, render(name, s, true)));
    }
    let mut inv: Vec<String> = args
        .iter()
        .map(|a| a.repr().map(|r| r.to_string()).unwrap_or_default())
        .collect();
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            inv.push(format!("{}={}", k, v.repr().map(|r| r.to_string()).unwrap_or_default()));
        }
    }
    msg.push_str(&format!("\nInvoked with: {}", inv.join(", ")));
    msg
}

/// One overload as text: qualified (pybind's error/doc style) or for stubs.
fn render(name: &str, s: &Sig, qualified: bool) -> String {
    // The module's own classes and enums (capitalised) print qualified.
    let q = |t: &str| {
        if qualified && t.starts_with(|c: char| c.is_ascii_uppercase()) {
            format!("OpenImageIO.OpenImageIO.{t}")
        } else {
            t.to_string()
        }
    };
    let params: Vec<String> = s
        .params
        .iter()
        .map(|p| {
            let d = match (&p.default, qualified) {
                (None, _) => String::new(),
                (Some(d), true) if p.ty == Ty::Roi => " = <OpenImageIO.OpenImageIO.ROI object>".to_string(),
                (Some(_), true) if p.ty == Ty::TypeDesc => " = <TypeDesc 'unknown'>".to_string(),
                (Some(d), _) => format!(" = {d}"),
            };
            format!("{}: {}{}", p.name, q(&p.type_text), d)
        })
        .collect();
    format!("{name}({}) -> {}", params.join(", "), q(&s.ret))
}

/// The op tables of the family modules (one line per family).
const FAMILIES: &[&[Op]] = &[
    pixelmath::OPS,
    color::OPS,
    copy::OPS,
    compare::OPS,
    xform::OPS,
    draw::OPS,
    filter::OPS,
    fft::OPS,
    deep::OPS,
];

/// Every op with its expanded overloads.
fn all_ops() -> &'static [(&'static Op, Vec<Sig>)] {
    static OPS: OnceLock<Vec<(&'static Op, Vec<Sig>)>> = OnceLock::new();
    OPS.get_or_init(|| {
        FAMILIES
            .iter()
            .flat_map(|f| f.iter())
            .map(|op| (op, expand(op)))
            .collect()
    })
}

#[pyclass(name = "ImageBufAlgo", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageBufAlgo;

/// Stub text for the class (tools/stubs.py writes it into the .pyi); a
/// dunder name so the `OpenImageIO` gateway does not re-export it.
#[pyfunction]
#[pyo3(name = "__imagebufalgo_stub__")]
fn imagebufalgo_stub() -> String {
    let mut out = String::from("class ImageBufAlgo:\n");
    for (op, sigs) in all_ops() {
        for s in sigs {
            out.push_str("    @staticmethod\n");
            if sigs.len() > 1 {
                out.push_str("    @typing.overload\n");
            }
            out.push_str(&format!("    def {}: ...\n", render(op.name, s, false)));
        }
    }
    out
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    compare::register_classes(m)?;
    m.add_class::<PyImageBufAlgo>()?;
    let cls = py.get_type::<PyImageBufAlgo>();
    let staticmethod = py.import("builtins")?.getattr("staticmethod")?;
    for (op, sigs) in all_ops() {
        let (op, sigs): (&'static Op, &'static [Sig]) = (op, sigs);
        // Registered once per process; the names and docs live as long as the module.
        let leak = |s: String| -> &'static std::ffi::CStr {
            Box::leak(std::ffi::CString::new(s).unwrap_or_default().into_boxed_c_str())
        };
        let (name, doc) = (leak(op.name.to_string()), leak(pybind_doc(op.name, sigs)));
        let f = PyCFunction::new_closure(py, Some(name), Some(doc), move |args, kwargs| {
            call(args.py(), op, sigs, args, kwargs)
        })?;
        cls.setattr(op.name, staticmethod.call1((f,))?)?;
    }
    m.add_function(wrap_pyfunction!(imagebufalgo_stub, m)?)?;
    vfx_iba::filters::install();
    Ok(())
}

/// The docstring the reference's static methods have: one line per overload.
fn pybind_doc(name: &str, sigs: &[Sig]) -> String {
    sigs.iter()
        .map(|s| render(name, s, true))
        .collect::<Vec<_>>()
        .join("\n")
}
