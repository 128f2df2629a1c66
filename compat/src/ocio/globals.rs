//! Module-level functions: version, environment variables, logging and
//! cache control.

use std::cell::RefCell;
use std::sync::Arc;

use pyo3::prelude::*;
use vfx_ocio::logging::{self, LoggingLevel};

use super::enums::E;
use super::errors::OcioResultExt;

const VERSION: &str = "2.6.0";
const VERSION_HEX: u32 = 0x0206_0000;

#[pyfunction]
fn GetVersion() -> &'static str {
    VERSION
}

#[pyfunction]
fn GetVersionHex() -> u32 {
    VERSION_HEX
}

#[pyfunction]
fn GetEnvVariable(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

#[pyfunction]
fn SetEnvVariable(name: &str, value: &str) {
    std::env::set_var(name, value);
}

#[pyfunction]
fn UnsetEnvVariable(name: &str) {
    std::env::remove_var(name);
}

#[pyfunction]
fn IsEnvVariablePresent(name: &str) -> bool {
    std::env::var_os(name).is_some()
}

#[pyfunction]
fn GetLoggingLevel() -> E<LoggingLevel> {
    E(logging::level())
}

#[pyfunction]
fn SetLoggingLevel(level: E<LoggingLevel>) {
    logging::set_level(level.0)
}

thread_local! {
    /// An exception raised by a Python logging function, re-raised by the
    /// call that logged.
    static PENDING: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Re-raises what a Python logging function raised during the last call.
pub fn take_log_error() -> PyResult<()> {
    match PENDING.with(|p| p.borrow_mut().take()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[pyfunction]
fn LogMessage(level: E<LoggingLevel>, message: &str) -> PyResult<()> {
    logging::log(level.0, message).py()?;
    take_log_error()
}

/// Routes OCIO's log lines to a Python callable (returns None, as the
/// reference does).
#[pyfunction]
fn SetLoggingFunction(logFunction: Py<PyAny>) {
    let f = Arc::new(logFunction);
    logging::set_sink(Some(Arc::new(move |text: &str| {
        Python::attach(|py| {
            if let Err(e) = f.call1(py, (text,)) {
                PENDING.with(|p| *p.borrow_mut() = Some(e));
            }
        })
    })));
}

#[pyfunction]
fn ResetToDefaultLoggingFunction() {
    logging::set_sink(None);
}

/// The engine keeps no caches that outlive the objects holding them yet,
/// so there is nothing to clear.
#[pyfunction]
fn ClearAllCaches() {}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__author__", "OpenColorIO Contributors")?;
    m.add("__email__", "ocio-dev@lists.aswf.io")?;
    m.add("__license__", "SPDX-License-Identifier: BSD-3-Clause")?;
    m.add("__copyright__", "Copyright Contributors to the OpenColorIO Project")?;
    m.add("__version__", VERSION)?;
    m.add("__status__", "Production")?;
    m.add(
        "__doc__",
        "OpenColorIO (OCIO) is a complete color management solution geared towards motion picture production",
    )?;
    m.add_function(wrap_pyfunction!(GetVersion, m)?)?;
    m.add_function(wrap_pyfunction!(GetVersionHex, m)?)?;
    m.add_function(wrap_pyfunction!(GetEnvVariable, m)?)?;
    m.add_function(wrap_pyfunction!(SetEnvVariable, m)?)?;
    m.add_function(wrap_pyfunction!(UnsetEnvVariable, m)?)?;
    m.add_function(wrap_pyfunction!(IsEnvVariablePresent, m)?)?;
    m.add_function(wrap_pyfunction!(GetLoggingLevel, m)?)?;
    m.add_function(wrap_pyfunction!(SetLoggingLevel, m)?)?;
    m.add_function(wrap_pyfunction!(LogMessage, m)?)?;
    m.add_function(wrap_pyfunction!(SetLoggingFunction, m)?)?;
    m.add_function(wrap_pyfunction!(ResetToDefaultLoggingFunction, m)?)?;
    m.add_function(wrap_pyfunction!(ClearAllCaches, m)?)?;
    Ok(())
}
