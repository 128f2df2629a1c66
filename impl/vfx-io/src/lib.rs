//! vfx-io: reading and writing image files. A format is a [`Format`] entry
//! in the [`registry`]: its names and extensions, a content sniffer, and
//! functions that open a [`Reader`] or write a whole image.

pub mod formats;
pub mod imagebuf_io;
pub mod input;
pub mod output;
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
    /// native type; for files whose channels differ in type, the widest of
    /// them), channels interleaved, scanlines top to bottom, the whole data
    /// window (tiled files are untiled).
    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError>;
    /// The thumbnail stored with a subimage, if the file has one (OIIO's
    /// `get_thumbnail`): its spec and pixels laid out as `read_image` does.
    fn thumbnail(&mut self, _subimage: usize) -> Result<Option<(ImageSpec, PixelData)>, IoError> {
        Ok(None)
    }
    /// Deep pixels of a subimage (`spec.deep` is true), `None` for formats
    /// without deep data.
    fn read_deep(&mut self, _subimage: usize, _miplevel: usize) -> Result<Option<vfx_core::DeepData>, IoError> {
        Ok(None)
    }
}

/// One image handed to a writer: its spec (`format` is the type to store;
/// per-channel `channelformats` when non-empty; tile sizes, attributes) and
/// its pixels in `spec.format`, interleaved, the whole data window, top to
/// bottom. A writer that stores tiles cuts them itself.
#[derive(Clone, Copy)]
pub struct Level<'a> {
    pub spec: &'a ImageSpec,
    pub pixels: &'a [u8],
}

/// Everything one file will hold.
pub struct WriteRequest<'a> {
    /// Subimages in order, each its MIP levels from the largest; a writer
    /// only gets more than one of either if its `supports()` says
    /// "multiimage" / "mipmap".
    pub subimages: Vec<Vec<Level<'a>>>,
    /// Deep pixels per subimage where the spec says `deep` (same order).
    pub deep: Vec<Option<&'a vfx_core::DeepData>>,
    /// The pixel type the caller's data had (some OIIO writers act on it).
    pub source: vfx_core::TypeDesc,
    /// Thumbnail set with `set_thumbnail`, for formats that store one.
    pub thumbnail: Option<Level<'a>>,
}

/// What a format can do, answering OIIO's `supports(feature)` queries.
pub type Supports = fn(feature: &str) -> i32;

/// Write a whole file (all subimages and levels at once).
pub type WriteFn = fn(path: &std::path::Path, request: &WriteRequest<'_>) -> Result<(), IoError>;

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
