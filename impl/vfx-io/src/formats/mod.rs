//! One module per file format, each behind its cargo feature.

#[cfg(feature = "bmp")]
pub mod bmp;
#[cfg(feature = "hdr")]
pub mod hdr;
#[cfg(feature = "ico")]
pub mod ico;
#[cfg(feature = "pnm")]
pub mod pnm;
#[cfg(feature = "sgi")]
pub mod sgi;
#[cfg(feature = "targa")]
pub mod targa;
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
        #[cfg(feature = "bmp")]
        &bmp::FORMAT,
        #[cfg(feature = "hdr")]
        &hdr::FORMAT,
        #[cfg(feature = "ico")]
        &ico::FORMAT,
        #[cfg(feature = "sgi")]
        &sgi::FORMAT,
        #[cfg(feature = "targa")]
        &targa::FORMAT,
    ]
    .to_vec()
}
