//! Windows / OS/2 bitmaps (.bmp, .dib): 1/4/8-bit palettes, 16-bit with
//! bit masks, 24-bit BGR and 32-bit BGRA, RLE4/RLE8, bottom-up or
//! top-down rows, OS/2 v1 and Windows v3/v4/v5 headers — read and written
//! as OpenImageIO 3.2.2 does.
//!
//! Reading keeps OIIO's choices: everything becomes uint8 RGB (RGBA for
//! 32-bit, whose fourth byte is taken as alpha whatever the masks say);
//! an 8-bit file whose palette is all grey reads as one channel; 16-bit
//! pixels are expanded from their masks (5-5-5 when none are given) and
//! report the red mask's width in `oiio:BitsPerSample`; RLE data is read
//! from just after the palette and decoded when the file is opened; the
//! palette is read right after the header fields OIIO knows.
//!
//! Writing: uint8 only, Windows v3 header, bottom-up rows padded to four
//! bytes; one channel becomes 8-bit with a grey palette, three 24-bit and
//! four 32-bit; a resolution is stored when `ResolutionUnit` is "m".

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{ImageSpec, Interp, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "bmp",
    extensions: &["bmp", "dib"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// Both sides answer "ioproxy"; the writer also "alpha".
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "ioproxy" | "alpha"))
}

/// The magic numbers OIIO accepts: BM, BA, CI, CP, PT.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 14 && is_bmp_magic(&head[..2])
}

fn is_bmp_magic(m: &[u8]) -> bool {
    matches!(m, b"BM" | b"BA" | b"CI" | b"CP" | b"PT")
}

const OS2_V1: i32 = 12;
const WIN_V3: i32 = 40;
const UNDOC52: i32 = 52;
const UNDOC56: i32 = 56;
const WIN_V4: i32 = 108;
const WIN_V5: i32 = 124;

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

/// OIIO's generic open-time checks, with BMP's size limit.
fn check_open(spec: &ImageSpec) -> Result<(), IoError> {
    let limits = crate::input::OpenLimits {
        width: 65536,
        height: 65536,
        depth: 1,
        nchannels: i32::MAX,
    };
    crate::input::check_open("bmp", spec, limits).map_err(corrupt)
}

/// OIIO's `bit_range_convert`: widen/narrow a value of `from` bits to `to`
/// bits by bit replication.
fn bit_range_convert(v: u32, from: u32, to: u32) -> u32 {
    if from == 0 {
        return 0;
    }
    let mut out = 0u32;
    let mut shift = to as i32 - from as i32;
    while shift > 0 {
        out |= v.checked_shl(shift as u32).unwrap_or(0);
        shift -= from as i32;
    }
    out | v.checked_shr((-shift) as u32).unwrap_or(0)
}

/// Bit count and right shift of a mask (OIIO's `calc_shifts`).
fn mask_shift(mask: u32) -> (u32, u32) {
    if mask == 0 {
        return (0, 0);
    }
    let right = mask.trailing_zeros();
    let count = (mask >> right).trailing_ones();
    (count, right)
}

// ---------------------------------------------------------------------------
// Reader

/// Sequential reads over the file's leading bytes, failing as OIIO's
/// reads do at the end of the file (a short read still moves to the end).
struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.data.len() - self.pos < n {
            self.pos = self.data.len();
            return None;
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Some(s)
    }
    fn i32(&mut self) -> Option<i32> {
        self.take(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i16(&mut self) -> Option<i16> {
        self.take(2).map(|b| i16::from_le_bytes([b[0], b[1]]))
    }
}

#[derive(Clone, Debug, Default)]
struct Dib {
    size: i32,
    width: i32,
    height: i32,
    bpp: i16,
    compression: i32,
    hres: i32,
    vres: i32,
    cpalette: i32,
    masks: [u32; 3],
}

/// The DIB header fields OIIO reads for each header size (other sizes are
/// read as just their size field).
fn read_dib(c: &mut Cursor) -> Option<Dib> {
    let mut d = Dib {
        size: c.i32()?,
        ..Dib::default()
    };
    if matches!(d.size, WIN_V3 | WIN_V4 | WIN_V5 | UNDOC52 | UNDOC56) {
        d.width = c.i32()?;
        d.height = c.i32()?;
        let _planes = c.i16()?;
        d.bpp = c.i16()?;
        d.compression = c.i32()?;
        let _isize = c.i32()?;
        d.hres = c.i32()?;
        d.vres = c.i32()?;
        d.cpalette = c.i32()?;
        let _important = c.i32()?;
        if d.size != WIN_V3 || (d.bpp == 16 && d.compression == 3) {
            d.masks = [c.i32()? as u32, c.i32()? as u32, c.i32()? as u32];
            if d.size != UNDOC52 {
                let _alpha = c.i32()?;
            }
        }
        if d.size == WIN_V4 || d.size == WIN_V5 {
            c.take(13 * 4)?;
        }
        if d.size == WIN_V5 {
            c.take(4 * 4)?;
        }
    } else if d.size == OS2_V1 {
        d.width = i32::from(c.i16()? as u16);
        d.height = i32::from(c.i16()? as u16);
        let _planes = c.i16()?;
        d.bpp = c.i16()?;
    }
    Some(d)
}

/// How the pixel rows are decoded.
#[derive(Clone, Debug)]
struct Layout {
    bpp: i16,
    /// Stored rows start here (uncompressed data).
    offset: u64,
    /// Bytes per stored row, padded to four.
    padded: usize,
    /// Rows are stored top row first (negative height).
    top_down: bool,
    /// Palette as (r, g, b); empty for direct colour.
    palette: Vec<[u8; 3]>,
    /// 8-bit all-grey palette read as one channel.
    gray: bool,
    /// (mask, bit count, right shift) for R, G, B of 16-bit pixels.
    masks: [(u32, u32, u32); 3],
    /// RLE: palette indices, bottom row first, decoded at open.
    rle: Option<Vec<u8>>,
}

struct BmpReader {
    spec: ImageSpec,
    layout: Layout,
    file: File,
    file_size: u64,
}

fn alloc(len: u64) -> Result<PixelData, IoError> {
    let len = usize::try_from(len).map_err(|_| corrupt(format!("Cannot allocate {len} bytes")))?;
    PixelData::zeroed(len).map_err(|e| corrupt(e.to_string()))
}

/// `FORMAT.open`; `bmp:monochrome_detect` = 0 in the configuration keeps
/// grey-palette images as RGB.
pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let monodetect = config.is_none_or(|c| c.get_int_attribute("bmp:monochrome_detect", 1) != 0);
    let mut file = File::open(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let file_size = file.metadata().map(|m| m.len()).unwrap_or(0);
    // Headers and palette take at most 14 + 124 + 1024 bytes.
    let mut head = Vec::new();
    (&mut file)
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| corrupt(e.to_string()))?;
    let name = path.display().to_string();
    let mut c = Cursor { data: &head, pos: 0 };
    let fh = c
        .take(14)
        .ok_or_else(|| corrupt(format!("\"{name}\": wrong bmp header size")))?;
    if !is_bmp_magic(&fh[..2]) {
        return Err(corrupt(format!(
            "\"{name}\" is not a BMP file, magic number doesn't match"
        )));
    }
    let data_offset = u32::from_le_bytes([fh[10], fh[11], fh[12], fh[13]]) as i32;
    let mut dib = read_dib(&mut c).ok_or_else(|| corrupt(format!("\"{name}\": wrong bitmap header size")))?;
    let nchannels = if dib.bpp == 32 { 4 } else { 3 };
    let height = i64::from(dib.height).abs();
    let mut spec = ImageSpec::new(
        dib.width,
        height.min(i64::from(i32::MAX)) as i32,
        nchannels,
        TypeDesc::UINT8,
    );
    if height > i64::from(i32::MAX) {
        spec.height = i32::MIN;
    }
    check_open(&spec)?;
    let declared = spec.image_bytes(true);
    if file_size > 0 && declared >= 1 << 30 && declared > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "bmp header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        )));
    }
    if dib.hres > 0 && dib.vres > 0 {
        spec.attribute_int("XResolution", dib.hres);
        spec.attribute_int("YResolution", dib.vres);
        spec.attribute_str("ResolutionUnit", "m");
    }
    if dib.masks.contains(&0) {
        dib.masks = [0x7c00, 0x03e0, 0x001f];
    }
    let masks = dib.masks.map(|m| {
        let (count, right) = mask_shift(m);
        (m, count, right)
    });
    let width = spec.width as usize;
    let row_bytes = |bits: usize| (width * bits).div_ceil(8).div_ceil(4) * 4;
    let mut palette = Vec::new();
    let mut gray = false;
    let padded = match dib.bpp {
        32 | 24 => (width * nchannels as usize).div_ceil(4) * 4,
        16 => {
            let bits = ParamValue::from_values(
                "oiio:BitsPerSample",
                TypeDesc::UINT,
                1,
                Interp::Constant,
                &[Value::Int(i64::from(masks[0].1))],
            )
            .expect("one value");
            spec.attribute(bits);
            row_bytes(16)
        }
        8 | 4 | 1 => {
            palette = read_palette(&mut c, &dib)?;
            if dib.bpp == 8 {
                gray = monodetect && palette.iter().all(|p| p[0] == p[1] && p[1] == p[2]);
                if gray {
                    spec.nchannels = 1;
                    spec.default_channel_names();
                }
                width.div_ceil(4) * 4
            } else {
                row_bytes(dib.bpp as usize)
            }
        }
        bpp => return Err(corrupt(format!("Unsupported BMP bit depth: {bpp}"))),
    };
    if dib.bpp <= 16 {
        spec.attribute_int("bmp:bitsperpixel", i32::from(dib.bpp));
    }
    let version = match dib.size {
        OS2_V1 => Some(1),
        WIN_V3 => Some(3),
        WIN_V4 => Some(4),
        WIN_V5 => Some(5),
        _ => None,
    };
    if let Some(v) = version {
        spec.attribute_int("bmp:version", v);
    }
    if dib.cpalette != 0 && palette.is_empty() {
        return Err(corrupt(format!(
            "BMP error: bad BPP ({}) for palette image -- presumed corrupt file",
            dib.bpp
        )));
    }
    spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
    let mut rle = None;
    if dib.compression == 1 || dib.compression == 2 {
        let rle4 = dib.compression == 2;
        spec.attribute_str("compression", if rle4 { "rle4" } else { "rle8" });
        // The RLE stream follows the palette; OIIO decodes it now.
        let start = c.pos as u64;
        let mut stream = Vec::new();
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_to_end(&mut stream))
            .map_err(|e| corrupt(e.to_string()))?;
        let indices = decode_rle(&stream, rle4, width, spec.height as usize).map_err(|m| {
            corrupt(if m.is_empty() {
                "BMP error reading rle-compressed image".to_string()
            } else {
                format!("{m}\nBMP error reading rle-compressed image")
            })
        })?;
        rle = Some(indices);
    }
    let layout = Layout {
        bpp: dib.bpp,
        offset: data_offset as u32 as u64,
        padded,
        top_down: dib.height < 0,
        palette,
        gray,
        masks,
        rle,
    };
    Ok(Box::new(BmpReader {
        spec,
        layout,
        file,
        file_size,
    }))
}

/// The colour table: `cpalette` entries (all `1 << bpp` when 0), four
/// bytes each (three for OS/2 v1), stored BGR.
fn read_palette(c: &mut Cursor, dib: &Dib) -> Result<Vec<[u8; 3]>, IoError> {
    let max = 1i32 << dib.bpp;
    if dib.cpalette < 0 || dib.cpalette > max {
        return Err(corrupt("Possible corrupted header, invalid palette size"));
    }
    let colors = if dib.cpalette != 0 { dib.cpalette } else { max };
    let entry = if dib.size == OS2_V1 { 3 } else { 4 };
    let mut palette = Vec::with_capacity(colors as usize);
    for i in 0..colors {
        let Some(e) = c.take(entry) else {
            return Err(corrupt(format!(
                "Read error: hit end of file in bmp reader\nHit end of file unexpectedly while reading color table on color {i}/{colors})"
            )));
        };
        palette.push([e[2], e[1], e[0]]);
    }
    Ok(palette)
}

/// Decode an RLE4/RLE8 stream into palette indices (bottom row first) with
/// OIIO's rules: the stream must end with an end-of-bitmap marker, nothing
/// may be addressed at or past the last row, pixels past the right edge
/// are dropped. `Err` carries the messages OIIO would have recorded.
fn decode_rle(s: &[u8], rle4: bool, width: usize, height: usize) -> Result<Vec<u8>, String> {
    let mut out = vec![0u8; width * height];
    let (mut x, mut y) = (0usize, 0usize);
    let mut p = 0usize;
    let eof = || "Read error: hit end of file in bmp reader".to_string();
    let put = |out: &mut [u8], x: usize, y: usize, v: u8| {
        if x < width {
            out[y * width + x] = v;
        }
    };
    loop {
        let Some(pair) = s.get(p..p + 2) else {
            return Err(eof());
        };
        p += 2;
        if y >= height {
            return Err(format!(
                "BMP might be corrupted, it is referencing an out-of-bounds pixel coordinate ({x},{y})"
            ));
        }
        let (n, v) = (pair[0] as usize, pair[1]);
        match (n, v) {
            (0, 0) => {
                x = 0;
                y += 1;
            }
            (0, 1) => return Ok(out),
            (0, 2) => {
                let Some(d) = s.get(p..p + 2) else {
                    return Err(eof());
                };
                p += 2;
                x += d[0] as usize;
                y += d[1] as usize;
            }
            (0, count) => {
                let count = count as usize;
                let nbytes = if rle4 { count.div_ceil(2) } else { count }.div_ceil(2) * 2;
                let Some(abs) = s.get(p..p + nbytes) else {
                    return Err(eof());
                };
                p += nbytes;
                for i in 0..count {
                    let v = if !rle4 {
                        abs[i]
                    } else if i & 1 == 1 {
                        abs[i / 2] & 0x0f
                    } else {
                        abs[i / 2] >> 4
                    };
                    put(&mut out, x, y, v);
                    x += 1;
                }
            }
            (count, v) => {
                for i in 0..count {
                    let px = if !rle4 {
                        v
                    } else if i & 1 == 1 {
                        v & 0x0f
                    } else {
                        v >> 4
                    };
                    put(&mut out, x, y, px);
                    x += 1;
                }
            }
        }
    }
}

impl Layout {
    fn color(&self, i: usize) -> [u8; 3] {
        self.palette[i.min(self.palette.len() - 1)]
    }

    /// Expand palette indices into one output row.
    fn put_indexed(&self, out: &mut [u8], index: impl Fn(usize) -> usize) {
        if self.gray {
            for (x, o) in out.iter_mut().enumerate() {
                *o = self.color(index(x))[0];
            }
        } else {
            for (x, o) in out.chunks_exact_mut(3).enumerate() {
                o.copy_from_slice(&self.color(index(x)));
            }
        }
    }

    /// Decode one stored row into output pixels.
    fn decode_row(&self, src: &[u8], out: &mut [u8]) {
        match self.bpp {
            32 => {
                for (o, s) in out.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                    o.copy_from_slice(&[s[2], s[1], s[0], s[3]]);
                }
            }
            24 => {
                for (o, s) in out.chunks_exact_mut(3).zip(src.chunks_exact(3)) {
                    o.copy_from_slice(&[s[2], s[1], s[0]]);
                }
            }
            16 => {
                for (o, s) in out.chunks_exact_mut(3).zip(src.chunks_exact(2)) {
                    let v = u32::from(u16::from_le_bytes([s[0], s[1]]));
                    for (c, &(mask, count, right)) in self.masks.iter().enumerate() {
                        let bits = (v & mask).checked_shr(right).unwrap_or(0);
                        o[c] = bit_range_convert(bits, count, 8) as u8;
                    }
                }
            }
            8 => self.put_indexed(out, |x| src[x] as usize),
            4 => self.put_indexed(out, |x| {
                (if x & 1 == 0 { src[x / 2] >> 4 } else { src[x / 2] & 0x0f }) as usize
            }),
            _ => self.put_indexed(out, |x| ((src[x / 8] >> (7 - x % 8)) & 1) as usize),
        }
    }
}

impl BmpReader {
    fn read_all(&mut self) -> Result<PixelData, IoError> {
        let spec = &self.spec;
        let l = &self.layout;
        let (w, h) = (spec.width as usize, spec.height as usize);
        let out_row = w * spec.nchannels as usize;
        let mut pixels = alloc(spec.image_bytes(true))?;
        if let (Some(indices), false) = (&l.rle, l.palette.is_empty()) {
            pixels
                .bytes_mut()
                .par_chunks_mut(out_row)
                .enumerate()
                .for_each(|(y, out)| {
                    let row = &indices[(h - 1 - y) * w..(h - y) * w];
                    l.put_indexed(out, |x| row[x] as usize);
                });
            return Ok(pixels);
        }
        let padded = l.padded as u64;
        let end = l.offset + padded * h as u64;
        if end > self.file_size {
            return Err(corrupt("Invalid scanline position in BMP file"));
        }
        let mut data = vec![0u8; (padded * h as u64) as usize];
        self.file
            .seek(SeekFrom::Start(l.offset))
            .and_then(|_| self.file.read_exact(&mut data))
            .map_err(|_| corrupt("Read error: hit end of file in bmp reader"))?;
        pixels
            .bytes_mut()
            .par_chunks_mut(out_row)
            .enumerate()
            .for_each(|(y, out)| {
                let fy = if l.top_down { y } else { h - 1 - y };
                l.decode_row(&data[fy * l.padded..(fy + 1) * l.padded], out);
            });
        Ok(pixels)
    }
}

impl Reader for BmpReader {
    fn format_name(&self) -> &'static str {
        "bmp"
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

/// OIIO's output checks for BMP (65535 square, 1, 3 or 4 channels).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let bad = |m: String| Err(IoError::Unsupported(m));
    if w > 65535 || h > 65535 {
        return bad(format!(
            "bmp image resolution may not exceed 65535x65535, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "bmp image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("bmp does not support volume images (depth > 1)".into());
    }
    if !(1..=4).contains(&n) || n == 2 {
        return bad(format!("bmp does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("bmp does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("bmp does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("bmp does not support tiled images".into());
    }
    let bytes = spec.image_bytes_as(TypeDesc::UINT8) + 14 + 40;
    if bytes >= 1 << 32 {
        return bad("bmp does not support files over 4GB in size\n".into());
    }
    Ok(())
}

/// The registry's writer: BMP holds one image, the first subimage's top level.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("bmp: nothing to write".into()))?;
    write(path, level.spec, level.pixels)
}

/// Write `pixels` (in `spec.format`, top row first) as a BMP file.
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    check_output(spec)?;
    let (w, h, nch) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let in_row = w * nch * spec.format.size();
    if pixels.len() < in_row * h {
        return Err(IoError::Write(format!(
            "bmp: {} bytes of pixels given, {} needed",
            pixels.len(),
            in_row * h
        )));
    }
    let row = w * nch;
    let padded = row.div_ceil(4) * 4;
    let palette_size = if nch == 1 { 4 * 256 } else { 0 };
    let offset = 14 + 40 + palette_size;
    let mut head = Vec::with_capacity(offset);
    head.extend_from_slice(b"BM");
    head.extend_from_slice(&((padded * h + offset) as u32).to_le_bytes());
    head.extend_from_slice(&[0; 4]);
    head.extend_from_slice(&(offset as u32).to_le_bytes());
    let (bpp, colors) = if nch == 1 { (8u16, 256u32) } else { (nch as u16 * 8, 0) };
    let (mut hres, mut vres) = (0, 0);
    let unit = spec.get_string_attribute("ResolutionUnit", "");
    if unit.eq_ignore_ascii_case("m") || unit.eq_ignore_ascii_case("pixel per meter") {
        hres = spec.get_int_attribute("XResolution", 0);
        vres = spec.get_int_attribute("YResolution", 0);
    }
    for v in [40, w as i32, h as i32] {
        head.extend_from_slice(&v.to_le_bytes());
    }
    head.extend_from_slice(&1u16.to_le_bytes());
    head.extend_from_slice(&bpp.to_le_bytes());
    for v in [0, (w * h) as i32, hres, vres, colors as i32, colors as i32] {
        head.extend_from_slice(&v.to_le_bytes());
    }
    for i in 0..colors {
        head.extend_from_slice(&[i as u8, i as u8, i as u8, 255]);
    }
    let file = File::create(path).map_err(|_| IoError::Write(format!("Could not open file \"{}\"", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("Write error on \"{}\": {e}", path.display()));
    let mut out = file;
    out.write_all(&head).map_err(werr)?;
    // Bands of stored rows (bottom row first), each filled in parallel and
    // written while the buffer is reused.
    let band = (4 << 20) / padded.max(1) + 1;
    let mut buf = vec![0u8; padded * band.min(h)];
    for first in (0..h).step_by(band) {
        let n = band.min(h - first);
        let chunk = &mut buf[..n * padded];
        chunk.par_chunks_mut(padded).enumerate().for_each(|(i, dst)| {
            let y = h - 1 - (first + i);
            let src = &pixels[y * in_row..(y + 1) * in_row];
            let out = &mut dst[..row];
            if spec.format == TypeDesc::UINT8 {
                out.copy_from_slice(src);
            } else {
                convert_bytes(src, spec.format.basetype, out, TypeDesc::UINT8.basetype);
            }
            if nch >= 3 {
                for px in out.chunks_exact_mut(nch) {
                    px.swap(0, 2);
                }
            }
        });
        out.write_all(chunk).map_err(werr)?;
    }
    Ok(())
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
        std::env::temp_dir().join(format!("vfx_io_bmp_{}_{n}.{ext}", std::process::id()))
    }

    fn read_bytes(bytes: &[u8]) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch("bmp");
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (spec, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[u8]) -> Vec<u8> {
        let p = scratch("bmp");
        write(&p, spec, pixels).unwrap();
        let b = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        b
    }

    /// A BMP with a v3 header, the given palette and raw pixel rows.
    fn bmp(w: i32, h: i32, bpp: u16, compression: i32, palette: &[[u8; 4]], rows: &[u8]) -> Vec<u8> {
        let offset = 14 + 40 + 4 * palette.len();
        let mut b = b"BM".to_vec();
        b.extend_from_slice(&((offset + rows.len()) as u32).to_le_bytes());
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(&(offset as u32).to_le_bytes());
        for v in [40, w, h] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&bpp.to_le_bytes());
        for v in [compression, 0, 0, 0, palette.len() as i32, 0] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        for p in palette {
            b.extend_from_slice(p);
        }
        b.extend_from_slice(rows);
        b
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "bmp");
        assert!(sniff(b"BM0123456789ab"));
        assert!(!sniff(b"BM"));
        assert!(!sniff(b"XX0123456789ab"));
    }

    #[test]
    fn bit_conversions() {
        assert_eq!(bit_range_convert(31, 5, 8), 255);
        assert_eq!(bit_range_convert(16, 5, 8), 132);
        assert_eq!(bit_range_convert(1, 1, 8), 255);
        assert_eq!(bit_range_convert(0x3ff, 10, 8), 255);
        assert_eq!(mask_shift(0x07e0), (6, 5));
        assert_eq!(mask_shift(0), (0, 0));
    }

    #[test]
    fn round_trips() {
        for nch in [1, 3, 4] {
            let (w, h) = (5, 3);
            let spec = ImageSpec::new(w, h, nch, TypeDesc::UINT8);
            let px: Vec<u8> = (0..(w * h * nch) as usize).map(|i| (i * 37 % 256) as u8).collect();
            let file = write_bytes(&spec, &px);
            let (rspec, back) = read_bytes(&file).unwrap();
            assert_eq!(back, px, "{nch} channels");
            assert_eq!(rspec.nchannels, nch);
            assert_eq!(rspec.get_int_attribute("bmp:version", 0), 3);
        }
        let spec = ImageSpec::new(1, 1, 2, TypeDesc::UINT8);
        let p = scratch("bmp");
        assert!(write(&p, &spec, &[0, 0]).unwrap_err().to_string().contains("2-channel"));
    }

    #[test]
    fn palettes_and_masks() {
        // 1-bit, 2 colours, width 3 (row padded to 4 bytes), bottom-up.
        let pal = [[0, 0, 255, 0], [255, 0, 0, 0]];
        let (spec, px) = read_bytes(&bmp(3, 2, 1, 0, &pal, &[0b1010_0000, 0, 0, 0, 0b0100_0000, 0, 0, 0])).unwrap();
        assert_eq!(spec.nchannels, 3);
        assert_eq!(&px[..9], &[255, 0, 0, 0, 0, 255, 255, 0, 0]);
        assert_eq!(&px[9..], &[0, 0, 255, 255, 0, 0, 0, 0, 255]);
        // 8-bit all-grey palette reads as one channel.
        let grey = [[7, 7, 7, 0], [9, 9, 9, 0]];
        let file = bmp(2, 1, 8, 0, &grey, &[1, 0, 0, 0]);
        let (spec, px) = read_bytes(&file).unwrap();
        assert_eq!((spec.nchannels, px), (1, vec![9, 7]));
        // ...unless the open configuration turns the detection off.
        let p = scratch("bmp");
        std::fs::write(&p, &file).unwrap();
        let mut cfg = ImageSpec::default();
        cfg.attribute_int("bmp:monochrome_detect", 0);
        let mut r = open(&p, Some(&cfg)).unwrap();
        let _ = std::fs::remove_file(&p);
        assert_eq!(r.spec(0, 0).unwrap().nchannels, 3);
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), [9, 9, 9, 7, 7, 7]);
        // Negative height: top row first.
        let (_, px) = read_bytes(&bmp(1, -2, 24, 0, &[], &[1, 2, 3, 0, 4, 5, 6, 0])).unwrap();
        assert_eq!(px, [3, 2, 1, 6, 5, 4]);
        // 16-bit default 5-5-5 masks.
        let (spec, px) = read_bytes(&bmp(1, 1, 16, 0, &[], &[0xff, 0x7f, 0, 0])).unwrap();
        assert_eq!(px, [255, 255, 255]);
        assert_eq!(spec.get_int_attribute("oiio:BitsPerSample", 0), 5);
    }

    #[test]
    fn rle_streams() {
        let pal = [[0, 0, 0, 0], [10, 20, 30, 0], [40, 50, 60, 0]];
        // Row 0: run of 2 x index 1, EOL; row 1: absolute 3 pixels; EOB.
        let s = [2, 1, 0, 0, 0, 3, 2, 1, 2, 0, 0, 1];
        let (spec, px) = read_bytes(&bmp(3, 2, 8, 1, &pal, &s)).unwrap();
        assert_eq!(spec.get_string_attribute("compression", ""), "rle8");
        assert_eq!(
            px,
            [60, 50, 40, 30, 20, 10, 60, 50, 40, 30, 20, 10, 30, 20, 10, 0, 0, 0]
        );
        // No end-of-bitmap marker, and addressing past the last row.
        let e = read_bytes(&bmp(3, 2, 8, 1, &pal, &[2, 1])).unwrap_err().to_string();
        assert!(e.ends_with("BMP error reading rle-compressed image"), "{e}");
        let e = read_bytes(&bmp(3, 1, 8, 1, &pal, &[0, 0, 2, 1, 0, 1]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("out-of-bounds pixel coordinate (0,1)"), "{e}");
        // RLE4 nibbles.
        let s = [3, 0x12, 0, 1];
        let (_, px) = read_bytes(&bmp(3, 1, 4, 2, &pal, &s)).unwrap();
        assert_eq!(px, [30, 20, 10, 60, 50, 40, 30, 20, 10]);
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let good = bmp(4, 4, 24, 0, &[], &[7; 48]);
        for cut in [0, 1, 13, 14, 20, 53, 54, 60, good.len() - 1] {
            assert!(read_bytes(&good[..cut]).is_err(), "cut {cut}");
        }
        let mut b = good.clone();
        b[0] = b'X';
        assert!(read_bytes(&b).unwrap_err().to_string().contains("magic number"));
        let mut b = good.clone();
        b[28] = 7;
        assert_eq!(read_bytes(&b).unwrap_err().to_string(), "Unsupported BMP bit depth: 7");
        // Huge claimed size in a tiny file.
        let b = bmp(60000, 60000, 32, 0, &[], &[0; 16]);
        assert!(read_bytes(&b).is_err());
        // Palette larger than the bit depth allows, and cut short.
        let b = bmp(1, 1, 1, 0, &[[0; 4]; 3], &[0; 4]);
        assert!(read_bytes(&b).unwrap_err().to_string().contains("invalid palette size"));
        let mut b = bmp(1, 1, 8, 0, &[], &[]);
        b[46] = 200;
        assert!(read_bytes(&b)
            .unwrap_err()
            .to_string()
            .contains("color table on color 0/200"));
        // Pixel data offset past the end of the file.
        let mut b = good.clone();
        b[10] = 200;
        assert!(read_bytes(&b).is_err());
    }
}
