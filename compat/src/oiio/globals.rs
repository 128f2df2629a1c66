//! Module-level functions: the global attribute store, the global error
//! message and format-name queries.

use super::typedesc::TypeDescArg;
use super::values::{onearg_param, param_to_py, typed_param};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use vfx_core::{globals, TypeDesc};

/// attribute(name, value) or attribute(name, type, value); like the
/// reference it returns None whether or not the name was accepted.
#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(
        module = "OpenImageIO.OpenImageIO",
        python_overload = r#"
import typing
@typing.overload
def attribute(name: str, value: int | float | str | bytes, /) -> None: ...
@typing.overload
def attribute(name: str, type: TypeDesc | BASETYPE | str, value: typing.Any, /) -> None: ...
"#
    )
)]
#[pyfunction]
#[pyo3(signature = (*args))]
fn attribute(args: &Bound<'_, PyTuple>) -> PyResult<()> {
    let name: String = args
        .get_item(0)
        .map_err(|_| PyTypeError::new_err("attribute() needs a name"))?
        .extract()?;
    let p = match args.len() {
        2 => Some(
            onearg_param(&name, &args.get_item(1)?)?
                .ok_or_else(|| PyTypeError::new_err("attribute() value must be int, float, or str"))?,
        ),
        3 => typed_param(
            &name,
            super::typedesc::to_typedesc(&args.get_item(1)?)?,
            1,
            &args.get_item(2)?,
        )?,
        _ => {
            return Err(PyTypeError::new_err(
                "attribute() takes (name, value) or (name, type, value)",
            ))
        }
    };
    if let Some(p) = p {
        globals::attribute(&name, &p);
    }
    Ok(())
}

/// The value of a global attribute of exactly `type`, else None.
#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
#[pyo3(signature = (name, r#type = None))]
fn getattribute<'py>(py: Python<'py>, name: &str, r#type: Option<TypeDescArg>) -> PyResult<Bound<'py, PyAny>> {
    let ty = r#type.map_or(TypeDesc::UNKNOWN, |t| t.0);
    if ty.is_unknown() {
        return Ok(py.None().into_bound(py));
    }
    match py.detach(|| globals::getattribute(name, ty)) {
        Some(p) => param_to_py(py, &p, 1, py.None().into_bound(py)),
        None => Ok(py.None().into_bound(py)),
    }
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
#[pyo3(signature = (name, defaultval = 0))]
fn get_int_attribute(name: &str, defaultval: i32) -> i32 {
    globals::get_int_attribute(name, defaultval)
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
#[pyo3(signature = (name, defaultval = 0.0))]
fn get_float_attribute(name: &str, defaultval: f32) -> f32 {
    globals::get_float_attribute(name, defaultval)
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
#[pyo3(signature = (name, defaultval = ""))]
fn get_string_attribute(name: &str, defaultval: &str) -> String {
    globals::get_string_attribute(name, defaultval)
}

/// Like get_string_attribute, as bytes; a None default means "".
#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
#[pyo3(signature = (name, defaultval = None))]
fn get_bytes_attribute<'py>(
    py: Python<'py>,
    name: &str,
    defaultval: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let default = match defaultval {
        None => String::new(),
        Some(d) if d.is_none() => String::new(),
        Some(d) => match d.cast::<PyBytes>() {
            Ok(b) => String::from_utf8_lossy(b.as_bytes()).into_owned(),
            Err(_) => d
                .extract::<String>()
                .map_err(|_| PyRuntimeError::new_err("std::bad_cast"))?,
        },
    };
    Ok(PyBytes::new(
        py,
        globals::get_string_attribute(name, &default).as_bytes(),
    ))
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
#[pyo3(signature = (clear = true))]
fn geterror(clear: bool) -> String {
    globals::geterror(clear)
}

/// True if `name` is a format this build can read or write. The list is
/// whatever the format registry has registered under "format_list".
#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn is_imageio_format_name(name: &str) -> bool {
    globals::get_string_attribute("format_list", "")
        .split(',')
        .any(|f| !f.is_empty() && f.eq_ignore_ascii_case(name))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(attribute, m)?)?;
    m.add_function(wrap_pyfunction!(getattribute, m)?)?;
    m.add_function(wrap_pyfunction!(get_int_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(get_float_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(get_string_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(get_bytes_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(geterror, m)?)?;
    m.add_function(wrap_pyfunction!(is_imageio_format_name, m)?)?;
    Ok(())
}
