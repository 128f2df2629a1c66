//! Matrix-with-offset ops.

pub mod cpu;
pub mod data;

pub use data::MatrixOpData;
