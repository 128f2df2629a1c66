//! One module per file format, each behind its cargo feature.

#[cfg(feature = "bmp")]
pub mod bmp;
#[cfg(feature = "cineon")]
pub mod cineon;
#[cfg(feature = "dds")]
pub mod dds;
#[cfg(feature = "dpx")]
pub mod dpx;
#[cfg(any(feature = "dpx", feature = "cineon"))]
pub mod dpx_pack;
#[cfg(feature = "fits")]
pub mod fits;
#[cfg(feature = "gif")]
pub mod gif;
#[cfg(feature = "hdr")]
pub mod hdr;
#[cfg(feature = "ico")]
pub mod ico;
#[cfg(feature = "iff")]
pub mod iff;
#[cfg(feature = "jpeg")]
pub mod jpeg;
#[cfg(feature = "jpeg2000")]
pub mod jpeg2000;
#[cfg(feature = "jpegxl")]
pub mod jpegxl;
#[cfg(any(feature = "png", feature = "jpeg"))]
pub mod meta_exif;
#[cfg(any(feature = "png", feature = "jpeg"))]
pub mod meta_xmp;
#[cfg(feature = "null")]
pub mod null;
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
#[cfg(feature = "rla")]
pub mod rla;
#[cfg(feature = "sgi")]
pub mod sgi;
#[cfg(feature = "softimage")]
pub mod softimage;
#[cfg(feature = "targa")]
pub mod targa;
#[cfg(feature = "term")]
pub mod term;
#[cfg(test)]
pub mod test_support;
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
#[cfg(feature = "zfile")]
pub mod zfile;

/// Every compiled-in format (the registry lists them in OIIO's order).
pub fn all() -> Vec<&'static crate::Format> {
    [
        #[cfg(feature = "bmp")]
        &bmp::FORMAT,
        #[cfg(feature = "dds")]
        &dds::FORMAT,
        #[cfg(feature = "iff")]
        &iff::FORMAT,
        #[cfg(feature = "softimage")]
        &softimage::FORMAT,
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
        #[cfg(feature = "jpegxl")]
        &jpegxl::FORMAT,
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
        #[cfg(feature = "fits")]
        &fits::FORMAT,
        #[cfg(feature = "null")]
        &null::FORMAT,
        #[cfg(feature = "rla")]
        &rla::FORMAT,
        #[cfg(feature = "term")]
        &term::FORMAT,
        #[cfg(feature = "zfile")]
        &zfile::FORMAT,
    ]
    .to_vec()
}
