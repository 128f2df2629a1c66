//! `ImageDesc` and `PackedImageDesc`: a numpy buffer described as a packed
//! image (width, height, channels, bit depth) for `CPUProcessor.apply`.
//! The constructors check the buffer as the reference does (entry count,
//! sample type matching the bit depth, three or four channels).

use half::f16;
use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyNotImplementedError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::cpu_processor::{CpuProcessor, PackedLayout, Sample};
use vfx_ocio::enums::BitDepth;

use super::enums::E;
use super::errors::{Exception, OcioResultExt};

/// The common description (the reference's abstract base).
#[pyclass(subclass, name = "ImageDesc", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyImageDesc {
    width: i64,
    height: i64,
    depth: BitDepth,
    x_stride: i64,
    y_stride: i64,
    rgba_packed: bool,
}

#[pymethods]
impl PyImageDesc {
    #[new]
    fn new() -> Self {
        PyImageDesc {
            width: 0,
            height: 0,
            depth: BitDepth::Unknown,
            x_stride: 0,
            y_stride: 0,
            rgba_packed: false,
        }
    }

    fn getWidth(&self) -> i64 {
        self.width
    }

    fn getHeight(&self) -> i64 {
        self.height
    }

    fn getBitDepth(&self) -> E<BitDepth> {
        E(self.depth)
    }

    fn getXStrideBytes(&self) -> i64 {
        self.x_stride
    }

    fn getYStrideBytes(&self) -> i64 {
        self.y_stride
    }

    fn isFloat(&self) -> bool {
        self.depth == BitDepth::F32
    }

    fn isRGBAPacked(&self) -> bool {
        self.rgba_packed
    }
}

#[pyclass(extends = PyImageDesc, name = "PackedImageDesc", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyPackedImageDesc {
    data: Py<PyUntypedArray>,
    layout: PackedLayout,
    depth: BitDepth,
}

fn sample_size(depth: BitDepth) -> Option<(i64, &'static str)> {
    match depth {
        BitDepth::Uint8 => Some((1, "uint8")),
        BitDepth::Uint16 => Some((2, "uint16")),
        BitDepth::F16 => Some((2, "float16")),
        BitDepth::F32 => Some((4, "float32")),
        _ => None,
    }
}

#[pymethods]
impl PyPackedImageDesc {
    /// `(data, width, height, numChannels[, bitDepth, chanStrideBytes,
    /// xStrideBytes, yStrideBytes])`; a ChannelOrdering in place of
    /// numChannels counts as its integer value, as in the reference.
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let names = [
            "data",
            "width",
            "height",
            "numChannels",
            "bitDepth",
            "chanStrideBytes",
            "xStrideBytes",
            "yStrideBytes",
        ];
        let mut vals: Vec<Option<Bound<'_, PyAny>>> = (0..names.len()).map(|i| args.get_item(i).ok()).collect();
        if let Some(kw) = kwargs {
            for (i, n) in names.iter().enumerate() {
                let alt = if *n == "numChannels" {
                    kw.get_item("chanOrder")?
                } else {
                    None
                };
                if let Some(v) = kw.get_item(n)?.or(alt) {
                    vals[i] = Some(v);
                }
            }
        }
        let bad = || PyTypeError::new_err("__init__(): incompatible constructor arguments");
        let get = |i: usize| vals[i].clone().ok_or_else(bad);
        let data = get(0)?.cast_into::<PyUntypedArray>().map_err(|_| bad())?;
        let (width, height): (i64, i64) = (get(1)?.extract()?, get(2)?.extract()?);
        let nch: i64 = match get(3)?.extract::<i64>() {
            Ok(n) => n,
            Err(_) => get(3)?.getattr("value")?.extract()?,
        };
        let depth = match &vals[4] {
            Some(d) => d.extract::<E<BitDepth>>()?.0,
            None => BitDepth::F32,
        };
        let expected = width * height * nch;
        if data.len() as i64 != expected {
            return Err(PyRuntimeError::new_err(format!(
                "Incompatible buffer dimensions: expected {expected} entries, but received {} entries",
                data.len()
            )));
        }
        let (size, dtype) =
            sample_size(depth).ok_or_else(|| Exception::new_err("PackedImageDesc Error: Invalid bit-depth."))?;
        let actual_name = data.dtype().to_string();
        if actual_name != dtype {
            return Err(PyRuntimeError::new_err(format!(
                "Incompatible buffer format: expected {dtype}, but received {actual_name}"
            )));
        }
        let layout = match nch {
            3 => PackedLayout::RGB,
            4 => PackedLayout::RGBA,
            _ => return Err(Exception::new_err("PackedImageDesc Error: Invalid number of channels.")),
        };
        let (chan, x, y) = (size, size * nch, size * nch * width);
        for (i, want) in [(5usize, chan), (6, x), (7, y)] {
            if let Some(v) = &vals[i] {
                let given: i64 = v.extract()?;
                // OCIO's AutoStride is the smallest ptrdiff_t.
                if given != i64::MIN && given != want {
                    return Err(PyNotImplementedError::new_err(
                        "PackedImageDesc: only packed (contiguous) strides are implemented so far",
                    ));
                }
            }
        }
        let base = PyImageDesc {
            width,
            height,
            depth,
            x_stride: x,
            y_stride: y,
            rgba_packed: nch == 4,
        };
        Ok(PyClassInitializer::from(base).add_subclass(PyPackedImageDesc {
            data: data.unbind(),
            layout,
            depth,
        }))
    }

    /// A new view on the buffer (as the reference hands out).
    fn getData(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        view(py, &self.data)
    }

    fn getNumChannels(&self) -> usize {
        self.layout.nchannels
    }

    fn getChanStrideBytes(&self) -> i64 {
        sample_size(self.depth).map(|s| s.0).unwrap_or(0)
    }

    fn getChannelOrder(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let order = if self.layout.nchannels == 3 {
            "CHANNEL_ORDERING_RGB"
        } else {
            "CHANNEL_ORDERING_RGBA"
        };
        let module = py.import("PyOpenColorIO")?;
        Ok(module.getattr(order)?.unbind())
    }
}

#[pyclass(extends = PyImageDesc, name = "PlanarImageDesc", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyPlanarImageDesc {
    planes: Vec<Py<PyUntypedArray>>,
    depth: BitDepth,
}

#[pymethods]
impl PyPlanarImageDesc {
    /// `(rData, gData, bData[, aData], width, height[, bitDepth,
    /// xStrideBytes, yStrideBytes])`: one buffer per channel.
    #[new]
    #[pyo3(signature = (*args))]
    fn new(args: &Bound<'_, PyTuple>) -> PyResult<PyClassInitializer<Self>> {
        let bad = || PyTypeError::new_err("__init__(): incompatible constructor arguments");
        let items: Vec<Bound<'_, PyAny>> = args.iter().collect();
        let nplanes = items.iter().take_while(|a| a.cast::<PyUntypedArray>().is_ok()).count();
        if !(3..=4).contains(&nplanes) {
            return Err(bad());
        }
        let rest = &items[nplanes..];
        if !(rest.len() == 2 || rest.len() == 5) {
            return Err(bad());
        }
        let (width, height): (i64, i64) = (rest[0].extract()?, rest[1].extract()?);
        let depth = match rest.get(2) {
            Some(d) => d.extract::<E<BitDepth>>()?.0,
            None => BitDepth::F32,
        };
        let (size, dtype) =
            sample_size(depth).ok_or_else(|| Exception::new_err("PlanarImageDesc Error: Invalid bit-depth."))?;
        let mut planes = Vec::new();
        for p in &items[..nplanes] {
            let a = p.cast::<PyUntypedArray>().map_err(|_| bad())?;
            if a.len() as i64 != width * height {
                return Err(PyRuntimeError::new_err(format!(
                    "Incompatible buffer dimensions: expected {} entries, but received {} entries",
                    width * height,
                    a.len()
                )));
            }
            let actual = a.dtype().to_string();
            if actual != dtype {
                return Err(PyRuntimeError::new_err(format!(
                    "Incompatible buffer format: expected {dtype}, but received {actual}"
                )));
            }
            planes.push(a.clone().unbind());
        }
        let (x, y) = (size, size * width);
        for (i, want) in [(3usize, x), (4, y)] {
            if let Some(v) = rest.get(i) {
                let given: i64 = v.extract()?;
                if given != i64::MIN && given != want {
                    return Err(PyNotImplementedError::new_err(
                        "PlanarImageDesc: only packed (contiguous) strides are implemented so far",
                    ));
                }
            }
        }
        let base = PyImageDesc {
            width,
            height,
            depth,
            x_stride: x,
            y_stride: y,
            rgba_packed: false,
        };
        Ok(PyClassInitializer::from(base).add_subclass(PyPlanarImageDesc { planes, depth }))
    }

    fn getRData(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        view(py, &self.planes[0])
    }

    fn getGData(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        view(py, &self.planes[1])
    }

    fn getBData(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        view(py, &self.planes[2])
    }

    /// None without an alpha plane.
    fn getAData(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.planes.get(3).map(|p| view(py, p)).transpose()
    }
}

fn planar_in_place<T: Sample + numpy::Element>(
    py: Python<'_>,
    proc: &CpuProcessor,
    img: &PyPlanarImageDesc,
) -> PyResult<()> {
    let wrong = || PyRuntimeError::new_err("PlanarImageDesc: the buffer changed type");
    let arrays: Vec<Bound<'_, PyArrayDyn<T>>> = img
        .planes
        .iter()
        .map(|p| p.bind(py).cast::<PyArrayDyn<T>>().cloned().map_err(|_| wrong()))
        .collect::<PyResult<_>>()?;
    // Each plane is read from a copy (planes may share a buffer), then
    // written back.
    let mut data: Vec<Vec<T>> = arrays
        .iter()
        .map(|a| {
            Ok(contiguous(a)?
                .as_slice()
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
                .to_vec())
        })
        .collect::<PyResult<_>>()?;
    {
        let (rgb, alpha) = data.split_at_mut(3);
        let [r, g, b] = rgb else {
            unreachable!("three colour planes")
        };
        py.detach(|| proc.apply_planar_in_place(r, g, b, alpha.first_mut().map(|a| a.as_mut_slice())))
            .py()?;
    }
    for (a, d) in arrays.iter().zip(&data) {
        contiguous(a)?
            .as_slice_mut()
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
            .copy_from_slice(d);
    }
    Ok(())
}

/// `CPUProcessor.apply(planar image)`: the planes processed in place.
pub fn apply_planar(py: Python<'_>, proc: &CpuProcessor, img: &PyPlanarImageDesc) -> PyResult<()> {
    match img.depth {
        BitDepth::Uint8 => planar_in_place::<u8>(py, proc, img),
        BitDepth::Uint16 => planar_in_place::<u16>(py, proc, img),
        BitDepth::F16 => planar_in_place::<f16>(py, proc, img),
        _ => planar_in_place::<f32>(py, proc, img),
    }
}

/// A new numpy view on a buffer.
fn view(py: Python<'_>, a: &Py<PyUntypedArray>) -> PyResult<Py<PyAny>> {
    Ok(a.bind(py).call_method0("view")?.unbind())
}

/// A packed image's samples, typed by its bit depth.
enum Samples<'py> {
    U8(Bound<'py, PyArrayDyn<u8>>),
    U16(Bound<'py, PyArrayDyn<u16>>),
    F16(Bound<'py, PyArrayDyn<f16>>),
    F32(Bound<'py, PyArrayDyn<f32>>),
}

fn samples<'py>(py: Python<'py>, d: &PyPackedImageDesc) -> PyResult<Samples<'py>> {
    let a = d.data.bind(py);
    let wrong = || PyRuntimeError::new_err("PackedImageDesc: the buffer changed type");
    Ok(match d.depth {
        BitDepth::Uint8 => Samples::U8(a.cast::<PyArrayDyn<u8>>().map_err(|_| wrong())?.clone()),
        BitDepth::Uint16 => Samples::U16(a.cast::<PyArrayDyn<u16>>().map_err(|_| wrong())?.clone()),
        BitDepth::F16 => Samples::F16(a.cast::<PyArrayDyn<f16>>().map_err(|_| wrong())?.clone()),
        _ => Samples::F32(a.cast::<PyArrayDyn<f32>>().map_err(|_| wrong())?.clone()),
    })
}

fn contiguous<'py, T: numpy::Element>(a: &Bound<'py, PyArrayDyn<T>>) -> PyResult<numpy::PyReadwriteArrayDyn<'py, T>> {
    if !a.is_c_contiguous() {
        return Err(PyRuntimeError::new_err(
            "function only supports C-contiguous (row-major) arrays",
        ));
    }
    a.try_readwrite().map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

fn in_place<T: Sample + numpy::Element>(
    py: Python<'_>,
    proc: &CpuProcessor,
    a: &Bound<'_, PyArrayDyn<T>>,
    layout: &PackedLayout,
) -> PyResult<()> {
    let mut rw = contiguous(a)?;
    let data = rw.as_slice_mut().map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    py.detach(|| proc.apply_packed_in_place(data, layout)).py()
}

fn src_dst<I: Sample + numpy::Element, O: Sample + numpy::Element>(
    py: Python<'_>,
    proc: &CpuProcessor,
    src: (&Bound<'_, PyArrayDyn<I>>, &PackedLayout),
    dst: (&Bound<'_, PyArrayDyn<O>>, &PackedLayout),
) -> PyResult<()> {
    // The source is read from a copy so that it may also be the destination.
    let input: Vec<I> = contiguous(src.0)?
        .as_slice()
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
        .to_vec();
    let mut rw = contiguous(dst.0)?;
    let out = rw.as_slice_mut().map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    py.detach(|| proc.apply_packed(&input, src.1, out, dst.1)).py()
}

/// `CPUProcessor.apply(img)`: the image processed in place.
pub fn apply_image(py: Python<'_>, proc: &CpuProcessor, img: &PyPackedImageDesc) -> PyResult<()> {
    let l = &img.layout;
    match samples(py, img)? {
        Samples::U8(a) => in_place(py, proc, &a, l),
        Samples::U16(a) => in_place(py, proc, &a, l),
        Samples::F16(a) => in_place(py, proc, &a, l),
        Samples::F32(a) => in_place(py, proc, &a, l),
    }
}

/// `CPUProcessor.apply(src, dst)`: `src` processed into `dst`.
pub fn apply_images(
    py: Python<'_>,
    proc: &CpuProcessor,
    src: &PyPackedImageDesc,
    dst: &PyPackedImageDesc,
) -> PyResult<()> {
    macro_rules! out {
        ($s:expr) => {
            match samples(py, dst)? {
                Samples::U8(d) => src_dst(py, proc, ($s, &src.layout), (&d, &dst.layout)),
                Samples::U16(d) => src_dst(py, proc, ($s, &src.layout), (&d, &dst.layout)),
                Samples::F16(d) => src_dst(py, proc, ($s, &src.layout), (&d, &dst.layout)),
                Samples::F32(d) => src_dst(py, proc, ($s, &src.layout), (&d, &dst.layout)),
            }
        };
    }
    match samples(py, src)? {
        Samples::U8(s) => out!(&s),
        Samples::U16(s) => out!(&s),
        Samples::F16(s) => out!(&s),
        Samples::F32(s) => out!(&s),
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyImageDesc>()?;
    m.add_class::<PyPackedImageDesc>()?;
    m.add_class::<PyPlanarImageDesc>()?;
    Ok(())
}
