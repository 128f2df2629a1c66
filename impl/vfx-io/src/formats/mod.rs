//! One module per file format, each behind its cargo feature.

#[cfg(feature = "pnm")]
pub mod pnm;
#[cfg(feature = "tiff")]
pub mod tiff;
#[cfg(feature = "tiff")]
pub mod tiff_ccitt;
#[cfg(feature = "tiff")]
pub mod tiff_codec;
#[cfg(feature = "tiff")]
pub mod tiff_meta;

/// Every compiled-in format (the registry lists them in OIIO's order).
pub fn all() -> Vec<&'static crate::Format> {
    [
        #[cfg(feature = "tiff")]
        &tiff::FORMAT,
        #[cfg(feature = "pnm")]
        &pnm::FORMAT,
    ]
    .to_vec()
}
