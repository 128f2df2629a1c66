//! `OpenImageIO.ImageInput` and `ImageOutput` over the vfx-io registry.
//! Pixels go through the engine's ImageBuf so type conversion and array
//! shapes follow the same rules as `ImageBuf.get_pixels`/`set_pixels`.

use super::deepdata::PyDeepData;
use super::imagebuf::PyImageBuf;
use super::imagespec::PyImageSpec;
use super::numpy_io::{array_bytes, contiguous, dtype_base, new_array};
use super::typedesc::to_typedesc;
use super::values::bind_overloads;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use vfx_core::{globals, ImageBuf, ImageSpec, Roi, TypeDesc};
use vfx_io::input::InputFile;
use vfx_io::output::{OpenMode, OutputFile};
use vfx_io::{registry, Format, IoError};

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

/// An image file open for reading.
#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ImageInput", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageInput {
    file: Mutex<Option<InputFile>>,
    format: Option<&'static Format>,
    subimage: usize,
    miplevel: usize,
    error: ErrorSlot,
}

impl PyImageInput {
    fn with_file<R>(&self, f: impl FnOnce(&mut InputFile) -> Result<R, IoError>) -> Result<R, String> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let file = guard.as_mut().ok_or("File not open")?;
        f(file).map_err(|e| e.to_string())
    }

    /// Pixels of `roi` from the given subimage as a numpy array of `format`
    /// (UNKNOWN: the file's type) shaped `shape`, or None with the error recorded.
    fn read_region<'py>(
        &self,
        py: Python<'py>,
        sub: usize,
        mip: usize,
        roi: Roi,
        format: TypeDesc,
        shape: Option<Vec<usize>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(spec) = self.spec_of(sub, mip) else {
            self.error.push(&format!("Invalid subimage {sub} / MIP level {mip}"));
            return Ok(py.None().into_bound(py));
        };
        let fmt = if format.is_unknown() { spec.format } else { format };
        let shape = shape.unwrap_or_else(|| super::imagebuf::region_shape(&roi, spec.depth));
        let mut result = Ok(());
        let arr = new_array(py, fmt, &shape, |dst| {
            result = py.detach(|| self.with_file(|f| f.read_region(sub, mip, &roi, fmt, dst)))
        })?;
        match result {
            Ok(()) => Ok(arr),
            Err(e) => {
                self.error.push(&e);
                Ok(py.None().into_bound(py))
            }
        }
    }

    fn spec_of(&self, sub: usize, mip: usize) -> Option<ImageSpec> {
        self.file
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|r| r.spec(sub, mip))
    }

    /// The channel range OIIO's readers use for [chbegin, chend).
    fn channels(spec: &ImageSpec, chbegin: i32, chend: i32) -> (i32, i32) {
        InputFile::channel_range(spec, chbegin, chend)
    }

    #[allow(clippy::too_many_arguments)]
    fn read_tiles_impl<'py>(
        &self,
        py: Python<'py>,
        sub: usize,
        mip: usize,
        x: (i32, i32),
        y: (i32, i32),
        z: (i32, i32),
        ch: (i32, i32),
        format: TypeDesc,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(spec) = self.spec_of(sub, mip) else {
            return Ok(py.None().into_bound(py));
        };
        let ch = Self::channels(&spec, ch.0, ch.1);
        let Some(roi) = InputFile::tiles_roi(&spec, x, y, z, ch) else {
            return Ok(py.None().into_bound(py));
        };
        let (w, h, d, c) = (
            (x.1 - x.0) as usize,
            (y.1 - y.0) as usize,
            (z.1 - z.0) as usize,
            (ch.1 - ch.0) as usize,
        );
        let shape = if spec.tile_depth > 1 {
            vec![d, h, w, c]
        } else {
            vec![h, w, c]
        };
        self.read_region(py, sub, mip, roi, format, Some(shape))
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
        match py.detach(|| InputFile::open(&path, config.as_ref())) {
            Ok(file) => {
                let format = registry::by_name(file.format_name());
                Some(PyImageInput {
                    file: Mutex::new(Some(file)),
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
                file: Mutex::new(None),
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
        if y == spec.y + spec.height {
            // Just past the end the reference reads zero rows: an empty array.
            return new_array(py, if fmt.is_unknown() { spec.format } else { fmt }, &[0], |_| {});
        }
        if y < spec.y || y > spec.y + spec.height || z < spec.z || z >= spec.z + spec.depth.max(1) {
            return Ok(py.None().into_bound(py));
        }
        let roi = Roi {
            ybegin: y,
            yend: y + 1,
            zbegin: z,
            zend: z + 1,
            ..spec.roi()
        };
        let shape = vec![spec.width as usize, spec.nchannels as usize];
        self.read_region(py, self.subimage, self.miplevel, roi, fmt, Some(shape))
    }

    /// A tile whose corner is (x, y, z), shaped as one tile.
    #[pyo3(signature = (x, y, z, format = None))]
    fn read_tile<'py>(
        &self,
        py: Python<'py>,
        x: i32,
        y: i32,
        z: i32,
        format: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(spec) = self.spec_of(self.subimage, self.miplevel) else {
            return Ok(py.None().into_bound(py));
        };
        let (tw, th, td) = (spec.tile_width, spec.tile_height, spec.tile_depth.max(1));
        self.read_tiles_impl(
            py,
            self.subimage,
            self.miplevel,
            (x, x + tw),
            (y, y + th),
            (z, z + td),
            (0, spec.nchannels),
            format_or_float(format)?,
        )
    }

    /// The thumbnail stored in the file (an empty ImageBuf if none).
    #[pyo3(signature = (subimage = 0))]
    fn get_thumbnail(&self, py: Python<'_>, subimage: usize) -> PyImageBuf {
        let result = py.detach(|| self.with_file(|f| f.thumbnail(subimage)));
        let inner = match result {
            Ok(Some(buf)) => buf,
            Ok(None) => ImageBuf::new(),
            Err(e) => {
                self.error.push(&e);
                ImageBuf::new()
            }
        };
        PyImageBuf { inner }
    }

    /// All deep samples of a deep subimage (None with an error otherwise).
    #[pyo3(signature = (subimage = 0, miplevel = 0))]
    fn read_native_deep_image(&self, py: Python<'_>, subimage: usize, miplevel: usize) -> Option<PyDeepData> {
        // A flat (or missing) subimage: None, without an error message.
        if !self.spec_of(subimage, miplevel)?.deep {
            return None;
        }
        match py.detach(|| self.with_file(|f| f.read_deep(subimage, miplevel))) {
            Ok(d) => Some(PyDeepData::from(d)),
            Err(e) => {
                self.error.push(&e);
                None
            }
        }
    }

    /// Deep samples of scanlines [ybegin, yend) and channels [chbegin, chend).
    #[allow(clippy::too_many_arguments)]
    fn read_native_deep_scanlines(
        &self,
        py: Python<'_>,
        subimage: usize,
        miplevel: usize,
        ybegin: i32,
        yend: i32,
        z: i32,
        chbegin: i32,
        chend: i32,
    ) -> Option<PyDeepData> {
        let spec = self.spec_of(subimage, miplevel)?;
        let roi = Roi {
            ybegin,
            yend,
            zbegin: z,
            zend: z + 1,
            chbegin,
            chend,
            ..spec.roi()
        };
        self.deep_region(py, subimage, miplevel, &spec, roi)
    }

    /// Deep samples of a tile-aligned region.
    #[allow(clippy::too_many_arguments)]
    fn read_native_deep_tiles(
        &self,
        py: Python<'_>,
        subimage: usize,
        miplevel: usize,
        xbegin: i32,
        xend: i32,
        ybegin: i32,
        yend: i32,
        zbegin: i32,
        zend: i32,
        chbegin: i32,
        chend: i32,
    ) -> Option<PyDeepData> {
        let spec = self.spec_of(subimage, miplevel)?;
        let roi = InputFile::tiles_roi(&spec, (xbegin, xend), (ybegin, yend), (zbegin, zend), (chbegin, chend))?;
        self.deep_region(py, subimage, miplevel, &spec, roi)
    }

    fn close(&mut self) -> bool {
        *self.file.lock().unwrap_or_else(|p| p.into_inner()) = None;
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

impl PyImageInput {
    /// Deep samples of `roi` cut out of the whole deep subimage.
    fn deep_region(
        &self,
        py: Python<'_>,
        subimage: usize,
        miplevel: usize,
        spec: &ImageSpec,
        roi: Roi,
    ) -> Option<PyDeepData> {
        match py.detach(|| self.with_file(|f| f.read_deep(subimage, miplevel))) {
            Ok(d) => Some(PyDeepData::from(vfx_core::deepdata::crop(&d, spec, &roi))),
            Err(e) => {
                self.error.push(&e);
                None
            }
        }
    }
}

/// `read_image`, `read_scanlines` and `read_tiles` take several overloads
/// (with and without an explicit subimage/miplevel), matched as the
/// reference matches them, keywords included.
/// (Their stubs are the overloads written in stubgen.rs.)
#[pymethods]
impl PyImageInput {
    #[pyo3(signature = (*args, **kwargs))]
    fn read_image<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const FULL: &[&str] = &["subimage", "miplevel", "chbegin", "chend", "format"];
        const CHANS: &[&str] = &["chbegin", "chend", "format"];
        let (which, a) = bind_overloads("read_image", args, kwargs, &[(FULL, 4), (CHANS, 2), (&["format"], 0)])?;
        let int = |o: &Option<Bound<'py, PyAny>>| o.as_ref().map_or(Ok(0), |o| o.extract::<i32>());
        let (sub, mip, ch, fmt) = match which {
            0 => (
                int(&a[0])? as usize,
                int(&a[1])? as usize,
                Some((int(&a[2])?, int(&a[3])?)),
                format_or_float(a[4].as_ref())?,
            ),
            // As the reference: this form always reads subimage 0, level 0.
            1 => (0, 0, Some((int(&a[0])?, int(&a[1])?)), format_or_float(a[2].as_ref())?),
            _ => (self.subimage, self.miplevel, None, format_or_float(a[0].as_ref())?),
        };
        let Some(spec) = self.spec_of(sub, mip) else {
            // The reference returns None without an error message.
            return Ok(py.None().into_bound(py));
        };
        let (cb, ce) = ch.map_or((0, spec.nchannels), |(b, e)| Self::channels(&spec, b, e));
        let roi = Roi {
            chbegin: cb,
            chend: ce,
            ..spec.roi()
        };
        self.read_region(py, sub, mip, roi, fmt, None)
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn read_scanlines<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const FULL: &[&str] = &[
            "subimage", "miplevel", "ybegin", "yend", "z", "chbegin", "chend", "format",
        ];
        const CUR: &[&str] = &["ybegin", "yend", "z", "chbegin", "chend", "format"];
        let (which, a) = bind_overloads("read_scanlines", args, kwargs, &[(FULL, 7), (CUR, 5)])?;
        let int = |o: &Option<Bound<'py, PyAny>>| o.as_ref().map_or(Ok(0), |o| o.extract::<i32>());
        let (sub, mip, a) = match which {
            0 => (int(&a[0])? as usize, int(&a[1])? as usize, &a[2..]),
            _ => (self.subimage, self.miplevel, &a[..]),
        };
        let Some(spec) = self.spec_of(sub, mip) else {
            self.error.push(&format!("Invalid subimage {sub} / MIP level {mip}"));
            return Ok(py.None().into_bound(py));
        };
        let (ybegin, yend, z) = (int(&a[0])?, int(&a[1])?, int(&a[2])?);
        let (cb, ce) = Self::channels(&spec, int(&a[3])?, int(&a[4])?);
        let fmt = format_or_float(a[5].as_ref())?;
        let roi = Roi {
            ybegin,
            yend,
            zbegin: z,
            zend: z + 1,
            chbegin: cb,
            chend: ce,
            ..spec.roi()
        };
        let shape = vec![(yend - ybegin).max(0) as usize, spec.width as usize, (ce - cb) as usize];
        self.read_region(py, sub, mip, roi, fmt, Some(shape))
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn read_tiles<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        const FULL: &[&str] = &[
            "subimage", "miplevel", "xbegin", "xend", "ybegin", "yend", "zbegin", "zend", "chbegin", "chend", "format",
        ];
        const CUR: &[&str] = &[
            "xbegin", "xend", "ybegin", "yend", "zbegin", "zend", "chbegin", "chend", "format",
        ];
        let (which, a) = bind_overloads("read_tiles", args, kwargs, &[(FULL, 10), (CUR, 8)])?;
        let int = |o: &Option<Bound<'py, PyAny>>| o.as_ref().map_or(Ok(0), |o| o.extract::<i32>());
        let (sub, mip, a) = match which {
            0 => (int(&a[0])? as usize, int(&a[1])? as usize, &a[2..]),
            _ => (self.subimage, self.miplevel, &a[..]),
        };
        self.read_tiles_impl(
            py,
            sub,
            mip,
            (int(&a[0])?, int(&a[1])?),
            (int(&a[2])?, int(&a[3])?),
            (int(&a[4])?, int(&a[5])?),
            (int(&a[6])?, int(&a[7])?),
            format_or_float(a[8].as_ref())?,
        )
    }
}

/// An image file being written.
#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ImageOutput", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageOutput {
    format: &'static Format,
    file: Option<OutputFile>,
    error: ErrorSlot,
}

impl Drop for PyImageOutput {
    /// Like OIIO, an ImageOutput destroyed while open closes its file, so
    /// what was written is not lost.
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = file.close();
        }
    }
}

/// A pixel array argument checked against the region it must fill, as the
/// reference checks it: its pixel type and C-contiguous bytes, or the
/// message the reference gives.
fn pixel_array<'py>(
    obj: &Bound<'py, PyAny>,
    nchans: i32,
    (w, h, d): (i32, i32, i32),
    pixeldims: u8,
) -> PyResult<Result<(TypeDesc, Bound<'py, numpy::PyUntypedArray>), String>> {
    use numpy::PyUntypedArrayMethods;
    let Ok(arr) = contiguous_any(obj) else {
        return Ok(Err("unspecified".into()));
    };
    let Some(base) = dtype_base(&arr) else {
        return Ok(Err("unspecified".into()));
    };
    let shape = arr.shape().to_vec();
    let (w, h, d, c) = (w as usize, h as usize, d as usize, nchans as usize);
    if arr.len() != w * h * d * c {
        return Ok(Err(format!(
            "buffer is wrong size (expected {d}x{h}x{w}x{c}, got total {})",
            arr.len()
        )));
    }
    let ok = match pixeldims {
        3 => shape == [d, h, w, c] || shape == [d, h, w * c],
        2 => shape == [h, w, c] || shape == [w * h, c] || shape == [h, w * c] || shape == [w * h * c],
        _ => shape == [w, c] || shape == [w * c],
    };
    if !ok {
        return Ok(Err(if pixeldims == 2 && shape.len() != 2 {
            format!(
                "Python array shape is [{}] but expecting h={h}, w={w}, ch={c}",
                shape.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
            )
        } else if pixeldims == 3 {
            "Bad dimensions of pixel data".into()
        } else {
            format!(
                "Can't figure out array shape (pixeldims={pixeldims}, pydim={})",
                shape.len()
            )
        }));
    }
    Ok(Ok((TypeDesc::scalar(base), arr)))
}

/// Any array-like as a C-contiguous numpy array.
fn contiguous_any<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, numpy::PyUntypedArray>> {
    contiguous(obj)
}

impl PyImageOutput {
    /// `ImageBuf.write(out)`: the buffer's pixels (or deep samples) as the
    /// current image of this open output.
    pub(crate) fn write_buf(&mut self, py: Python<'_>, buf: &ImageBuf) -> Result<(), String> {
        let Some(file) = self.file.as_mut() else {
            return Err("ImageOutput is not open".into());
        };
        let r = py.detach(|| match buf.deepdata() {
            Some(d) => file.write_deep(d.clone()),
            None => file.write_region(&buf.roi(), buf.spec().format, buf.pixels().unwrap_or(&[])),
        });
        r.map_err(|e| {
            self.error.push(&e.to_string());
            e.to_string()
        })
    }

    fn fail(&self, e: impl std::fmt::Display) -> bool {
        self.error.push(&e.to_string());
        false
    }

    /// Check `pixels` for the region and store them in the open file.
    fn write_pixels(
        &mut self,
        py: Python<'_>,
        roi: Roi,
        pixels: &Bound<'_, PyAny>,
        dims: (i32, i32, i32),
        pixeldims: u8,
    ) -> PyResult<bool> {
        let Some(file) = self.file.as_mut() else {
            return Ok(self.fail("File not open"));
        };
        let nchans = file.spec().nchannels;
        let (fmt, arr) = match pixel_array(pixels, nchans, dims, pixeldims)? {
            Ok(v) => v,
            Err(msg) => return Ok(self.fail(format!("Pixel data array error: {msg}"))),
        };
        // SAFETY: `arr` is C-contiguous and alive for the whole call.
        let bytes = unsafe { array_bytes(&arr) };
        let result = py.detach(|| file.write_region(&roi, fmt, bytes));
        Ok(result.is_ok() || self.fail(result.unwrap_err()))
    }
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
        match vfx_io::output::writer_for(filename) {
            Some(format) => Some(PyImageOutput {
                format,
                file: None,
                error: ErrorSlot::default(),
            }),
            None => {
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

    /// The spec of the subimage being written.
    fn spec(&self) -> PyImageSpec {
        PyImageSpec::owned(self.file.as_ref().map(|f| f.spec().clone()).unwrap_or_default())
    }

    /// Write the whole current image from an array shaped (h, w, c) (or
    /// (d, h, w, c) for volumes, or flattened).
    fn write_image(&mut self, py: Python<'_>, pixels: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Some(spec) = self.file.as_ref().map(|f| f.spec().clone()) else {
            return Ok(self.fail("File not open"));
        };
        let pixeldims = if spec.depth > 1 { 3 } else { 2 };
        self.write_pixels(
            py,
            spec.roi(),
            pixels,
            (spec.width, spec.height, spec.depth.max(1)),
            pixeldims,
        )
    }

    /// Write scanline y (at depth z).
    fn write_scanline(&mut self, py: Python<'_>, y: i32, z: i32, pixels: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.write_scanlines_impl(py, y, y + 1, z, pixels, 1)
    }

    /// Write scanlines [ybegin, yend) at depth z.
    fn write_scanlines(
        &mut self,
        py: Python<'_>,
        ybegin: i32,
        yend: i32,
        z: i32,
        pixels: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        self.write_scanlines_impl(py, ybegin, yend, z, pixels, 2)
    }

    /// Write the tile whose corner is (x, y, z).
    fn write_tile(&mut self, py: Python<'_>, x: i32, y: i32, z: i32, pixels: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Some(spec) = self.file.as_ref().map(|f| f.spec().clone()) else {
            return Ok(self.fail("File not open"));
        };
        if spec.tile_width == 0 {
            return Ok(self.fail("Cannot write tiles to a scanline file."));
        }
        let (tw, th, td) = (spec.tile_width, spec.tile_height, spec.tile_depth.max(1));
        self.write_tiles_impl(py, (x, x + tw), (y, y + th), (z, z + td), pixels)
    }

    /// Write the tile-aligned region [xbegin,xend) x [ybegin,yend) x [zbegin,zend).
    #[allow(clippy::too_many_arguments)]
    fn write_tiles(
        &mut self,
        py: Python<'_>,
        xbegin: i32,
        xend: i32,
        ybegin: i32,
        yend: i32,
        zbegin: i32,
        zend: i32,
        pixels: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        if self.file.as_ref().is_some_and(|f| f.spec().tile_width == 0) {
            return Ok(self.fail("Cannot write tiles to a scanline file."));
        }
        self.write_tiles_impl(py, (xbegin, xend), (ybegin, yend), (zbegin, zend), pixels)
    }

    /// Write a whole deep image.
    fn write_deep_image(&mut self, py: Python<'_>, deepdata: PyRef<'_, PyDeepData>) -> bool {
        let deep = deepdata.cloned();
        let Some(file) = self.file.as_mut() else {
            return self.fail("File not open");
        };
        let r = py.detach(|| file.write_deep(deep));
        r.is_ok() || self.fail(r.unwrap_err())
    }

    /// Deep scanlines [ybegin, yend) (the whole image at once, in this implementation's files).
    fn write_deep_scanlines(
        &mut self,
        py: Python<'_>,
        ybegin: i32,
        yend: i32,
        z: i32,
        deepdata: PyRef<'_, PyDeepData>,
    ) -> bool {
        let Some(file) = self.file.as_mut() else {
            return self.fail("File not open");
        };
        let roi = file.scanlines_roi(ybegin, yend, z);
        let spec = file.spec().clone();
        let deep = deepdata.cloned();
        let r = py.detach(|| file.write_deep_region(&spec, &roi, deep));
        r.is_ok() || self.fail(r.unwrap_err())
    }

    /// Deep samples of a tile-aligned region.
    #[allow(clippy::too_many_arguments)]
    fn write_deep_tiles(
        &mut self,
        py: Python<'_>,
        xbegin: i32,
        xend: i32,
        ybegin: i32,
        yend: i32,
        zbegin: i32,
        zend: i32,
        deepdata: PyRef<'_, PyDeepData>,
    ) -> bool {
        let Some(file) = self.file.as_mut() else {
            return self.fail("File not open");
        };
        let roi = match file.tiles_roi((xbegin, xend), (ybegin, yend), (zbegin, zend)) {
            Ok(r) => r,
            Err(e) => return self.fail(e),
        };
        let spec = file.spec().clone();
        let deep = deepdata.cloned();
        let r = py.detach(|| file.write_deep_region(&spec, &roi, deep));
        r.is_ok() || self.fail(r.unwrap_err())
    }

    /// Store a thumbnail with the image (formats that can hold one).
    fn set_thumbnail(&mut self, thumb: PyRef<'_, PyImageBuf>) -> bool {
        let Some(file) = self.file.as_mut() else {
            return self.fail("File not open");
        };
        file.set_thumbnail(thumb.inner.clone())
    }

    /// Copy the current subimage of an open ImageInput (pixels or deep
    /// samples) into the current image.
    fn copy_image(&mut self, py: Python<'_>, input: PyRef<'_, PyImageInput>) -> bool {
        let Some(file) = self.file.as_mut() else {
            return self.fail("File not open");
        };
        let (sub, mip) = (input.subimage, input.miplevel);
        let input: &PyImageInput = &input;
        let r = py.detach(|| {
            input.with_file(|inp| {
                let spec = inp.spec(sub, mip).ok_or_else(|| IoError::Open("bad subimage".into()))?;
                if spec.deep {
                    file.write_deep(inp.read_deep(sub, mip)?)
                } else {
                    let buf = inp.decoded(sub, mip)?;
                    file.write_region(&buf.roi(), buf.spec().format, buf.pixels().unwrap_or(&[]))
                }
            })
        });
        r.is_ok() || self.fail(r.unwrap_err())
    }

    fn close(&mut self, py: Python<'_>) -> bool {
        let Some(file) = self.file.take() else {
            return true;
        };
        let r = py.detach(|| file.close());
        r.is_ok() || self.fail(r.unwrap_err())
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

impl PyImageOutput {
    fn write_scanlines_impl(
        &mut self,
        py: Python<'_>,
        ybegin: i32,
        yend: i32,
        z: i32,
        pixels: &Bound<'_, PyAny>,
        pixeldims: u8,
    ) -> PyResult<bool> {
        let Some(file) = self.file.as_ref() else {
            return Ok(self.fail("File not open"));
        };
        if file.spec().tile_width != 0 {
            // The reference's two messages differ by a typo; kept.
            return Ok(self.fail(if pixeldims == 1 {
                "Cannot write scanlines to a tiled file."
            } else {
                "Cannot write scanlines to a filed file."
            }));
        }
        let roi = file.scanlines_roi(ybegin, yend, z);
        let w = file.spec().width;
        self.write_pixels(py, roi, pixels, (w, yend - ybegin, 1), pixeldims)
    }

    fn write_tiles_impl(
        &mut self,
        py: Python<'_>,
        x: (i32, i32),
        y: (i32, i32),
        z: (i32, i32),
        pixels: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        let Some(file) = self.file.as_ref() else {
            return Ok(self.fail("File not open"));
        };
        let roi = match file.tiles_roi(x, y, z) {
            Ok(r) => r,
            Err(e) => return Ok(self.fail(e)),
        };
        let pixeldims = if file.spec().tile_depth > 1 { 3 } else { 2 };
        self.write_pixels(py, roi, pixels, (x.1 - x.0, y.1 - y.0, z.1 - z.0), pixeldims)
    }
}

/// `open` has three forms: (filename, spec, mode="Create"),
/// (filename, specs) with a list of specs, and (filename, tuple of specs).
/// (Its stub is the overloads written in stubgen.rs.)
#[pymethods]
impl PyImageOutput {
    #[pyo3(signature = (*args, **kwargs))]
    fn open(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<bool> {
        let (which, a) = bind_overloads(
            "open",
            args,
            kwargs,
            &[(&["filename", "spec", "mode"], 2), (&["filename", "specs"], 2)],
        )?;
        let filename: String = a[0].as_ref().expect("required").extract()?;
        let second = a[1].as_ref().expect("required");
        if which == 0 {
            if let Ok(spec) = second.extract::<PyRef<'_, PyImageSpec>>() {
                let mode: String = a[2].as_ref().map_or(Ok("Create".into()), |m| m.extract())?;
                let mode = ["Create", "AppendSubimage", "AppendMIPLevel"]
                    .into_iter()
                    .find(|m| m.eq_ignore_ascii_case(&mode))
                    .and_then(OpenMode::from_name)
                    .ok_or_else(|| PyValueError::new_err(format!("Unknown open mode '{mode}'")))?;
                let spec = spec.r().clone();
                let result = match (mode, self.file.as_mut()) {
                    (OpenMode::Create, _) | (_, None) => {
                        OutputFile::create(self.format, Path::new(&filename), &spec).map(|f| self.file = Some(f))
                    }
                    (mode, Some(file)) => file.append(&spec, mode),
                };
                return Ok(result.is_ok() || self.fail(result.unwrap_err()));
            }
        }
        // A sequence of specs (a tuple with any non-spec item gives False).
        let mut specs = Vec::new();
        for item in second.try_iter()? {
            match item?.extract::<PyRef<'_, PyImageSpec>>() {
                Ok(s) => specs.push(s.r().clone()),
                Err(_) if second.is_instance_of::<PyTuple>() => return Ok(false),
                Err(e) => return Err(PyErr::from(e)),
            }
        }
        if specs.is_empty() {
            return Ok(false);
        }
        let _ = py;
        let result = OutputFile::create_all(self.format, Path::new(&filename), &specs).map(|f| self.file = Some(f));
        Ok(result.is_ok() || self.fail(result.unwrap_err()))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyImageInput>()?;
    m.add_class::<PyImageOutput>()?;
    vfx_io::registry::install();
    Ok(())
}
