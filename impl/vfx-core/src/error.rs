//! The engine's error type. Messages are what OIIO's `geterror()` reports
//! where a caller shows them to the user.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    #[error("ImageBuf is not initialized")]
    Uninitialized,
    #[error("unable to allocate {0} bytes")]
    Alloc(u64),
    #[error("data size mismatch: expected {expected} bytes, got {got}")]
    Size { expected: u64, got: u64 },
    #[error("unsupported pixel format '{0}'")]
    BadFormat(String),
    #[error("invalid regular expression '{0}'")]
    BadPattern(String),
}
