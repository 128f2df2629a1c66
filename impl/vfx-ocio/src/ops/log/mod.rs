//! Log ops: plain logarithms (LogTransform), affine log curves
//! (LogAffineTransform) and camera curves with a linear toe
//! (LogCameraTransform).

pub mod cpu;
pub mod data;

pub use data::LogOpData;
