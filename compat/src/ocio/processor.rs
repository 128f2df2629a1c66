//! `Processor` and `CPUProcessor` over `vfx_ocio::{processor, cpu_processor}`.
//! Pixel work runs with the GIL released; numpy arrays are processed in
//! place, Python lists give back new lists, as in the reference.

use half::f16;
use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use vfx_ocio::cpu_processor::{CpuProcessor, Sample};
use vfx_ocio::enums::BitDepth;
use vfx_ocio::processor::Processor;

use super::enums::{value_of, E};
use super::errors::OcioResultExt;

#[pyclass(frozen, name = "Processor", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyProcessor {
    pub inner: Processor,
}

#[pyclass(frozen, name = "CPUProcessor", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyCPUProcessor {
    inner: CpuProcessor,
}

/// OPTIMIZATION_NONE: the ops are used as built.
const OPTIMIZATION_NONE: i64 = 0;

#[pymethods]
impl PyProcessor {
    fn isNoOp(&self) -> bool {
        self.inner.is_noop()
    }

    fn isDynamic(&self) -> bool {
        self.inner.is_dynamic()
    }

    fn hasDynamicProperty(&self, r#type: &Bound<'_, PyAny>) -> PyResult<bool> {
        super::dynamic_property::has(|p| self.inner.dynamic_value(p), r#type)
    }

    fn getDynamicProperty(&self, r#type: &Bound<'_, PyAny>) -> PyResult<super::dynamic_property::PyDynamicProperty> {
        super::dynamic_property::get(|p| self.inner.dynamic_value(p), r#type)
    }

    /// The metadata of the group the processor was made from (a copy).
    fn getFormatMetadata(&self) -> super::format_metadata::PyFormatMetadata {
        detached_metadata(self.inner.format_metadata().clone())
    }

    /// The metadata of each op's transform, in order (copies).
    fn getTransformFormatMetadata(&self, py: Python<'_>) -> PyResult<super::iter::PyOcioIterator> {
        let items = self.inner.transform_metadata().into_iter().map(detached_metadata);
        super::iter::PyOcioIterator::from_values(py, items, super::iter::OutOfRange::IndexError)
    }

    /// `(oFlags)` or `(inBitDepth, outBitDepth, oFlags)`: the ops optimized
    /// (bit depths only matter to CPU processors made from it).
    #[pyo3(signature = (*args))]
    fn getOptimizedProcessor(&self, args: &Bound<'_, PyTuple>) -> PyResult<PyProcessor> {
        let flags_table = &vfx_ocio::tables::OPTIMIZATION_FLAGS;
        let flags = match args.len() {
            1 => value_of(&args.get_item(0)?, flags_table)?,
            3 => {
                args.get_item(0)?.extract::<E<BitDepth>>()?;
                args.get_item(1)?.extract::<E<BitDepth>>()?;
                value_of(&args.get_item(2)?, flags_table)?
            }
            _ => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "getOptimizedProcessor(): incompatible function arguments",
                ))
            }
        };
        Ok(PyProcessor {
            inner: self.inner.optimized(flags != OPTIMIZATION_NONE),
        })
    }

    fn hasChannelCrosstalk(&self) -> bool {
        self.inner.has_channel_crosstalk()
    }

    fn getCacheID(&self) -> String {
        self.inner.cache_id()
    }

    fn createGroupTransform(&self, py: Python<'_>) -> PyResult<Py<super::transform::PyTransform>> {
        super::transform::wrap(py, vfx_ocio::Transform::Group(self.inner.group_transform()))
    }

    fn getDefaultCPUProcessor(&self) -> PyCPUProcessor {
        PyCPUProcessor {
            inner: self.inner.default_cpu(),
        }
    }

    /// `(oFlags)` or `(inBitDepth, outBitDepth, oFlags)`.
    #[pyo3(signature = (*args))]
    fn getOptimizedCPUProcessor(&self, args: &Bound<'_, PyTuple>) -> PyResult<PyCPUProcessor> {
        let flags_table = &vfx_ocio::tables::OPTIMIZATION_FLAGS;
        let (in_depth, out_depth, flags) = match args.len() {
            1 => (BitDepth::F32, BitDepth::F32, value_of(&args.get_item(0)?, flags_table)?),
            3 => (
                args.get_item(0)?.extract::<E<BitDepth>>()?.0,
                args.get_item(1)?.extract::<E<BitDepth>>()?.0,
                value_of(&args.get_item(2)?, flags_table)?,
            ),
            _ => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "getOptimizedCPUProcessor(): incompatible function arguments",
                ))
            }
        };
        Ok(PyCPUProcessor {
            inner: self.inner.cpu_with(in_depth, out_depth, flags != OPTIMIZATION_NONE),
        })
    }
}

/// A FormatMetadata object of its own holding `m`.
fn detached_metadata(m: vfx_ocio::format_metadata::FormatMetadata) -> super::format_metadata::PyFormatMetadata {
    super::format_metadata::PyFormatMetadata::shared(std::sync::Arc::new(std::sync::Mutex::new(m)))
}

/// Runs the processor over a numpy array of the matching sample type.
fn apply_array<T: Sample + numpy::Element>(
    py: Python<'_>,
    proc: &CpuProcessor,
    arr: &Bound<'_, PyArrayDyn<T>>,
    nch: usize,
) -> PyResult<()> {
    if !arr.is_c_contiguous() {
        return Err(PyRuntimeError::new_err(
            "function only supports C-contiguous (row-major) arrays",
        ));
    }
    let mut rw = arr
        .try_readwrite()
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let data = rw
        .as_slice_mut()
        .map_err(|_| PyRuntimeError::new_err("function only supports C-contiguous (row-major) arrays"))?;
    py.detach(|| proc.apply_in_place(data, nch)).py()
}

impl PyCPUProcessor {
    /// applyRGB / applyRGBA: numpy arrays in place (returns None), lists
    /// as new lists.
    fn apply_packed(&self, py: Python<'_>, data: &Bound<'_, PyAny>, nch: usize) -> PyResult<Option<Vec<f32>>> {
        if let Ok(arr) = data.cast::<PyUntypedArray>() {
            if arr.len() % nch != 0 {
                return Err(PyRuntimeError::new_err(format!(
                    "Incompatible buffer dimensions: expected size to be divisible by {nch}, but received {} entries",
                    arr.len()
                )));
            }
            let p = &self.inner;
            if let Ok(a) = arr.cast::<PyArrayDyn<f32>>() {
                apply_array(py, p, a, nch)?;
            } else if let Ok(a) = arr.cast::<PyArrayDyn<f16>>() {
                apply_array(py, p, a, nch)?;
            } else if let Ok(a) = arr.cast::<PyArrayDyn<u16>>() {
                apply_array(py, p, a, nch)?;
            } else if let Ok(a) = arr.cast::<PyArrayDyn<u8>>() {
                apply_array(py, p, a, nch)?;
            } else {
                return Err(PyRuntimeError::new_err(format!(
                    "Unsupported data type: {}",
                    arr.dtype()
                )));
            }
            return Ok(None);
        }
        let mut values: Vec<f32> = data.extract()?;
        if values.len() % nch != 0 {
            return Err(PyRuntimeError::new_err(format!(
                "Incompatible vector dimensions: expected (N*{nch}, 1), but received ({}, 1)",
                values.len()
            )));
        }
        py.detach(|| self.inner.apply_in_place(&mut values, nch)).py()?;
        Ok(Some(values))
    }
}

#[pymethods]
impl PyCPUProcessor {
    fn isDynamic(&self) -> bool {
        self.inner.is_dynamic()
    }

    fn hasDynamicProperty(&self, r#type: &Bound<'_, PyAny>) -> PyResult<bool> {
        super::dynamic_property::has(|p| self.inner.dynamic_value(p), r#type)
    }

    fn getDynamicProperty(&self, r#type: &Bound<'_, PyAny>) -> PyResult<super::dynamic_property::PyDynamicProperty> {
        super::dynamic_property::get(|p| self.inner.dynamic_value(p), r#type)
    }

    /// `apply(img)` in place, or `apply(src, dst)`.
    #[pyo3(signature = (*args))]
    fn apply(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<()> {
        use super::image_desc::{apply_image, apply_images, apply_planar, PyPackedImageDesc, PyPlanarImageDesc};
        if args.len() == 1 {
            if let Ok(planar) = args.get_item(0)?.cast_into::<PyPlanarImageDesc>() {
                return apply_planar(py, &self.inner, &planar.borrow());
            }
        }
        let desc = |i: usize| -> PyResult<PyRef<'_, PyPackedImageDesc>> {
            args.get_item(i)?
                .cast_into::<PyPackedImageDesc>()
                .map(|b| b.borrow())
                .map_err(|_| pyo3::exceptions::PyTypeError::new_err("apply(): incompatible function arguments"))
        };
        match args.len() {
            1 => apply_image(py, &self.inner, &*desc(0)?),
            2 => apply_images(py, &self.inner, &*desc(0)?, &*desc(1)?),
            _ => Err(pyo3::exceptions::PyTypeError::new_err(
                "apply(): incompatible function arguments",
            )),
        }
    }

    fn isNoOp(&self) -> bool {
        self.inner.is_noop()
    }

    fn isIdentity(&self) -> bool {
        self.inner.is_identity()
    }

    fn hasChannelCrosstalk(&self) -> bool {
        self.inner.has_channel_crosstalk()
    }

    fn getCacheID(&self) -> String {
        self.inner.cache_id()
    }

    fn getInputBitDepth(&self) -> E<BitDepth> {
        E(self.inner.input_bit_depth())
    }

    fn getOutputBitDepth(&self) -> E<BitDepth> {
        E(self.inner.output_bit_depth())
    }

    fn applyRGB(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Option<Vec<f32>>> {
        self.apply_packed(py, data, 3)
    }

    fn applyRGBA(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Option<Vec<f32>>> {
        self.apply_packed(py, data, 4)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProcessor>()?;
    m.add_class::<PyCPUProcessor>()?;
    Ok(())
}
