//! `Lut1DTransform` over `vfx_ocio::transforms::Lut1DTransform`, with the
//! numpy `getData` / `setData` (float32 buffers) shared with `Lut3DTransform`.

use numpy::PyArray1;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::{BitDepth, Interpolation, Lut1DHueAdjust, TransformDirection};
use vfx_ocio::transforms::{Lut1DTransform, TransformData};

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::grading::{arg, bad_call, bind, float_arg, no_overload, ulong, Flag, Overload};
use crate::ocio::transform::{format_metadata_method, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "Lut1DTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLut1DTransform;

format_metadata_method!(PyLut1DTransform);

/// The contents of a float32 buffer argument and its shape.
pub struct F32Buffer {
    pub values: Vec<f32>,
    pub shape: Vec<usize>,
}

/// numpy's name for a buffer format (OCIO's wording in its buffer errors).
fn dtype_name(format: &str, bits: usize) -> String {
    const FLOATS: [&str; 8] = ["e", "f", "d", "g", "Ze", "Zf", "Zd", "Zg"];
    const UINTS: [&str; 6] = ["B", "H", "I", "L", "Q", "N"];
    const INTS: [&str; 6] = ["b", "h", "i", "l", "q", "n"];
    if FLOATS.contains(&format) {
        format!("float{bits}")
    } else if UINTS.contains(&format) {
        format!("uint{bits}")
    } else if INTS.contains(&format) {
        format!("int{bits}")
    } else {
        format!("'{format}' ({bits}-bit)")
    }
}

/// Reads a buffer-protocol object holding native float32 values (any
/// shape; strided buffers are read in logical order). `not_buffer` is the
/// error for an object without the buffer protocol.
pub fn read_f32_buffer(data: &Bound<'_, PyAny>, not_buffer: impl FnOnce() -> PyErr) -> PyResult<F32Buffer> {
    let py = data.py();
    let Ok(view) = py.import("builtins")?.getattr("memoryview")?.call1((data,)) else {
        return Err(not_buffer());
    };
    let format: String = view.getattr("format")?.extract()?;
    let itemsize: usize = view.getattr("itemsize")?.extract()?;
    let native = if cfg!(target_endian = "little") { "<f" } else { ">f" };
    if itemsize != 4 || !["f", "=f", "@f", native].contains(&format.as_str()) {
        let _ = view.call_method0("release");
        return Err(PyRuntimeError::new_err(format!(
            "Incompatible buffer format: expected float32, but received {}",
            dtype_name(&format, itemsize * 8)
        )));
    }
    let shape: Vec<usize> = view.getattr("shape")?.extract()?;
    // Memory order for contiguous buffers (C or Fortran), as the reference
    // reads them; logical order otherwise.
    let bytes = view.call_method1("tobytes", ("A",))?;
    let _ = view.call_method0("release");
    let bytes = bytes.cast::<pyo3::types::PyBytes>()?.as_bytes();
    let values = bytes
        .chunks_exact(4)
        .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok(F32Buffer { values, shape })
}

/// OCIO's check that a buffer holds whole RGB triples.
pub fn check_divisible_by_3(n: usize) -> PyResult<()> {
    if n % 3 != 0 {
        return Err(PyRuntimeError::new_err(format!(
            "Incompatible buffer dimensions: expected size to be divisible by 3, but received {n} entries"
        )));
    }
    Ok(())
}

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.Lut1DTransform()",
    "PyOpenColorIO.PyOpenColorIO.Lut1DTransform(length: typing.SupportsInt, inputHalfDomain: bool)",
    "PyOpenColorIO.PyOpenColorIO.Lut1DTransform(length: typing.SupportsInt = 2, inputHalfDomain: bool = False, \
     outputRawHalfs: bool = False, fileOutputBitDepth: PyOpenColorIO.PyOpenColorIO.BitDepth = \
     <BitDepth.BIT_DEPTH_UNKNOWN: 0>, hueAdjust: PyOpenColorIO.PyOpenColorIO.Lut1DHueAdjust = \
     <Lut1DHueAdjust.HUE_NONE: 0>, interpolation: PyOpenColorIO.PyOpenColorIO.Interpolation = \
     <Interpolation.INTERP_DEFAULT: 254>, direction: PyOpenColorIO.PyOpenColorIO.TransformDirection = \
     <TransformDirection.TRANSFORM_DIR_FORWARD: 0>)",
];

const SIG_EQUALS: &str = "equals(self: PyOpenColorIO.PyOpenColorIO.Lut1DTransform, other: \
                          PyOpenColorIO.PyOpenColorIO.Lut1DTransform) -> bool";
const SIG_SET_LENGTH: &str =
    "setLength(self: PyOpenColorIO.PyOpenColorIO.Lut1DTransform, length: typing.SupportsInt) -> None";
const SIG_GET_VALUE: &str =
    "getValue(self: PyOpenColorIO.PyOpenColorIO.Lut1DTransform, index: typing.SupportsInt) -> tuple";
const SIG_SET_VALUE: &str = "setValue(self: PyOpenColorIO.PyOpenColorIO.Lut1DTransform, index: typing.SupportsInt, \
                             r: typing.SupportsFloat, g: typing.SupportsFloat, b: typing.SupportsFloat) -> None";
const SIG_SET_DATA: &str =
    "setData(self: PyOpenColorIO.PyOpenColorIO.Lut1DTransform, data: typing_extensions.Buffer) -> None";

fn init(t: Lut1DTransform) -> PyClassInitializer<PyLut1DTransform> {
    PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyLut1DTransform)
}

#[pymethods]
impl PyLut1DTransform {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let none = Overload {
            params: &[],
            required: 0,
            positional_only: false,
        };
        if bind(args, kwargs, &none).is_some() {
            return Ok(init(Lut1DTransform::default()));
        }
        // (length, inputHalfDomain): the LUT alone, not validated.
        let pair = Overload {
            params: &["length", "inputHalfDomain"],
            required: 2,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &pair) {
            let length = a[0].as_ref().and_then(ulong);
            if let (Some(length), Some(half)) = (length, arg(&a[1], Flag(false))) {
                return Ok(init(Lut1DTransform::new(length, half.0).py()?));
            }
        }
        let full = Overload {
            params: &[
                "length",
                "inputHalfDomain",
                "outputRawHalfs",
                "fileOutputBitDepth",
                "hueAdjust",
                "interpolation",
                "direction",
            ],
            required: 0,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &full) {
            let length = match &a[0] {
                None => Some(2),
                Some(v) => ulong(v),
            };
            if let (Some(length), Some(half), Some(raw), Some(depth), Some(hue), Some(interp), Some(dir)) = (
                length,
                arg(&a[1], Flag(false)),
                arg(&a[2], Flag(false)),
                arg(&a[3], E(BitDepth::Unknown)),
                arg(&a[4], E(Lut1DHueAdjust::None)),
                arg(&a[5], E(Interpolation::Default)),
                arg(&a[6], E(TransformDirection::Forward)),
            ) {
                let mut t = Lut1DTransform::new(length, half.0).py()?;
                t.output_raw_halfs = raw.0;
                t.file_output_bit_depth = depth.0;
                t.set_hue_adjust(hue.0).py()?;
                t.interpolation = interp.0;
                t.direction = dir.0;
                t.validate().py()?;
                return Ok(init(t));
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    fn getFileOutputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Lut1D, |t| E(t.file_output_bit_depth))
    }

    fn setFileOutputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.file_output_bit_depth = bitDepth.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<Self>() else {
            return Err(bad_call(&slf, SIG_EQUALS, &[other]));
        };
        if slf.as_ptr() == other.as_ptr() {
            return Ok(true);
        }
        let other = other.borrow();
        let a = with_variant!(slf, Lut1D, |t| t.clone())?;
        let b = with_variant!(other, Lut1D, |t| t.clone())?;
        Ok(a.equals(&b))
    }

    fn getLength(slf: PyRef<'_, Self>) -> PyResult<usize> {
        with_variant!(slf, Lut1D, |t| t.length())
    }

    fn setLength(slf: PyRef<'_, Self>, length: &Bound<'_, PyAny>) -> PyResult<()> {
        let n = ulong(length).ok_or_else(|| bad_call(&slf, SIG_SET_LENGTH, &[length]))?;
        with_variant!(slf, Lut1D, |t| t.set_length(n))?.py()
    }

    fn getValue(slf: PyRef<'_, Self>, index: &Bound<'_, PyAny>) -> PyResult<(f64, f64, f64)> {
        let i = ulong(index).ok_or_else(|| bad_call(&slf, SIG_GET_VALUE, &[index]))?;
        let [r, g, b] = with_variant!(slf, Lut1D, |t| t.value(i))?.py()?;
        Ok((r.into(), g.into(), b.into()))
    }

    fn setValue(
        slf: PyRef<'_, Self>,
        index: &Bound<'_, PyAny>,
        r: &Bound<'_, PyAny>,
        g: &Bound<'_, PyAny>,
        b: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (Some(i), Some(r), Some(g), Some(b)) = (ulong(index), float_arg(r), float_arg(g), float_arg(b)) else {
            return Err(bad_call(&slf, SIG_SET_VALUE, &[index, r, g, b]));
        };
        with_variant!(slf, Lut1D, |t| t.set_value(i, [r, g, b]))?.py()
    }

    fn setData(slf: PyRef<'_, Self>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let buf = read_f32_buffer(data, || bad_call(&slf, SIG_SET_DATA, &[data]))?;
        check_divisible_by_3(buf.values.len())?;
        with_variant!(slf, Lut1D, |t| t.set_values(&buf.values))?.py()
    }

    fn getData<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyArray1<f32>>> {
        let py = slf.py();
        let values = with_variant!(slf, Lut1D, |t| t.values().to_vec())?;
        Ok(PyArray1::from_slice(py, &values))
    }

    fn getInputHalfDomain(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, Lut1D, |t| t.input_half_domain)
    }

    fn setInputHalfDomain(slf: PyRef<'_, Self>, isHalfDomain: Flag) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.input_half_domain = isHalfDomain.0)
    }

    fn getOutputRawHalfs(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, Lut1D, |t| t.output_raw_halfs)
    }

    fn setOutputRawHalfs(slf: PyRef<'_, Self>, isRawHalfs: Flag) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.output_raw_halfs = isRawHalfs.0)
    }

    fn getHueAdjust(slf: PyRef<'_, Self>) -> PyResult<E<Lut1DHueAdjust>> {
        with_variant!(slf, Lut1D, |t| E(t.hue_adjust()))
    }

    fn setHueAdjust(slf: PyRef<'_, Self>, hueAdjust: E<Lut1DHueAdjust>) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.set_hue_adjust(hueAdjust.0))?.py()
    }

    fn getInterpolation(slf: PyRef<'_, Self>) -> PyResult<E<Interpolation>> {
        with_variant!(slf, Lut1D, |t| E(t.interpolation))
    }

    fn setInterpolation(slf: PyRef<'_, Self>, interpolation: E<Interpolation>) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.interpolation = interpolation.0)
    }
}
