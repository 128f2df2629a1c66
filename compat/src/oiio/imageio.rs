//! `OpenImageIO.ImageInput` and `ImageOutput` over the vfx-io registry.
//! Pixels go through the engine's ImageBuf so type conversion and array
//! shapes follow the same rules as `ImageBuf.get_pixels`/`set_pixels`.

use super::imagebuf::PyImageBuf;
use super::imagespec::PyImageSpec;
use super::numpy_io::new_array;
use super::typedesc::to_typedesc;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use vfx_core::{globals, ImageBuf, ImageSpec, Roi, TypeDesc};
use vfx_io::{registry, Format, Reader};

/// The pending error message of an ImageInput/ImageOutput (OIIO appends
/// messages on new lines until `geterror()` takes them).
#[derive(Default)]
struct ErrorSlot(Mutex<String>);

impl ErrorSlot {
    fn push(&self, msg: &str) {
        let mut e = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if !e.is_empty() {
            e.push('\n');
        }
        e.push_str(msg);
    }
    fn is_set(&self) -> bool {
        !self.0.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
    }
    fn get(&self, clear: bool) -> String {
        let mut e = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if clear {
            std::mem::take(&mut *e)
        } else {
            e.clone()
        }
    }
}

/// A decoded (subimage, miplevel) and its pixels.
type Decoded = ((usize, usize), Arc<ImageBuf>);

/// An image file open for reading.
#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ImageInput", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageInput {
    reader: Mutex<Option<Box<dyn Reader>>>,
    /// The last subimage/MIP level decoded, so reading it scanline by
    /// scanline decodes the file once.
    decoded: Mutex<Option<Decoded>>,
    format: Option<&'static Format>,
    subimage: usize,
    miplevel: usize,
    error: ErrorSlot,
}

impl PyImageInput {
    /// A subimage decoded whole into an ImageBuf (native type), decoded once
    /// and reused by later reads of the same subimage/MIP level.
    fn read_buf(&self, subimage: usize, miplevel: usize) -> Result<Arc<ImageBuf>, String> {
        let mut cache = self.decoded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((key, buf)) = cache.as_ref() {
            if *key == (subimage, miplevel) {
                return Ok(buf.clone());
            }
        }
        let mut guard = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let reader = guard.as_mut().ok_or("File not open")?;
        let spec = reader.spec(subimage, miplevel).ok_or("Invalid subimage/miplevel")?;
        let pixels = reader.read_image(subimage, miplevel).map_err(|e| e.to_string())?;
        let buf = Arc::new(ImageBuf::from_parts(spec, pixels).map_err(|e| e.to_string())?);
        *cache = Some(((subimage, miplevel), buf.clone()));
        Ok(buf)
    }

    /// Pixels of `roi` from the given subimage as a numpy array of `format`
    /// (UNKNOWN: the file's type), or None with the error recorded.
    fn read_region<'py>(
        &self,
        py: Python<'py>,
        sub: usize,
        mip: usize,
        roi: Roi,
        format: TypeDesc,
    ) -> PyResult<Bound<'py, PyAny>> {
        let buf = match py.detach(|| self.read_buf(sub, mip)) {
            Ok(b) => b,
            Err(e) => {
                self.error.push(&e);
                return Ok(py.None().into_bound(py));
            }
        };
        let fmt = if format.is_unknown() { buf.spec().format } else { format };
        let r = buf.resolve_roi(&roi);
        let shape = super::imagebuf::region_shape(&r, buf.spec().depth);
        let mut result = Ok(());
        let arr = new_array(py, fmt, &shape, |dst| {
            result = py.detach(|| buf.get_pixels_into(&r, fmt, dst))
        })?;
        match result {
            Ok(()) => Ok(arr),
            Err(e) => {
                self.error.push(&e.to_string());
                Ok(py.None().into_bound(py))
            }
        }
    }

    fn spec_of(&self, sub: usize, mip: usize) -> Option<ImageSpec> {
        self.reader
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|r| r.spec(sub, mip))
    }
}

fn format_or_float(f: Option<&Bound<'_, PyAny>>) -> PyResult<TypeDesc> {
    f.map_or(Ok(TypeDesc::FLOAT), to_typedesc)
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyImageInput {
    /// Open a file; None (with the message in `OpenImageIO.geterror()`) on failure.
    #[staticmethod]
    #[pyo3(signature = (filename, config = None))]
    fn open(py: Python<'_>, filename: &str, config: Option<PyRef<'_, PyImageSpec>>) -> Option<PyImageInput> {
        let config = config.map(|c| c.r().clone());
        let path = PathBuf::from(filename);
        match py.detach(|| registry::open(&path, config.as_ref())) {
            Ok(reader) => {
                let format = registry::by_name(reader.format_name());
                Some(PyImageInput {
                    reader: Mutex::new(Some(reader)),
                    decoded: Mutex::new(None),
                    format,
                    subimage: 0,
                    miplevel: 0,
                    error: ErrorSlot::default(),
                })
            }
            Err(e) => {
                globals::push_error(&e.to_string());
                None
            }
        }
    }

    /// An unopened reader for the format the file name implies.
    #[staticmethod]
    #[pyo3(signature = (filename, plugin_searchpath = ""))]
    fn create(filename: &str, plugin_searchpath: &str) -> Option<PyImageInput> {
        let _ = plugin_searchpath;
        let ext = Path::new(filename)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or(filename);
        match registry::by_extension(ext).or_else(|| registry::by_name(filename)) {
            Some(f) => Some(PyImageInput {
                reader: Mutex::new(None),
                decoded: Mutex::new(None),
                format: Some(f),
                subimage: 0,
                miplevel: 0,
                error: ErrorSlot::default(),
            }),
            None => {
                globals::push_error(&format!(
                    "OpenImageIO could not find a format reader for \"{filename}\". Is it a file format that OpenImageIO doesn't know about?"
                ));
                None
            }
        }
    }

    fn format_name(&self) -> &'static str {
        self.format.map_or("", |f| f.name)
    }

    fn current_subimage(&self) -> usize {
        self.subimage
    }

    fn current_miplevel(&self) -> usize {
        self.miplevel
    }

    /// Select a subimage and MIP level; false if it does not exist.
    fn seek_subimage(&mut self, subimage: usize, miplevel: usize) -> bool {
        if self.spec_of(subimage, miplevel).is_some() {
            (self.subimage, self.miplevel) = (subimage, miplevel);
            true
        } else {
            false
        }
    }

    /// Spec of the current subimage, or of (subimage, miplevel).
    #[pyo3(signature = (subimage = None, miplevel = 0))]
    fn spec(&self, subimage: Option<usize>, miplevel: usize) -> PyImageSpec {
        let (s, m) = subimage.map_or((self.subimage, self.miplevel), |s| (s, miplevel));
        PyImageSpec::owned(self.spec_of(s, m).unwrap_or_default())
    }

    /// Like `spec`, without the metadata.
    #[pyo3(signature = (subimage, miplevel = 0))]
    fn spec_dimensions(&self, subimage: usize, miplevel: usize) -> PyImageSpec {
        let mut spec = self.spec_of(subimage, miplevel).unwrap_or_default();
        spec.extra_attribs.items.clear();
        PyImageSpec::owned(spec)
    }

    /// read_image(format=FLOAT), read_image(chbegin, chend, format=FLOAT),
    /// read_image(subimage, miplevel, chbegin, chend, format=FLOAT).
    #[pyo3(signature = (*args, format = None))]
    fn read_image<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        format: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let a: Vec<Bound<'py, PyAny>> = args.iter().collect();
        let int = |o: &Bound<'py, PyAny>| o.extract::<i32>();
        let (sub, mip, ch, fmt) = match a.len() {
            0 => (self.subimage, self.miplevel, None, format_or_float(format)?),
            1 => (self.subimage, self.miplevel, None, to_typedesc(&a[0])?),
            2 | 3 => (
                self.subimage,
                self.miplevel,
                Some((int(&a[0])?, int(&a[1])?)),
                if a.len() == 3 {
                    to_typedesc(&a[2])?
                } else {
                    format_or_float(format)?
                },
            ),
            4 | 5 => (
                int(&a[0])? as usize,
                int(&a[1])? as usize,
                Some((int(&a[2])?, int(&a[3])?)),
                if a.len() == 5 {
                    to_typedesc(&a[4])?
                } else {
                    format_or_float(format)?
                },
            ),
            _ => return Err(PyTypeError::new_err("read_image(): bad arguments")),
        };
        let mut roi = Roi::ALL;
        if let (Some((b, e)), Some(spec)) = (ch, self.spec_of(sub, mip)) {
            roi = Roi {
                chbegin: b,
                chend: e,
                ..spec.roi()
            };
        }
        self.read_region(py, sub, mip, roi, fmt)
    }

    /// One scanline, shaped (width, nchannels).
    #[pyo3(signature = (y, z = 0, format = None))]
    fn read_scanline<'py>(
        &self,
        py: Python<'py>,
        y: i32,
        z: i32,
        format: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(spec) = self.spec_of(self.subimage, self.miplevel) else {
            self.error.push("File not open");
            return Ok(py.None().into_bound(py));
        };
        let fmt = format_or_float(format)?;
        if y < spec.y || y >= spec.y + spec.height || z < spec.z || z >= spec.z + spec.depth.max(1) {
            // Outside the image the reference hands back an empty array.
            return new_array(py, if fmt.is_unknown() { spec.format } else { fmt }, &[0], |_| {});
        }
        let roi = Roi {
            ybegin: y,
            yend: y + 1,
            zbegin: z,
            zend: z + 1,
            ..spec.roi()
        };
        let arr = self.read_region(py, self.subimage, self.miplevel, roi, fmt)?;
        if arr.is_none() {
            return Ok(arr);
        }
        arr.call_method1("reshape", ((spec.width as usize, spec.nchannels as usize),))
    }

    /// Scanlines [ybegin, yend) of channels [chbegin, chend).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (ybegin, yend, z = 0, chbegin = 0, chend = 10000, format = None))]
    fn read_scanlines<'py>(
        &self,
        py: Python<'py>,
        ybegin: i32,
        yend: i32,
        z: i32,
        chbegin: i32,
        chend: i32,
        format: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(spec) = self.spec_of(self.subimage, self.miplevel) else {
            self.error.push("File not open");
            return Ok(py.None().into_bound(py));
        };
        let roi = Roi {
            ybegin,
            yend,
            zbegin: z,
            zend: z + 1,
            chbegin,
            chend,
            ..spec.roi()
        };
        self.read_region(py, self.subimage, self.miplevel, roi, format_or_float(format)?)
    }

    fn close(&mut self) -> bool {
        *self.reader.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.decoded.lock().unwrap_or_else(|p| p.into_inner()) = None;
        true
    }

    #[getter]
    fn has_error(&self) -> bool {
        self.error.is_set()
    }

    #[pyo3(signature = (clear = true))]
    fn geterror(&self, clear: bool) -> String {
        self.error.get(clear)
    }

    fn supports(&self, feature: &str) -> i32 {
        self.format.map_or(0, |f| (f.supports)(feature))
    }

    /// True if the file exists and looks like this format.
    fn valid_file(&self, filename: &str) -> bool {
        let Some(f) = self.format else { return false };
        let mut head = [0u8; 64];
        use std::io::Read;
        match std::fs::File::open(filename).and_then(|mut fh| fh.read(&mut head)) {
            Ok(n) => (f.sniff)(&head[..n]),
            Err(_) => false,
        }
    }
}

/// An image file being written.
#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ImageOutput", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageOutput {
    format: &'static Format,
    path: Option<PathBuf>,
    spec: ImageSpec,
    error: ErrorSlot,
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyImageOutput {
    /// A writer for the format the file name implies; None (with the
    /// message in `OpenImageIO.geterror()`) if there is none.
    #[staticmethod]
    #[pyo3(signature = (filename, plugin_searchpath = ""))]
    fn create(filename: &str, plugin_searchpath: &str) -> Option<PyImageOutput> {
        let _ = plugin_searchpath;
        match registry::for_output(Path::new(filename), "").or_else(|| registry::by_name(filename)) {
            Some(format) if format.write.is_some() => Some(PyImageOutput {
                format,
                path: None,
                spec: ImageSpec::default(),
                error: ErrorSlot::default(),
            }),
            _ => {
                globals::push_error(&format!(
                    "OpenImageIO could not find a format writer for \"{filename}\". Is it a file format that OpenImageIO doesn't know about?"
                ));
                None
            }
        }
    }

    fn format_name(&self) -> &'static str {
        self.format.name
    }

    /// Open `filename` for writing one image described by `spec`.
    #[pyo3(signature = (filename, spec, mode = "Create"))]
    fn open(&mut self, filename: &str, spec: PyRef<'_, PyImageSpec>, mode: &str) -> bool {
        if mode != "Create" {
            self.error.push(&format!(
                "{} does not support subimages or MIP levels",
                self.format.name
            ));
            return false;
        }
        self.spec = spec.r().clone();
        self.path = Some(PathBuf::from(filename));
        true
    }

    fn spec(&self) -> PyImageSpec {
        PyImageSpec::owned(self.spec.clone())
    }

    /// Write the whole image from a numpy array (shaped as get_pixels gives).
    fn write_image(&mut self, py: Python<'_>, pixels: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Some(path) = self.path.clone() else {
            self.error.push("write_image: file not open");
            return Ok(false);
        };
        let mut buf = PyImageBuf {
            inner: ImageBuf::from_spec(&self.spec),
        };
        if !buf.set_pixels_from(pixels)? {
            self.error.push(&buf.inner.geterror(true));
            return Ok(false);
        }
        let write = self.format.write.expect("create() checked it");
        let spec = buf.inner.spec().clone();
        let source = super::numpy_io::array_pixel_type(pixels).unwrap_or(spec.format);
        let result = py.detach(|| {
            let request = vfx_io::WriteRequest {
                subimages: vec![vec![vfx_io::Level {
                    spec: &spec,
                    pixels: buf.inner.pixels().unwrap_or(&[]),
                }]],
                deep: vec![None],
                source,
                thumbnail: None,
            };
            write(&path, &request)
        });
        match result {
            Ok(()) => Ok(true),
            Err(e) => {
                self.error.push(&e.to_string());
                Ok(false)
            }
        }
    }

    fn close(&mut self) -> bool {
        self.path = None;
        true
    }

    #[getter]
    fn has_error(&self) -> bool {
        self.error.is_set()
    }

    #[pyo3(signature = (clear = true))]
    fn geterror(&self, clear: bool) -> String {
        self.error.get(clear)
    }

    fn supports(&self, feature: &str) -> i32 {
        (self.format.supports)(feature)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyImageInput>()?;
    m.add_class::<PyImageOutput>()?;
    vfx_io::registry::install();
    Ok(())
}
