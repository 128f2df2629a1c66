//! One module per file format, each behind its cargo feature.

#[cfg(feature = "bmp")]
pub mod bmp;
#[cfg(feature = "cineon")]
pub mod cineon;
#[cfg(feature = "dpx")]
pub mod dpx;
#[cfg(any(feature = "dpx", feature = "cineon"))]
pub mod dpx_pack;
#[cfg(feature = "gif")]
pub mod gif;
#[cfg(feature = "hdr")]
pub mod hdr;
#[cfg(feature = "ico")]
pub mod ico;
#[cfg(feature = "jpeg")]
pub mod jpeg;
#[cfg(feature = "jpeg2000")]
pub mod jpeg2000;
#[cfg(any(feature = "png", feature = "jpeg"))]
pub mod meta_exif;
#[cfg(any(feature = "png", feature = "jpeg"))]
pub mod meta_xmp;
#[cfg(feature = "openexr")]
pub mod openexr;
#[cfg(feature = "openexr")]
pub mod openexr_attrs;
#[cfg(feature = "openexr")]
pub mod openexr_deep;
#[cfg(feature = "openexr")]
pub mod openexr_dwa;
#[cfg(feature = "png")]
pub mod png;
#[cfg(feature = "pnm")]
pub mod pnm;
#[cfg(feature = "psd")]
pub mod psd;
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
#[cfg(feature = "webp")]
pub mod webp;

/// Every compiled-in format (the registry lists them in OIIO's order).
pub fn all() -> Vec<&'static crate::Format> {
    [
        #[cfg(feature = "bmp")]
        &bmp::FORMAT,
        #[cfg(feature = "hdr")]
        &hdr::FORMAT,
        #[cfg(feature = "ico")]
        &ico::FORMAT,
        #[cfg(feature = "openexr")]
        &openexr::FORMAT,
        #[cfg(feature = "pnm")]
        &pnm::FORMAT,
        #[cfg(feature = "jpeg2000")]
        &jpeg2000::FORMAT,
        #[cfg(feature = "sgi")]
        &sgi::FORMAT,
        #[cfg(feature = "targa")]
        &targa::FORMAT,
        #[cfg(feature = "png")]
        &png::FORMAT,
        #[cfg(feature = "jpeg")]
        &jpeg::FORMAT,
        #[cfg(feature = "tiff")]
        &tiff::FORMAT,
        #[cfg(feature = "gif")]
        &gif::FORMAT,
        #[cfg(feature = "webp")]
        &webp::FORMAT,
        #[cfg(feature = "psd")]
        &psd::FORMAT,
        #[cfg(feature = "cineon")]
        &cineon::FORMAT,
        #[cfg(feature = "dpx")]
        &dpx::FORMAT,
    ]
    .to_vec()
}
