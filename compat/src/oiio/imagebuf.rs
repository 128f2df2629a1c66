//! `OpenImageIO.ImageBuf` over `vfx_core::ImageBuf` (in-memory buffers;
//! file-backed buffers arrive with the I/O crate).

use super::imagespec::PyImageSpec;
use super::numpy_io::{array_bytes, contiguous, dtype_base, new_array};
use super::roi::PyRoi;
use super::typedesc::{to_typedesc, PyTypeDesc, TypeDescArg};
use super::values::{int_arg, py_to_values, reject_none, Int, Want};
use numpy::{PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use vfx_core::BaseType::{self, Double, Float, Half, Int16, Int32, Int8, UInt16, UInt32, UInt8};
use vfx_core::{ImageBuf, ImageSpec, Roi, TypeDesc, Wrap};

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ImageBuf", module = "OpenImageIO.OpenImageIO")]
pub struct PyImageBuf {
    pub inner: ImageBuf,
}

impl Drop for PyImageBuf {
    /// OIIO reports an error nobody retrieved when the buffer goes away.
    fn drop(&mut self) {
        if self.inner.has_error() && vfx_core::globals::get_int_attribute("imagebuf:print_uncaught_errors", 1) != 0 {
            let msg = self.inner.geterror(true);
            super::cstdout::print(&format!(
                "An ImageBuf was destroyed with a pending error message that was never\n\
                 retrieved via ImageBuf::geterror(). This was the error message:\n{msg}\n"
            ));
        }
    }
}

fn floats<'py>(py: Python<'py>, v: Vec<f32>) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, v.into_iter().map(|f| f as f64))
}

fn wrap_arg(name: &str) -> PyResult<Wrap> {
    Ok(Wrap::from_name(name))
}

/// Pixel values from a Python tuple/list (or any sequence) of numbers.
fn float_values(obj: &Bound<'_, PyAny>) -> PyResult<Vec<f32>> {
    // The reference's float-vector rules: unconvertible elements read as 42,
    // unusable objects give no values at all.
    let (vals, _ok) = py_to_values(obj, Want::Float)?;
    Ok(vals.iter().map(|v| v.as_f64() as f32).collect())
}

/// The shape numpy arrays of a region have: (h, w, c), or (d, h, w, c) for volumes.
pub(crate) fn region_shape(roi: &Roi, depth: i32) -> Vec<usize> {
    let (w, h, d, c) = (
        roi.width().max(0) as usize,
        roi.height().max(0) as usize,
        roi.depth().max(0) as usize,
        roi.nchannels().max(0) as usize,
    );
    if depth > 1 {
        vec![d, h, w, c]
    } else if d == 1 {
        vec![h, w, c]
    } else {
        vec![w * h * d * c]
    }
}

/// Objects with the buffer protocol (array.array, bytes, memoryview) as numpy
/// arrays, so one set of layout rules covers them all.
fn as_array<'py>(obj: &Bound<'py, PyAny>) -> Option<Bound<'py, PyUntypedArray>> {
    let py = obj.py();
    // Only objects with the buffer protocol (memoryview accepts exactly those).
    let mv = py
        .import("builtins")
        .ok()?
        .getattr("memoryview")
        .ok()?
        .call1((obj,))
        .ok()?;
    let np = py.import("numpy").ok()?;
    np.getattr("asarray")
        .ok()?
        .call1((mv,))
        .ok()?
        .cast_into::<PyUntypedArray>()
        .ok()
}

/// The reference's checks of an array given to set_pixels, with its
/// messages: total size, accepted shapes ((h,w,c), (w*h,c), flat; volumes
/// (d,h,w,c)), adjacent channels and forward strides.
fn check_layout(arr: &Bound<'_, PyUntypedArray>, [w, h, d, c]: [usize; 4], volume: bool) -> Result<(), String> {
    let shape = arr.shape();
    let n = arr.len();
    if n != w * h * d * c {
        return Err(format!(
            "set_pixels error: buffer is wrong size (expected {d}x{h}x{w}x{c}, got total {n})"
        ));
    }
    let shape_ok = if volume {
        shape == [d, h, w, c] || shape == [d, h, w * c]
    } else {
        match shape.len() {
            3 if shape == [h, w, c] => true,
            2 => shape == [w * h, c] || shape == [h, w * c],
            1 => true,
            _ => {
                let dims = shape.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ");
                return Err(format!(
                    "set_pixels error: Python array shape is [{dims}] but expecting h={h}, w={w}, ch={c}"
                ));
            }
        }
    };
    if !shape_ok {
        return Err(if volume {
            "set_pixels error: Bad dimensions of pixel data".to_string()
        } else {
            format!(
                "set_pixels error: Can't figure out array shape (pixeldims=2, pydim={})",
                shape.len()
            )
        });
    }
    let itemsize = numpy::PyArrayDescrMethods::itemsize(&arr.dtype()) as isize;
    let strides = arr.strides();
    if n > 0 && strides.last().is_some_and(|s| *s != itemsize) {
        return Err("set_pixels error: Can't handle numpy array with noncontiguous channels".to_string());
    }
    if strides.iter().any(|s| *s < 0) {
        return Err("set_pixels: buffer span does not contain the ROI dimensions".to_string());
    }
    Ok(())
}

/// A buffer read from a file; on failure an empty buffer named after the
/// file, holding OIIO's error message.
fn read_file(py: Python<'_>, name: &str, subimage: usize, miplevel: usize, convert: TypeDesc) -> ImageBuf {
    let path = std::path::PathBuf::from(name);
    match py.detach(|| vfx_io::imagebuf_io::read(&path, subimage, miplevel, convert)) {
        Ok(buf) => buf,
        Err(e) => {
            let mut buf = ImageBuf::new();
            buf.set_name(name);
            let msg = e.to_string();
            if msg.starts_with("Could not seek") {
                buf.error(&msg);
            } else {
                buf.error(&format!("Could not open file: {msg}"));
            }
            buf
        }
    }
}

impl PyImageBuf {
    /// A buffer holding a copy of a numpy array (2-4 dimensions: (h, w),
    /// (h, w, c) or (d, h, w, c)).
    fn from_array(obj: &Bound<'_, PyAny>) -> PyResult<ImageBuf> {
        let mut buf = ImageBuf::new();
        // Like the reference: channels must be adjacent in memory; any other
        // stride pattern (reversed rows, sub-sampled pixels) is fine.
        if let Ok(a) = obj.cast::<PyUntypedArray>() {
            let itemsize = numpy::PyArrayDescrMethods::itemsize(&a.dtype()) as isize;
            if a.ndim() >= 2 && a.ndim() <= 4 && a.strides().last() != Some(&itemsize) && a.len() > 0 {
                buf.error("ImageBuf-from-numpy-array must have contiguous stride within pixels");
                return Ok(buf);
            }
        }
        let arr = contiguous(obj)?;
        // Element types the reference cannot take give an empty buffer, silently.
        let Some(base) = dtype_base(&arr) else {
            return Ok(buf);
        };
        let s = arr.shape();
        let (d, h, w, c) = match s.len() {
            2 => (1, s[0], s[1], 1),
            3 => (1, s[0], s[1], s[2]),
            4 => (s[0], s[1], s[2], s[3]),
            _ => {
                buf.error("ImageBuf-from-numpy-array must have 2, 3, or 4 dimensions");
                return Ok(buf);
            }
        };
        let mut spec = ImageSpec::new(w as i32, h as i32, c as i32, TypeDesc::scalar(base));
        spec.depth = d as i32;
        spec.full_depth = d as i32;
        buf.reset(&spec);
        // SAFETY: `arr` is C-contiguous and kept alive for the whole call.
        let bytes = unsafe { array_bytes(&arr) };
        if !buf.initialized() {
            buf.error("Cannot set_pixels() on an uninitialized ImageBuf");
        } else if matches!(base, BaseType::UInt64 | BaseType::Int64) {
            // The reference's pixel loops do not handle 64-bit integers.
            buf.error(&format!("set_pixels: Unsupported pixel data format '{}'", base.name()));
        } else {
            let py = obj.py();
            if let Err(e) = py.detach(|| buf.set_pixels(&Roi::ALL, spec.format, bytes)) {
                buf.error(&e.to_string());
            }
        }
        Ok(buf)
    }
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyImageBuf {
    #[getter]
    fn initialized(&self) -> bool {
        self.inner.initialized()
    }
    #[getter]
    fn nchannels(&self) -> i32 {
        self.inner.nchannels()
    }
    #[getter]
    fn pixeltype(&self) -> PyTypeDesc {
        self.inner.pixeltype().into()
    }
    #[getter]
    fn roi(&self) -> PyRoi {
        self.inner.roi().into()
    }
    #[getter]
    fn roi_full(&self) -> PyRoi {
        self.inner.roi_full().into()
    }
    /// Setting it moves the display window.
    #[setter]
    fn set_roi_full(&mut self, roi: PyRoi) {
        self.inner.specmod().set_roi_full(&roi.inner)
    }
    #[getter]
    fn name(&self) -> String {
        self.inner.name().to_string()
    }
    #[getter]
    fn has_error(&self) -> bool {
        self.inner.has_error()
    }
    #[pyo3(signature = (clear = true))]
    fn geterror(&self, clear: bool) -> String {
        self.inner.geterror(clear)
    }
    /// Live views, as the reference returns: edits change the buffer.
    fn spec(slf: &Bound<'_, Self>) -> PyImageSpec {
        PyImageSpec::view_of(slf.clone().unbind(), false)
    }
    fn specmod(slf: &Bound<'_, Self>) -> PyImageSpec {
        PyImageSpec::view_of(slf.clone().unbind(), false)
    }
    fn nativespec(slf: &Bound<'_, Self>) -> PyImageSpec {
        PyImageSpec::view_of(slf.clone().unbind(), true)
    }
    #[getter]
    fn file_format_name(&self) -> String {
        self.inner.file.format_name.clone()
    }
    #[getter]
    fn subimage(&self) -> i32 {
        self.inner.file.subimage
    }
    #[getter]
    fn miplevel(&self) -> i32 {
        self.inner.file.miplevel
    }
    #[getter]
    fn nsubimages(&self) -> i32 {
        self.inner.file.nsubimages
    }
    #[getter]
    fn nmiplevels(&self) -> i32 {
        self.inner.file.nmiplevels
    }
    #[getter]
    fn pixels_valid(&self) -> bool {
        self.inner.pixels_valid()
    }
    #[getter]
    fn deep(&self) -> bool {
        self.inner.spec().deep
    }

    /// The image as PNG file bytes (Jupyter's rich display), written with
    /// `oiio:dither` requested as the reference does. Images PNG cannot hold
    /// (no pixels, too many channels) raise the TypeError the reference's
    /// empty result produces.
    fn _repr_png_<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let fail = || {
            PyTypeError::new_err(
                "Unable to convert function return value to a Python type! The signature was\n    _repr_png_(self) -> bytes",
            )
        };
        let s = self.inner.spec();
        if s.width < 1 || s.height < 1 || !self.inner.initialized() {
            return Err(fail());
        }
        let mut img = self.inner.clone();
        img.specmod().attribute_int("oiio:dither", 1);
        match py.detach(|| vfx_io::imagebuf_io::encode(&img, "png", "png")) {
            Ok(bytes) => Ok(pyo3::types::PyBytes::new(py, &bytes)),
            Err(_) => Err(fail()),
        }
    }

    /// A copy of the deep samples (None for a flat image).
    fn deepdata(&self) -> Option<super::deepdata::PyDeepData> {
        self.inner.deepdata().cloned().map(super::deepdata::PyDeepData::from)
    }

    #[pyo3(signature = (x, y, z = 0))]
    fn deep_samples(&self, x: i32, y: i32, z: i32) -> u32 {
        self.inner.deep_samples(x, y, z)
    }

    #[pyo3(signature = (x, y, z = 0, nsamples = 1))]
    fn set_deep_samples(&mut self, x: i32, y: i32, z: i32, nsamples: u32) {
        self.inner.with_deep_pixel(x, y, z, |d, p| d.set_samples(p, nsamples));
    }

    #[pyo3(signature = (x, y, z = 0, samplepos = None, nsamples = 1))]
    fn deep_insert_samples(&mut self, x: i32, y: i32, z: i32, samplepos: Option<i64>, nsamples: i64) -> PyResult<()> {
        let at = samplepos.ok_or_else(|| PyTypeError::new_err("deep_insert_samples(): missing samplepos"))?;
        self.inner.with_deep_pixel(x, y, z, |d, p| {
            d.insert_samples(p, usize::try_from(at).unwrap_or(usize::MAX), nsamples.max(0) as usize)
        });
        Ok(())
    }

    #[pyo3(signature = (x, y, z = 0, samplepos = None, nsamples = 1))]
    fn deep_erase_samples(&mut self, x: i32, y: i32, z: i32, samplepos: Option<i64>, nsamples: i64) -> PyResult<()> {
        let at = samplepos.ok_or_else(|| PyTypeError::new_err("deep_erase_samples(): missing samplepos"))?;
        self.inner.with_deep_pixel(x, y, z, |d, p| {
            d.erase_samples(p, usize::try_from(at).unwrap_or(usize::MAX), nsamples.max(0) as usize)
        });
        Ok(())
    }

    fn deep_value(&self, x: i32, y: i32, z: i32, channel: i32, sample: i64) -> f32 {
        let (c, s) = (
            usize::try_from(channel).unwrap_or(usize::MAX),
            usize::try_from(sample).unwrap_or(usize::MAX),
        );
        self.inner.deep_value(x, y, z, c, s)
    }

    fn deep_value_uint(&self, x: i32, y: i32, z: i32, channel: i32, sample: i64) -> u32 {
        let (c, s) = (
            usize::try_from(channel).unwrap_or(usize::MAX),
            usize::try_from(sample).unwrap_or(usize::MAX),
        );
        self.inner.deep_value_uint(x, y, z, c, s)
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (x, y, z, channel, sample, value = 0.0))]
    fn set_deep_value(&mut self, x: i32, y: i32, z: i32, channel: i32, sample: i64, value: f32) {
        let (c, s) = (
            usize::try_from(channel).unwrap_or(usize::MAX),
            usize::try_from(sample).unwrap_or(usize::MAX),
        );
        self.inner
            .with_deep_pixel(x, y, z, |d, p| d.set_deep_value(p, c, s, value));
    }

    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (x, y, z, channel, sample, value = 0))]
    fn set_deep_value_uint(&mut self, x: i32, y: i32, z: i32, channel: i32, sample: i64, value: u32) {
        let (c, s) = (
            usize::try_from(channel).unwrap_or(usize::MAX),
            usize::try_from(sample).unwrap_or(usize::MAX),
        );
        self.inner
            .with_deep_pixel(x, y, z, |d, p| d.set_deep_value_uint(p, c, s, value));
    }
    #[getter]
    fn has_thumbnail(&self) -> bool {
        self.inner.thumbnail().is_some()
    }
    #[getter]
    fn oriented_x(&self) -> i32 {
        self.inner.oriented().0[0]
    }
    #[getter]
    fn oriented_y(&self) -> i32 {
        self.inner.oriented().0[1]
    }
    #[getter]
    fn oriented_width(&self) -> i32 {
        self.inner.oriented().0[2]
    }
    #[getter]
    fn oriented_height(&self) -> i32 {
        self.inner.oriented().0[3]
    }
    #[getter]
    fn oriented_full_x(&self) -> i32 {
        self.inner.oriented().1[0]
    }
    #[getter]
    fn oriented_full_y(&self) -> i32 {
        self.inner.oriented().1[1]
    }
    #[getter]
    fn oriented_full_width(&self) -> i32 {
        self.inner.oriented().1[2]
    }
    #[getter]
    fn oriented_full_height(&self) -> i32 {
        self.inner.oriented().1[3]
    }
    fn copy_metadata(&mut self, src: &Bound<'_, PyImageBuf>) {
        if let Ok(src) = src.try_borrow() {
            self.inner.copy_metadata(&src.inner)
        }
    }
    fn copy_pixels(&mut self, src: &Bound<'_, PyImageBuf>) -> bool {
        let py = src.py();
        match src.try_borrow() {
            Ok(src) => {
                let (dst, src) = (&mut self.inner, &src.inner);
                py.detach(|| dst.copy_pixels(src))
            }
            Err(_) => true, // copying a buffer onto itself
        }
    }
    #[pyo3(signature = (src, r#override = false, pattern = ""))]
    fn merge_metadata(&mut self, src: &Bound<'_, PyImageBuf>, r#override: bool, pattern: &str) -> PyResult<()> {
        if let Ok(src) = src.try_borrow() {
            self.inner
                .merge_metadata(&src.inner, r#override, pattern)
                .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        }
        Ok(())
    }
    fn swap(&mut self, other: &Bound<'_, PyImageBuf>) {
        if let Ok(mut o) = other.try_borrow_mut() {
            self.inner.swap(&mut o.inner)
        }
    }
    /// Pixels live in memory already, so they are always writable.
    #[pyo3(signature = (keep_cache_type = false))]
    fn make_writable(&self, keep_cache_type: bool) -> bool {
        let _ = keep_cache_type;
        true
    }
    /// One type for all channels, or a list of per-channel types.
    fn set_write_format(&mut self, format: &Bound<'_, PyAny>) -> PyResult<()> {
        reject_none(format)?;
        let formats = if format.is_instance_of::<PyList>() || format.is_instance_of::<PyTuple>() {
            format
                .try_iter()?
                .map(|f| f.and_then(|f| to_typedesc(&f)).unwrap_or(TypeDesc::UNKNOWN))
                .collect()
        } else {
            to_typedesc(format).map(|t| vec![t]).unwrap_or_default()
        };
        self.inner.set_write_format(formats);
        Ok(())
    }
    #[pyo3(signature = (width = 0, height = 0, depth = 0))]
    fn set_write_tiles(&mut self, width: i32, height: i32, depth: i32) {
        self.inner.set_write_tiles(width, height, depth)
    }
    fn set_thumbnail(&mut self, thumb: &Bound<'_, PyImageBuf>) {
        let t = thumb.try_borrow().map(|t| t.inner.clone()).ok();
        self.inner.set_thumbnail(t)
    }
    fn get_thumbnail(&self) -> PyImageBuf {
        PyImageBuf {
            inner: self.inner.thumbnail().cloned().unwrap_or_default(),
        }
    }
    fn clear_thumbnail(&mut self) {
        self.inner.set_thumbnail(None)
    }
    #[pyo3(signature = (x, y, wrap = "black"))]
    fn interppixel<'py>(&self, py: Python<'py>, x: f32, y: f32, wrap: &str) -> PyResult<Bound<'py, PyTuple>> {
        floats(py, self.inner.interppixel(x, y, wrap_arg(wrap)?))
    }
    #[pyo3(name = "interppixel_NDC", signature = (x, y, wrap = "black"))]
    fn interppixel_ndc<'py>(&self, py: Python<'py>, x: f32, y: f32, wrap: &str) -> PyResult<Bound<'py, PyTuple>> {
        let (px, py_) = self.inner.ndc_to_pixel(x, y);
        floats(py, self.inner.interppixel(px, py_, wrap_arg(wrap)?))
    }
    /// The reference binds this name to the same function as interppixel_NDC.
    #[pyo3(name = "interppixel_NDC_full", signature = (x, y, wrap = "black"))]
    fn interppixel_ndc_full<'py>(&self, py: Python<'py>, x: f32, y: f32, wrap: &str) -> PyResult<Bound<'py, PyTuple>> {
        self.interppixel_ndc(py, x, y, wrap)
    }
    #[pyo3(signature = (x, y, wrap = "black"))]
    fn interppixel_bicubic<'py>(&self, py: Python<'py>, x: f32, y: f32, wrap: &str) -> PyResult<Bound<'py, PyTuple>> {
        floats(py, self.inner.interppixel_bicubic(x, y, wrap_arg(wrap)?))
    }
    #[pyo3(name = "interppixel_bicubic_NDC", signature = (x, y, wrap = "black"))]
    fn interppixel_bicubic_ndc<'py>(
        &self,
        py: Python<'py>,
        x: f32,
        y: f32,
        wrap: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let (px, py_) = self.inner.ndc_to_pixel(x, y);
        floats(py, self.inner.interppixel_bicubic(px, py_, wrap_arg(wrap)?))
    }
    fn clear(&mut self) {
        self.inner.clear()
    }
    #[getter]
    fn xbegin(&self) -> i32 {
        self.inner.spec().x
    }
    #[getter]
    fn xend(&self) -> i32 {
        self.inner.spec().x + self.inner.spec().width
    }
    #[getter]
    fn ybegin(&self) -> i32 {
        self.inner.spec().y
    }
    #[getter]
    fn yend(&self) -> i32 {
        self.inner.spec().y + self.inner.spec().height
    }
    #[getter]
    fn zbegin(&self) -> i32 {
        self.inner.spec().z
    }
    #[getter]
    fn zend(&self) -> i32 {
        self.inner.spec().z + self.inner.spec().depth.max(1)
    }
    #[getter]
    fn xmin(&self) -> i32 {
        self.xbegin()
    }
    #[getter]
    fn xmax(&self) -> i32 {
        self.xend() - 1
    }
    #[getter]
    fn ymin(&self) -> i32 {
        self.ybegin()
    }
    #[getter]
    fn ymax(&self) -> i32 {
        self.yend() - 1
    }
    #[getter]
    fn zmin(&self) -> i32 {
        self.zbegin()
    }
    #[getter]
    fn zmax(&self) -> i32 {
        self.zend() - 1
    }
    #[getter]
    fn orientation(&self) -> i32 {
        self.inner.orientation()
    }
    /// Setting it records the "Orientation" metadata.
    #[setter]
    fn set_orientation(&mut self, v: Int<i32>) {
        self.inner.specmod().attribute_int("Orientation", v.0)
    }

    /// Pixels of `roi` (default: the data window) as a numpy array of
    /// `format`, shaped (h, w, c) or (d, h, w, c) for volumes. Formats the
    /// reference cannot express (unknown, 64-bit integers) give None.
    #[pyo3(signature = (format = TypeDescArg(TypeDesc::FLOAT), roi = None))]
    fn get_pixels<'py>(&self, py: Python<'py>, format: TypeDescArg, roi: Option<PyRoi>) -> PyResult<Bound<'py, PyAny>> {
        let fmt = format.0;
        let supported = [UInt8, Int8, UInt16, Int16, UInt32, Int32, Half, Float, Double];
        if !supported.iter().any(|b| fmt.is_basetype(*b)) {
            return Ok(py.None().into_bound(py));
        }
        let r = self.inner.resolve_roi(&roi.map_or(Roi::ALL, |r| r.inner));
        if r.width() < 0 || r.height() < 0 || r.depth() < 0 || r.nchannels() < 0 {
            // The reference computes a negative size and fails to allocate it.
            return Err(pyo3::exceptions::PyMemoryError::new_err("std::bad_alloc"));
        }
        let shape = region_shape(&r, self.inner.spec().depth);
        let mut result = Ok(());
        let arr = new_array(py, fmt, &shape, |dst| {
            // Straight into the (zeroed) numpy array, without the GIL.
            result = py.detach(|| self.inner.get_pixels_into(&r, fmt, dst));
        })?;
        match result {
            Err(vfx_core::Error::Uninitialized) | Ok(()) => {}
            Err(e) => self.inner.error(&format!("get_pixels: {e}")),
        }
        Ok(arr)
    }

    /// Store a numpy array (same shape rules as get_pixels) into `roi`.
    fn set_pixels(&mut self, roi: PyRoi, pixels: &Bound<'_, PyAny>) -> PyResult<bool> {
        reject_none(pixels)?;
        let r = self.inner.resolve_roi(&roi.inner);
        let (w, h, d, c) = (
            r.width().max(0),
            r.height().max(0),
            r.depth().max(0),
            r.nchannels().max(0),
        );
        let expected = (w as usize) * (h as usize) * (d as usize) * (c as usize);
        if expected == 0 {
            return Ok(true);
        }
        let volume = self.inner.spec().depth > 1;
        let Some(arr) = pixels
            .cast::<PyUntypedArray>()
            .ok()
            .cloned()
            .or_else(|| as_array(pixels))
        else {
            self.inner.error(&format!(
                "set_pixels error: buffer is wrong size (expected {d}x{h}x{w}x{c}, got total 0)"
            ));
            return Ok(false);
        };
        if let Err(msg) = check_layout(&arr, [w as usize, h as usize, d as usize, c as usize], volume) {
            self.inner.error(&msg);
            return Ok(false);
        }
        // Element types the reference cannot name (bool, complex) fail its
        // size check; 64-bit integers reach its pixel loops, which refuse them.
        let Some(base) = dtype_base(&arr) else {
            self.inner.error(&format!(
                "set_pixels error: buffer is wrong size (expected {d}x{h}x{w}x{c}, got total {})",
                arr.len()
            ));
            return Ok(false);
        };
        if matches!(base, BaseType::UInt64 | BaseType::Int64) {
            self.inner
                .error(&format!("set_pixels: Unsupported pixel data format '{}'", base.name()));
            return Ok(false);
        }
        let arr = contiguous(arr.as_any())?;
        // SAFETY: `arr` is C-contiguous and alive for the whole call.
        let bytes = unsafe { array_bytes(&arr) };
        let py = pixels.py();
        let inner = &mut self.inner;
        match py.detach(|| inner.set_pixels(&r, TypeDesc::scalar(base), bytes)) {
            Ok(()) => Ok(true),
            Err(e) => {
                self.inner.error(&format!("set_pixels error: {e}"));
                Ok(false)
            }
        }
    }

    #[pyo3(signature = (x, y, z = Int(0), wrap = "black"))]
    fn getpixel<'py>(
        &self,
        py: Python<'py>,
        x: Int<i32>,
        y: Int<i32>,
        z: Int<i32>,
        wrap: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        floats(py, self.inner.getpixel(x.0, y.0, z.0, wrap_arg(wrap)?))
    }

    /// The reference binds this with a C++ wrap-mode type Python cannot
    /// supply, so every call fails with TypeError; we keep that contract.
    #[pyo3(signature = (x, y, z, c, wrap = None))]
    fn getchannel(
        &self,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        z: &Bound<'_, PyAny>,
        c: &Bound<'_, PyAny>,
        wrap: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<f32> {
        let _ = (x, y, z, c, wrap);
        Err(PyTypeError::new_err(
            "getchannel(): incompatible function arguments (the wrap mode type is not available from Python)",
        ))
    }

    #[pyo3(signature = (x, y, z = Int(0)))]
    fn set_origin(&mut self, x: Int<i32>, y: Int<i32>, z: Int<i32>) {
        self.inner.set_origin(x.0, y.0, z.0)
    }
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (xbegin, xend, ybegin, yend, zbegin, zend, /))]
    fn set_full(
        &mut self,
        xbegin: Int<i32>,
        xend: Int<i32>,
        ybegin: Int<i32>,
        yend: Int<i32>,
        zbegin: Int<i32>,
        zend: Int<i32>,
    ) {
        self.inner
            .set_full(xbegin.0, xend.0, ybegin.0, yend.0, zbegin.0, zend.0)
    }
    /// Read the spec (and, for now, the pixels) of `filename`.
    #[pyo3(signature = (filename, subimage = 0, miplevel = 0))]
    fn init_spec(&mut self, py: Python<'_>, filename: &str, subimage: usize, miplevel: usize) -> bool {
        self.inner = read_file(py, filename, subimage, miplevel, TypeDesc::UNKNOWN);
        self.inner.initialized()
    }

    #[pyo3(signature = (x, y, z, check_range = false))]
    fn pixelindex(&self, x: Int<i32>, y: Int<i32>, z: Int<i32>, check_range: bool) -> i64 {
        self.inner.pixelindex(x.0, y.0, z.0, check_range)
    }
}

/// Entry points taking `*args` (overloads): their stubs are written by hand
/// in stubgen.rs, so this block is not annotated for stub generation.
#[pymethods]
impl PyImageBuf {
    /// read(subimage, miplevel, chbegin, chend, force, convert) or
    /// read(subimage=0, miplevel=0, force=False, convert=unknown):
    /// (re)read the file this buffer names.
    #[pyo3(signature = (*args, **kwargs))]
    fn read(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<bool> {
        const CHANS: &[&str] = &["subimage", "miplevel", "chbegin", "chend", "force", "convert"];
        const PLAIN: &[&str] = &["subimage", "miplevel", "force", "convert"];
        let (which, a) = super::values::bind_overloads("read", args, kwargs, &[(CHANS, 6), (PLAIN, 0)])?;
        let int = |o: &Option<Bound<'_, PyAny>>| o.as_ref().map_or(Ok(0), |o| o.extract::<i64>());
        let (sub, mip) = (int(&a[0])?.max(0) as usize, int(&a[1])?.max(0) as usize);
        let (chans, convert) = if which == 0 {
            (Some((int(&a[2])? as i32, int(&a[3])? as i32)), a[5].as_ref())
        } else {
            (None, a[3].as_ref())
        };
        let convert = match convert {
            Some(c) => to_typedesc(c)?,
            None => TypeDesc::UNKNOWN,
        };
        // As OIIO: a buffer already holding this subimage/level is not read
        // again unless forced.
        let force = if which == 0 { a[4].as_ref() } else { a[2].as_ref() };
        let force = force.map_or(Ok(false), |f| f.is_truthy())?;
        let f = &self.inner.file;
        let same = self.inner.pixels_valid()
            && !f.format_name.is_empty()
            && (f.subimage, f.miplevel) == (sub as i32, mip as i32);
        if same && !force {
            return Ok(true);
        }
        // Forced, but nothing would change: same type, all channels.
        let all_channels = chans.is_none_or(|(b, e)| e - b == self.inner.nchannels() || e <= b);
        if same && (convert.is_unknown() || convert == self.inner.spec().format) && all_channels {
            return Ok(true);
        }
        let name = self.inner.name().to_string();
        let mut fresh = read_file(py, &name, sub, mip, convert);
        if let (Some((cb, ce)), true) = (chans, fresh.initialized()) {
            match fresh.channel_subset(cb, ce) {
                Ok(b) => fresh = b,
                Err(e) => fresh.error(&e.to_string()),
            }
        }
        if fresh.initialized() {
            self.inner = fresh;
            Ok(true)
        } else {
            self.inner.error(&fresh.geterror(true));
            Ok(false)
        }
    }

    /// write(filename, dtype=unknown, fileformat="") or write(out): write to
    /// a file, or through an ImageOutput already open.
    #[pyo3(signature = (*args, **kwargs))]
    fn write(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<bool> {
        let (which, a) = super::values::bind_overloads(
            "write",
            args,
            kwargs,
            &[(&["filename", "dtype", "fileformat"], 1), (&["out"], 1)],
        )?;
        let first = a[0].as_ref().expect("required");
        if which == 0 {
            if let Ok(filename) = first.extract::<String>() {
                let path = std::path::PathBuf::from(&filename);
                let dtype = match a[1].as_ref() {
                    Some(d) => to_typedesc(d)?,
                    None => TypeDesc::UNKNOWN,
                };
                let fileformat: String = a[2].as_ref().map_or(Ok(String::new()), |f| f.extract())?;
                let inner = &self.inner;
                return Ok(
                    match py.detach(|| vfx_io::imagebuf_io::write(inner, &path, dtype, &fileformat)) {
                        Ok(()) => true,
                        Err(e) => {
                            self.inner.error(&e.to_string());
                            false
                        }
                    },
                );
            }
        }
        let mut out: PyRefMut<'_, super::imageio::PyImageOutput> = first.extract()?;
        let inner = &self.inner;
        match out.write_buf(py, inner) {
            Ok(()) => Ok(true),
            Err(e) => {
                self.inner.error(&e);
                Ok(false)
            }
        }
    }

    /// ImageBuf(), ImageBuf(spec, zero=True), ImageBuf(numpy_array).
    /// (ImageBuf(filename) arrives with file I/O.)
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn py_new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
        // The reference's overloads: (), (spec) positional, (spec, zero) with
        // both required (by position or name), (buffer).
        let bad = || PyTypeError::new_err("ImageBuf(): incompatible constructor arguments");
        let kw = |k: &str| kwargs.and_then(|d| d.get_item(k).ok().flatten());
        let nkw = kwargs.map_or(0, |d| d.len());
        let mut a: Vec<Bound<'_, PyAny>> = args.iter().collect();
        if nkw > 0 {
            if let Some(b) = kw("buffer") {
                if nkw != 1 || !a.is_empty() {
                    return Err(bad());
                }
                a.push(b);
            } else {
                for name in ["spec", "zero"].iter().skip(a.len()) {
                    a.push(kw(name).ok_or_else(bad)?);
                }
                if a.len() != 2 || nkw != 2 - args.len() {
                    return Err(bad());
                }
            }
        }
        let inner = match a.len() {
            0 => ImageBuf::new(),
            1 | 2 => {
                let a0 = &a[0];
                if let Ok(spec) = a0.cast::<PyImageSpec>() {
                    // Pixels are always zeroed: `zero=False` only lets OIIO
                    // skip the fill, leaving undefined values.
                    if a.len() == 2 && !a[1].is_instance_of::<pyo3::types::PyBool>() {
                        return Err(bad());
                    }
                    ImageBuf::from_spec(&spec.borrow().r())
                } else if a.len() == 2 {
                    return Err(bad());
                } else if let Ok(name) = a0.extract::<String>() {
                    if a.len() == 2 {
                        return Err(bad());
                    }
                    read_file(a0.py(), &name, 0, 0, TypeDesc::UNKNOWN)
                } else if let Some(arr) = a0.cast::<PyUntypedArray>().ok().cloned().or_else(|| as_array(a0)) {
                    PyImageBuf::from_array(arr.as_any())?
                } else {
                    // Like the reference: anything else gives an empty buffer.
                    reject_none(a0)?;
                    ImageBuf::new()
                }
            }
            _ => return Err(bad()),
        };
        Ok(PyImageBuf { inner })
    }

    /// copy(src, format=UNKNOWN) -> bool (into self) or copy(format=UNKNOWN)
    /// -> ImageBuf (a new buffer).
    #[pyo3(signature = (*args, **kwargs))]
    fn copy(
        &mut self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let kw = |k: &str| kwargs.and_then(|d| d.get_item(k).ok().flatten());
        if args.len() + kwargs.map_or(0, |d| d.len()) > 2 {
            return Err(PyTypeError::new_err(
                "copy() takes (src, format=UNKNOWN) or (format=UNKNOWN)",
            ));
        }
        let first = args.get_item(0).ok().or_else(|| kw("src"));
        if let Some(src) = first.as_ref().and_then(|a| a.cast::<PyImageBuf>().ok()) {
            let fmt = match args.get_item(1).ok().or_else(|| kw("format")) {
                Some(f) => to_typedesc(&f)?,
                None => TypeDesc::UNKNOWN,
            };
            let ok = match src.try_borrow() {
                Ok(src) => {
                    let (dst, src) = (&mut self.inner, &src.inner);
                    py.detach(|| dst.copy_from(src, fmt))
                }
                Err(_) => true, // self-assignment
            };
            return Ok(ok.into_pyobject(py)?.to_owned().into_any().unbind());
        }
        let fmt = match first.or_else(|| kw("format")) {
            Some(f) => to_typedesc(&f)?,
            None => TypeDesc::UNKNOWN,
        };
        let mut out = ImageBuf::new();
        let src = &self.inner;
        py.detach(|| out.copy_from(src, fmt));
        Ok(Py::new(py, PyImageBuf { inner: out })?.into_any())
    }

    /// reset(spec, zero=True) or reset(buffer) (a numpy array or other
    /// buffer, as the constructor takes). The filename forms arrive with
    /// file I/O.
    #[pyo3(signature = (*args, **kwargs))]
    fn reset(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<()> {
        let kw = |k: &str| kwargs.and_then(|d| d.get_item(k).ok().flatten());
        let arg = args
            .get_item(0)
            .ok()
            .or_else(|| kw("spec"))
            .or_else(|| kw("buffer"))
            .ok_or_else(|| PyTypeError::new_err("reset() needs a spec or a buffer"))?;
        reject_none(&arg)?;
        if let Ok(spec) = arg.cast::<PyImageSpec>() {
            // `zero` (by position or name) must be a bool.
            if let Some(z) = args.get_item(1).ok().or_else(|| kw("zero")) {
                if !z.is_instance_of::<pyo3::types::PyBool>() {
                    return Err(PyTypeError::new_err("reset(): zero must be a bool"));
                }
            }
            let spec = spec.borrow().r().clone();
            self.inner.reset(&spec);
        } else if let Ok(name) = arg.extract::<String>() {
            // reset(name, subimage=0, miplevel=0[, config])
            let sub = args
                .get_item(1)
                .ok()
                .or_else(|| kw("subimage"))
                .map_or(Ok(0), |v| v.extract::<usize>())?;
            let mip = args
                .get_item(2)
                .ok()
                .or_else(|| kw("miplevel"))
                .map_or(Ok(0), |v| v.extract::<usize>())?;
            self.inner = read_file(args.py(), &name, sub, mip, TypeDesc::UNKNOWN);
        } else if let Some(arr) = arg.cast::<PyUntypedArray>().ok().cloned().or_else(|| as_array(&arg)) {
            self.inner = PyImageBuf::from_array(arr.as_any())?;
        } else {
            self.inner.clear();
        }
        Ok(())
    }

    /// setpixel(x, y, z, pixel), setpixel(x, y, pixel), setpixel(i, pixel);
    /// arguments may also be given by those keyword names.
    #[pyo3(signature = (*args, **kwargs))]
    fn setpixel(&mut self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<()> {
        let mut a: Vec<Bound<'_, PyAny>> = args.iter().collect();
        if let Some(kw) = kwargs {
            let two_args = a.len() + kw.len() == 2;
            let names: &[&str] = if kw.contains("i")? || two_args {
                &["i", "pixel"]
            } else {
                &["x", "y", "z", "pixel"]
            };
            for name in &names[a.len().min(names.len())..] {
                match kw.get_item(name)? {
                    Some(v) => a.push(v),
                    None if *name == "z" => a.push(0i32.into_pyobject(args.py())?.into_any()),
                    None => return Err(PyTypeError::new_err(format!("setpixel(): missing argument '{name}'"))),
                }
            }
        }
        let (x, y, z, pix) = match a.len() {
            4 => (
                int_arg::<i32>(&a[0])?,
                int_arg::<i32>(&a[1])?,
                int_arg::<i32>(&a[2])?,
                &a[3],
            ),
            3 => (int_arg::<i32>(&a[0])?, int_arg::<i32>(&a[1])?, 0, &a[2]),
            2 => {
                // A flat index walks the first z slice only (rows past its
                // end fall outside and are ignored), as the reference does.
                let i = int_arg::<i64>(&a[0])?;
                let s = self.inner.spec();
                let w = s.width.max(1) as i64;
                (s.x + (i % w) as i32, s.y + (i / w) as i32, s.z, &a[1])
            }
            _ => {
                return Err(PyTypeError::new_err(
                    "setpixel() takes (x, y, z, pixel), (x, y, pixel) or (i, pixel)",
                ))
            }
        };
        reject_none(pix)?;
        let v = float_values(pix)?;
        self.inner.setpixel(x, y, z, &v);
        Ok(())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyImageBuf>()
}
