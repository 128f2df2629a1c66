//! vfx-io: reading and writing image files. A format is a [`Format`] entry
//! in the [`registry`]: its names and extensions, a content sniffer, and
//! functions that open a [`Reader`] or write a whole image.

pub mod formats;
pub mod imagebuf_io;
pub mod registry;

use vfx_core::{ImageSpec, PixelData};

/// Errors carry the message OIIO's `geterror()` would show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IoError {
    /// The file could not be opened or read (message as OIIO words it).
    #[error("{0}")]
    Open(String),
    /// The file is not valid for its format (truncated, bad header...).
    #[error("{0}")]
    Corrupt(String),
    /// The format cannot write what was asked (type, channels, tiles...).
    #[error("{0}")]
    Unsupported(String),
    /// Writing failed.
    #[error("{0}")]
    Write(String),
}

/// An open image file: its subimages' specs and their pixels.
pub trait Reader: Send {
    /// The registry name of the format ("pnm", "openexr", ...).
    fn format_name(&self) -> &'static str;
    /// Spec of a subimage / MIP level, `None` if it does not exist.
    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec>;
    /// All pixels of a subimage / MIP level, in `spec.format` (the file's
    /// native type), channels interleaved, scanlines top to bottom.
    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError>;
}

/// What a format can do, answering OIIO's `supports(feature)` queries.
pub type Supports = fn(feature: &str) -> i32;

/// Write a whole single-subimage image: `pixels` are in `spec.format`,
/// laid out as [`Reader::read_image`] returns them; `source` is the pixel
/// type the caller's data had (OIIO writers see it and some act on it).
pub type WriteFn =
    fn(path: &std::path::Path, spec: &ImageSpec, pixels: &[u8], source: vfx_core::TypeDesc) -> Result<(), IoError>;

/// Open a file for reading; `config` holds OIIO's open-time hints when the
/// caller gave any (some readers behave differently with and without).
pub type OpenFn = fn(path: &std::path::Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError>;

/// One file format.
pub struct Format {
    /// OIIO's format name, e.g. "pnm".
    pub name: &'static str,
    /// File extensions without dots, lower case.
    pub extensions: &'static [&'static str],
    /// True if these leading bytes look like this format.
    pub sniff: fn(head: &[u8]) -> bool,
    pub open: Option<OpenFn>,
    pub write: Option<WriteFn>,
    /// OIIO `supports()` for readers and writers.
    pub supports: Supports,
}
