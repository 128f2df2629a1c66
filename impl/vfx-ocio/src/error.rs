//! OCIO's two exception kinds as one typed error.

/// What OCIO throws: `Exception`, or `ExceptionMissingFile` when a file a
/// config or transform refers to cannot be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcioError {
    #[error("{0}")]
    Exception(String),
    #[error("{0}")]
    MissingFile(String),
    /// A feature of the reference this engine does not have yet.
    #[error("{0}")]
    NotImplemented(String),
}

impl OcioError {
    /// An `Exception` with this message.
    pub fn msg(m: impl Into<String>) -> Self {
        OcioError::Exception(m.into())
    }
}

pub type Result<T> = std::result::Result<T, OcioError>;
