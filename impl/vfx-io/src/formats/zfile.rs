//! Pixar zfile depth maps, read and written as OpenImageIO 3.2.2 does.
//!
//! A zfile is a 136-byte header (magic 0x2f0867ab, 16-bit width and height,
//! then the world-to-screen and world-to-camera 4x4 float matrices) followed
//! by width x height float depths, top row first, all in the byte order of
//! the machine that wrote it (the magic tells which). The whole file may be
//! gzip-compressed; the reader accepts either form, and the writer gzips when
//! the "compression" attribute is anything but "none".
//!
//! The image is one float channel named "z" (the z channel); the matrices
//! become the `worldtoscreen` / `worldtocamera` matrix attributes.

use crate::{Format, IoError, Level, Reader};
use flate2::read::MultiGzDecoder;
use std::io::{Read, Write};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{BaseType, ImageSpec, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "zfile",
    extensions: &["zfile"],
    sniff,
    open: Some(open),
    write: Some(write),
    supports,
};

const MAGIC: u32 = 0x2f08_67ab;
const HEADER_BYTES: usize = 136;
/// Largest width/height (the header stores signed 16-bit sizes).
const MAX_RES: i32 = 32767;

/// Neither the zfile reader nor writer claims any optional feature.
pub fn supports(_feature: &str) -> i32 {
    0
}

fn is_gzip(head: &[u8]) -> bool {
    head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b
}

fn magic_order(b: &[u8]) -> Option<bool> {
    let m = u32::from_le_bytes(b.get(..4)?.try_into().ok()?);
    match m {
        MAGIC => Some(false),
        _ if m.swap_bytes() == MAGIC => Some(true),
        _ => None,
    }
}

/// The zfile magic in either byte order, plain or inside a gzip stream.
pub fn sniff(head: &[u8]) -> bool {
    if is_gzip(head) {
        let mut first = [0u8; 4];
        let mut dec = MultiGzDecoder::new(head);
        return dec.read_exact(&mut first).is_ok() && magic_order(&first).is_some();
    }
    magic_order(head).is_some()
}

/// Read up to `limit` bytes of the file's content, inflating it if gzipped.
fn load(path: &Path, limit: u64) -> Result<Vec<u8>, IoError> {
    let raw = std::fs::read(path).map_err(|_| IoError::Open(format!("Could not open \"{}\"", path.display())))?;
    if !is_gzip(&raw) {
        let mut raw = raw;
        raw.truncate(limit.min(usize::MAX as u64) as usize);
        return Ok(raw);
    }
    let mut out = Vec::new();
    // A damaged stream yields what decoded before the damage, as gzread does.
    let _ = MultiGzDecoder::new(&raw[..]).take(limit).read_to_end(&mut out);
    Ok(out)
}

struct Header {
    swap: bool,
    width: i32,
    height: i32,
    /// world-to-screen, then world-to-camera, in native order.
    matrices: [f32; 32],
}

fn parse_header(b: &[u8]) -> Result<Header, String> {
    if b.len() < HEADER_BYTES {
        return Err("Not a valid Zfile (truncated header)".into());
    }
    let swap = magic_order(b).ok_or("Not a valid Zfile")?;
    let i16_at = |o: usize| {
        let v = [b[o], b[o + 1]];
        i32::from(if swap {
            i16::from_be_bytes(v)
        } else {
            i16::from_le_bytes(v)
        })
    };
    let mut matrices = [0f32; 32];
    for (i, m) in matrices.iter_mut().enumerate() {
        let v: [u8; 4] = b[8 + 4 * i..12 + 4 * i].try_into().unwrap();
        *m = if swap {
            f32::from_be_bytes(v)
        } else {
            f32::from_le_bytes(v)
        };
    }
    Ok(Header {
        swap,
        width: i16_at(4),
        height: i16_at(6),
        matrices,
    })
}

fn matrix_attr(name: &str, m: &[f32]) -> ParamValue {
    let vals: Vec<Value> = m.iter().map(|v| Value::Float(f64::from(*v))).collect();
    ParamValue::from_values(name, TypeDesc::MATRIX44, 1, vfx_core::Interp::Constant, &vals).unwrap()
}

fn header_spec(h: &Header, file_size: u64) -> Result<ImageSpec, String> {
    let (w, hh) = (h.width, h.height);
    if w <= 0 || hh <= 0 {
        return Err(format!(
            "zfile image resolution must be at least 1x1, but the file specified {w}x{hh}x1, 1 chans. Possible corrupt input?"
        ));
    }
    let max_res = vfx_core::globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || hh > max_res) {
        return Err(format!(
            "zfile image dimension {w}x{hh} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let bytes = w as u64 * hh as u64 * 4;
    let max_mb = vfx_core::globals::get_int_attribute("limits:imagesize_MB", 0);
    if max_mb > 0 && bytes > max_mb as u64 * 1024 * 1024 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{hh}, 1-channel float. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f64 / (1024.0 * 1024.0)
        ));
    }
    if file_size > 0 && bytes >= 1 << 30 && bytes > file_size * 10000 {
        return Err(format!(
            "zfile header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    let mut spec = ImageSpec::new(w, hh, 1, TypeDesc::FLOAT);
    spec.channelnames = vec!["z".into()];
    spec.z_channel = 0;
    spec.attribute(matrix_attr("worldtoscreen", &h.matrices[..16]));
    spec.attribute(matrix_attr("worldtocamera", &h.matrices[16..]));
    Ok(spec)
}

/// Open a zfile: only the header is read here.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let head = load(path, HEADER_BYTES as u64)?;
    let h = parse_header(&head).map_err(IoError::Corrupt)?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let spec = header_spec(&h, size).map_err(IoError::Corrupt)?;
    Ok(Box::new(ZfileReader {
        path: path.to_path_buf(),
        spec,
        swap: h.swap,
    }))
}

struct ZfileReader {
    path: std::path::PathBuf,
    spec: ImageSpec,
    swap: bool,
}

impl Reader for ZfileReader {
    fn format_name(&self) -> &'static str {
        "zfile"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            return Err(IoError::Open(format!(
                "Invalid subimage {subimage} / MIP level {miplevel}"
            )));
        }
        let row = self.spec.width as usize * 4;
        let total = row * self.spec.height as usize;
        let data = load(&self.path, (HEADER_BYTES + total) as u64)?;
        let body = data.get(HEADER_BYTES..).unwrap_or(&[]);
        if body.len() < total {
            return Err(IoError::Corrupt(format!(
                "Error reading zfile scanline {} (corrupt or truncated)",
                body.len() / row
            )));
        }
        let mut px = PixelData::zeroed(total).map_err(|e| IoError::Corrupt(e.to_string()))?;
        let out = px.bytes_mut();
        for (d, s) in out.chunks_exact_mut(4).zip(body.chunks_exact(4)) {
            let v = [s[0], s[1], s[2], s[3]];
            let f = if self.swap {
                f32::from_be_bytes(v)
            } else {
                f32::from_le_bytes(v)
            };
            d.copy_from_slice(&f.to_ne_bytes());
        }
        Ok(px)
    }
}

/// OIIO's writer-side open checks with the zfile limits.
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h) = (spec.width, spec.height);
    if w > MAX_RES || h > MAX_RES {
        return Err(IoError::Unsupported(format!(
            "zfile image resolution may not exceed {MAX_RES}x{MAX_RES}, you asked for {w}x{h}"
        )));
    }
    if w <= 0 || h <= 0 {
        return Err(IoError::Unsupported(format!(
            "zfile image resolution must be at least 1x1, you asked for {w}x{h}"
        )));
    }
    if spec.depth > 1 {
        return Err(IoError::Unsupported(
            "zfile does not support volume images (depth > 1)".into(),
        ));
    }
    if spec.nchannels < 0 || spec.nchannels > 1 {
        return Err(IoError::Unsupported(format!(
            "zfile does not support {}-channel images",
            spec.nchannels
        )));
    }
    if spec.deep {
        return Err(IoError::Unsupported("zfile does not support 'deep' images".into()));
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return Err(IoError::Unsupported("zfile does not support tiled images".into()));
    }
    Ok(())
}

fn matrix_of(spec: &ImageSpec, name: &str) -> [f32; 16] {
    let mut m = [0f32; 16];
    match spec.find_attribute(name, TypeDesc::MATRIX44, true) {
        Some(p) => {
            for (i, v) in m.iter_mut().enumerate() {
                *v = p.get(i).as_f64() as f32;
            }
        }
        None => {
            for i in 0..4 {
                m[i * 5] = 1.0;
            }
        }
    }
    m
}

fn write(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level: &Level = req
        .subimages
        .first()
        .and_then(|l| l.first())
        .ok_or_else(|| IoError::Write("zfile: nothing to write".into()))?;
    write_level(path, level.spec, level.pixels)
}

/// Write one image: the header, then the first channel of every row as
/// float (the only channel, since more are refused).
pub fn write_level(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    check_output(spec)?;
    let (w, h) = (spec.width as usize, spec.height as usize);
    let mut out = Vec::with_capacity(HEADER_BYTES + w * h * 4);
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&(w as i16).to_le_bytes());
    out.extend_from_slice(&(h as i16).to_le_bytes());
    for name in ["worldtoscreen", "worldtocamera"] {
        for v in matrix_of(spec, name) {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let n = w * h * spec.nchannels.max(0) as usize;
    let csize = spec.format.size();
    if spec.nchannels == 1 && pixels.len() >= n * csize {
        let mut f = vec![0u8; n * 4];
        convert_bytes(&pixels[..n * csize], spec.format.basetype, &mut f, BaseType::Float);
        for v in f.chunks_exact(4) {
            let x = f32::from_ne_bytes([v[0], v[1], v[2], v[3]]);
            out.extend_from_slice(&x.to_le_bytes());
        }
    } else {
        out.resize(HEADER_BYTES + w * h * 4, 0);
    }
    let fail = |_| IoError::Write(format!("Could not open \"{}\"", path.display()));
    let compression = spec.get_string_attribute("compression", "none");
    if compression != "none" {
        let file = std::fs::File::create(path).map_err(fail)?;
        let mut enc = flate2::GzBuilder::new()
            .operating_system(3)
            .write(std::io::BufWriter::new(file), flate2::Compression::default());
        enc.write_all(&out)
            .and_then(|_| enc.finish())
            .and_then(|mut w| w.flush())
            .map_err(|e| IoError::Write(format!("Failed write zfile::open (err: {e})")))?;
    } else {
        std::fs::write(path, &out).map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("vfx-zfile-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    fn depth_image(w: i32, h: i32) -> (ImageSpec, Vec<u8>) {
        let spec = ImageSpec::new(w, h, 1, TypeDesc::FLOAT);
        let px: Vec<u8> = (0..w * h).flat_map(|i| (i as f32 * 0.5).to_ne_bytes()).collect();
        (spec, px)
    }

    fn read_back(p: &Path) -> (ImageSpec, Vec<f32>) {
        let mut r = open(p, None).unwrap();
        let s = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0).unwrap();
        let v = px
            .bytes()
            .chunks(4)
            .map(|c| f32::from_ne_bytes(c.try_into().unwrap()))
            .collect();
        (s, v)
    }

    #[test]
    fn round_trip_plain_and_gzip() {
        for comp in ["none", "zip"] {
            let (mut spec, px) = depth_image(7, 5);
            spec.attribute_str("compression", comp);
            let m: Vec<f32> = (1..=16).map(|v| v as f32).collect();
            spec.attribute(matrix_attr("worldtocamera", &m));
            let p = scratch(&format!("rt_{comp}.zfile"));
            write_level(&p, &spec, &px).unwrap();
            let bytes = std::fs::read(&p).unwrap();
            assert_eq!(is_gzip(&bytes), comp != "none");
            assert!(sniff(&bytes[..bytes.len().min(64)]));
            let (s, v) = read_back(&p);
            assert_eq!((s.width, s.height, s.nchannels), (7, 5, 1));
            assert_eq!(s.channelnames, ["z"]);
            assert_eq!(s.z_channel, 0);
            let cam = s.find_attribute("worldtocamera", TypeDesc::MATRIX44, true).unwrap();
            assert_eq!(cam.get(5).as_f64(), 6.0);
            let scr = s.find_attribute("worldtoscreen", TypeDesc::MATRIX44, true).unwrap();
            assert_eq!(scr.get(5).as_f64(), 1.0);
            assert_eq!(v[34], 17.0);
        }
    }

    #[test]
    fn big_endian_files() {
        let mut b = Vec::new();
        b.extend_from_slice(&MAGIC.to_be_bytes());
        b.extend_from_slice(&2i16.to_be_bytes());
        b.extend_from_slice(&1i16.to_be_bytes());
        for i in 0..32 {
            b.extend_from_slice(&(i as f32).to_be_bytes());
        }
        b.extend_from_slice(&1.5f32.to_be_bytes());
        b.extend_from_slice(&(-2f32).to_be_bytes());
        let p = scratch("be.zfile");
        std::fs::write(&p, &b).unwrap();
        let (s, v) = read_back(&p);
        assert_eq!(v, [1.5, -2.0]);
        let cam = s.find_attribute("worldtocamera", TypeDesc::MATRIX44, true).unwrap();
        assert_eq!(cam.get(0).as_f64(), 16.0);
    }

    #[test]
    fn bad_input() {
        let (spec, px) = depth_image(16, 8);
        let p = scratch("good.zfile");
        write_level(&p, &spec, &px).unwrap();
        let good = std::fs::read(&p).unwrap();
        let q = scratch("bad.zfile");
        std::fs::write(&q, &good[..100]).unwrap();
        assert_eq!(
            open(&q, None).err().unwrap().to_string(),
            "Not a valid Zfile (truncated header)"
        );
        std::fs::write(&q, &good[..400]).unwrap();
        let mut r = open(&q, None).unwrap();
        assert_eq!(
            r.read_image(0, 0).err().unwrap().to_string(),
            "Error reading zfile scanline 4 (corrupt or truncated)"
        );
        let mut b = good.clone();
        b[0] = 0;
        std::fs::write(&q, &b).unwrap();
        assert_eq!(open(&q, None).err().unwrap().to_string(), "Not a valid Zfile");
        let mut b = good.clone();
        b[4..6].copy_from_slice(&(-5i16).to_le_bytes());
        std::fs::write(&q, &b).unwrap();
        assert_eq!(
            open(&q, None).err().unwrap().to_string(),
            "zfile image resolution must be at least 1x1, but the file specified -5x8x1, 1 chans. Possible corrupt input?"
        );
        let mut b = good.clone();
        b[4..8].copy_from_slice(&[0x30, 0x75, 0x30, 0x75]);
        std::fs::write(&q, &b).unwrap();
        assert_eq!(
            open(&q, None).err().unwrap().to_string(),
            "zfile header claims a 3433 MB image from a 648 byte file; probably a corrupt or malicious header"
        );
        // Random bytes and a gzip bomb header never panic.
        std::fs::write(&q, [0x1f, 0x8b, 8, 0, 1, 2, 3]).unwrap();
        assert!(open(&q, None).is_err());
    }

    #[test]
    fn writer_rejections() {
        let spec = ImageSpec::new(4, 4, 3, TypeDesc::FLOAT);
        let p = scratch("rej.zfile");
        assert_eq!(
            write_level(&p, &spec, &[0; 192]).err().unwrap().to_string(),
            "zfile does not support 3-channel images"
        );
        let spec = ImageSpec::new(40000, 4, 1, TypeDesc::FLOAT);
        assert!(write_level(&p, &spec, &[]).is_err());
    }

    #[test]
    fn converts_other_types_to_float() {
        let spec = ImageSpec::new(2, 1, 1, TypeDesc::UINT8);
        let p = scratch("u8.zfile");
        write_level(&p, &spec, &[0, 255]).unwrap();
        assert_eq!(read_back(&p).1, [0.0, 1.0]);
    }

    /// Truncations and byte flips of a valid file: errors, never panics.
    #[test]
    fn fuzzed_input_never_panics() {
        let good = {
            let (spec, px) = depth_image(21, 13);
            let p = scratch("fuzzsrc.zfile");
            write_level(&p, &spec, &px).unwrap();
            std::fs::read(p).unwrap()
        };
        let p = scratch("fuzz.zfile");
        crate::formats::test_support::read_damaged_copies(&good, &p, open);
    }
}
