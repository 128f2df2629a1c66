//! numpy arrays <-> pixel bytes: dtype <-> TypeDesc, arrays created in
//! place for the engine to fill, and read-only byte views of input arrays.

use numpy::{PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use vfx_core::{dispatch_pixel, BaseType, TypeDesc};

/// The pixel base type of a numpy dtype (`None` for bool, complex, object...).
pub fn dtype_base(arr: &Bound<'_, PyUntypedArray>) -> Option<BaseType> {
    let dt = arr.dtype();
    // Only native byte order (the reference reads big-endian data as unknown).
    let foreign = if cfg!(target_endian = "little") { ">" } else { "<" };
    if dt
        .getattr("byteorder")
        .and_then(|b| b.extract::<String>())
        .is_ok_and(|b| b == foreign)
    {
        return None;
    }
    Some(match (dt.kind(), dt.itemsize()) {
        (b'f', 2) => BaseType::Half,
        (b'f', 4) => BaseType::Float,
        (b'f', 8) => BaseType::Double,
        (b'u', 1) => BaseType::UInt8,
        (b'u', 2) => BaseType::UInt16,
        (b'u', 4) => BaseType::UInt32,
        (b'u', 8) => BaseType::UInt64,
        (b'i', 1) => BaseType::Int8,
        (b'i', 2) => BaseType::Int16,
        (b'i', 4) => BaseType::Int32,
        (b'i', 8) => BaseType::Int64,
        _ => return None,
    })
}

/// A C-contiguous, aligned version of `obj` as a numpy array (a copy only
/// when the input is not already laid out that way).
pub fn contiguous<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyUntypedArray>> {
    let py = obj.py();
    if let Ok(a) = obj.cast::<PyUntypedArray>() {
        if a.is_c_contiguous() && a.is_aligned() {
            return Ok(a.clone());
        }
    }
    let np = py.import("numpy")?;
    let arr = np.getattr("ascontiguousarray")?.call1((obj,))?;
    arr.cast_into::<PyUntypedArray>()
        .map_err(|_| PyTypeError::new_err("expected a numpy array"))
}

/// The bytes of a C-contiguous array.
///
/// # Safety
/// The array must be C-contiguous and must not be resized or freed while
/// the slice is alive (the caller holds a reference to it).
pub unsafe fn array_bytes<'a>(arr: &'a Bound<'_, PyUntypedArray>) -> &'a [u8] {
    let n = arr.len() * arr.dtype().itemsize();
    if n == 0 {
        return &[];
    }
    let ptr = (*arr.as_array_ptr()).fields.data as *const u8;
    std::slice::from_raw_parts(ptr, n)
}

/// A new zeroed array of pixel type `format` and `shape`, and a closure
/// receiving its bytes to fill.
pub fn new_array<'py>(
    py: Python<'py>,
    format: TypeDesc,
    shape: &[usize],
    fill: impl FnOnce(&mut [u8]),
) -> PyResult<Bound<'py, PyAny>> {
    dispatch_pixel!(format.basetype, T => {
        let arr = PyArrayDyn::<T>::zeros(py, shape, false);
        // SAFETY: the array was just created, is C-contiguous and nothing
        // else references it yet.
        let slice = unsafe { arr.as_slice_mut() }.map_err(|e| PyTypeError::new_err(e.to_string()))?;
        fill(bytemuck::cast_slice_mut(slice));
        Ok(arr.into_any())
    }, _ => Err(PyTypeError::new_err(format!("unsupported pixel format '{format}'"))))
}

/// The pixel type of a numpy array argument, if it is one we can name.
pub fn array_pixel_type(obj: &Bound<'_, PyAny>) -> Option<TypeDesc> {
    obj.cast::<PyUntypedArray>()
        .ok()
        .and_then(|a| dtype_base(a))
        .map(TypeDesc::scalar)
}
