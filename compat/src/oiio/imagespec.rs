//! `OpenImageIO.ImageSpec` over `vfx_core::ImageSpec`.

use super::imagebuf::PyImageBuf;
use super::paramvalue::{PyParamValue, PyParamValueList};
use super::roi::PyRoi;
use super::typedesc::{to_typedesc, PyTypeDesc, TypeDescArg};
use super::values::{is_bool, onearg_param, param_to_py, reject_none, typed_param, Int};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use vfx_core::{ImageSpec, SerialVerbose, TypeDesc};

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ImageSpec", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageSpec {
    backing: SpecBacking,
}

/// An ImageSpec is either owned, or a live view of an ImageBuf's spec (what
/// `ImageBuf.specmod()` hands out: edits go straight to the buffer).
enum SpecBacking {
    Owned(ImageSpec),
    Buf(Py<PyImageBuf>),
    BufNative(Py<PyImageBuf>),
}

/// Read access to whichever spec backs a PyImageSpec.
pub enum SpecRef<'a> {
    Owned(&'a ImageSpec),
    Buf(PyRef<'a, PyImageBuf>),
    BufNative(PyRef<'a, PyImageBuf>),
}

impl std::ops::Deref for SpecRef<'_> {
    type Target = ImageSpec;
    fn deref(&self) -> &ImageSpec {
        match self {
            SpecRef::Owned(s) => s,
            SpecRef::Buf(b) => b.inner.spec(),
            SpecRef::BufNative(b) => b.inner.nativespec(),
        }
    }
}

/// Write access to whichever spec backs a PyImageSpec.
pub enum SpecMut<'a> {
    Owned(&'a mut ImageSpec),
    Buf(PyRefMut<'a, PyImageBuf>),
    BufNative(PyRefMut<'a, PyImageBuf>),
}

impl std::ops::Deref for SpecMut<'_> {
    type Target = ImageSpec;
    fn deref(&self) -> &ImageSpec {
        match self {
            SpecMut::Owned(s) => s,
            SpecMut::Buf(b) => b.inner.spec(),
            SpecMut::BufNative(b) => b.inner.nativespec(),
        }
    }
}

impl std::ops::DerefMut for SpecMut<'_> {
    fn deref_mut(&mut self) -> &mut ImageSpec {
        match self {
            SpecMut::Owned(s) => s,
            SpecMut::Buf(b) => b.inner.specmod(),
            SpecMut::BufNative(b) => b.inner.nativespec_mut(),
        }
    }
}

impl PyImageSpec {
    pub fn owned(spec: ImageSpec) -> Self {
        PyImageSpec {
            backing: SpecBacking::Owned(spec),
        }
    }
    /// A live view of an ImageBuf's spec (or its native spec).
    pub fn view_of(buf: Py<PyImageBuf>, native: bool) -> Self {
        PyImageSpec {
            backing: if native {
                SpecBacking::BufNative(buf)
            } else {
                SpecBacking::Buf(buf)
            },
        }
    }
    /// The spec, for reading.
    pub fn r(&self) -> SpecRef<'_> {
        match &self.backing {
            SpecBacking::Owned(s) => SpecRef::Owned(s),
            // SAFETY: PyImageSpec methods only run with the interpreter attached.
            SpecBacking::Buf(b) => SpecRef::Buf(b.bind(unsafe { Python::assume_attached() }).borrow()),
            // SAFETY: as above.
            SpecBacking::BufNative(b) => SpecRef::BufNative(b.bind(unsafe { Python::assume_attached() }).borrow()),
        }
    }
    /// The spec, for writing.
    pub fn m(&mut self) -> SpecMut<'_> {
        match &mut self.backing {
            SpecBacking::Owned(s) => SpecMut::Owned(s),
            // SAFETY: as in `r`.
            SpecBacking::Buf(b) => SpecMut::Buf(b.bind(unsafe { Python::assume_attached() }).borrow_mut()),
            // SAFETY: as above.
            SpecBacking::BufNative(b) => SpecMut::BufNative(b.bind(unsafe { Python::assume_attached() }).borrow_mut()),
        }
    }
}

macro_rules! int_fields {
    ($($get:ident, $set:ident);* $(;)?) => {
        #[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
        #[pymethods]
        impl PyImageSpec {
            $(
                #[getter]
                fn $get(&self) -> i32 { self.r().$get }
                #[setter]
                fn $set(&mut self, v: Int<i32>) { self.m().$get = v.0; }
            )*
        }
    };
}

int_fields!(
    x, set_x; y, set_y; z, set_z; width, set_width; height, set_height; depth, set_depth;
    full_x, set_full_x; full_y, set_full_y; full_z, set_full_z;
    full_width, set_full_width; full_height, set_full_height; full_depth, set_full_depth;
    tile_width, set_tile_width; tile_height, set_tile_height; tile_depth, set_tile_depth;
    nchannels, set_nchannels; alpha_channel, set_alpha_channel; z_channel, set_z_channel;
);

/// Elements of a tuple/list (or one scalar), as the reference's
/// `py_to_stdvector` walks them.
fn items<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if obj.is_instance_of::<PyTuple>() || obj.is_instance_of::<PyList>() {
        obj.try_iter()?.collect()
    } else {
        Ok(vec![obj.clone()])
    }
}

/// `native=False` or a TypeDesc: the two overloads of the *_bytes methods.
enum NativeOrType {
    Native(bool),
    Type(TypeDesc),
}

fn native_or_type(o: Option<&Bound<'_, PyAny>>) -> PyResult<NativeOrType> {
    match o {
        None => Ok(NativeOrType::Native(false)),
        Some(o) if is_bool(o) => Ok(NativeOrType::Native(o.extract()?)),
        Some(o) => Ok(NativeOrType::Type(to_typedesc(o)?)),
    }
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyImageSpec {
    #[getter]
    fn format(&self) -> PyTypeDesc {
        self.r().format.into()
    }
    #[setter(format)]
    fn set_format_prop(&mut self, t: TypeDescArg) {
        self.m().format = t.0;
    }
    #[getter]
    fn deep(&self) -> bool {
        self.r().deep
    }
    #[setter]
    fn set_deep(&mut self, v: bool) {
        self.m().deep = v;
    }
    #[getter(channelformats)]
    fn channelformats_prop<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        if self.r().channelformats.is_empty() {
            return Ok(PyTuple::empty(py));
        }
        PyTuple::new(py, self.r().get_channelformats().into_iter().map(PyTypeDesc::from))
    }
    /// Unconvertible entries become UNKNOWN, as in the reference.
    #[setter]
    fn set_channelformats(&mut self, v: &Bound<'_, PyAny>) -> PyResult<()> {
        reject_none(v)?;
        self.m().channelformats = items(v)?
            .iter()
            .map(|o| to_typedesc(o).unwrap_or(TypeDesc::UNKNOWN))
            .collect();
        Ok(())
    }
    #[getter]
    fn channelnames<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.r().channelnames)
    }
    #[setter]
    fn set_channelnames(&mut self, v: &Bound<'_, PyAny>) -> PyResult<()> {
        reject_none(v)?;
        self.m().channelnames = items(v)?
            .iter()
            .map(|o| o.extract::<String>().unwrap_or_default())
            .collect();
        Ok(())
    }
    /// A live view: changes through it change this spec.
    #[getter]
    fn extra_attribs(slf: &Bound<'_, Self>) -> PyParamValueList {
        PyParamValueList::view_of(slf.clone().unbind())
    }
    #[setter]
    fn set_extra_attribs(&mut self, v: PyRef<'_, PyParamValueList>) {
        self.m().extra_attribs = v.snapshot(v.py());
    }
    #[getter]
    fn roi(&self) -> PyRoi {
        self.r().roi().into()
    }
    #[setter]
    fn set_roi(&mut self, r: PyRoi) {
        self.m().set_roi(&r.inner)
    }
    #[getter]
    fn roi_full(&self) -> PyRoi {
        self.r().roi_full().into()
    }
    #[setter]
    fn set_roi_full(&mut self, r: PyRoi) {
        self.m().set_roi_full(&r.inner)
    }

    fn copy(&self) -> PyImageSpec {
        PyImageSpec::owned(self.r().clone())
    }
    fn set_format(&mut self, t: TypeDescArg) {
        self.m().set_format(t.0)
    }
    fn default_channel_names(&mut self) {
        self.m().default_channel_names()
    }
    fn tile_pixels(&self) -> u64 {
        self.r().tile_pixels()
    }
    fn image_pixels(&self) -> u64 {
        self.r().image_pixels()
    }
    fn size_t_safe(&self) -> bool {
        self.r().size_t_safe()
    }
    fn channelformat(&self, chan: Int<i32>) -> PyTypeDesc {
        self.r().channelformat(chan.0).into()
    }
    fn channel_name(&self, chan: Int<i32>) -> String {
        self.r().channel_name(chan.0).to_string()
    }
    fn channelindex(&self, name: &str) -> i32 {
        self.r().channelindex(name)
    }
    fn get_channelformats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.r().get_channelformats().into_iter().map(PyTypeDesc::from))
    }

    #[pyo3(signature = (name, defaultval = 0))]
    fn get_int_attribute(&self, name: &str, defaultval: i32) -> i32 {
        self.r().get_int_attribute(name, defaultval)
    }
    #[pyo3(signature = (name, defaultval = 0.0))]
    fn get_float_attribute(&self, name: &str, defaultval: f32) -> f32 {
        self.r().get_float_attribute(name, defaultval)
    }
    #[pyo3(signature = (name, defaultval = ""))]
    fn get_string_attribute(&self, name: &str, defaultval: &str) -> String {
        self.r().get_string_attribute(name, defaultval)
    }
    #[pyo3(signature = (name, defaultval = ""))]
    fn get_bytes_attribute<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        defaultval: &str,
    ) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, self.r().get_string_attribute(name, defaultval).as_bytes())
    }
    /// The value if an attribute of exactly this type exists (any type when
    /// UNKNOWN), else None.
    #[pyo3(signature = (name, r#type = None))]
    fn getattribute<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        r#type: Option<TypeDescArg>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = r#type.map_or(TypeDesc::UNKNOWN, |t| t.0);
        match self.r().find_attribute(name, t, false) {
            Some(p) => param_to_py(py, &p, p.nvalues(), py.None().into_bound(py)),
            None => Ok(py.None().into_bound(py)),
        }
    }
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(&self, py: Python<'py>, key: &str, default: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let default = default.unwrap_or_else(|| py.None().into_bound(py));
        match self.r().find_attribute(key, TypeDesc::UNKNOWN, false) {
            Some(p) => param_to_py(py, &p, 1, default),
            None => Ok(default),
        }
    }
    #[pyo3(signature = (name = "", r#type = None, casesensitive = false))]
    fn erase_attribute(&mut self, name: &str, r#type: Option<TypeDescArg>, casesensitive: bool) {
        self.m()
            .erase_attribute(name, r#type.map_or(TypeDesc::UNKNOWN, |t| t.0), casesensitive)
    }
    #[staticmethod]
    #[pyo3(signature = (param, human = false))]
    fn metadata_val(param: PyParamValue, human: bool) -> String {
        ImageSpec::metadata_val(&param.inner, human)
    }
    #[pyo3(signature = (format = "text", verbose = "detailed"))]
    fn serialize(&self, py: Python<'_>, format: &str, verbose: &str) -> String {
        let v = if verbose.eq_ignore_ascii_case("brief") {
            SerialVerbose::Brief
        } else if verbose.eq_ignore_ascii_case("detailedhuman") {
            SerialVerbose::DetailedHuman
        } else {
            SerialVerbose::Detailed
        };
        let xml = format.eq_ignore_ascii_case("xml");
        py.detach(|| {
            if xml {
                self.r().serialize_xml(v)
            } else {
                self.r().serialize_text(v)
            }
        })
    }
    fn to_xml(&self) -> String {
        self.r().to_xml()
    }
    #[allow(clippy::wrong_self_convention)] // OIIO's name for an in-place read
    fn from_xml(&mut self, xml: &str) {
        self.m().from_xml(xml)
    }
    #[pyo3(signature = (xbegin, xend, ybegin, yend, zbegin = 0, zend = 1))]
    fn valid_tile_range(&self, xbegin: i32, xend: i32, ybegin: i32, yend: i32, zbegin: i32, zend: i32) -> bool {
        self.r().valid_tile_range(xbegin, xend, ybegin, yend, zbegin, zend)
    }
    fn copy_dimensions(&mut self, other: PyRef<'_, PyImageSpec>) {
        let o = other.r().clone();
        self.m().copy_dimensions(&o)
    }
    fn set_colorspace(&mut self, name: &str) {
        self.m().set_colorspace(name)
    }

    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.r().find_attribute(key, TypeDesc::UNKNOWN, false) {
            Some(p) => param_to_py(py, &p, 1, py.None().into_bound(py)),
            None => Err(PyKeyError::new_err(format!("key '{key}' does not exist"))),
        }
    }
    fn __setitem__(&mut self, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let p = onearg_param(key, value)?.ok_or_else(|| PyValueError::new_err("Bad type for __setitem__"))?;
        self.m().attribute(p);
        Ok(())
    }
    fn __delitem__(&mut self, key: &str) {
        self.m().erase_attribute(key, TypeDesc::UNKNOWN, false)
    }
    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        let key = key.cast::<PyString>()?.to_cow()?;
        Ok(self.r().extra_attribs.contains(&key, TypeDesc::UNKNOWN, true))
    }
}

/// Entry points taking `*args` (overloads): their stubs are written by hand
/// in stubgen.rs, so this block is not annotated for stub generation.
#[pymethods]
impl PyImageSpec {
    /// ImageSpec(), ImageSpec(w, h, nchans, fmt), ImageSpec(roi, fmt),
    /// ImageSpec(fmt), ImageSpec(other).
    #[new]
    #[pyo3(signature = (*args))]
    fn py_new(args: &Bound<'_, PyTuple>) -> PyResult<Self> {
        let a: Vec<Bound<'_, PyAny>> = args.iter().collect();
        let inner = match a.len() {
            0 => ImageSpec::default(),
            1 => {
                if let Ok(s) = a[0].cast::<PyImageSpec>() {
                    s.borrow().r().clone()
                } else {
                    ImageSpec::with_format(to_typedesc(&a[0])?)
                }
            }
            2 => {
                let roi = a[0]
                    .cast::<PyRoi>()
                    .map_err(|_| PyTypeError::new_err("ImageSpec(roi, format): expected ROI"))?;
                ImageSpec::from_roi(&roi.borrow().inner, to_typedesc(&a[1])?)
            }
            4 => ImageSpec::new(a[0].extract()?, a[1].extract()?, a[2].extract()?, to_typedesc(&a[3])?),
            _ => return Err(PyTypeError::new_err("ImageSpec() takes 0, 1, 2 or 4 arguments")),
        };
        Ok(PyImageSpec::owned(inner))
    }

    #[pyo3(signature = (channel = None, native = false))]
    fn channel_bytes(&self, channel: Option<i32>, native: bool) -> usize {
        match channel {
            None => self.r().channel_bytes(),
            Some(c) => self.r().channel_bytes_of(c, native),
        }
    }

    /// pixel_bytes(native=False) or pixel_bytes(chbegin, chend, native=False).
    #[pyo3(signature = (chbegin = None, chend = None, native = None))]
    fn pixel_bytes(
        &self,
        chbegin: Option<&Bound<'_, PyAny>>,
        chend: Option<i32>,
        native: Option<bool>,
    ) -> PyResult<usize> {
        match (chbegin, chend) {
            (Some(b), Some(e)) => Ok(self.r().pixel_bytes_range(b.extract()?, e, native.unwrap_or(false))),
            (Some(n), None) if is_bool(n) => Ok(self.r().pixel_bytes(n.extract()?)),
            (None, None) => Ok(self.r().pixel_bytes(native.unwrap_or(false))),
            _ => Err(PyTypeError::new_err(
                "pixel_bytes() takes (native=False) or (chbegin, chend, native=False)",
            )),
        }
    }

    #[pyo3(signature = (native = None))]
    fn scanline_bytes(&self, native: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
        Ok(match native_or_type(native)? {
            NativeOrType::Native(n) => self.r().scanline_bytes(n),
            NativeOrType::Type(t) => self.r().scanline_bytes_as(t),
        })
    }

    #[pyo3(signature = (native = None))]
    fn tile_bytes(&self, native: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
        Ok(match native_or_type(native)? {
            NativeOrType::Native(n) => self.r().tile_bytes(n),
            NativeOrType::Type(t) => self.r().tile_bytes_as(t),
        })
    }

    #[pyo3(signature = (native = None))]
    fn image_bytes(&self, native: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
        Ok(match native_or_type(native)? {
            NativeOrType::Native(n) => self.r().image_bytes(n),
            NativeOrType::Type(t) => self.r().image_bytes_as(t),
        })
    }

    /// attribute(name, value) or attribute(name, type, value).
    #[pyo3(signature = (name, *args))]
    fn attribute(&mut self, name: &str, args: &Bound<'_, PyTuple>) -> PyResult<()> {
        let p = match args.len() {
            1 => Some(
                onearg_param(name, &args.get_item(0)?)?
                    .ok_or_else(|| PyTypeError::new_err("attribute() value must be int, float, or str"))?,
            ),
            2 => typed_param(name, to_typedesc(&args.get_item(0)?)?, 1, &args.get_item(1)?)?,
            _ => {
                return Err(PyTypeError::new_err(
                    "attribute() takes (name, value) or (name, type, value)",
                ))
            }
        };
        if let Some(p) = p {
            self.m().attribute(p);
        }
        Ok(())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyImageSpec>()
}
