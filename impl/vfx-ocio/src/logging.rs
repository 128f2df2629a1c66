//! OCIO's logging: a global level (from `$OCIO_LOGGING_LEVEL`, INFO by
//! default) and a replaceable message sink (stderr by default). Messages
//! are split into lines, each prefixed with `[OpenColorIO <Level>]: `.

use std::sync::{Arc, Mutex, OnceLock};

use crate::enums::{ocio_enum, OcioEnum};
use crate::error::{OcioError, Result};
use crate::tables::{self};

ocio_enum!(
    /// How much OCIO logs.
    LoggingLevel = tables::LOGGING_LEVEL { None = 0, Warning = 1, Info = 2, Debug = 3, Unknown = 255 }
);

/// Where formatted log lines go.
pub type Sink = Arc<dyn Fn(&str) + Send + Sync>;

struct State {
    level: LoggingLevel,
    sink: Option<Sink>,
}

fn state() -> &'static Mutex<State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    STATE.get_or_init(|| {
        let (level, warning) = level_from_env(std::env::var("OCIO_LOGGING_LEVEL").ok().as_deref());
        let s = Mutex::new(State { level, sink: None });
        if let Some(w) = warning {
            default_sink(&format_lines(LoggingLevel::Warning, &w));
        }
        if level == LoggingLevel::Debug {
            default_sink(&format_lines(LoggingLevel::Debug, "Using OpenColorIO version: 2.6.0"));
        }
        s
    })
}

/// The level `$OCIO_LOGGING_LEVEL` asks for (names or numbers), with the
/// warning OCIO prints for an invalid value.
fn level_from_env(v: Option<&str>) -> (LoggingLevel, Option<String>) {
    let Some(v) = v else {
        return (LoggingLevel::Info, None);
    };
    let level = match v.to_ascii_lowercase().as_str() {
        "0" | "none" => Some(LoggingLevel::None),
        "1" | "warning" => Some(LoggingLevel::Warning),
        "2" | "info" => Some(LoggingLevel::Info),
        "3" | "debug" => Some(LoggingLevel::Debug),
        _ => None,
    };
    match level {
        Some(l) => (l, None),
        None => (
            LoggingLevel::Info,
            Some("Invalid $OCIO_LOGGING_LEVEL specified. Options: none (0), warning (1), info (2), debug (3)".into()),
        ),
    }
}

fn lock() -> std::sync::MutexGuard<'static, State> {
    state().lock().unwrap_or_else(|e| e.into_inner())
}

fn default_sink(text: &str) {
    eprint!("{text}");
}

fn label(level: LoggingLevel) -> &'static str {
    match level {
        LoggingLevel::Warning => "Warning",
        LoggingLevel::Info => "Info",
        LoggingLevel::Debug => "Debug",
        LoggingLevel::None | LoggingLevel::Unknown => "",
    }
}

/// The text a message becomes: one prefixed line per line of the message.
pub fn format_lines(level: LoggingLevel, msg: &str) -> String {
    labelled_lines(label(level), msg)
}

fn labelled_lines(label: &str, msg: &str) -> String {
    msg.lines().map(|l| format!("[OpenColorIO {label}]: {l}\n")).collect()
}

pub fn level() -> LoggingLevel {
    lock().level
}

pub fn set_level(level: LoggingLevel) {
    lock().level = level;
}

/// Replaces the sink (`None` restores the default, stderr).
pub fn set_sink(sink: Option<Sink>) {
    lock().sink = sink;
}

/// OCIO's `LogMessage`: logs `msg` if `level` is enabled.
pub fn log(level: LoggingLevel, msg: &str) -> Result<()> {
    if level == LoggingLevel::Unknown {
        return Err(OcioError::msg("Unsupported logging level."));
    }
    let (current, sink) = {
        let s = lock();
        (s.level, s.sink.clone())
    };
    if level == LoggingLevel::None || level.value() > current.value() {
        return Ok(());
    }
    // The sink runs outside the lock: it may log again.
    emit(sink, &format_lines(level, msg));
    Ok(())
}

fn emit(sink: Option<Sink>, text: &str) {
    match sink {
        Some(f) => f(text),
        None => default_sink(text),
    }
}

/// Logs a warning (engine code reports recoverable problems this way).
pub fn warn(msg: &str) {
    let _ = log(LoggingLevel::Warning, msg);
}

/// Logs an informational message.
pub fn info(msg: &str) {
    let _ = log(LoggingLevel::Info, msg);
}

/// OCIO's `LogError`: shown at the warning level, labelled "Error" (OCIO
/// has no error level in its public enumeration).
pub fn error(msg: &str) {
    let (current, sink) = {
        let s = lock();
        (s.level, s.sink.clone())
    };
    if current.value() >= LoggingLevel::Warning.value() {
        emit(sink, &labelled_lines("Error", msg));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_prefixed() {
        assert_eq!(
            format_lines(LoggingLevel::Warning, "a\nb\n"),
            "[OpenColorIO Warning]: a\n[OpenColorIO Warning]: b\n"
        );
    }

    #[test]
    fn env_levels() {
        assert_eq!(level_from_env(Some("DEBUG")).0, LoggingLevel::Debug);
        assert_eq!(level_from_env(Some("1")).0, LoggingLevel::Warning);
        let (l, w) = level_from_env(Some("bogus"));
        assert_eq!(l, LoggingLevel::Info);
        assert!(w.is_some());
        assert!(log(LoggingLevel::Unknown, "x").is_err());
    }
}
