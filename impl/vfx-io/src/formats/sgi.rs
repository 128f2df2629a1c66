//! SGI image files (.sgi, .rgb, .rgba, .bw, .int, .inta): 1-4 channels of
//! uint8 or uint16 (big-endian), stored as planes of bottom-to-top
//! scanlines, either verbatim or with a per-row RLE and offset tables —
//! read and written as OpenImageIO 3.2.2 does.
//!
//! Reading keeps OIIO's rules: only the "normal" and "dithered" colour-map
//! kinds are accepted, the image name becomes `ImageDescription`, RLE files
//! say `compression` = "rle", and an RLE row must decode to exactly the
//! width and consume exactly its recorded length.
//!
//! Writing stores uint8 or uint16 (anything else becomes uint8), up to 256
//! channels, verbatim unless `compression` is "rle"; the RLE packets are
//! the ones OIIO's encoder produces, so files are byte-identical.

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "sgi",
    extensions: &["sgi", "rgb", "rgba", "bw", "int", "inta"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// Reader and writer answer "ioproxy"; the writer also "alpha" and
/// "nchannels" (the registry has one function for both; OIIO's reader
/// only answers "ioproxy", and these extra answers only matter to writers).
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "ioproxy" | "alpha" | "nchannels"))
}

const MAGIC: u16 = 0x01DA;
const HEADER_LEN: usize = 512;

/// True if the file starts with the SGI magic number (big-endian 0x01DA).
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 2 && u16::from_be_bytes([head[0], head[1]]) == MAGIC
}

// ---------------------------------------------------------------------------
// Shared checks (OIIO's ImageInput::check_open and check_compression_ratio)

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

/// OIIO's generic open-time checks for a 2D image within the given limits.
fn check_open(spec: &ImageSpec, max_w: i32, max_h: i32, max_ch: i32) -> Result<(), IoError> {
    let limits = crate::input::OpenLimits {
        width: max_w,
        height: max_h,
        depth: 1,
        nchannels: max_ch,
    };
    crate::input::check_open("sgi", spec, limits).map_err(corrupt)
}

/// Reject a small file whose header claims a gigantic image.
fn check_ratio(spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let declared = spec.image_bytes(true);
    if file_size > 0 && declared >= 1 << 30 && declared > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "sgi header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        )));
    }
    Ok(())
}

fn eof() -> IoError {
    corrupt("Read error: hit end of file in sgi reader")
}

fn alloc(len: u64) -> Result<PixelData, IoError> {
    let len = usize::try_from(len).map_err(|_| corrupt(format!("Cannot allocate {len} bytes")))?;
    PixelData::zeroed(len).map_err(|e| corrupt(e.to_string()))
}

// ---------------------------------------------------------------------------
// Reader

#[derive(Clone, Debug)]
struct Header {
    rle: bool,
    /// Bytes per channel value: 1 or 2.
    bpc: usize,
    width: usize,
    height: usize,
    nchannels: usize,
}

/// Parse the 512-byte header (shorter files fail as OIIO's reads do).
fn parse_header(path: &Path, b: &[u8]) -> Result<(Header, ImageSpec), IoError> {
    // OIIO reads the fields up to the colour map (108 bytes) one by one.
    if b.len() < 108 {
        return Err(eof());
    }
    let be16 = |o: usize| u16::from_be_bytes([b[o], b[o + 1]]);
    let be32 = |o: usize| i32::from_be_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    let magic = be16(0);
    let not_sgi = || {
        corrupt(format!(
            "\"{}\" is not a SGI file, magic number doesn't match",
            path.display()
        ))
    };
    if magic != MAGIC {
        return Err(not_sgi());
    }
    let storage = b[2] as i8;
    let bpc = b[3] as i8;
    let dimension = be16(4);
    if !(0..=1).contains(&storage) || !(1..=2).contains(&bpc) || !(1..=3).contains(&dimension) {
        return Err(corrupt("Corrupt SGI header"));
    }
    let (xsize, ysize, zsize) = (be16(6), be16(8), be16(10));
    let colormap = be32(104);
    let (height, nchannels) = match dimension {
        1 => (1, 1),
        2 => (i32::from(ysize), 1),
        _ => (i32::from(ysize), i32::from(zsize)),
    };
    if colormap == 2 || colormap == 3 {
        return Err(corrupt("COLORMAP and SCREEN color map types aren't supported"));
    }
    let fmt = if bpc == 1 { TypeDesc::UINT8 } else { TypeDesc::UINT16 };
    let mut spec = ImageSpec::new(i32::from(xsize), height, nchannels, fmt);
    check_open(&spec, 65535, 65535, 4)?;
    // The name is at most 79 characters (OIIO forces a terminator).
    let name = &b[24..24 + 79];
    let len = name.iter().position(|&c| c == 0).unwrap_or(79);
    if len > 0 {
        spec.attribute_str("ImageDescription", &String::from_utf8_lossy(&name[..len]));
    }
    if storage == 1 {
        spec.attribute_str("compression", "rle");
    }
    let header = Header {
        rle: storage == 1,
        bpc: bpc as usize,
        width: xsize as usize,
        height: height as usize,
        nchannels: nchannels as usize,
    };
    Ok((header, spec))
}

/// `FORMAT.open`.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let mut file = File::open(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let file_size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::with_capacity(HEADER_LEN);
    (&mut file)
        .take(HEADER_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|_| eof())?;
    let (header, spec) = parse_header(path, &head)?;
    check_ratio(&spec, file_size)?;
    let mut tables = Vec::new();
    if header.rle {
        // Offset then length tables, one big-endian u32 per row and channel.
        let n = header.height * header.nchannels;
        let bytes = (n * 8) as u64;
        if (HEADER_LEN as u64) + bytes > file_size {
            return Err(eof());
        }
        let mut raw = vec![0u8; n * 8];
        file.read_exact(&mut raw).map_err(|_| eof())?;
        tables = raw
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
    }
    Ok(Box::new(SgiReader {
        spec,
        header,
        tables,
        file,
        file_size,
    }))
}

struct SgiReader {
    spec: ImageSpec,
    header: Header,
    /// RLE only: `height * nchannels` offsets, then as many lengths.
    tables: Vec<u32>,
    file: File,
    file_size: u64,
}

/// Decode one RLE channel row into `out` (width values, native order) with
/// OIIO's strictness: a row must fill exactly the width and use exactly
/// its recorded length (a zero count may end it early). Any malformation
/// is an error.
fn unrle<T: Sample>(src: &[u8], out: &mut [T]) -> Result<(), IoError> {
    let bad = || corrupt("Corrupt RLE data");
    let b = T::SIZE;
    let (n, width) = (src.len(), out.len());
    let (mut i, mut o) = (0usize, 0usize);
    while i < n {
        if i + b > n {
            return Err(bad());
        }
        let v = T::from_be(&src[i..]).to_u32();
        i += b;
        let count = (v & 0x7f) as usize;
        if count == 0 {
            break;
        }
        if count > width - o {
            return Err(bad());
        }
        if v & 0x80 != 0 {
            if i + count * b > n {
                return Err(bad());
            }
            for (k, d) in out[o..o + count].iter_mut().enumerate() {
                *d = T::from_be(&src[i + k * b..]);
            }
            i += count * b;
        } else {
            // OIIO reads the value even past the end; its final length
            // check then fails, so that is corrupt here at once.
            if i + b > n {
                return Err(bad());
            }
            out[o..o + count].fill(T::from_be(&src[i..]));
            i += b;
        }
        o += count;
    }
    if i != n || o != width {
        return Err(bad());
    }
    Ok(())
}

/// Decode and interleave rows of `T` values (top row first) in parallel.
fn decode_rows<T: Sample>(h: &Header, tables: &[u32], data: &[u8], out: &mut [T]) -> Result<(), IoError> {
    let (w, rows, nch) = (h.width, h.height, h.nchannels);
    let plane_row = w * T::SIZE;
    out.par_chunks_mut(w * nch).enumerate().try_for_each_init(
        || vec![T::default(); w * nch],
        |planes, (y, dst)| -> Result<(), IoError> {
            let fy = rows - 1 - y;
            for c in 0..nch {
                let plane = &mut planes[c * w..(c + 1) * w];
                let idx = fy + c * rows;
                if h.rle {
                    let off = tables[idx] as usize;
                    let len = tables[idx + rows * nch] as usize;
                    unrle(&data[off..off + len], plane)?;
                } else {
                    let off = HEADER_LEN + idx * plane_row;
                    for (x, d) in plane.iter_mut().enumerate() {
                        *d = T::from_be(&data[off + x * T::SIZE..]);
                    }
                }
            }
            if nch == 1 {
                dst.copy_from_slice(planes);
            } else {
                for (c, plane) in planes.chunks_exact(w).enumerate() {
                    for (x, &v) in plane.iter().enumerate() {
                        dst[x * nch + c] = v;
                    }
                }
            }
            Ok(())
        },
    )
}

impl SgiReader {
    fn read_all(&mut self) -> Result<PixelData, IoError> {
        let h = self.header.clone();
        let (w, rows, nch, bpc) = (h.width, h.height, h.nchannels, h.bpc);
        let plane_row = w * bpc;
        if !h.rle {
            let needed = (HEADER_LEN + plane_row * rows * nch) as u64;
            if needed > self.file_size {
                return Err(eof());
            }
        }
        let mut data = Vec::new();
        std::io::Seek::rewind(&mut self.file)
            .and_then(|_| (&mut self.file).take(self.file_size).read_to_end(&mut data))
            .map_err(|_| eof())?;
        if !h.rle && data.len() < HEADER_LEN + plane_row * rows * nch {
            return Err(eof());
        }
        if h.rle {
            // Validate every row's table entry (in OIIO's read order) before
            // allocating: each must lie in the file and be long enough to
            // hold a row (a packet gives at most 127 values).
            let min_len = 2 * bpc * w.div_ceil(127);
            for y in 0..rows {
                for c in 0..nch {
                    let idx = (rows - 1 - y) + c * rows;
                    let (off, len) = (self.tables[idx] as usize, self.tables[idx + rows * nch] as usize);
                    if off > data.len() || len > data.len() - off {
                        return Err(corrupt("Corrupt RLE offset/length table"));
                    }
                    if len < min_len {
                        return Err(corrupt("Corrupt RLE data"));
                    }
                }
            }
        }
        let mut pixels = alloc(self.spec.image_bytes(true))?;
        if bpc == 1 {
            decode_rows::<u8>(&h, &self.tables, &data, pixels.bytes_mut())?;
        } else {
            decode_rows::<u16>(&h, &self.tables, &data, bytemuck::cast_slice_mut(pixels.bytes_mut()))?;
        }
        Ok(pixels)
    }
}

impl Reader for SgiReader {
    fn format_name(&self) -> &'static str {
        "sgi"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            return Err(IoError::Open(String::new()));
        }
        self.read_all()
    }
}

// ---------------------------------------------------------------------------
// Writer

/// OIIO's output checks for SGI (at most 65535x65535 and 256 channels).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let bad = |m: String| Err(IoError::Unsupported(m));
    if w > 65535 || h > 65535 {
        return bad(format!(
            "sgi image resolution may not exceed 65535x65535, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "sgi image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("sgi does not support volume images (depth > 1)".into());
    }
    if !(1..=256).contains(&n) {
        return bad(format!("sgi does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("sgi does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("sgi does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("sgi does not support tiled images".into());
    }
    Ok(())
}

/// The registry's writer: SGI holds one image, the first subimage's top level.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("sgi: nothing to write".into()))?;
    write(path, level.spec, level.pixels)
}

/// The 512-byte header OIIO writes.
fn header_bytes(spec: &ImageSpec, rle: bool, bpc: usize) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(&MAGIC.to_be_bytes());
    h.push(u8::from(rle));
    h.push(bpc as u8);
    let dimension: u16 = if spec.nchannels == 1 {
        if spec.height == 1 {
            1
        } else {
            2
        }
    } else {
        3
    };
    h.extend_from_slice(&dimension.to_be_bytes());
    h.extend_from_slice(&(spec.width as u16).to_be_bytes());
    h.extend_from_slice(&(spec.height as u16).to_be_bytes());
    h.extend_from_slice(&(spec.nchannels as u16).to_be_bytes());
    h.extend_from_slice(&0i32.to_be_bytes());
    h.extend_from_slice(&(if bpc == 1 { 255i32 } else { 65535 }).to_be_bytes());
    h.extend_from_slice(&0i32.to_be_bytes());
    let mut name = [0u8; 80];
    let desc = spec.get_string_attribute("ImageDescription", "");
    let n = desc.len().min(79);
    name[..n].copy_from_slice(&desc.as_bytes()[..n]);
    h.extend_from_slice(&name);
    h.extend_from_slice(&0i32.to_be_bytes());
    h.resize(HEADER_LEN, 0);
    h
}

/// [`rle_values`] on big-endian bytes of `bpc`-byte values.
#[cfg(test)]
fn rle_row(vals: &[u8], bpc: usize, out: &mut Vec<u8>) {
    if bpc == 1 {
        rle_values(vals, out);
    } else {
        let v: Vec<u16> = vals.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        rle_values(&v, out);
    }
}

/// A channel value the RLE encoder handles: u8 or u16 (stored big-endian).
trait Sample: Copy + PartialEq + Default + Send + Sync + bytemuck::Pod {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    fn count(c: usize) -> Self;
    /// The value stored big-endian at the start of `b`.
    fn from_be(b: &[u8]) -> Self;
    /// The value stored natively at the start of `b`.
    fn from_ne(b: &[u8]) -> Self;
    fn to_u32(self) -> u32;
    /// Append values big-endian.
    fn put_slice(v: &[Self], out: &mut Vec<u8>);
}

impl Sample for u8 {
    const SIZE: usize = 1;
    fn from_be(b: &[u8]) -> u8 {
        b[0]
    }
    fn from_ne(b: &[u8]) -> u8 {
        b[0]
    }
    fn to_u32(self) -> u32 {
        u32::from(self)
    }
    fn put(self, out: &mut Vec<u8>) {
        out.push(self);
    }
    fn count(c: usize) -> u8 {
        c as u8
    }
    fn put_slice(v: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(v);
    }
}

impl Sample for u16 {
    const SIZE: usize = 2;
    fn from_be(b: &[u8]) -> u16 {
        u16::from_be_bytes([b[0], b[1]])
    }
    fn from_ne(b: &[u8]) -> u16 {
        u16::from_ne_bytes([b[0], b[1]])
    }
    fn to_u32(self) -> u32 {
        u32::from(self)
    }
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }
    fn count(c: usize) -> u16 {
        c as u16
    }
    fn put_slice(v: &[u16], out: &mut Vec<u8>) {
        let at = out.len();
        out.resize(at + 2 * v.len(), 0);
        for (d, x) in out[at..].chunks_exact_mut(2).zip(v) {
            d.copy_from_slice(&x.to_be_bytes());
        }
    }
}

/// RLE-encode one channel row with OIIO's packet choices: literal runs
/// until three equal values, then a repeat packet; at most 127 values per
/// packet; a zero terminator.
fn rle_values<T: Sample>(v: &[T], out: &mut Vec<u8>) {
    let n = v.len();
    let mut pos = 0;
    while pos < n {
        let mut start = pos;
        // The next run of at least three equal values, if any.
        pos = v[pos..]
            .windows(3)
            .position(|t| t[0] == t[1] && t[1] == t[2])
            .map_or(n, |i| pos + i);
        let mut count = pos - start;
        while count > 0 {
            let todo = count.min(127);
            count -= todo;
            T::count(0x80 | todo).put(out);
            T::put_slice(&v[start..start + todo], out);
            start += todo;
        }
        start = pos;
        if start >= n {
            break;
        }
        let first = v[start];
        pos = v[start + 1..]
            .iter()
            .position(|&x| x != first)
            .map_or(n, |i| start + 1 + i);
        let mut count = pos - start;
        while count > 0 {
            let run = count.min(127);
            count -= run;
            T::count(run).put(out);
            first.put(out);
        }
    }
    T::count(0).put(out);
}

/// One row's channel planes (big-endian), RLE-encoded when asked.
fn encode_planes<T: Sample>(native: &[u8], w: usize, nch: usize, rle: bool) -> Vec<Vec<u8>> {
    let mut plane = vec![T::default(); w];
    (0..nch)
        .map(|c| {
            for (x, d) in plane.iter_mut().enumerate() {
                *d = T::from_ne(&native[(x * nch + c) * T::SIZE..]);
            }
            let mut enc = Vec::with_capacity(if rle { w * T::SIZE / 2 + 8 } else { w * T::SIZE });
            if rle {
                rle_values(&plane, &mut enc);
            } else {
                T::put_slice(&plane, &mut enc);
            }
            enc
        })
        .collect()
}

/// Write `pixels` (in `spec.format`, top row first) as an SGI file.
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    check_output(spec)?;
    let out_fmt = if spec.format == TypeDesc::UINT16 {
        TypeDesc::UINT16
    } else {
        TypeDesc::UINT8
    };
    let bpc = out_fmt.size();
    let rle = spec.get_string_attribute("compression", "") == "rle";
    let (w, h, nch) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let in_px = nch * spec.format.size();
    let in_row = w * in_px;
    if pixels.len() < in_row * h {
        return Err(IoError::Write(format!(
            "sgi: {} bytes of pixels given, {} needed",
            pixels.len(),
            in_row * h
        )));
    }
    // Each file row (bottom first) as channel planes of big-endian values,
    // RLE-encoded per channel when asked; rows are independent.
    let encode_row = |fy: usize| -> Vec<Vec<u8>> {
        let y = h - 1 - fy;
        let src = &pixels[y * in_row..(y + 1) * in_row];
        let converted;
        let native: &[u8] = if spec.format == out_fmt {
            src
        } else {
            let mut c = vec![0u8; w * nch * bpc];
            convert_bytes(src, spec.format.basetype, &mut c, out_fmt.basetype);
            converted = c;
            &converted
        };
        if bpc == 1 {
            encode_planes::<u8>(native, w, nch, rle)
        } else {
            encode_planes::<u16>(native, w, nch, rle)
        }
    };
    let rows: Vec<Vec<Vec<u8>>> = (0..h).into_par_iter().map(encode_row).collect();
    let file = File::create(path).map_err(|_| IoError::Write(format!("Could not open file \"{}\"", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("Error writing to \"{}\": {e}", path.display()));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(&header_bytes(spec, rle, bpc)).map_err(werr)?;
    if rle {
        let n = h * nch;
        let mut offsets = vec![0u32; n];
        let mut lengths = vec![0u32; n];
        let mut pos = (HEADER_LEN + 8 * n) as u64;
        for (fy, planes) in rows.iter().enumerate() {
            for (c, p) in planes.iter().enumerate() {
                offsets[c * h + fy] = pos as u32;
                lengths[c * h + fy] = p.len() as u32;
                pos += p.len() as u64;
            }
        }
        for v in offsets.iter().chain(&lengths) {
            out.write_all(&v.to_be_bytes()).map_err(werr)?;
        }
        for planes in &rows {
            for p in planes {
                out.write_all(p).map_err(werr)?;
            }
        }
    } else {
        for c in 0..nch {
            for planes in &rows {
                out.write_all(&planes[c]).map_err(werr)?;
            }
        }
    }
    out.flush().map_err(werr)
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch(ext: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_sgi_{}_{n}.{ext}", std::process::id()))
    }

    fn read_bytes(bytes: &[u8]) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch("sgi");
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (spec, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[u8]) -> Vec<u8> {
        let p = scratch("sgi");
        write(&p, spec, pixels).unwrap();
        let b = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        b
    }

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| ((i * 7) % 13 + (i / 50) % 3) as u8).collect()
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "sgi");
        assert!(sniff(&[0x01, 0xda, 0, 1]));
        assert!(!sniff(&[0xda, 0x01]));
        assert!(!sniff(&[0x01]));
        assert_eq!(supports("ioproxy"), 1);
        assert_eq!(supports("tiles"), 0);
    }

    #[test]
    fn round_trips_every_layout() {
        for &(nch, fmt, rle) in &[
            (1, TypeDesc::UINT8, false),
            (1, TypeDesc::UINT8, true),
            (2, TypeDesc::UINT8, true),
            (3, TypeDesc::UINT16, false),
            (3, TypeDesc::UINT16, true),
            (4, TypeDesc::UINT8, false),
            (4, TypeDesc::UINT8, true),
            (4, TypeDesc::UINT16, true),
        ] {
            let (w, h) = (300, 7);
            let mut spec = ImageSpec::new(w, h, nch, fmt);
            if rle {
                spec.attribute_str("compression", "rle");
            }
            spec.attribute_str("ImageDescription", "test image");
            let px = pattern((w * h * nch) as usize * fmt.size());
            let file = write_bytes(&spec, &px);
            let (rspec, back) = read_bytes(&file).unwrap();
            assert_eq!(back, px, "{nch} {fmt:?} {rle}");
            assert_eq!(rspec.nchannels, nch);
            assert_eq!(rspec.format, fmt);
            assert_eq!(rspec.get_string_attribute("ImageDescription", ""), "test image");
            assert_eq!(
                rspec.get_string_attribute("compression", "none"),
                if rle { "rle" } else { "none" }
            );
        }
    }

    #[test]
    fn float_is_written_as_uint8() {
        let spec = ImageSpec::new(2, 1, 1, TypeDesc::FLOAT);
        let px: Vec<u8> = [0.0f32, 1.0].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let file = write_bytes(&spec, &px);
        assert_eq!(file[3], 1);
        assert_eq!(u16::from_be_bytes([file[4], file[5]]), 1, "one scanline, one channel");
        let (rspec, back) = read_bytes(&file).unwrap();
        assert_eq!(rspec.format, TypeDesc::UINT8);
        assert_eq!(back, [0, 255]);
    }

    #[test]
    fn rle_packets_match_oiio() {
        let mut out = Vec::new();
        rle_row(&[1, 2, 3, 3, 3, 3, 4], 1, &mut out);
        assert_eq!(out, [0x82, 1, 2, 4, 3, 0x81, 4, 0]);
        out.clear();
        rle_row(&[5; 300], 1, &mut out);
        assert_eq!(out, [127, 5, 127, 5, 46, 5, 0]);
        out.clear();
        rle_row(&[0, 1, 0, 1], 2, &mut out);
        assert_eq!(out, [0, 0x82, 0, 1, 0, 1, 0, 0]);
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let spec = ImageSpec::new(20, 10, 3, TypeDesc::UINT8);
        let mut rs = spec.clone();
        rs.attribute_str("compression", "rle");
        let px = pattern(600);
        let raw = write_bytes(&spec, &px);
        let rle = write_bytes(&rs, &px);
        // Truncations everywhere: errors, never panics.
        for file in [&raw, &rle] {
            for cut in [0, 1, 2, 50, 107, 108, 511, 512, 600, file.len() - 1] {
                assert!(read_bytes(&file[..cut]).is_err(), "cut {cut}");
            }
        }
        // Bad fields.
        let mut b = raw.clone();
        b[0] = 0;
        assert!(read_bytes(&b).unwrap_err().to_string().contains("magic number"));
        let mut b = raw.clone();
        b[3] = 3;
        assert_eq!(read_bytes(&b).unwrap_err().to_string(), "Corrupt SGI header");
        let mut b = raw.clone();
        b[107] = 3;
        assert!(read_bytes(&b).unwrap_err().to_string().contains("COLORMAP"));
        let mut b = raw.clone();
        b[11] = 9;
        assert!(read_bytes(&b).unwrap_err().to_string().contains("9-channel"));
        // Absurd size: refused before any big allocation.
        let mut b = raw[..512].to_vec();
        b[6..12].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0, 4]);
        assert!(read_bytes(&b).is_err());
        // RLE table pointing outside the file, and garbage packets.
        let mut b = rle.clone();
        b[512..516].copy_from_slice(&0xffff_0000u32.to_be_bytes());
        assert_eq!(
            read_bytes(&b).unwrap_err().to_string(),
            "Corrupt RLE offset/length table"
        );
        let mut b = rle.clone();
        let first = u32::from_be_bytes([b[512], b[513], b[514], b[515]]) as usize;
        b[first] = 0x7f;
        assert_eq!(read_bytes(&b).unwrap_err().to_string(), "Corrupt RLE data");
    }
}
