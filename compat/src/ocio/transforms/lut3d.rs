//! `Lut3DTransform` over `vfx_ocio::transforms::Lut3DTransform`, with the
//! numpy `getData` / `setData` (float32 buffers, blue fastest).

use numpy::PyArray1;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::{BitDepth, Interpolation, TransformDirection};
use vfx_ocio::transforms::{Lut3DTransform, TransformData};

use super::lut1d::{check_divisible_by_3, read_f32_buffer};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::grading::{arg, bad_call, bind, float_arg, no_overload, ulong, Overload};
use crate::ocio::transform::{format_metadata_method, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "Lut3DTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLut3DTransform;

format_metadata_method!(PyLut3DTransform);

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.Lut3DTransform()",
    "PyOpenColorIO.PyOpenColorIO.Lut3DTransform(gridSize: typing.SupportsInt)",
    "PyOpenColorIO.PyOpenColorIO.Lut3DTransform(gridSize: typing.SupportsInt = 2, fileOutputBitDepth: \
     PyOpenColorIO.PyOpenColorIO.BitDepth = <BitDepth.BIT_DEPTH_UNKNOWN: 0>, interpolation: \
     PyOpenColorIO.PyOpenColorIO.Interpolation = <Interpolation.INTERP_DEFAULT: 254>, direction: \
     PyOpenColorIO.PyOpenColorIO.TransformDirection = <TransformDirection.TRANSFORM_DIR_FORWARD: 0>)",
];

const SIG_EQUALS: &str = "equals(self: PyOpenColorIO.PyOpenColorIO.Lut3DTransform, other: \
                          PyOpenColorIO.PyOpenColorIO.Lut3DTransform) -> bool";
const SIG_SET_GRID_SIZE: &str =
    "setGridSize(self: PyOpenColorIO.PyOpenColorIO.Lut3DTransform, gridSize: typing.SupportsInt) -> None";
const SIG_GET_VALUE: &str = "getValue(self: PyOpenColorIO.PyOpenColorIO.Lut3DTransform, indexR: typing.SupportsInt, \
                             indexG: typing.SupportsInt, indexB: typing.SupportsInt) -> tuple";
const SIG_SET_VALUE: &str = "setValue(self: PyOpenColorIO.PyOpenColorIO.Lut3DTransform, indexR: typing.SupportsInt, \
                             indexG: typing.SupportsInt, indexB: typing.SupportsInt, r: typing.SupportsFloat, \
                             g: typing.SupportsFloat, b: typing.SupportsFloat) -> None";
const SIG_SET_DATA: &str =
    "setData(self: PyOpenColorIO.PyOpenColorIO.Lut3DTransform, data: typing_extensions.Buffer) -> None";

fn init(t: Lut3DTransform) -> PyClassInitializer<PyLut3DTransform> {
    PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyLut3DTransform)
}

/// The grid size of a buffer as OCIO derives it: the cube root of the
/// number of triples for a flat buffer, the first dimension otherwise.
fn grid_size_of(len: usize, shape: &[usize]) -> PyResult<u64> {
    check_divisible_by_3(len)?;
    let gs: u64 = match shape.len() {
        0 => 2,
        1 => ((len / 3) as f64).cbrt().round() as u64,
        _ => shape[0] as u64,
    };
    if u128::from(gs).pow(3) * 3 != len as u128 {
        let dims: Vec<String> = shape.iter().map(ToString::to_string).collect();
        return Err(PyRuntimeError::new_err(format!(
            "Incompatible buffer dimensions: failed to calculate grid size from shape ({})",
            dims.join(", ")
        )));
    }
    Ok(gs)
}

#[pymethods]
impl PyLut3DTransform {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let none = Overload {
            params: &[],
            required: 0,
            positional_only: false,
        };
        if bind(args, kwargs, &none).is_some() {
            return Ok(init(Lut3DTransform::default()));
        }
        // (gridSize): the LUT alone, not validated.
        let size = Overload {
            params: &["gridSize"],
            required: 1,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &size) {
            if let Some(gs) = a[0].as_ref().and_then(ulong) {
                return Ok(init(Lut3DTransform::new(gs).py()?));
            }
        }
        let full = Overload {
            params: &["gridSize", "fileOutputBitDepth", "interpolation", "direction"],
            required: 0,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &full) {
            let gs = match &a[0] {
                None => Some(2),
                Some(v) => ulong(v),
            };
            if let (Some(gs), Some(depth), Some(interp), Some(dir)) = (
                gs,
                arg(&a[1], E(BitDepth::Unknown)),
                arg(&a[2], E(Interpolation::Default)),
                arg(&a[3], E(TransformDirection::Forward)),
            ) {
                let mut t = Lut3DTransform::new(gs).py()?;
                t.file_output_bit_depth = depth.0;
                t.interpolation = interp.0;
                t.direction = dir.0;
                t.validate().py()?;
                return Ok(init(t));
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    fn getFileOutputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Lut3D, |t| E(t.file_output_bit_depth))
    }

    fn setFileOutputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Lut3D, |t| t.file_output_bit_depth = bitDepth.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<Self>() else {
            return Err(bad_call(&slf, SIG_EQUALS, &[other]));
        };
        if slf.as_ptr() == other.as_ptr() {
            return Ok(true);
        }
        let other = other.borrow();
        let a = with_variant!(slf, Lut3D, |t| t.clone())?;
        let b = with_variant!(other, Lut3D, |t| t.clone())?;
        Ok(a.equals(&b))
    }

    fn getGridSize(slf: PyRef<'_, Self>) -> PyResult<usize> {
        with_variant!(slf, Lut3D, |t| t.grid_size())
    }

    fn setGridSize(slf: PyRef<'_, Self>, gridSize: &Bound<'_, PyAny>) -> PyResult<()> {
        let n = ulong(gridSize).ok_or_else(|| bad_call(&slf, SIG_SET_GRID_SIZE, &[gridSize]))?;
        with_variant!(slf, Lut3D, |t| t.set_grid_size(n))?.py()
    }

    fn getValue(
        slf: PyRef<'_, Self>,
        indexR: &Bound<'_, PyAny>,
        indexG: &Bound<'_, PyAny>,
        indexB: &Bound<'_, PyAny>,
    ) -> PyResult<(f64, f64, f64)> {
        let (Some(r), Some(g), Some(b)) = (ulong(indexR), ulong(indexG), ulong(indexB)) else {
            return Err(bad_call(&slf, SIG_GET_VALUE, &[indexR, indexG, indexB]));
        };
        let [r, g, b] = with_variant!(slf, Lut3D, |t| t.value([r, g, b]))?.py()?;
        Ok((r.into(), g.into(), b.into()))
    }

    #[allow(clippy::too_many_arguments)]
    fn setValue(
        slf: PyRef<'_, Self>,
        indexR: &Bound<'_, PyAny>,
        indexG: &Bound<'_, PyAny>,
        indexB: &Bound<'_, PyAny>,
        r: &Bound<'_, PyAny>,
        g: &Bound<'_, PyAny>,
        b: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (Some(ir), Some(ig), Some(ib), Some(vr), Some(vg), Some(vb)) = (
            ulong(indexR),
            ulong(indexG),
            ulong(indexB),
            float_arg(r),
            float_arg(g),
            float_arg(b),
        ) else {
            return Err(bad_call(&slf, SIG_SET_VALUE, &[indexR, indexG, indexB, r, g, b]));
        };
        with_variant!(slf, Lut3D, |t| t.set_value([ir, ig, ib], [vr, vg, vb]))?.py()
    }

    fn setData(slf: PyRef<'_, Self>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let buf = read_f32_buffer(data, || bad_call(&slf, SIG_SET_DATA, &[data]))?;
        let gs = grid_size_of(buf.values.len(), &buf.shape)?;
        with_variant!(slf, Lut3D, |t| t.set_values(gs, &buf.values))?.py()
    }

    fn getData<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyArray1<f32>>> {
        let py = slf.py();
        let values = with_variant!(slf, Lut3D, |t| t.values().to_vec())?;
        Ok(PyArray1::from_slice(py, &values))
    }

    fn getInterpolation(slf: PyRef<'_, Self>) -> PyResult<E<Interpolation>> {
        with_variant!(slf, Lut3D, |t| E(t.interpolation))
    }

    fn setInterpolation(slf: PyRef<'_, Self>, interpolation: E<Interpolation>) -> PyResult<()> {
        with_variant!(slf, Lut3D, |t| t.interpolation = interpolation.0)
    }
}
