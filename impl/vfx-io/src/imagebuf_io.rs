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
    let spec = reader
        .spec(subimage, miplevel)
        .ok_or_else(|| IoError::Open(format!("Could not seek to subimage={subimage} miplevel={miplevel}")))?;
    let nsub = (0..).take_while(|s| reader.spec(*s, 0).is_some()).count();
    let nmip = (0..).take_while(|m| reader.spec(subimage, *m).is_some()).count();
    let mut buf = if spec.deep {
        let deep = reader
            .read_deep(subimage, miplevel)?
            .ok_or_else(|| IoError::Unsupported(format!("{} does not support deep data", reader.format_name())))?;
        ImageBuf::from_deep(spec.clone(), deep).map_err(|e| IoError::Corrupt(e.to_string()))?
    } else {
        let pixels = reader.read_image(subimage, miplevel)?;
        ImageBuf::from_parts(spec.clone(), pixels).map_err(|e| IoError::Corrupt(e.to_string()))?
    };
    if !convert.is_unknown() && convert != spec.format && !spec.deep {
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

/// `buf` encoded as a file of format `fileformat` (e.g. "png"), in memory:
/// written through a private temporary file, which is removed afterwards.
pub fn encode(buf: &ImageBuf, fileformat: &str, ext: &str) -> Result<Vec<u8>, IoError> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("vfx-rs-encode-{}-{n}.{ext}", std::process::id()));
    let result = write(buf, &path, TypeDesc::UNKNOWN, fileformat)
        .and_then(|_| std::fs::read(&path).map_err(|e| IoError::Open(e.to_string())));
    let _ = std::fs::remove_file(&path);
    result
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
    let mut spec = buf.spec().clone();
    let pixels = if spec.deep {
        Vec::new()
    } else {
        spec.set_format(fmt);
        native_pixels(buf, fmt)?
    };
    // OIIO's ImageBuf hands the writer its pixels in the buffer's own type.
    let request = crate::WriteRequest {
        subimages: vec![vec![crate::Level {
            spec: &spec,
            pixels: &pixels,
        }]],
        deep: vec![buf.deepdata()],
        source: buf.spec().format,
        thumbnail: None,
    };
    write(path, &request)
}

/// The buffer's pixels as `fmt`, converted value by value as OIIO's
/// ImageOutput does when it takes a whole buffer (its rounding differs from
/// the grouped conversion of `get_pixels` on exact halves).
fn native_pixels(buf: &ImageBuf, fmt: TypeDesc) -> Result<Vec<u8>, IoError> {
    use rayon::prelude::*;
    let src = buf
        .pixels()
        .ok_or_else(|| IoError::Write("ImageBuf has no pixels".into()))?;
    let st = buf.spec().format;
    if st == fmt {
        return Ok(src.to_vec());
    }
    let n = src.len() / st.size().max(1);
    let mut out = vec![0u8; n * fmt.size()];
    const CHUNK: usize = 1 << 14;
    out.par_chunks_mut(CHUNK * fmt.size())
        .zip(src.par_chunks(CHUNK * st.size()))
        .for_each(|(d, s)| {
            vfx_core::convert::convert_bytes_with(s, st.basetype, d, fmt.basetype, false);
        });
    Ok(out)
}
