//! One module per file format, each behind its cargo feature.

#[cfg(feature = "pnm")]
pub mod pnm;

/// Every compiled-in format, in OIIO's registration order.
pub fn all() -> Vec<&'static crate::Format> {
    [
        #[cfg(feature = "pnm")]
        &pnm::FORMAT,
    ]
    .to_vec()
}
