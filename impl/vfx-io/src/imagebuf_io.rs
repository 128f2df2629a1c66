//! Reading files into, and writing them from, an in-memory `ImageBuf`.

use crate::{registry, IoError};
use std::path::Path;
use vfx_core::imagebuf::FileInfo;
use vfx_core::{ImageBuf, TypeDesc};

/// Read subimage/miplevel of `path` into a new buffer, converting to
/// `convert` unless it is UNKNOWN. The buffer remembers the file's format and
/// subimage count, as OIIO's does.
pub fn read(path: &Path, subimage: usize, miplevel: usize, convert: TypeDesc) -> Result<ImageBuf, IoError> {
    let mut reader = registry::open(path, None)?;
    let spec = reader.spec(subimage, miplevel).ok_or_else(|| {
        IoError::Open(format!(
            "Invalid subimage {subimage} / MIP level {miplevel} of \"{}\"",
            path.display()
        ))
    })?;
    let nsub = (0..).take_while(|s| reader.spec(*s, 0).is_some()).count();
    let nmip = (0..).take_while(|m| reader.spec(subimage, *m).is_some()).count();
    let pixels = reader.read_image(subimage, miplevel)?;
    let mut buf = ImageBuf::from_parts(spec.clone(), pixels).map_err(|e| IoError::Corrupt(e.to_string()))?;
    if !convert.is_unknown() && convert != spec.format {
        buf = buf.copy_as(convert).map_err(|e| IoError::Corrupt(e.to_string()))?;
        *buf.nativespec_mut() = spec;
    }
    buf.set_name(&path.to_string_lossy());
    buf.file = FileInfo {
        format_name: reader.format_name().to_string(),
        subimage: subimage as i32,
        miplevel: miplevel as i32,
        nsubimages: nsub as i32,
        nmiplevels: nmip as i32,
    };
    Ok(buf)
}

/// Write `buf` to `path` as `dtype` (UNKNOWN: the buffer's write format, else
/// its pixel type) in the format named `fileformat` (empty: by extension).
pub fn write(buf: &ImageBuf, path: &Path, dtype: TypeDesc, fileformat: &str) -> Result<(), IoError> {
    let format = registry::for_output(path, fileformat).ok_or_else(|| {
        IoError::Unsupported(format!(
            "Could not find a format writer for \"{}\". Is it a file format that OpenImageIO doesn't know about?",
            path.display()
        ))
    })?;
    let write = format
        .write
        .ok_or_else(|| IoError::Unsupported(format!("{} does not support writing", format.name)))?;
    let fmt = if !dtype.is_unknown() {
        dtype
    } else if let Some(f) = buf.write_formats().first() {
        *f
    } else {
        buf.spec().format
    };
    let pixels = buf
        .get_pixels(&buf.roi(), fmt)
        .map_err(|e| IoError::Write(e.to_string()))?;
    let mut spec = buf.spec().clone();
    spec.set_format(fmt);
    // OIIO's ImageBuf hands the writer its pixels in the buffer's own type.
    let request = crate::WriteRequest {
        subimages: vec![vec![crate::Level {
            spec: &spec,
            pixels: &pixels,
        }]],
        deep: vec![None],
        source: buf.spec().format,
        thumbnail: None,
    };
    write(path, &request)
}
