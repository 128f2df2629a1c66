//! The table of compiled-in formats: lookup by name, by file extension and by
//! file content, and the `format_list` family of global queries.

use crate::{Format, IoError, Reader};
use std::io::Read;
use std::path::Path;
use vfx_core::{globals, ImageSpec};

/// OIIO 3.2.2's plugin order, which its format lists report.
const OIIO_ORDER: &[&str] = &[
    "openexr",
    "tiff",
    "jpeg",
    "bmp",
    "cineon",
    "dds",
    "dpx",
    "fits",
    "gif",
    "hdr",
    "ico",
    "iff",
    "jpeg2000",
    "jpegxl",
    "null",
    "png",
    "pnm",
    "psd",
    "rla",
    "sgi",
    "softimage",
    "targa",
    "term",
    "webp",
    "zfile",
];

/// Every format this build has, in OIIO's order.
pub fn formats() -> Vec<&'static Format> {
    let mut all = crate::formats::all();
    all.sort_by_key(|f| OIIO_ORDER.iter().position(|n| *n == f.name).unwrap_or(usize::MAX));
    all
}

/// A format by its OIIO name (case-insensitive).
pub fn by_name(name: &str) -> Option<&'static Format> {
    formats().into_iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// A format by file extension (with or without the dot, any case).
pub fn by_extension(ext: &str) -> Option<&'static Format> {
    let ext = ext.trim_start_matches('.').to_ascii_lowercase();
    formats().into_iter().find(|f| f.extensions.contains(&ext.as_str()))
}

/// The format for writing `path`: an explicit format name wins, else the
/// extension decides.
pub fn for_output(path: &Path, format_name: &str) -> Option<&'static Format> {
    if !format_name.is_empty() {
        return by_name(format_name).or_else(|| by_extension(format_name));
    }
    by_extension(path.extension()?.to_str()?)
}

/// Open `path` for reading: the format named by the extension if its sniffer
/// accepts the content, otherwise any format whose sniffer does (OIIO also
/// detects formats from content).
pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let mut head = [0u8; 64];
    let n = match std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) {
        Ok(n) => n,
        Err(e) => return open_procedural(path, config).unwrap_or_else(|| Err(IoError::Open(open_error(path, &e)))),
    };
    let head = &head[..n];
    // As OIIO: the format the extension names is tried first, and its error
    // kept; then any other format that recognises the content.
    let by_ext = path.extension().and_then(|e| e.to_str()).and_then(by_extension);
    let mut first_error = None;
    if let Some(open) = by_ext.and_then(|f| f.open) {
        match open(path, config) {
            Ok(r) => return Ok(r),
            Err(e) if !e.to_string().is_empty() => first_error = Some(e),
            Err(_) => {}
        }
    }
    for f in formats().into_iter().filter(|f| Some(f.name) != by_ext.map(|b| b.name)) {
        if let (Some(open), true) = (f.open, (f.sniff)(head)) {
            if let Ok(r) = open(path, config) {
                return Ok(r);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| {
        IoError::Open(format!(
            "OpenImageIO could not find a format reader for \"{}\". Is it a file format that OpenImageIO doesn't know about?",
            path.display()
        ))
    }))
}

/// A name that is no file may still be a procedural image, as OIIO allows
/// ("foo.null?RES=64x64"): the extension before any '?' options names the
/// format, which must say it supports "procedural". `None` when that does
/// not apply or the format declined silently.
fn open_procedural(path: &Path, config: Option<&ImageSpec>) -> Option<Result<Box<dyn Reader>, IoError>> {
    let name = path.to_str()?;
    let base = Path::new(name.split('?').next()?);
    let format = by_extension(base.extension()?.to_str()?)?;
    if (format.supports)("procedural") == 0 {
        return None;
    }
    match (format.open?)(path, config) {
        Err(e) if e.to_string().is_empty() => None,
        r => Some(r),
    }
}

/// OIIO's wording for a file that cannot be opened.
pub fn open_error(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("Could not open file \"{}\"", path.display()),
        _ => format!("Could not open file \"{}\": {e}", path.display()),
    }
}

fn format_list() -> String {
    formats().iter().map(|f| f.name).collect::<Vec<_>>().join(",")
}
fn input_format_list() -> String {
    formats()
        .iter()
        .filter(|f| f.open.is_some())
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(",")
}
fn output_format_list() -> String {
    formats()
        .iter()
        .filter(|f| f.write.is_some())
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(",")
}
fn extension_list() -> String {
    formats()
        .iter()
        .map(|f| format!("{}:{}", f.name, f.extensions.join(",")))
        .collect::<Vec<_>>()
        .join(";")
}

/// Answer OIIO's format-list queries from this registry (idempotent).
pub fn install() {
    globals::register_query("format_list", format_list);
    globals::register_query("input_format_list", input_format_list);
    globals::register_query("output_format_list", output_format_list);
    globals::register_query("extension_list", extension_list);
}
