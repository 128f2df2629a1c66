//! JPEG (JFIF/Exif), read and written as OpenImageIO 3.2.2 (libjpeg-turbo)
//! does.
//!
//! The decoder is our own and reproduces libjpeg-turbo's default output
//! exactly: Huffman baseline / extended / progressive decoding, the
//! "islow" integer IDCT, "fancy" (triangle) chroma upsampling for 2x1,
//! 1x2 and 2x2 subsampling (box for other integral factors), and the
//! fixed-point YCbCr→RGB tables. Greyscale files read as one channel,
//! YCbCr/RGB as three, CMYK/YCCK are converted to RGB the way OIIO does
//! (R = C·K, ... on the stored, inverted values). Entropy decoding is
//! sequential; the IDCT, upsampling and colour conversion run in parallel.
//!
//! Metadata as OIIO: Exif (APP1) with its thumbnail, XMP (APP1), IPTC
//! (APP13), ICC profiles (APP2, multi-segment), JFIF density →
//! XResolution/YResolution/ResolutionUnit/PixelAspectRatio, comments →
//! ImageDescription, `jpeg:subsampling`, `jpeg:ColorSpace`.
//!
//! The encoder follows libjpeg's defaults and OIIO's settings: quality
//! from `Compression` "jpeg:NN" / `CompressionQuality` (default 98),
//! 4:2:0 unless `jpeg:subsampling` says otherwise, islow forward DCT,
//! standard Huffman tables (optimised ones for `jpeg:progressive`), so
//! the coefficients match what the reference writes.

use super::meta_exif::{self as meta, bytes_param};
use super::meta_xmp;
use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::path::Path;
use vfx_core::convert::{convert_bytes, Pixel};
use vfx_core::{globals, BaseType, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "jpeg",
    extensions: &["jpg", "jpe", "jpeg", "jif", "jfif", "jfi"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// OIIO's JPEG reader/writer features.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "exif" | "iptc" | "ioproxy" | "thumbnail"))
}

/// True for data starting with the SOI marker.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 2 && head[0] == 0xff && head[1] == 0xd8
}

// ---------------------------------------------------------------------------
// Errors, worded as libjpeg's messages inside OIIO's wrapper.

fn jerr(msg: impl std::fmt::Display, path: &str) -> IoError {
    IoError::Corrupt(format!("JPEG error: {msg} (\"{path}\")"))
}

/// libjpeg's zig-zag → natural order, with the extra entries that keep a
/// corrupt run length inside the block.
const NATURAL: [usize; 80] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
    28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
];

// ---------------------------------------------------------------------------
// Huffman tables

#[derive(Clone, Debug)]
struct Huffman {
    /// 9-bit lookahead: (code length << 8) | symbol; length 0 = slow path.
    look: Vec<u16>,
    /// For AC tables: 9-bit lookahead decoding a whole (run, value) pair
    /// when the code and its extra bits fit: value << 16 | run << 8 | bits
    /// used; 0 = not in the table.
    fast_ac: Vec<i32>,
    /// maxcode[l]: largest code of length l (-1 if none), l in 1..=16,
    /// maxcode[17] a sentinel.
    maxcode: [i32; 18],
    valoffset: [i32; 18],
    vals: Vec<u8>,
}

const LOOK_BITS: u32 = 9;

impl Huffman {
    /// Build from the DHT counts and symbols; `None` for an invalid table.
    fn new(counts: &[u8; 16], vals: &[u8]) -> Option<Huffman> {
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        if total > 256 || total > vals.len() {
            return None;
        }
        let mut huffsize = Vec::with_capacity(total);
        for (l, &c) in counts.iter().enumerate() {
            for _ in 0..c {
                huffsize.push(l as u8 + 1);
            }
        }
        let mut huffcode = vec![0u32; total];
        let mut code: u32 = 0;
        let mut si = 1u8;
        let mut p = 0;
        while p < total {
            while p < total && huffsize[p] == si {
                huffcode[p] = code;
                code += 1;
                p += 1;
            }
            // Codes of a length must fit in that many bits.
            if code > (1u32 << si) {
                return None;
            }
            code <<= 1;
            si += 1;
        }
        let mut maxcode = [-1i32; 18];
        let mut valoffset = [0i32; 18];
        let mut p = 0usize;
        for l in 1..=16 {
            let c = counts[l - 1] as usize;
            if c > 0 {
                valoffset[l] = p as i32 - huffcode[p] as i32;
                p += c;
                maxcode[l] = huffcode[p - 1] as i32;
            }
        }
        maxcode[17] = 0x000f_ffff;
        let mut look = vec![0u16; 1 << LOOK_BITS];
        let mut fast_ac = vec![0i32; 1 << LOOK_BITS];
        let mut p = 0;
        for l in 1..=LOOK_BITS as usize {
            for _ in 0..counts[l - 1] {
                let lookbits = (huffcode[p] << (LOOK_BITS as usize - l)) as usize;
                let span = 1usize << (LOOK_BITS as usize - l);
                let sym = vals[p];
                let (run, size) = (u32::from(sym >> 4), (sym & 15) as usize);
                for j in 0..span {
                    look[lookbits + j] = ((l as u16) << 8) | u16::from(sym);
                    if size > 0 && l + size <= LOOK_BITS as usize {
                        let extra = (j >> (LOOK_BITS as usize - l - size)) as u32;
                        let v = extend(extra, size as u32);
                        fast_ac[lookbits + j] = (v << 16) | ((run as i32) << 8) | (l + size) as i32;
                    }
                }
                p += 1;
            }
        }
        Some(Huffman {
            look,
            fast_ac,
            maxcode,
            valoffset,
            vals: vals[..total].to_vec(),
        })
    }
}

// ---------------------------------------------------------------------------
// Bit reader over a de-stuffed entropy segment

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    nbits: u32,
    /// Zero bytes fed after the end of the data.
    padded: usize,
    /// Bits were needed past the end of the segment (libjpeg then feeds
    /// zeros and stops decoding further MCUs).
    hit_end: bool,
    /// A bad Huffman code was seen.
    bad_code: bool,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Bits<'a> {
        Bits {
            data,
            pos: 0,
            acc: 0,
            nbits: 0,
            padded: 0,
            hit_end: false,
            bad_code: false,
        }
    }

    /// Top up the accumulator to at least 56 valid bits.
    #[inline(always)]
    fn refill(&mut self) {
        if self.pos + 8 <= self.data.len() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.data[self.pos..self.pos + 8]);
            self.acc |= u64::from_be_bytes(b) >> self.nbits;
            let n = (63 - self.nbits) >> 3;
            self.pos += n as usize;
            self.nbits += n * 8;
            return;
        }
        while self.nbits <= 56 {
            let b = if self.pos < self.data.len() {
                self.data[self.pos]
            } else {
                self.padded += 1;
                0
            };
            self.pos += 1;
            self.acc |= u64::from(b) << (56 - self.nbits);
            self.nbits += 8;
        }
    }

    /// Note when bits beyond the data have been consumed.
    #[inline]
    fn check_end(&mut self) {
        if !self.hit_end && self.padded > 0 {
            let consumed_bits = self.pos as u64 * 8 - u64::from(self.nbits);
            if consumed_bits > self.data.len() as u64 * 8 {
                self.hit_end = true;
            }
        }
    }

    #[inline(always)]
    fn peek(&mut self, n: u32) -> u32 {
        if self.nbits < n {
            self.refill();
        }
        (self.acc >> (64 - n)) as u32
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        self.acc <<= n;
        self.nbits -= n;
    }

    #[inline(always)]
    fn bits(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let v = self.peek(n);
        self.consume(n);
        v
    }

    #[inline(always)]
    fn bit(&mut self) -> u32 {
        self.bits(1)
    }

    #[inline(always)]
    fn decode(&mut self, h: &Huffman) -> u8 {
        let look = self.peek(16) as usize >> (16 - LOOK_BITS);
        let e = h.look[look];
        if e >> 8 != 0 {
            self.consume(u32::from(e >> 8));
            return e as u8;
        }
        self.decode_slow(h)
    }

    #[cold]
    fn decode_slow(&mut self, h: &Huffman) -> u8 {
        // Codes longer than the lookahead (up to 17 bits may be consumed).
        let code16 = (self.peek(17) >> 1) as i32;
        let mut l = LOOK_BITS as usize + 1;
        while l <= 16 && (code16 >> (16 - l)) > h.maxcode[l] {
            l += 1;
        }
        if l > 16 {
            // libjpeg has read 17 bits by then; it warns and returns 0.
            self.bad_code = true;
            self.consume(17);
            return 0;
        }
        let code = code16 >> (16 - l);
        self.consume(l as u32);
        let idx = code + h.valoffset[l];
        h.vals.get(idx as usize).copied().unwrap_or(0)
    }
}

#[inline(always)]
fn extend(v: u32, s: u32) -> i32 {
    if s == 0 {
        return 0;
    }
    let v = v as i32;
    if v < (1 << (s - 1)) {
        v - (1 << s) + 1
    } else {
        v
    }
}

// ---------------------------------------------------------------------------
// Header parsing

#[derive(Clone, Debug)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
    /// Blocks per row / column in the coefficient buffer (padded to MCUs).
    bw: usize,
    bh: usize,
    /// Downsampled size (libjpeg's downsampled_width/height).
    dw: usize,
    dh: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ColorSpace {
    Gray,
    YCbCr,
    Rgb,
    Cmyk,
    Ycck,
    Unknown,
}

/// One scan: component indices, tables, spectral selection, approximation.
#[derive(Clone, Debug)]
struct Scan {
    comps: Vec<(usize, usize, usize)>,
    ss: usize,
    se: usize,
    ah: u32,
    al: u32,
    /// The scan's entropy-coded data, de-stuffed, split at RST markers.
    segments: Vec<(usize, usize)>,
    restart_interval: usize,
    /// DC and AC tables per scan component, as defined when the scan began.
    dc: Vec<Option<Huffman>>,
    ac: Vec<Option<Huffman>>,
}

struct Saved {
    marker: u8,
    data: Vec<u8>,
    /// Where the data starts in the file.
    offset: usize,
}

/// Everything parsed from the file: frame, tables, scans, saved markers.
struct JpegFile {
    width: usize,
    height: usize,
    progressive: bool,
    comps: Vec<Component>,
    hmax: usize,
    vmax: usize,
    mcux: usize,
    mcuy: usize,
    qt: [Option<[u16; 64]>; 4],
    /// Quantization table of each component, captured at its first scan
    /// (libjpeg latches it then).
    comp_qt: Vec<Option<[u16; 64]>>,
    scans: Vec<Scan>,
    huff: Vec<(usize, Huffman)>,
    /// Entropy data of all scans, de-stuffed.
    entropy: Vec<u8>,
    markers: Vec<Saved>,
    color: ColorSpace,
    jfif: Option<(u8, u16, u16)>,
    /// Warnings libjpeg would have issued (OIIO records them as errors).
    warnings: Vec<String>,
}

struct Cursor<'a> {
    d: &'a [u8],
    p: usize,
}

impl Cursor<'_> {
    fn u8(&mut self) -> Option<u8> {
        let v = *self.d.get(self.p)?;
        self.p += 1;
        Some(v)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.u8()?) << 8 | u16::from(self.u8()?))
    }
}

/// Parse the file up to (and including) all scans. Header errors are
/// fatal; a file that ends early is handled as libjpeg does (warning,
/// then an implicit EOI).
fn parse(data: &[u8], path: &str, header_only: bool) -> Result<JpegFile, IoError> {
    let e = |m: &str| jerr(m, path);
    if data.len() < 2 {
        return Err(e("Empty input file"));
    }
    if data[0] != 0xff || data[1] != 0xd8 {
        return Err(e(&format!(
            "Not a JPEG file: starts with 0x{:02x} 0x{:02x}",
            data[0], data[1]
        )));
    }
    let mut f = JpegFile {
        width: 0,
        height: 0,
        progressive: false,
        comps: Vec::new(),
        hmax: 1,
        vmax: 1,
        mcux: 0,
        mcuy: 0,
        qt: [None; 4],
        comp_qt: Vec::new(),
        scans: Vec::new(),
        huff: Vec::new(),
        entropy: Vec::new(),
        markers: Vec::new(),
        color: ColorSpace::Unknown,
        jfif: None,
        warnings: Vec::new(),
    };
    let mut adobe: Option<u8> = None;
    let mut restart_interval = 0usize;
    let mut seen_sof = false;
    let mut c = Cursor { d: data, p: 2 };
    let eof_warn = "Premature end of JPEG file";
    loop {
        // Find the next marker, skipping (and counting) garbage.
        let mut skipped = 0usize;
        let marker = loop {
            let Some(b) = c.u8() else {
                if !f.warnings.iter().any(|w| w == eof_warn) {
                    f.warnings.push(eof_warn.into());
                }
                if f.scans.is_empty() && !header_only {
                    if !seen_sof {
                        return Err(e("Premature end of input file"));
                    }
                    break 0xd9;
                }
                break 0xd9;
            };
            if b != 0xff {
                skipped += 1;
                continue;
            }
            let mut m = 0xff;
            while m == 0xff {
                match c.u8() {
                    Some(x) => m = x,
                    None => {
                        m = 0xd9;
                        break;
                    }
                }
            }
            if m == 0 {
                skipped += 2;
                continue;
            }
            break m;
        };
        if skipped > 0 {
            f.warnings.push(format!(
                "Corrupt JPEG data: {skipped} extraneous bytes before marker 0x{marker:02x}"
            ));
        }
        match marker {
            0xd8 => return Err(e("Invalid JPEG file structure: two SOI markers")),
            0xd9 => break,
            0xd0..=0xd7 | 0x01 => continue,
            _ => {}
        }
        let Some(len) = c.u16() else {
            f.warnings.push(eof_warn.into());
            if !seen_sof {
                return Err(e("Premature end of input file"));
            }
            break;
        };
        if len < 2 {
            return Err(e("Bogus marker length"));
        }
        let len = len as usize - 2;
        let body_start = c.p;
        let body_end = (c.p + len).min(data.len());
        let body = &data[c.p..body_end];
        let truncated = c.p + len > data.len();
        c.p = body_end;
        match marker {
            0xc0..=0xc2 => {
                if seen_sof {
                    return Err(e("Invalid JPEG file structure: two SOF markers"));
                }
                seen_sof = true;
                f.progressive = marker == 0xc2;
                if body.len() < 6 {
                    return Err(e("Bogus marker length"));
                }
                let precision = body[0];
                f.height = usize::from(u16::from_be_bytes([body[1], body[2]]));
                f.width = usize::from(u16::from_be_bytes([body[3], body[4]]));
                let n = usize::from(body[5]);
                if body.len() != 6 + 3 * n {
                    return Err(e("Bogus marker length"));
                }
                if precision != 8 {
                    return Err(e(&format!("Unsupported JPEG data precision {precision}")));
                }
                for i in 0..n {
                    let b = &body[6 + 3 * i..9 + 3 * i];
                    f.comps.push(Component {
                        id: b[0],
                        h: usize::from(b[1] >> 4),
                        v: usize::from(b[1] & 15),
                        tq: usize::from(b[2] & 3),
                        bw: 0,
                        bh: 0,
                        dw: 0,
                        dh: 0,
                    });
                }
                setup_frame(&mut f, path)?;
            }
            0xc3 | 0xc5..=0xc7 | 0xc9..=0xcb | 0xcd..=0xcf => {
                let msg = if marker >= 0xc9 {
                    "Sorry, arithmetic coding is not supported".to_string()
                } else {
                    format!("Unsupported JPEG process: SOF type 0x{marker:02x}")
                };
                return Err(e(&msg));
            }
            0xc4 => {
                let mut k = 0;
                while k < body.len() {
                    if k + 17 > body.len() {
                        return Err(e("Bogus Huffman table definition"));
                    }
                    let index = body[k];
                    let mut counts = [0u8; 16];
                    counts.copy_from_slice(&body[k + 1..k + 17]);
                    let total: usize = counts.iter().map(|&x| x as usize).sum();
                    k += 17;
                    if total > 256 || k + total > body.len() {
                        return Err(e("Bogus Huffman table definition"));
                    }
                    let vals = &body[k..k + total];
                    k += total;
                    let class = usize::from(index >> 4);
                    let slot = usize::from(index & 15);
                    if class > 1 || slot > 3 {
                        return Err(e(&format!("Bogus DHT index {index}")));
                    }
                    let h = Huffman::new(&counts, vals).ok_or_else(|| e("Bogus Huffman table definition"))?;
                    let key = class * 4 + slot;
                    f.huff.retain(|(k2, _)| *k2 != key);
                    f.huff.push((key, h));
                }
            }
            0xdb => {
                let mut k = 0;
                while k < body.len() {
                    let pq = body[k] >> 4;
                    let tq = usize::from(body[k] & 15);
                    k += 1;
                    if tq > 3 {
                        return Err(e(&format!("Bogus DQT index {tq}")));
                    }
                    let mut t = [0u16; 64];
                    for v in t.iter_mut() {
                        let val = if pq != 0 {
                            let x = body.get(k..k + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
                            k += 2;
                            x
                        } else {
                            let x = body.get(k).map(|&b| u16::from(b));
                            k += 1;
                            x
                        };
                        *v = val.ok_or_else(|| e("Bogus marker length"))?;
                    }
                    // Stored in zig-zag order: put it in natural order.
                    let mut nat = [0u16; 64];
                    for (i, &v) in t.iter().enumerate() {
                        nat[NATURAL[i]] = v;
                    }
                    f.qt[tq] = Some(nat);
                }
            }
            0xdd => {
                if body.len() < 2 {
                    return Err(e("Bogus marker length"));
                }
                restart_interval = usize::from(u16::from_be_bytes([body[0], body[1]]));
            }
            0xda => {
                if !seen_sof {
                    return Err(e("Invalid JPEG file structure: SOS before SOF"));
                }
                if f.color == ColorSpace::Unknown && f.scans.is_empty() {
                    f.color = default_color(&f, adobe);
                }
                let scan = parse_sos(&mut f, body, restart_interval, path)?;
                if header_only {
                    f.scans.push(scan);
                    return Ok(f);
                }
                // The entropy data follows up to the next marker that is
                // not an RST (stuffed 0xFF00 bytes are data).
                let (segments, next) = destuff(data, c.p, &mut f.entropy);
                c.p = next;
                let mut scan = scan;
                scan.segments = segments;
                f.scans.push(scan);
            }
            0xe0..=0xef | 0xfe => {
                if marker == 0xe0 && body.len() >= 14 && body.starts_with(b"JFIF\0") {
                    f.jfif = Some((
                        body[7],
                        u16::from_be_bytes([body[8], body[9]]),
                        u16::from_be_bytes([body[10], body[11]]),
                    ));
                }
                if marker == 0xee && body.len() >= 12 && body.starts_with(b"Adobe") {
                    adobe = Some(body[11]);
                }
                f.markers.push(Saved {
                    marker,
                    data: body.to_vec(),
                    offset: body_start,
                });
            }
            _ => {
                if !(0xc0..=0xfe).contains(&marker) {
                    return Err(e(&format!("Unsupported marker type 0x{marker:02x}")));
                }
            }
        }
        if truncated {
            f.warnings.push(eof_warn.into());
            if !seen_sof || f.scans.is_empty() {
                return Err(e("Premature end of input file"));
            }
            break;
        }
    }
    if !seen_sof {
        return Err(e("Invalid JPEG file structure: missing SOS marker"));
    }
    if f.scans.is_empty() && !header_only {
        return Err(e("Invalid JPEG file structure: missing SOS marker"));
    }
    if f.color == ColorSpace::Unknown {
        f.color = default_color(&f, adobe);
    }
    Ok(f)
}

/// libjpeg-turbo's guess of the stored colour space.
fn default_color(f: &JpegFile, adobe: Option<u8>) -> ColorSpace {
    match f.comps.len() {
        1 => ColorSpace::Gray,
        3 => {
            if f.jfif.is_some() {
                ColorSpace::YCbCr
            } else if let Some(t) = adobe {
                if t == 0 {
                    ColorSpace::Rgb
                } else {
                    ColorSpace::YCbCr
                }
            } else {
                let ids: Vec<u8> = f.comps.iter().map(|c| c.id).collect();
                if ids == [82, 71, 66] {
                    ColorSpace::Rgb
                } else {
                    ColorSpace::YCbCr
                }
            }
        }
        4 => match adobe {
            Some(0) => ColorSpace::Cmyk,
            Some(_) => ColorSpace::Ycck,
            None => ColorSpace::Cmyk,
        },
        _ => ColorSpace::Unknown,
    }
}

fn setup_frame(f: &mut JpegFile, path: &str) -> Result<(), IoError> {
    let e = |m: &str| jerr(m, path);
    if f.width == 0 || f.height == 0 || f.comps.is_empty() {
        return Err(e("Empty JPEG image (DNL not supported)"));
    }
    if f.width > 65500 || f.height > 65500 {
        return Err(e("Maximum supported image dimension is 65500 pixels"));
    }
    if f.comps.len() > 10 {
        return Err(e(&format!("Too many color components: {}, max 10", f.comps.len())));
    }
    for c in &f.comps {
        if !(1..=4).contains(&c.h) || !(1..=4).contains(&c.v) {
            return Err(e("Bogus sampling factors"));
        }
    }
    f.hmax = f.comps.iter().map(|c| c.h).max().unwrap_or(1);
    f.vmax = f.comps.iter().map(|c| c.v).max().unwrap_or(1);
    f.mcux = f.width.div_ceil(8 * f.hmax);
    f.mcuy = f.height.div_ceil(8 * f.vmax);
    for c in f.comps.iter_mut() {
        c.bw = f.mcux * c.h;
        c.bh = f.mcuy * c.v;
        c.dw = (f.width * c.h).div_ceil(f.hmax);
        c.dh = (f.height * c.v).div_ceil(f.vmax);
    }
    f.comp_qt = vec![None; f.comps.len()];
    Ok(())
}

fn parse_sos(f: &mut JpegFile, body: &[u8], restart_interval: usize, path: &str) -> Result<Scan, IoError> {
    let e = |m: &str| jerr(m, path);
    let n = usize::from(*body.first().ok_or_else(|| e("Bogus marker length"))?);
    if body.len() != 4 + 2 * n || n == 0 || n > 4 {
        return Err(e("Bogus marker length"));
    }
    let mut comps = Vec::with_capacity(n);
    for i in 0..n {
        let id = body[1 + 2 * i];
        let t = body[2 + 2 * i];
        let ci = f
            .comps
            .iter()
            .position(|c| c.id == id)
            .ok_or_else(|| e(&format!("Invalid component ID {id} in SOS")))?;
        comps.push((ci, usize::from(t >> 4), usize::from(t & 15)));
        if f.comp_qt[ci].is_none() {
            let tq = f.comps[ci].tq;
            let q = f.qt[tq].ok_or_else(|| e(&format!("Quantization table 0x{tq:02x} was not defined")))?;
            f.comp_qt[ci] = Some(q);
        }
    }
    let k = 1 + 2 * n;
    let (ss, se, ah, al) = (
        usize::from(body[k]),
        usize::from(body[k + 1]),
        u32::from(body[k + 2] >> 4),
        u32::from(body[k + 2] & 15),
    );
    if f.progressive {
        let bad = if ss == 0 { se != 0 } else { se < ss || se > 63 || n != 1 };
        if bad || (ah != 0 && ah != al + 1) || al > 13 {
            return Err(e(&format!(
                "Invalid progressive parameters Ss={ss} Se={se} Ah={ah} Al={al}"
            )));
        }
    } else if ss != 0 || se != 63 || ah != 0 || al != 0 {
        f.warnings.push("Invalid SOS parameters for sequential JPEG".into());
    }
    // The tables this scan needs must exist now.
    for &(_, td, ta) in &comps {
        let need_dc = !f.progressive || (ss == 0 && ah == 0);
        let need_ac = !f.progressive || ss > 0;
        if need_dc && !f.huff.iter().any(|(k, _)| *k == td) {
            return Err(e(&format!("Huffman table 0x{td:02x} was not defined")));
        }
        if need_ac && !f.huff.iter().any(|(k, _)| *k == 4 + ta) {
            return Err(e(&format!("Huffman table 0x{:02x} was not defined", 0x10 + ta)));
        }
    }
    let find = |key: usize| f.huff.iter().rev().find(|(k, _)| *k == key).map(|(_, h)| h.clone());
    let dc: Vec<Option<Huffman>> = comps.iter().map(|&(_, td, _)| find(td)).collect();
    // libjpeg refuses DC tables whose symbols are not sizes 0..15.
    let uses_dc = !f.progressive || (ss == 0 && ah == 0);
    if uses_dc && dc.iter().flatten().any(|h| h.vals.iter().any(|&v| v > 15)) {
        return Err(e("Bogus Huffman table definition"));
    }
    let ac = comps.iter().map(|&(_, _, ta)| find(4 + ta)).collect();
    Ok(Scan {
        comps,
        ss,
        se: if f.progressive { se } else { 63 },
        ah,
        al,
        segments: Vec::new(),
        restart_interval,
        dc,
        ac,
    })
}

/// Copy the entropy-coded data starting at `start` into `out` without
/// byte stuffing. Returns the (start, end) ranges in `out` between RST
/// markers and the file position of the marker that ended the scan.
fn destuff(d: &[u8], start: usize, out: &mut Vec<u8>) -> (Vec<(usize, usize)>, usize) {
    let mut segs = Vec::new();
    let mut seg_start = out.len();
    let mut i = start;
    out.reserve(d.len().saturating_sub(start));
    loop {
        // Fast copy up to the next 0xFF.
        let rest = &d[i..];
        let n = rest.iter().position(|&b| b == 0xff).unwrap_or(rest.len());
        out.extend_from_slice(&rest[..n]);
        i += n;
        if i >= d.len() {
            segs.push((seg_start, out.len()));
            return (segs, d.len());
        }
        // d[i] == 0xFF
        let mut j = i + 1;
        while j < d.len() && d[j] == 0xff {
            j += 1;
        }
        if j >= d.len() {
            segs.push((seg_start, out.len()));
            return (segs, d.len());
        }
        match d[j] {
            0x00 => {
                out.push(0xff);
                i = j + 1;
            }
            0xd0..=0xd7 => {
                segs.push((seg_start, out.len()));
                seg_start = out.len();
                i = j + 1;
            }
            _ => {
                segs.push((seg_start, out.len()));
                return (segs, i);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Entropy decoding

/// Walks one scan MCU row by MCU row, keeping the entropy state (bit
/// reader, DC predictions, EOB run, restart intervals) between rows.
struct ScanDecoder<'a> {
    scan: &'a Scan,
    entropy: &'a [u8],
    progressive: bool,
    mcus_x: usize,
    mcus_y: usize,
    interval: usize,
    left: usize,
    seg: usize,
    bits: Bits<'a>,
    pred: [i32; 4],
    eobrun: u32,
    /// Per scan component: block offsets (in coefficients) of an MCU's
    /// blocks within a row slab, and the offset step per MCU.
    rel: Vec<Vec<usize>>,
    xstep: Vec<usize>,
    /// Coefficients per row slab, per scan component.
    slab: Vec<usize>,
    hit_end: bool,
    bad_code: bool,
    empty: Huffman,
}

impl<'a> ScanDecoder<'a> {
    fn new(f: &'a JpegFile, scan: &'a Scan) -> ScanDecoder<'a> {
        let single = scan.comps.len() == 1;
        let (mcus_x, mcus_y) = if single {
            let c = &f.comps[scan.comps[0].0];
            (c.dw.div_ceil(8), c.dh.div_ceil(8))
        } else {
            (f.mcux, f.mcuy)
        };
        let mut rel = Vec::new();
        let mut xstep = Vec::new();
        let mut slab = Vec::new();
        for &(ci, _, _) in &scan.comps {
            let c = &f.comps[ci];
            if single {
                rel.push(vec![0]);
                xstep.push(64);
                slab.push(c.bw * 64);
            } else {
                rel.push(
                    (0..c.v)
                        .flat_map(|by| (0..c.h).map(move |bx| (by * c.bw + bx) * 64))
                        .collect(),
                );
                xstep.push(c.h * 64);
                slab.push(c.bw * c.v * 64);
            }
        }
        let total = mcus_x * mcus_y;
        let interval = if scan.restart_interval > 0 {
            scan.restart_interval
        } else {
            total.max(1)
        };
        let (s0, s1) = scan.segments.first().copied().unwrap_or((0, 0));
        ScanDecoder {
            scan,
            entropy: &f.entropy,
            progressive: f.progressive,
            mcus_x,
            mcus_y,
            interval,
            left: interval,
            seg: 0,
            bits: Bits::new(&f.entropy[s0..s1]),
            pred: [0; 4],
            eobrun: 0,
            rel,
            xstep,
            slab,
            hit_end: false,
            bad_code: false,
            empty: Huffman::new(&[0; 16], &[]).expect("empty table"),
        }
    }

    fn next_segment(&mut self) {
        self.hit_end |= self.bits.hit_end;
        self.bad_code |= self.bits.bad_code;
        self.seg += 1;
        let (s0, s1) = self.scan.segments.get(self.seg).copied().unwrap_or((0, 0));
        self.bits = Bits::new(&self.entropy[s0..s1]);
        self.pred = [0; 4];
        self.eobrun = 0;
        self.left = self.interval;
    }

    fn finish(&mut self) {
        self.hit_end |= self.bits.hit_end;
        self.bad_code |= self.bits.bad_code;
    }

    /// Decode MCU row `my` into the row slabs (one per scan component).
    fn decode_row(&mut self, slabs: &mut [&mut [i16]]) {
        let scan = self.scan;
        let n = scan.comps.len();
        for mx in 0..self.mcus_x {
            if self.left == 0 {
                self.next_segment();
            }
            self.left -= 1;
            if self.bits.hit_end {
                continue;
            }
            for (si, slab) in slabs.iter_mut().enumerate().take(n) {
                let dc = scan.dc[si].as_ref().unwrap_or(&self.empty);
                let ac = scan.ac[si].as_ref();
                let base = mx * self.xstep[si];
                for &r in &self.rel[si] {
                    let off = base + r;
                    let blk = &mut slab[off..off + 64];
                    if !self.progressive {
                        decode_seq_block(&mut self.bits, blk, dc, ac.unwrap_or(&self.empty), &mut self.pred[si]);
                    } else {
                        decode_prog_block(&mut self.bits, blk, scan, dc, ac, &mut self.pred[si], &mut self.eobrun);
                    }
                }
            }
            self.bits.check_end();
        }
    }
}

/// A baseline/extended block: DC difference, then run/size AC codes.
#[inline(always)]
fn decode_seq_block(bits: &mut Bits<'_>, blk: &mut [i16], dc: &Huffman, ac: &Huffman, pred: &mut i32) {
    let s = u32::from(bits.decode(dc));
    let diff = extend(bits.bits(s), s);
    *pred = pred.wrapping_add(diff);
    blk[0] = *pred as i16;
    let mut k = 1usize;
    while k < 64 {
        if bits.nbits < 16 {
            bits.refill();
        }
        let fe = ac.fast_ac[(bits.acc >> (64 - LOOK_BITS)) as usize];
        if fe != 0 {
            bits.consume((fe & 0xff) as u32);
            k += ((fe >> 8) & 0xff) as usize;
            blk[NATURAL[k]] = (fe >> 16) as i16;
            k += 1;
            continue;
        }
        let rs = bits.decode(ac);
        let r = usize::from(rs >> 4);
        let s = u32::from(rs & 15);
        if s != 0 {
            k += r;
            let v = extend(bits.bits(s), s);
            blk[NATURAL[k]] = v as i16;
        } else {
            if r != 15 {
                break;
            }
            k += 15;
        }
        k += 1;
    }
}

/// One block of a progressive scan (DC first/refine, AC first/refine),
/// following libjpeg's jdphuff step for step.
#[inline]
fn decode_prog_block(
    bits: &mut Bits<'_>,
    blk: &mut [i16],
    scan: &Scan,
    dc: &Huffman,
    ac: Option<&Huffman>,
    pred: &mut i32,
    eobrun: &mut u32,
) {
    let (ss, se, ah, al) = (scan.ss, scan.se, scan.ah, scan.al);
    if ss == 0 {
        if ah == 0 {
            let s = u32::from(bits.decode(dc));
            let diff = extend(bits.bits(s), s);
            *pred = pred.wrapping_add(diff);
            blk[0] = ((*pred as u32) << al) as i32 as i16;
        } else if bits.bit() != 0 {
            blk[0] |= (1i32 << al) as i16;
        }
        return;
    }
    let Some(ac) = ac else { return };
    if ah == 0 {
        if *eobrun > 0 {
            *eobrun -= 1;
            return;
        }
        let mut k = ss;
        while k <= se {
            let rs = bits.decode(ac);
            let r = u32::from(rs >> 4);
            let s = u32::from(rs & 15);
            if s != 0 {
                k += r as usize;
                let v = extend(bits.bits(s), s);
                blk[NATURAL[k.min(79)]] = ((v as u32) << al) as i32 as i16;
            } else if r == 15 {
                k += 15;
            } else {
                *eobrun = 1 << r;
                if r != 0 {
                    *eobrun += bits.bits(r);
                }
                *eobrun -= 1;
                break;
            }
            k += 1;
        }
        return;
    }
    let p1: i16 = (1i32 << al) as i16;
    let m1: i16 = ((-1i32) << al) as i16;
    let refine = |bits: &mut Bits<'_>, c: &mut i16| {
        if bits.bit() != 0 && (*c & p1) == 0 {
            *c = if *c >= 0 {
                c.wrapping_add(p1)
            } else {
                c.wrapping_add(m1)
            };
        }
    };
    let mut k = ss;
    if *eobrun == 0 {
        while k <= se {
            let rs = bits.decode(ac);
            let mut r = i32::from(rs >> 4);
            let s = rs & 15;
            let mut val: i16 = 0;
            if s != 0 {
                if s != 1 {
                    bits.bad_code = true;
                }
                val = if bits.bit() != 0 { p1 } else { m1 };
            } else if r != 15 {
                *eobrun = 1 << r;
                if r != 0 {
                    *eobrun += bits.bits(r as u32);
                }
                break;
            }
            // Skip r zero coefficients (refining the nonzero ones on the
            // way), stopping at the target zero coefficient.
            loop {
                let pos = NATURAL[k];
                if blk[pos] != 0 {
                    refine(bits, &mut blk[pos]);
                } else {
                    r -= 1;
                    if r < 0 {
                        break;
                    }
                }
                k += 1;
                if k > se {
                    break;
                }
            }
            if val != 0 {
                blk[NATURAL[k.min(79)]] = val;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        while k <= se {
            let pos = NATURAL[k];
            if blk[pos] != 0 {
                refine(bits, &mut blk[pos]);
            }
            k += 1;
        }
        *eobrun -= 1;
    }
}

/// Decode every scan into whole-image coefficient buffers (one per
/// component, `bw * bh` blocks, natural order).
fn decode_all_scans(f: &mut JpegFile) -> Vec<Vec<i16>> {
    let mut coefs: Vec<Vec<i16>> = f.comps.iter().map(|c| vec![0i16; c.bw * c.bh * 64]).collect();
    let (mut hit_end, mut bad_code) = (false, false);
    for scan in &f.scans {
        let mut d = ScanDecoder::new(f, scan);
        let comps: Vec<usize> = scan.comps.iter().map(|c| c.0).collect();
        // Split each component's buffer into row slabs, in scan order.
        let mut iters: Vec<std::slice::ChunksMut<'_, i16>> = Vec::new();
        let mut rest: Vec<&mut Vec<i16>> = coefs.iter_mut().collect();
        let mut picked: Vec<(usize, &mut Vec<i16>)> = Vec::new();
        for (ci, v) in rest.drain(..).enumerate() {
            if comps.contains(&ci) {
                picked.push((ci, v));
            }
        }
        for &ci in &comps {
            let pos = picked.iter().position(|(c, _)| *c == ci).expect("component");
            let (_, v) = picked.swap_remove(pos);
            let si = iters.len();
            iters.push(v.chunks_mut(d.slab[si]));
        }
        for _ in 0..d.mcus_y {
            let mut slabs: Vec<&mut [i16]> = iters.iter_mut().filter_map(|it| it.next()).collect();
            if slabs.len() != comps.len() {
                break;
            }
            d.decode_row(&mut slabs);
        }
        d.finish();
        hit_end |= d.hit_end;
        bad_code |= d.bad_code;
    }
    if hit_end {
        f.warnings
            .push("Corrupt JPEG data: premature end of data segment".into());
    }
    if bad_code {
        f.warnings.push("Corrupt JPEG data: bad Huffman code".into());
    }
    coefs
}

// ---------------------------------------------------------------------------
// Inverse DCT (libjpeg's jidctint "islow", bit-exact)

const CONST_BITS: i32 = 13;
const PASS1_BITS: i32 = 2;
const FIX_0_298631336: i32 = 2446;
const FIX_0_390180644: i32 = 3196;
const FIX_0_541196100: i32 = 4433;
const FIX_0_765366865: i32 = 6270;
const FIX_0_899976223: i32 = 7373;
const FIX_1_175875602: i32 = 9633;
const FIX_1_501321110: i32 = 12299;
const FIX_1_847759065: i32 = 15137;
const FIX_1_961570560: i32 = 16069;
const FIX_2_053119869: i32 = 16819;
const FIX_2_562915447: i32 = 20995;
const FIX_3_072711026: i32 = 25172;

/// libjpeg's post-IDCT range limit: (x + 128) clamped, with the wrap-around
/// its 1024-entry table gives values far outside the range.
static IDCT_LIMIT: [u8; 1024] = {
    let mut t = [0u8; 1024];
    let mut i = 0;
    while i < 1024 {
        t[i] = if i < 128 {
            (i + 128) as u8
        } else if i < 512 {
            255
        } else if i < 896 {
            0
        } else {
            (i - 896) as u8
        };
        i += 1;
    }
    t
};

/// The 1-D LL&M IDCT on eight lanes at once: `inp[k][lane]` is input
/// coefficient k, the result `[k][lane]` output sample k, descaled by
/// `shift`. 32-bit wrapping arithmetic, as libjpeg-turbo's SIMD code.
#[inline(always)]
fn idct_lanes(inp: &[[i32; 8]; 8], shift: i32) -> [[i32; 8]; 8] {
    let mut out = [[0i32; 8]; 8];
    let round = 1i32 << (shift - 1);
    for l in 0..8 {
        let (i0, i1, i2, i3) = (inp[0][l], inp[1][l], inp[2][l], inp[3][l]);
        let (i4, i5, i6, i7) = (inp[4][l], inp[5][l], inp[6][l], inp[7][l]);
        let z1 = i2.wrapping_add(i6).wrapping_mul(FIX_0_541196100);
        let tmp2 = z1.wrapping_add(i6.wrapping_mul(-FIX_1_847759065));
        let tmp3 = z1.wrapping_add(i2.wrapping_mul(FIX_0_765366865));
        let tmp0 = i0.wrapping_add(i4) << CONST_BITS;
        let tmp1 = i0.wrapping_sub(i4) << CONST_BITS;
        let tmp10 = tmp0.wrapping_add(tmp3);
        let tmp13 = tmp0.wrapping_sub(tmp3);
        let tmp11 = tmp1.wrapping_add(tmp2);
        let tmp12 = tmp1.wrapping_sub(tmp2);
        let (t0, t1, t2, t3) = (i7, i5, i3, i1);
        let z1 = t0.wrapping_add(t3);
        let z2 = t1.wrapping_add(t2);
        let z3 = t0.wrapping_add(t2);
        let z4 = t1.wrapping_add(t3);
        let z5 = z3.wrapping_add(z4).wrapping_mul(FIX_1_175875602);
        let t0 = t0.wrapping_mul(FIX_0_298631336);
        let t1 = t1.wrapping_mul(FIX_2_053119869);
        let t2 = t2.wrapping_mul(FIX_3_072711026);
        let t3 = t3.wrapping_mul(FIX_1_501321110);
        let z1 = z1.wrapping_mul(-FIX_0_899976223);
        let z2 = z2.wrapping_mul(-FIX_2_562915447);
        let z3 = z3.wrapping_mul(-FIX_1_961570560).wrapping_add(z5);
        let z4 = z4.wrapping_mul(-FIX_0_390180644).wrapping_add(z5);
        let t0 = t0.wrapping_add(z1).wrapping_add(z3);
        let t1 = t1.wrapping_add(z2).wrapping_add(z4);
        let t2 = t2.wrapping_add(z2).wrapping_add(z3);
        let t3 = t3.wrapping_add(z1).wrapping_add(z4);
        let d = |x: i32| x.wrapping_add(round) >> shift;
        out[0][l] = d(tmp10.wrapping_add(t3));
        out[7][l] = d(tmp10.wrapping_sub(t3));
        out[1][l] = d(tmp11.wrapping_add(t2));
        out[6][l] = d(tmp11.wrapping_sub(t2));
        out[2][l] = d(tmp12.wrapping_add(t1));
        out[5][l] = d(tmp12.wrapping_sub(t1));
        out[3][l] = d(tmp13.wrapping_add(t0));
        out[4][l] = d(tmp13.wrapping_sub(t0));
    }
    out
}

/// IDCT one block into 8x8 samples at `out` (row stride `stride`).
#[inline(always)]
fn idct_block(blk: &[i16], q: &[u16; 64], out: &mut [u8], stride: usize) {
    let blk: &[i16; 64] = blk.try_into().expect("64 coefficients");
    if blk[1..].iter().all(|&c| c == 0) {
        // DC only: both passes reduce to one descaled value.
        let dc = (i32::from(blk[0]).wrapping_mul(i32::from(q[0])) << PASS1_BITS).wrapping_add(16) >> 5;
        let v = IDCT_LIMIT[(dc & 1023) as usize];
        for r in 0..8 {
            out[r * stride..r * stride + 8].fill(v);
        }
        return;
    }
    let mut a = [[0i32; 8]; 8];
    for r in 0..8 {
        for c in 0..8 {
            a[r][c] = i32::from(blk[r * 8 + c]).wrapping_mul(i32::from(q[r * 8 + c]));
        }
    }
    // Pass 1 over the columns (lanes), then transpose so pass 2 runs over
    // the rows as lanes.
    let ws = idct_lanes(&a, CONST_BITS - PASS1_BITS);
    let mut t = [[0i32; 8]; 8];
    for r in 0..8 {
        for c in 0..8 {
            t[c][r] = ws[r][c];
        }
    }
    let o = idct_lanes(&t, CONST_BITS + PASS1_BITS + 3);
    // o[k][row] is column k of `row`.
    for row in 0..8 {
        let dst = &mut out[row * stride..row * stride + 8];
        for k in 0..8 {
            dst[k] = IDCT_LIMIT[(o[k][row] & 1023) as usize];
        }
    }
}

/// IDCT a row slab of a component (`v` block rows of `bw` blocks) into
/// plane rows (`v * 8` rows of `bw * 8` samples).
#[inline(always)]
fn idct_slab_generic(coefs: &[i16], q: &[u16; 64], plane: &mut [u8], bw: usize) {
    let stride = bw * 8;
    for (brow, rows) in coefs.chunks(bw * 64).zip(plane.chunks_mut(stride * 8)) {
        for bx in 0..bw {
            idct_block(&brow[bx * 64..bx * 64 + 64], q, &mut rows[bx * 8..], stride);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
/// # Safety
/// The CPU must support AVX2 (checked by the caller).
unsafe fn idct_slab_avx2(coefs: &[i16], q: &[u16; 64], plane: &mut [u8], bw: usize) {
    idct_slab_generic(coefs, q, plane, bw)
}

/// IDCT a row slab with the fastest code the CPU runs.
fn idct_slab(coefs: &[i16], q: &[u16; 64], plane: &mut [u8], bw: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just checked.
            unsafe { idct_slab_avx2(coefs, q, plane, bw) };
            return;
        }
    }
    idct_slab_generic(coefs, q, plane, bw)
}

// ---------------------------------------------------------------------------
// Upsampling (libjpeg-turbo's methods) and colour conversion

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Up {
    Full,
    H2V1Fancy,
    H2V1Box,
    H1V2Fancy,
    H2V2Fancy,
    H2V2Box,
    Int(usize, usize),
}

fn upsample_method(c: &Component, hmax: usize, vmax: usize) -> Option<Up> {
    let (h, v) = (c.h, c.v);
    Some(if h == hmax && v == vmax {
        Up::Full
    } else if h * 2 == hmax && v == vmax {
        if c.dw > 2 {
            Up::H2V1Fancy
        } else {
            Up::H2V1Box
        }
    } else if h == hmax && v * 2 == vmax {
        Up::H1V2Fancy
    } else if h * 2 == hmax && v * 2 == vmax {
        if c.dw > 2 {
            Up::H2V2Fancy
        } else {
            Up::H2V2Box
        }
    } else if hmax % h == 0 && vmax % v == 0 {
        Up::Int(hmax / h, vmax / v)
    } else {
        return None;
    })
}

/// One full-resolution row `y` of a component: either a slice of its
/// plane or upsampled into `buf`.
fn component_row<'a>(plane: &'a [u8], c: &Component, method: Up, y: usize, buf: &'a mut [u8]) -> &'a [u8] {
    let stride = c.bw * 8;
    let row = |r: usize| &plane[r * stride..r * stride + c.dw];
    let last_row = c.dh.saturating_sub(1);
    match method {
        Up::Full => return row(y),
        Up::H2V1Box | Up::H2V2Box | Up::Int(..) => {
            let (hx, vx) = match method {
                Up::H2V1Box => (2, 1),
                Up::H2V2Box => (2, 2),
                Up::Int(a, b) => (a, b),
                _ => (1, 1),
            };
            let src = row((y / vx).min(last_row));
            for (o, &s) in buf.chunks_exact_mut(hx).zip(src) {
                o.fill(s);
            }
        }
        Up::H2V1Fancy => h2v1_fancy(row(y), buf),
        Up::H1V2Fancy => {
            let cy = (y / 2).min(last_row);
            let (other, bias) = if y % 2 == 0 {
                (cy.saturating_sub(1), 1)
            } else {
                ((cy + 1).min(last_row), 2)
            };
            for ((o, &a), &b) in buf.iter_mut().zip(row(cy)).zip(row(other)) {
                *o = ((u32::from(a) * 3 + u32::from(b) + bias) >> 2) as u8;
            }
        }
        Up::H2V2Fancy => {
            let cy = (y / 2).min(last_row);
            let other = if y % 2 == 0 {
                cy.saturating_sub(1)
            } else {
                (cy + 1).min(last_row)
            };
            h2v2_fancy(row(cy), row(other), buf);
        }
    }
    buf
}

fn h2v1_fancy(inp: &[u8], out: &mut [u8]) {
    let n = inp.len();
    let v = |i: usize| u32::from(inp[i]);
    out[0] = inp[0];
    out[1] = ((v(0) * 3 + v(1) + 2) >> 2) as u8;
    for ((o, w), &x) in out[2..2 * n - 2]
        .chunks_exact_mut(2)
        .zip(inp.windows(3))
        .zip(&inp[1..n - 1])
    {
        let x = u32::from(x) * 3;
        o[0] = ((x + u32::from(w[0]) + 1) >> 2) as u8;
        o[1] = ((x + u32::from(w[2]) + 2) >> 2) as u8;
    }
    out[2 * n - 2] = ((v(n - 1) * 3 + v(n - 2) + 1) >> 2) as u8;
    out[2 * n - 1] = inp[n - 1];
}

fn h2v2_fancy(near: &[u8], far: &[u8], out: &mut [u8]) {
    let n = near.len();
    let mut cs = [0u32; 4096];
    let mut heap = Vec::new();
    let sums: &mut [u32] = if n <= cs.len() {
        &mut cs[..n]
    } else {
        heap.resize(n, 0u32);
        &mut heap
    };
    for ((s, &a), &b) in sums.iter_mut().zip(near).zip(far) {
        *s = u32::from(a) * 3 + u32::from(b);
    }
    out[0] = ((sums[0] * 4 + 8) >> 4) as u8;
    out[1] = ((sums[0] * 3 + sums[1] + 7) >> 4) as u8;
    for (o, w) in out[2..2 * n - 2].chunks_exact_mut(2).zip(sums.windows(3)) {
        let this = w[1] * 3;
        o[0] = ((this + w[0] + 8) >> 4) as u8;
        o[1] = ((this + w[2] + 7) >> 4) as u8;
    }
    out[2 * n - 2] = ((sums[n - 1] * 3 + sums[n - 2] + 8) >> 4) as u8;
    out[2 * n - 1] = ((sums[n - 1] * 4 + 7) >> 4) as u8;
}

/// libjpeg's YCbCr → RGB (its fixed-point tables, computed inline).
#[inline(always)]
fn ycc_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (i32::from(y), i32::from(cb) - 128, i32::from(cr) - 128);
    let r = y + ((91881 * cr + 32768) >> 16);
    let g = y + ((-22554 * cb + 32768 - 46802 * cr) >> 16);
    let b = y + ((116130 * cb + 32768) >> 16);
    [r.clamp(0, 255) as u8, g.clamp(0, 255) as u8, b.clamp(0, 255) as u8]
}

/// Everything the output stage needs.
struct OutputCtx<'a> {
    comps: &'a [Component],
    methods: Vec<Up>,
    color: ColorSpace,
    width: usize,
    out_ch: usize,
    cmyk_lut: Option<Vec<u8>>,
}

impl OutputCtx<'_> {
    /// Convert output rows starting at `y0` into `out` (whole rows).
    fn rows(&self, planes: &[Vec<u8>], y0: usize, out: &mut [u8]) {
        let w = self.width;
        let n = self.comps.len();
        let mut bufs: Vec<Vec<u8>> = self.comps.iter().map(|c| vec![0u8; c.dw * 4 + w + 16]).collect();
        for (r, orow) in out.chunks_mut(w * self.out_ch).enumerate() {
            let y = y0 + r;
            let mut rows: Vec<&[u8]> = Vec::with_capacity(n);
            for (ci, buf) in bufs.iter_mut().enumerate() {
                rows.push(component_row(&planes[ci], &self.comps[ci], self.methods[ci], y, buf));
            }
            self.convert(&rows, orow);
        }
    }

    fn convert(&self, rows: &[&[u8]], out: &mut [u8]) {
        let w = self.width;
        match self.color {
            ColorSpace::Gray => out.copy_from_slice(&rows[0][..w]),
            ColorSpace::Rgb => {
                for (((o, &r), &g), &b) in out.chunks_exact_mut(3).zip(rows[0]).zip(rows[1]).zip(rows[2]) {
                    o.copy_from_slice(&[r, g, b]);
                }
            }
            ColorSpace::YCbCr => convert_ycc(&rows[0][..w], &rows[1][..w], &rows[2][..w], out),
            ColorSpace::Cmyk | ColorSpace::Ycck => {
                let lut = self.cmyk_lut.as_ref().expect("lut");
                for x in 0..w {
                    let [c, m, yv] = if self.color == ColorSpace::Ycck {
                        let [r, g, b] = ycc_to_rgb(rows[0][x], rows[1][x], rows[2][x]);
                        [255 - r, 255 - g, 255 - b]
                    } else {
                        [rows[0][x], rows[1][x], rows[2][x]]
                    };
                    let k = usize::from(rows[3][x]) << 8;
                    out[3 * x] = lut[k | usize::from(c)];
                    out[3 * x + 1] = lut[k | usize::from(m)];
                    out[3 * x + 2] = lut[k | usize::from(yv)];
                }
            }
            ColorSpace::Unknown => {
                let n = rows.len();
                for (x, o) in out.chunks_exact_mut(n).enumerate() {
                    for (ci, v) in o.iter_mut().enumerate() {
                        *v = rows[ci][x];
                    }
                }
            }
        }
    }
}

#[inline(always)]
fn convert_ycc_generic(y: &[u8], cb: &[u8], cr: &[u8], out: &mut [u8]) {
    for (((o, &y), &b), &r) in out.chunks_exact_mut(3).zip(y).zip(cb).zip(cr) {
        o.copy_from_slice(&ycc_to_rgb(y, b, r));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
/// # Safety
/// The CPU must support AVX2 (checked by the caller).
unsafe fn convert_ycc_avx2(y: &[u8], cb: &[u8], cr: &[u8], out: &mut [u8]) {
    convert_ycc_generic(y, cb, cr, out)
}

fn convert_ycc(y: &[u8], cb: &[u8], cr: &[u8], out: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just checked.
            unsafe { convert_ycc_avx2(y, cb, cr, out) };
            return;
        }
    }
    convert_ycc_generic(y, cb, cr, out)
}

/// Decode the pixels: the whole image, top to bottom, in OIIO's channel
/// layout (1 grey, 3 RGB, or the raw components of unknown spaces).
fn decode_pixels(f: &mut JpegFile, path: &str) -> Result<PixelData, IoError> {
    let methods: Vec<Up> = f
        .comps
        .iter()
        .map(|c| upsample_method(c, f.hmax, f.vmax))
        .collect::<Option<_>>()
        .ok_or_else(|| jerr("Fractional sampling not implemented yet", path))?;
    let (w, h) = (f.width, f.height);
    let out_ch = match f.color {
        ColorSpace::Gray => 1,
        ColorSpace::YCbCr | ColorSpace::Rgb | ColorSpace::Cmyk | ColorSpace::Ycck => 3,
        ColorSpace::Unknown => f.comps.len(),
    };
    let mut px = PixelData::zeroed(w * h * out_ch).map_err(|e| IoError::Corrupt(e.to_string()))?;
    let cmyk_lut = matches!(f.color, ColorSpace::Cmyk | ColorSpace::Ycck).then(|| {
        (0..65536u32)
            .map(|i| u8::from_f32_scalar(((i & 255) as u8).to_f32() * ((i >> 8) as u8).to_f32()))
            .collect()
    });
    let mut planes: Vec<Vec<u8>> = f.comps.iter().map(|c| vec![0u8; c.bw * 8 * c.bh * 8]).collect();
    let qs: Vec<[u16; 64]> = f.comp_qt.iter().map(|q| q.unwrap_or([0; 64])).collect();
    let single_pass = !f.progressive
        && f.scans.len() == 1
        && (f.scans[0].comps.len() == f.comps.len())
        && (f.comps.len() == 1 || f.scans[0].comps.iter().enumerate().all(|(i, c)| c.0 == i));
    if single_pass && rayon::current_num_threads() > 1 {
        // Pipeline: one thread decodes the entropy-coded rows, this one
        // runs the IDCT and the output stage a row behind.
        let fr: &JpegFile = f;
        let ctx = OutputCtx {
            comps: &fr.comps,
            methods,
            color: fr.color,
            width: w,
            out_ch,
            cmyk_lut,
        };
        let single = fr.comps.len() == 1;
        let band = if single { 8 } else { 8 * fr.vmax };
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Vec<i16>>)>(8);
        let flags = std::thread::scope(|s| {
            let producer = s.spawn(move || {
                let scan = &fr.scans[0];
                let mut d = ScanDecoder::new(fr, scan);
                for my in 0..d.mcus_y {
                    let mut bufs: Vec<Vec<i16>> = d.slab.iter().map(|&n| vec![0i16; n]).collect();
                    let mut slabs: Vec<&mut [i16]> = bufs.iter_mut().map(|b| b.as_mut_slice()).collect();
                    d.decode_row(&mut slabs);
                    if tx.send((my, bufs)).is_err() {
                        break;
                    }
                }
                d.finish();
                (d.hit_end, d.bad_code)
            });
            let out = px.bytes_mut();
            let rowbytes = w * out_ch;
            let mut done_rows = 0usize;
            while let Ok((my, bufs)) = rx.recv() {
                for (ci, coefs) in bufs.iter().enumerate() {
                    let c = &fr.comps[ci];
                    let rows = if single { 8 } else { c.v * 8 };
                    let stride = c.bw * 8;
                    let start = my * rows * stride;
                    let end = (start + rows * stride).min(planes[ci].len());
                    idct_slab(coefs, &qs[ci], &mut planes[ci][start..end], c.bw);
                }
                // Rows of the previous band now have their context.
                if my >= 1 {
                    let y0 = done_rows;
                    let y1 = (my * band).min(h);
                    if y1 > y0 {
                        ctx.rows(&planes, y0, &mut out[y0 * rowbytes..y1 * rowbytes]);
                        done_rows = y1;
                    }
                }
            }
            if done_rows < h {
                ctx.rows(&planes, done_rows, &mut out[done_rows * rowbytes..h * rowbytes]);
            }
            producer.join().unwrap_or((true, false))
        });
        if flags.0 {
            f.warnings
                .push("Corrupt JPEG data: premature end of data segment".into());
        }
        if flags.1 {
            f.warnings.push("Corrupt JPEG data: bad Huffman code".into());
        }
        return Ok(px);
    }
    let coefs = decode_all_scans(f);
    for (ci, c) in f.comps.iter().enumerate() {
        let stride = c.bw * 8;
        planes[ci]
            .par_chunks_mut(stride * 8)
            .zip(coefs[ci].par_chunks(c.bw * 64))
            .for_each(|(rows, blocks)| idct_slab(blocks, &qs[ci], rows, c.bw));
    }
    drop(coefs);
    let ctx = OutputCtx {
        comps: &f.comps,
        methods,
        color: f.color,
        width: w,
        out_ch,
        cmyk_lut,
    };
    let rows_per_task = 16;
    px.bytes_mut()
        .par_chunks_mut(w * out_ch * rows_per_task)
        .enumerate()
        .for_each(|(task, dst)| ctx.rows(&planes, task * rows_per_task, dst));
    Ok(px)
}

// ---------------------------------------------------------------------------
// Reader

struct JpegReader {
    path: String,
    data: Vec<u8>,
    spec: ImageSpec,
    thumb: Option<(usize, usize)>,
}

fn subsampling_name(f: &JpegFile) -> &'static str {
    if f.comps.len() < 3 {
        return "";
    }
    let s: Vec<usize> = f.comps[..3].iter().flat_map(|c| [c.h, c.v]).collect();
    match s.as_slice() {
        [1, 1, 1, 1, 1, 1] => "4:4:4",
        [2, 1, 1, 1, 1, 1] => "4:2:2",
        [2, 2, 1, 1, 1, 1] => "4:2:0",
        [4, 1, 1, 1, 1, 1] => "4:1:1",
        _ => "",
    }
}

/// OIIO's reader checks on the header's resolution and the global limits.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let fail = |m: String| Err(IoError::Corrupt(m));
    if n > 3 {
        return fail(format!(
            "jpeg does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return fail(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return fail(format!(
            "jpeg image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let bytes = spec.image_bytes(true);
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return fail(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        ));
    }
    if file_size > 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return fail(format!(
            "jpeg header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

/// Find an embedded JPEG thumbnail in an Exif blob (OIIO's scan: first SOI,
/// then markers up to EOI, noting the SOF0/SOF2 size).
fn scan_thumbnail(exif: &[u8], spec: &mut ImageSpec) -> Option<(usize, usize)> {
    if exif.len() < 2 {
        return None;
    }
    let mut i = exif.windows(2).position(|w| w == [0xff, 0xd8])?;
    let soi = i;
    let (mut width, mut height, mut numchan) = (0u16, 0u16, 0i32);
    let at = |k: usize| exif.get(k).copied();
    while i < exif.len() - 1 {
        let b = exif[i];
        i += 1;
        if b != 0xff {
            continue;
        }
        let marker = exif[i];
        if marker == 0xd9 {
            spec.attribute_int("thumbnail_width", i32::from(width));
            spec.attribute_int("thumbnail_height", i32::from(height));
            spec.attribute_int("thumbnail_nchannels", numchan);
            return Some((soi, i + 1));
        }
        let sized = (0xc0..0xd0).contains(&marker) || (marker > 0xd9 && marker != 0xff);
        if !sized {
            continue;
        }
        // Marker segment fields are big-endian (the reference reads them
        // so whatever the Exif byte order).
        let rd16 = |k: usize| -> Option<u16> { Some(u16::from(at(k)?) << 8 | u16::from(at(k + 1)?)) };
        let mut length = rd16(i + 1)?;
        if marker == 0xc0 || marker == 0xc2 {
            height = rd16(i + 4)?;
            width = rd16(i + 6)?;
            numchan = i32::from(at(i + 8)?);
        }
        length = length.wrapping_sub(2);
        if i + usize::from(length) < exif.len() - 1 {
            i += usize::from(length);
        }
    }
    None
}

/// Build the spec from the headers and saved markers, as OIIO's open does.
fn header_spec(f: &JpegFile) -> (ImageSpec, Option<(usize, usize, usize)>) {
    let nch = match f.color {
        ColorSpace::Cmyk | ColorSpace::Ycck => 3,
        _ => f.comps.len() as i32 as usize,
    } as i32;
    let mut spec = ImageSpec::new(f.width as i32, f.height as i32, nch, TypeDesc::UINT8);
    spec.set_colorspace("srgb_rec709_scene");
    match f.color {
        ColorSpace::Cmyk if f.comps.len() == 4 => spec.attribute_str("jpeg:ColorSpace", "CMYK"),
        ColorSpace::Ycck => spec.attribute_str("jpeg:ColorSpace", "YCbCrK"),
        _ => {}
    }
    let sub = subsampling_name(f);
    if !sub.is_empty() {
        spec.attribute_str("jpeg:subsampling", sub);
    }
    let mut thumb = None;
    let com_attrs = globals::get_int_attribute("jpeg:com_attributes", 0) != 0;
    for (mi, m) in f.markers.iter().enumerate() {
        let d = &m.data;
        if m.marker == 0xe1 && d.len() >= 6 && d.starts_with(b"Exif\0") {
            let exif = &d[6..];
            let ok = meta::decode_exif(exif, &mut spec);
            let _ = ok;
            if let Some((a, b)) = scan_thumbnail(exif, &mut spec) {
                thumb = Some((mi, 6 + a, 6 + b));
            }
        } else if m.marker == 0xe1 && d.len() >= 28 && d.starts_with(b"http://ns.adobe.com/xap/1.0/") {
            meta_xmp::decode_xmp(d, &mut spec);
        } else if m.marker == 0xed && d.len() >= 13 && d.starts_with(b"Photoshop 3.0") {
            decode_photoshop_iptc(d, &mut spec);
        } else if m.marker == 0xfe {
            let text = meta::cstring(d);
            if com_attrs && comment_attribute(&text, &mut spec) {
                continue;
            }
            if spec
                .extra_attribs
                .get("ImageDescription", TypeDesc::STRING, false)
                .is_none()
            {
                spec.attribute_str("ImageDescription", &text);
            }
        }
    }
    // JFIF density (after Exif, which may have set resolutions).
    let mut xd = spec.get_float_attribute("XResolution", 0.0);
    let mut yd = spec.get_float_attribute("YResolution", 0.0);
    let (unit, xden, yden) = f.jfif.unwrap_or((0, 1, 1));
    if xden != 0 && yden != 0 {
        xd = f32::from(xden);
        yd = f32::from(yden);
        if xd > 1.0 && yd > 1.0 {
            spec.attribute_float("XResolution", xd);
            spec.attribute_float("YResolution", yd);
        }
    }
    if xd != 0.0 && yd != 0.0 {
        let aspect = xd / yd;
        if aspect != 1.0 {
            spec.attribute_float("PixelAspectRatio", aspect);
        }
        if spec.extra_attribs.contains("XResolution", TypeDesc::UNKNOWN, true) {
            match unit {
                0 => spec.attribute_str("ResolutionUnit", "none"),
                1 => spec.attribute_str("ResolutionUnit", "in"),
                2 => spec.attribute_str("ResolutionUnit", "cm"),
                _ => {}
            }
        }
    }
    read_icc_profile(f, &mut spec);
    (spec, thumb)
}

/// "key:value" / "ident:key:value" comments (with jpeg:com_attributes).
fn comment_attribute(data: &str, spec: &mut ImageSpec) -> bool {
    let Some(sep) = data.find(':').filter(|&s| s > 0) else {
        return false;
    };
    let (left, right) = (&data[..sep], &data[sep + 1..]);
    if let Some(s2) = right.find(':').filter(|&s| s > 0) {
        let (mid, value) = (&right[..s2], &right[s2 + 1..]);
        let ident = left.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && left.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ident && mid == mid.trim() {
            let name = format!("{left}:{mid}");
            if spec.extra_attribs.get(&name, TypeDesc::STRING, false).is_none() {
                spec.attribute_str(&name, value);
            }
            return true;
        }
    }
    if left == left.trim() {
        if spec.extra_attribs.get(left, TypeDesc::STRING, false).is_none() {
            spec.attribute_str(left, right);
        }
        return true;
    }
    false
}

/// IPTC inside a Photoshop "8BIM" 0x0404 resource.
fn decode_photoshop_iptc(buf: &[u8], spec: &mut ImageSpec) -> bool {
    let Some(b) = buf.strip_prefix(b"Photoshop 3.0") else {
        return false;
    };
    let Some(b) = b.strip_prefix(b"\0") else { return false };
    let Some(b) = b.strip_prefix(b"8BIM") else { return false };
    if b.len() < 2 || u16::from_be_bytes([b[0], b[1]]) != 1028 {
        return false;
    }
    let b = &b[2..];
    if b.len() < 4 {
        return false;
    }
    let b = &b[4..];
    if b.len() < 2 {
        return false;
    }
    let size = usize::from(u16::from_be_bytes([b[0], b[1]]));
    let b = &b[2..];
    if size > b.len() {
        return false;
    }
    meta_xmp::decode_iptc_iim(&b[..size], spec)
}

/// Reassemble a (possibly multi-segment) ICC profile from APP2 markers.
fn read_icc_profile(f: &JpegFile, spec: &mut ImageSpec) -> bool {
    let icc: Vec<&Saved> = f
        .markers
        .iter()
        .filter(|m| m.marker == 0xe2 && m.data.len() >= 14 && m.data.starts_with(b"ICC_PROFILE\0"))
        .collect();
    let mut num = 0usize;
    let mut present = [false; 256];
    let mut lens = [0usize; 256];
    for m in &icc {
        let count = usize::from(m.data[13]);
        if num == 0 {
            num = count;
        } else if num != count {
            return false;
        }
        let seq = usize::from(m.data[12]);
        if seq == 0 || seq > num || present[seq] {
            return false;
        }
        present[seq] = true;
        lens[seq] = m.data.len() - 14;
    }
    if num == 0 || (1..=num).any(|s| !present[s]) {
        return false;
    }
    let total: usize = (1..=num).map(|s| lens[s]).sum();
    if total == 0 {
        return false;
    }
    let mut buf = Vec::with_capacity(total);
    for seq in 1..=num {
        if let Some(m) = icc.iter().find(|m| usize::from(m.data[12]) == seq) {
            buf.extend_from_slice(&m.data[14..]);
        }
    }
    spec.attribute(bytes_param("ICCProfile", &buf));
    let _ = meta::decode_icc_profile(&buf, spec);
    true
}

/// `FORMAT.open`.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let name = path.display().to_string();
    if data.len() < 2 {
        return Err(IoError::Open(format!("Empty file \"{name}\"")));
    }
    if !sniff(&data) {
        return Err(IoError::Open(format!(
            "\"{name}\" is not a JPEG file, magic number doesn't match (was 0x{:x}{:x})",
            data[0], data[1]
        )));
    }
    let (spec, thumb) = open_header(&data, &name)?;
    Ok(Box::new(JpegReader {
        path: name,
        data,
        spec,
        thumb,
    }))
}

/// Header-level parse: the spec and where a thumbnail sits in the file.
fn open_header(data: &[u8], name: &str) -> Result<(ImageSpec, Option<(usize, usize)>), IoError> {
    let f = parse(data, name, false)?;
    let (spec, thumb) = header_spec(&f);
    check_open(&spec, data.len() as u64)?;
    // Where the thumbnail's bytes are in the file.
    let thumb = thumb.map(|(mi, a, b)| (f.markers[mi].offset + a, f.markers[mi].offset + b));
    Ok((spec, thumb))
}

impl Reader for JpegReader {
    fn format_name(&self) -> &'static str {
        "jpeg"
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
        let mut f = parse(&self.data, &self.path, false)?;
        decode_pixels(&mut f, &self.path)
    }

    fn thumbnail(&mut self, subimage: usize) -> Result<Option<(ImageSpec, PixelData)>, IoError> {
        if subimage != 0 {
            return Ok(None);
        }
        let Some((a, b)) = self.thumb else { return Ok(None) };
        let Some(bytes) = self.data.get(a..b) else {
            return Ok(None);
        };
        if !sniff(bytes) {
            return Err(IoError::Corrupt(
                "the thumbnail is not a valid image of type \"jpeg\"".into(),
            ));
        }
        let (spec, _) = open_header(bytes, "")?;
        let mut f = parse(bytes, "", false)?;
        let px = decode_pixels(&mut f, "")?;
        Ok(Some((spec, px)))
    }
}

// ---------------------------------------------------------------------------
// Writer

fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("jpeg: nothing to write".into()))?;
    write(path, level.spec, level.pixels)
}

/// The JPEG standard's example quantization tables (natural order).
const STD_LUMA_Q: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
    87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
];
const STD_CHROMA_Q: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99,
];

/// libjpeg's jpeg_set_quality table scaling (baseline-limited).
fn scaled_qtable(base: &[u16; 64], quality: i32) -> [u16; 64] {
    let q = quality.clamp(1, 100);
    let scale = if q < 50 { 5000 / q } else { 200 - q * 2 };
    let mut t = [0u16; 64];
    for (o, &b) in t.iter_mut().zip(base) {
        *o = ((i64::from(b) * i64::from(scale) + 50) / 100).clamp(1, 255) as u16;
    }
    t
}

/// The standard Huffman tables (JPEG Annex K): (counts, symbols).
const STD_DC_LUMA: ([u8; 16], &[u8]) = (
    [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
);
const STD_DC_CHROMA: ([u8; 16], &[u8]) = (
    [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
);
const STD_AC_LUMA: ([u8; 16], &[u8]) = (
    [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
    &[
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71,
        0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72,
        0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37,
        0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83,
        0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3,
        0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ],
);
const STD_AC_CHROMA: ([u8; 16], &[u8]) = (
    [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
    &[
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22,
        0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1,
        0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36,
        0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
        0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a,
        0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba,
        0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ],
);

/// An encoder-side Huffman table: code and length per symbol, plus the
/// DHT definition.
#[derive(Clone)]
struct EncTable {
    code: [u16; 256],
    len: [u8; 256],
    counts: [u8; 16],
    symbols: Vec<u8>,
}

impl EncTable {
    fn new(counts: &[u8; 16], symbols: &[u8]) -> EncTable {
        let mut t = EncTable {
            code: [0; 256],
            len: [0; 256],
            counts: *counts,
            symbols: symbols.to_vec(),
        };
        let mut code: u16 = 0;
        let mut k = 0;
        for l in 1..=16u8 {
            for _ in 0..counts[l as usize - 1] {
                let s = symbols[k] as usize;
                t.code[s] = code;
                t.len[s] = l;
                code = code.wrapping_add(1);
                k += 1;
            }
            code <<= 1;
        }
        t
    }

    /// The optimal table for symbol frequencies (JPEG Annex K.2, as libjpeg
    /// builds it, limited to 16-bit codes).
    fn optimal(freq_in: &[u32; 256]) -> EncTable {
        let mut freq = [0i64; 257];
        for (f, &v) in freq.iter_mut().zip(freq_in.iter()) {
            *f = i64::from(v);
        }
        if freq.iter().all(|&f| f == 0) {
            // An unused table still needs one code to be valid.
            freq[0] = 1;
        }
        // A reserved code point so no code is all ones.
        freq[256] = 1;
        let mut codesize = [0usize; 257];
        let mut others = [-1i32; 257];
        loop {
            // The two least frequent (the later index on ties, as libjpeg).
            let mut c1: i32 = -1;
            let mut v = i64::MAX;
            for (i, &fq) in freq.iter().enumerate() {
                if fq != 0 && fq <= v {
                    v = fq;
                    c1 = i as i32;
                }
            }
            let mut c2: i32 = -1;
            v = i64::MAX;
            for (i, &fq) in freq.iter().enumerate() {
                if fq != 0 && fq <= v && i as i32 != c1 {
                    v = fq;
                    c2 = i as i32;
                }
            }
            if c2 < 0 {
                break;
            }
            let (c1, c2) = (c1 as usize, c2 as usize);
            freq[c1] += freq[c2];
            freq[c2] = 0;
            let mut c = c1;
            codesize[c] += 1;
            while others[c] >= 0 {
                c = others[c] as usize;
                codesize[c] += 1;
            }
            others[c] = c2 as i32;
            let mut c = c2;
            codesize[c] += 1;
            while others[c] >= 0 {
                c = others[c] as usize;
                codesize[c] += 1;
            }
        }
        let mut bits = [0usize; 33];
        for &cs in &codesize {
            if cs > 0 {
                bits[cs.min(32)] += 1;
            }
        }
        // Limit code lengths to 16 bits.
        let mut i = 32;
        while i > 16 {
            while bits[i] > 0 {
                let mut j = i - 2;
                while bits[j] == 0 {
                    j -= 1;
                }
                bits[i] -= 2;
                bits[i - 1] += 1;
                bits[j + 1] += 2;
                bits[j] -= 1;
            }
            i -= 1;
        }
        // Remove the reserved code point.
        let mut i = 16;
        while bits[i] == 0 {
            i -= 1;
        }
        bits[i] -= 1;
        let mut counts = [0u8; 16];
        for l in 1..=16 {
            counts[l - 1] = bits[l] as u8;
        }
        let mut symbols = Vec::new();
        for l in 1..=32 {
            for (s, &cs) in codesize.iter().enumerate().take(256) {
                if cs == l {
                    symbols.push(s as u8);
                }
            }
        }
        EncTable::new(&counts, &symbols)
    }
}

/// Bit writer with JPEG byte stuffing.
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn new() -> BitWriter {
        BitWriter {
            out: Vec::with_capacity(1 << 20),
            acc: 0,
            n: 0,
        }
    }
    #[inline(always)]
    fn put(&mut self, code: u32, len: u32) {
        if len == 0 {
            return;
        }
        self.acc = (self.acc << len) | u64::from(code & ((1u32 << len) - 1));
        self.n += len;
        if self.n >= 32 {
            self.n -= 32;
            let word = ((self.acc >> self.n) as u32).to_be_bytes();
            if word.contains(&0xff) {
                for b in word {
                    self.out.push(b);
                    if b == 0xff {
                        self.out.push(0);
                    }
                }
            } else {
                self.out.extend_from_slice(&word);
            }
        }
    }

    /// Write out the whole bytes still in the accumulator.
    fn drain(&mut self) {
        while self.n >= 8 {
            self.n -= 8;
            let b = (self.acc >> self.n) as u8;
            self.out.push(b);
            if b == 0xff {
                self.out.push(0);
            }
        }
    }

    /// Pad the last byte with 1-bits.
    fn flush(&mut self) {
        self.drain();
        if self.n > 0 {
            let pad = 8 - self.n;
            self.acc = (self.acc << pad) | ((1 << pad) - 1);
            self.n += pad;
            self.drain();
        }
        self.acc = 0;
        self.n = 0;
    }
}

/// Where symbols go: counting (for optimal tables) or writing.
trait SymbolSink {
    fn symbol(&mut self, table: usize, sym: u8);
    fn bits(&mut self, v: u32, n: u32);
}

struct Counter {
    freq: Vec<[u32; 256]>,
}

impl SymbolSink for Counter {
    fn symbol(&mut self, table: usize, sym: u8) {
        self.freq[table][sym as usize] += 1;
    }
    fn bits(&mut self, _v: u32, _n: u32) {}
}

struct Emitter<'a> {
    w: &'a mut BitWriter,
    tables: &'a [EncTable],
}

impl SymbolSink for Emitter<'_> {
    #[inline(always)]
    fn symbol(&mut self, table: usize, sym: u8) {
        let t = &self.tables[table];
        self.w
            .put(u32::from(t.code[sym as usize]), u32::from(t.len[sym as usize]));
    }
    #[inline(always)]
    fn bits(&mut self, v: u32, n: u32) {
        self.w.put(v, n);
    }
}

/// Size category of a coefficient and its magnitude bits.
#[inline(always)]
fn category(v: i32) -> (u32, u32) {
    let a = v.unsigned_abs();
    let nbits = 32 - a.leading_zeros();
    let bits = if v < 0 { (v - 1) as u32 } else { v as u32 };
    (nbits, bits & ((1u32 << nbits).wrapping_sub(1)))
}

/// ZIGZAG[k] = natural index of zig-zag position k.
fn zz(k: usize) -> usize {
    NATURAL[k]
}

/// Encode one sequential block (table indices: dc, ac).
#[inline(always)]
fn encode_seq_block<S: SymbolSink>(s: &mut S, blk: &[i16], last_dc: &mut i32, dct: usize, act: usize) {
    let diff = i32::from(blk[0]) - *last_dc;
    *last_dc = i32::from(blk[0]);
    let (n, b) = category(diff);
    s.symbol(dct, n as u8);
    s.bits(b, n);
    let mut run = 0u32;
    for k in 1..64 {
        let v = i32::from(blk[zz(k)]);
        if v == 0 {
            run += 1;
            continue;
        }
        while run > 15 {
            s.symbol(act, 0xf0);
            run -= 16;
        }
        let (n, b) = category(v);
        s.symbol(act, ((run << 4) | n) as u8);
        s.bits(b, n);
        run = 0;
    }
    if run > 0 {
        s.symbol(act, 0);
    }
}

/// One component being encoded.
struct EncComp {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
    bw: usize,
    /// Blocks holding real samples (the rest are padding).
    bw_real: usize,
    bh_real: usize,
    /// Quantized coefficients, natural order, `bw * bh` blocks.
    coefs: Vec<i16>,
}

/// One pass of libjpeg's jfdctint "islow" forward DCT on eight lanes:
/// `inp[k][lane]` is sample k of a line, the result `[k][lane]` its
/// coefficient k. Pass 1 keeps PASS1_BITS of extra precision, pass 2
/// removes it (output scaled by 8, as libjpeg's). 32-bit arithmetic.
#[inline(always)]
fn fdct_lanes(inp: &[[i32; 8]; 8], pass1: bool) -> [[i32; 8]; 8] {
    let mut out = [[0i32; 8]; 8];
    let (sh_even, sh_odd) = if pass1 {
        (0, CONST_BITS - PASS1_BITS)
    } else {
        (PASS1_BITS, CONST_BITS + PASS1_BITS)
    };
    let d = |x: i32, n: i32| x.wrapping_add(1 << (n - 1)) >> n;
    for l in 0..8 {
        let p = |k: usize| inp[k][l];
        let tmp0 = p(0).wrapping_add(p(7));
        let tmp7 = p(0).wrapping_sub(p(7));
        let tmp1 = p(1).wrapping_add(p(6));
        let tmp6 = p(1).wrapping_sub(p(6));
        let tmp2 = p(2).wrapping_add(p(5));
        let tmp5 = p(2).wrapping_sub(p(5));
        let tmp3 = p(3).wrapping_add(p(4));
        let tmp4 = p(3).wrapping_sub(p(4));
        let tmp10 = tmp0.wrapping_add(tmp3);
        let tmp13 = tmp0.wrapping_sub(tmp3);
        let tmp11 = tmp1.wrapping_add(tmp2);
        let tmp12 = tmp1.wrapping_sub(tmp2);
        if pass1 {
            out[0][l] = tmp10.wrapping_add(tmp11) << PASS1_BITS;
            out[4][l] = tmp10.wrapping_sub(tmp11) << PASS1_BITS;
        } else {
            out[0][l] = d(tmp10.wrapping_add(tmp11), sh_even);
            out[4][l] = d(tmp10.wrapping_sub(tmp11), sh_even);
        }
        let z1 = tmp12.wrapping_add(tmp13).wrapping_mul(FIX_0_541196100);
        out[2][l] = d(z1.wrapping_add(tmp13.wrapping_mul(FIX_0_765366865)), sh_odd);
        out[6][l] = d(z1.wrapping_add(tmp12.wrapping_mul(-FIX_1_847759065)), sh_odd);
        let z1 = tmp4.wrapping_add(tmp7);
        let z2 = tmp5.wrapping_add(tmp6);
        let z3 = tmp4.wrapping_add(tmp6);
        let z4 = tmp5.wrapping_add(tmp7);
        let z5 = z3.wrapping_add(z4).wrapping_mul(FIX_1_175875602);
        let tmp4 = tmp4.wrapping_mul(FIX_0_298631336);
        let tmp5 = tmp5.wrapping_mul(FIX_2_053119869);
        let tmp6 = tmp6.wrapping_mul(FIX_3_072711026);
        let tmp7 = tmp7.wrapping_mul(FIX_1_501321110);
        let z1 = z1.wrapping_mul(-FIX_0_899976223);
        let z2 = z2.wrapping_mul(-FIX_2_562915447);
        let z3 = z3.wrapping_mul(-FIX_1_961570560).wrapping_add(z5);
        let z4 = z4.wrapping_mul(-FIX_0_390180644).wrapping_add(z5);
        out[7][l] = d(tmp4.wrapping_add(z1).wrapping_add(z3), sh_odd);
        out[5][l] = d(tmp5.wrapping_add(z2).wrapping_add(z4), sh_odd);
        out[3][l] = d(tmp6.wrapping_add(z2).wrapping_add(z3), sh_odd);
        out[1][l] = d(tmp7.wrapping_add(z1).wrapping_add(z4), sh_odd);
    }
    out
}

/// Quantization by multiplication: for each coefficient the divisor
/// (table value × 8, libjpeg's islow scaling), its half and a reciprocal
/// exact for every DCT output.
struct Quant {
    half: [u32; 64],
    mult: [u64; 64],
}

impl Quant {
    fn new(q: &[u16; 64]) -> Quant {
        let mut t = Quant {
            half: [0; 64],
            mult: [0; 64],
        };
        for ((h, m), &qv) in t.half.iter_mut().zip(t.mult.iter_mut()).zip(q) {
            let d = u64::from(qv.max(1)) << 3;
            *h = (d >> 1) as u32;
            *m = (1u64 << 40) / d + 1;
        }
        t
    }
}

/// DCT and quantize the blocks of one block row.
#[inline(always)]
fn transform_row_generic(plane: &[u8], stride: usize, by: usize, real_bw: usize, qt: &Quant, row: &mut [i16]) {
    for bx in 0..real_bw {
        // Samples transposed: inp[column][row].
        let mut inp = [[0i32; 8]; 8];
        for r in 0..8 {
            let src = &plane[(by * 8 + r) * stride + bx * 8..][..8];
            for c in 0..8 {
                inp[c][r] = i32::from(src[c]) - 128;
            }
        }
        let p1 = fdct_lanes(&inp, true);
        let mut t = [[0i32; 8]; 8];
        for k in 0..8 {
            for r in 0..8 {
                t[r][k] = p1[k][r];
            }
        }
        let out = fdct_lanes(&t, false);
        let blk = &mut row[bx * 64..bx * 64 + 64];
        for (v, line) in out.iter().enumerate() {
            for (c, &x) in line.iter().enumerate() {
                let i = v * 8 + c;
                let n = u64::from(x.unsigned_abs() + qt.half[i]);
                let q = ((n * qt.mult[i]) >> 40) as i32;
                blk[i] = if x < 0 { -q } else { q } as i16;
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
/// # Safety
/// The CPU must support AVX2 (checked by the caller).
unsafe fn transform_row_avx2(plane: &[u8], stride: usize, by: usize, real_bw: usize, qt: &Quant, row: &mut [i16]) {
    transform_row_generic(plane, stride, by, real_bw, qt, row)
}

fn transform_row(plane: &[u8], stride: usize, by: usize, real_bw: usize, qt: &Quant, row: &mut [i16]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just checked.
            unsafe { transform_row_avx2(plane, stride, by, real_bw, qt, row) };
            return;
        }
    }
    transform_row_generic(plane, stride, by, real_bw, qt, row)
}

/// DCT and quantize a component plane (`bw*8` x `bh*8` samples, padded as
/// libjpeg pads) into coefficient blocks; blocks past the real data
/// (`real_bw` x `real_bh`) get libjpeg's dummy content (zero AC, DC of
/// their neighbour), which decoders never show.
fn transform_plane(plane: &[u8], bw: usize, bh: usize, real_bw: usize, real_bh: usize, q: &[u16; 64]) -> Vec<i16> {
    let stride = bw * 8;
    let qt = Quant::new(q);
    let mut coefs = vec![0i16; bw * bh * 64];
    coefs.par_chunks_mut(bw * 64).enumerate().for_each(|(by, row)| {
        if by >= real_bh {
            return;
        }
        transform_row(plane, stride, by, real_bw, &qt, row);
        // Dummy blocks to the right: DC of the block to their left.
        for bx in real_bw..bw {
            let dc = if bx > 0 { row[(bx - 1) * 64] } else { 0 };
            row[bx * 64] = dc;
        }
    });
    // Dummy block rows below: DC of the block above.
    for by in real_bh..bh {
        for bx in 0..bw {
            let dc = if by > 0 { coefs[((by - 1) * bw + bx) * 64] } else { 0 };
            coefs[(by * bw + bx) * 64] = dc;
        }
    }
    coefs
}

/// Pixels → component planes: colour conversion, libjpeg's edge padding
/// and box downsampling (with its alternating rounding bias).
fn prepare_components(
    rgb: &[u8],
    nin: usize,
    w: usize,
    h: usize,
    factors: &[(usize, usize)],
    q: &[[u16; 64]],
) -> Vec<EncComp> {
    let hmax = factors.iter().map(|f| f.0).max().unwrap_or(1);
    let vmax = factors.iter().map(|f| f.1).max().unwrap_or(1);
    let mcux = w.div_ceil(8 * hmax);
    let mcuy = h.div_ceil(8 * vmax);
    // Full-resolution padded size: whole row groups, enough columns for
    // every component's blocks.
    let fw = mcux * 8 * hmax;
    let fh = h.div_ceil(vmax) * vmax;
    let ncomp = factors.len();
    // Colour-converted full-resolution planes, padded by replication.
    let mut full: Vec<Vec<u8>> = (0..ncomp).map(|_| vec![0u8; fw * fh]).collect();
    {
        let mut slices: Vec<&mut Vec<u8>> = full.iter_mut().collect();
        let (first, rest) = slices.split_at_mut(1);
        let fill_row = |y: usize, p0: &mut [u8], p1: Option<&mut [u8]>, p2: Option<&mut [u8]>| {
            let src = &rgb[y.min(h - 1) * w * nin..][..w * nin];
            if nin == 1 {
                p0[..w].copy_from_slice(src);
                let last = p0[w - 1];
                p0[w..].fill(last);
                return;
            }
            let (p1, p2) = (p1.expect("cb"), p2.expect("cr"));
            for x in 0..w {
                let (r, g, b) = (
                    i64::from(src[3 * x]),
                    i64::from(src[3 * x + 1]),
                    i64::from(src[3 * x + 2]),
                );
                // libjpeg's rgb_ycc tables: FIX(c) = c * 65536 + 0.5.
                let y_ = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
                let cb = (-11059 * r - 21709 * g + 32768 * b + (128 << 16) + 32767) >> 16;
                let cr = (32768 * r - 27439 * g - 5329 * b + (128 << 16) + 32767) >> 16;
                p0[x] = y_ as u8;
                p1[x] = cb as u8;
                p2[x] = cr as u8;
            }
            for p in [&mut *p0, &mut *p1, &mut *p2] {
                let last = p[w - 1];
                p[w..].fill(last);
            }
        };
        if ncomp == 1 {
            first[0]
                .par_chunks_mut(fw)
                .enumerate()
                .for_each(|(y, r)| fill_row(y, r, None, None));
        } else {
            let (a, b) = rest.split_at_mut(1);
            first[0]
                .par_chunks_mut(fw)
                .zip(a[0].par_chunks_mut(fw))
                .zip(b[0].par_chunks_mut(fw))
                .enumerate()
                .for_each(|(y, ((p0, p1), p2))| fill_row(y, p0, Some(p1), Some(p2)));
        }
    }
    factors
        .iter()
        .enumerate()
        .map(|(ci, &(ch, cv))| {
            let bw = mcux * ch;
            let bh = mcuy * cv;
            let dw = (w * ch).div_ceil(hmax);
            let dh = (h * cv).div_ceil(vmax);
            let (real_bw, real_bh) = (dw.div_ceil(8), dh.div_ceil(8));
            let (hx, vx) = (hmax / ch, vmax / cv);
            let stride = bw * 8;
            // Downsampled rows available from the padded full planes.
            let rows = fh / vx;
            let mut plane = vec![0u8; stride * bh * 8];
            let src = &full[ci];
            plane.par_chunks_mut(stride).enumerate().for_each(|(y, out)| {
                if y >= rows {
                    return;
                }
                let cols = real_bw * 8;
                if hx == 1 && vx == 1 {
                    out[..cols].copy_from_slice(&src[y * fw..y * fw + cols]);
                } else if hx == 2 && vx == 1 {
                    let r = &src[y * fw..];
                    for (c, o) in out[..cols].iter_mut().enumerate() {
                        let bias = (c & 1) as u32;
                        *o = ((u32::from(r[2 * c]) + u32::from(r[2 * c + 1]) + bias) >> 1) as u8;
                    }
                } else if hx == 2 && vx == 2 {
                    let (r0, r1) = (&src[2 * y * fw..], &src[(2 * y + 1) * fw..]);
                    for (c, o) in out[..cols].iter_mut().enumerate() {
                        let bias = if c & 1 == 0 { 1 } else { 2 };
                        let s = u32::from(r0[2 * c])
                            + u32::from(r0[2 * c + 1])
                            + u32::from(r1[2 * c])
                            + u32::from(r1[2 * c + 1]);
                        *o = ((s + bias) >> 2) as u8;
                    }
                } else {
                    let n = (hx * vx) as u32;
                    for (c, o) in out[..cols].iter_mut().enumerate() {
                        let mut s = 0u32;
                        for yy in 0..vx {
                            for xx in 0..hx {
                                s += u32::from(src[(y * vx + yy) * fw + c * hx + xx]);
                            }
                        }
                        *o = ((s + n / 2) / n) as u8;
                    }
                }
            });
            // Replicate the last downsampled row down to the block rows.
            let last = rows.min(bh * 8).saturating_sub(1);
            let (head, tail) = plane.split_at_mut((last + 1) * stride);
            let lastrow = &head[last * stride..];
            for r in tail.chunks_mut(stride) {
                r.copy_from_slice(lastrow);
            }
            let coefs = transform_plane(&plane, bw, bh, real_bw, real_bh, &q[ci]);
            EncComp {
                id: if ncomp == 1 { 1 } else { ci as u8 + 1 },
                h: ch,
                v: cv,
                tq: usize::from(ci > 0),
                bw,
                bw_real: real_bw,
                bh_real: real_bh,
                coefs,
            }
        })
        .collect()
}

fn marker(out: &mut Vec<u8>, m: u8, data: &[u8]) {
    out.extend_from_slice(&[0xff, m]);
    out.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(data);
}

fn dht(out: &mut Vec<u8>, class_slot: u8, t: &EncTable) {
    let mut d = vec![class_slot];
    d.extend_from_slice(&t.counts);
    d.extend_from_slice(&t.symbols);
    marker(out, 0xc4, &d);
}

/// One scan of the progressive script: components, Ss, Se, Ah, Al.
type ScanSpec = (Vec<usize>, usize, usize, u32, u32);

/// libjpeg's jpeg_simple_progression script.
fn simple_progression(ncomp: usize) -> Vec<ScanSpec> {
    if ncomp == 3 {
        vec![
            (vec![0, 1, 2], 0, 0, 0, 1),
            (vec![0], 1, 5, 0, 2),
            (vec![2], 1, 63, 0, 1),
            (vec![1], 1, 63, 0, 1),
            (vec![0], 6, 63, 0, 2),
            (vec![0], 1, 63, 2, 1),
            (vec![0, 1, 2], 0, 0, 1, 0),
            (vec![2], 1, 63, 1, 0),
            (vec![1], 1, 63, 1, 0),
            (vec![0], 1, 63, 1, 0),
        ]
    } else {
        vec![
            (vec![0], 0, 0, 0, 1),
            (vec![0], 1, 5, 0, 2),
            (vec![0], 6, 63, 0, 2),
            (vec![0], 1, 63, 2, 1),
            (vec![0], 0, 0, 1, 0),
            (vec![0], 1, 63, 1, 0),
        ]
    }
}

/// Emit the blocks of one scan (progressive), symbols through `s`.
/// Tables: 0 = DC, 1 = AC of the scan's single (or first) component,
/// offset by 2 * scan component index for DC scans.
fn encode_prog_scan<S: SymbolSink>(s: &mut S, comps: &[EncComp], sc: &ScanSpec, mcux: usize, mcuy: usize) {
    let (ref cs, ss, se, ah, al) = *sc;
    if ss == 0 {
        // DC scan (interleaved if several components).
        let mut last = vec![0i32; cs.len()];
        let single = cs.len() == 1;
        let blocks_of = |ci: usize, mx: usize, my: usize| -> Vec<usize> {
            let c = &comps[ci];
            if single {
                vec![(my * c.bw + mx) * 64]
            } else {
                (0..c.v)
                    .flat_map(|by| (0..c.h).map(move |bx| ((my * c.v + by) * c.bw + mx * c.h + bx) * 64))
                    .collect()
            }
        };
        let (nx, ny) = if single {
            let c = &comps[cs[0]];
            (c.real_w(), c.real_h())
        } else {
            (mcux, mcuy)
        };
        for my in 0..ny {
            for mx in 0..nx {
                for (si, &ci) in cs.iter().enumerate() {
                    for off in blocks_of(ci, mx, my) {
                        let v = i32::from(comps[ci].coefs[off]);
                        if ah == 0 {
                            let t = v >> al;
                            let diff = t - last[si];
                            last[si] = t;
                            let (n, b) = category(diff);
                            s.symbol(2 * si, n as u8);
                            s.bits(b, n);
                        } else {
                            s.bits(((v >> al) & 1) as u32, 1);
                        }
                    }
                }
            }
        }
        return;
    }
    // AC scan of one component, non-interleaved: blocks in raster order.
    let c = &comps[cs[0]];
    let (nx, ny) = (c.real_w(), c.real_h());
    let mut eobrun: u32 = 0;
    // Correction bits buffered while an EOB run is pending (refinement).
    let mut be: Vec<u8> = Vec::new();
    let flush_eob = |s: &mut S, eobrun: &mut u32, be: &mut Vec<u8>| {
        if *eobrun > 0 {
            let nbits = 31 - eobrun.leading_zeros();
            s.symbol(1, (nbits << 4) as u8);
            s.bits(*eobrun, nbits);
            *eobrun = 0;
            for &b in be.iter() {
                s.bits(u32::from(b), 1);
            }
            be.clear();
        }
    };
    for by in 0..ny {
        for bx in 0..nx {
            let blk = &c.coefs[(by * c.bw + bx) * 64..][..64];
            if ah == 0 {
                let mut r = 0u32;
                for k in ss..=se {
                    let v = i32::from(blk[zz(k)]);
                    let (t, neg) = if v < 0 { ((-v) >> al, true) } else { (v >> al, false) };
                    if t == 0 {
                        r += 1;
                        continue;
                    }
                    flush_eob(s, &mut eobrun, &mut be);
                    while r > 15 {
                        s.symbol(1, 0xf0);
                        r -= 16;
                    }
                    let nbits = 32 - (t as u32).leading_zeros();
                    s.symbol(1, ((r << 4) | nbits) as u8);
                    let bits = if neg { !(t as u32) } else { t as u32 };
                    s.bits(bits & ((1 << nbits) - 1), nbits);
                    r = 0;
                }
                if r > 0 {
                    eobrun += 1;
                    if eobrun == 0x7fff {
                        flush_eob(s, &mut eobrun, &mut be);
                    }
                }
            } else {
                // Refinement: absolute values shifted by Al.
                let mut absv = [0u32; 64];
                let mut eob = 0usize;
                for k in ss..=se {
                    let t = i32::from(blk[zz(k)]).unsigned_abs() >> al;
                    absv[k] = t;
                    if t == 1 {
                        eob = k;
                    }
                }
                let mut r = 0u32;
                let mut br: Vec<u8> = Vec::new();
                for k in ss..=se {
                    let t = absv[k];
                    if t == 0 {
                        r += 1;
                        continue;
                    }
                    while r > 15 && k <= eob {
                        flush_eob(s, &mut eobrun, &mut be);
                        s.symbol(1, 0xf0);
                        r -= 16;
                        for &b in &br {
                            s.bits(u32::from(b), 1);
                        }
                        br.clear();
                    }
                    if t > 1 {
                        br.push((t & 1) as u8);
                        continue;
                    }
                    flush_eob(s, &mut eobrun, &mut be);
                    s.symbol(1, ((r << 4) | 1) as u8);
                    let v = i32::from(blk[zz(k)]);
                    s.bits(if v < 0 { 0 } else { 1 }, 1);
                    for &b in &br {
                        s.bits(u32::from(b), 1);
                    }
                    br.clear();
                    r = 0;
                }
                if r > 0 || !br.is_empty() {
                    eobrun += 1;
                    be.extend_from_slice(&br);
                    if eobrun == 0x7fff || be.len() > 937 {
                        flush_eob(s, &mut eobrun, &mut be);
                    }
                }
            }
        }
    }
    flush_eob(s, &mut eobrun, &mut be);
}

impl EncComp {
    /// Blocks holding real data (non-interleaved scans cover only these).
    fn real_w(&self) -> usize {
        self.bw_real
    }
    fn real_h(&self) -> usize {
        self.bh_real
    }
}

/// OIIO's resolution metadata → JFIF density (unit, x, y).
fn density(spec: &ImageSpec) -> (u8, u16, u16) {
    let unit = match spec
        .get_string_attribute("ResolutionUnit", "")
        .to_ascii_lowercase()
        .as_str()
    {
        "in" => 1,
        "cm" => 2,
        _ => 0,
    };
    let mut xres = spec.get_float_attribute("XResolution", 0.0);
    let mut yres = spec.get_float_attribute("YResolution", 0.0);
    let aspect = spec.get_float_attribute("PixelAspectRatio", 0.0);
    if aspect <= 0.0 {
        if xres <= 0.0 && yres <= 0.0 {
            return (unit, 1, 1);
        }
        if xres <= 0.0 {
            xres = yres;
        }
        if yres <= 0.0 {
            yres = xres;
        }
    } else if xres <= 0.0 && yres <= 0.0 {
        if aspect >= 1.0 {
            xres = 72.0;
            yres = xres / aspect;
        } else {
            yres = 72.0;
            xres = yres * aspect;
        }
    } else if xres <= 0.0 {
        xres = yres * aspect;
    } else {
        yres = xres / aspect;
    }
    let d = |v: f32| ((v + 0.5) as i32).clamp(1, 65535) as u16;
    (unit, d(xres), d(yres))
}

/// Write one image (pixels in `spec.format`, interleaved, top to bottom).
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w < 1 || h < 1 {
        return Err(IoError::Unsupported(format!(
            "jpeg image resolution must be at least 1x1, you asked for {w}x{h}"
        )));
    }
    if w > 65500 || h > 65500 {
        return Err(IoError::Unsupported(format!(
            "jpeg image resolution may not exceed 65500x65500, you asked for {w}x{h}"
        )));
    }
    if !(1..=256).contains(&n) {
        return Err(IoError::Unsupported(format!(
            "jpeg does not support {n}-channel images"
        )));
    }
    if spec.depth > 1 {
        return Err(IoError::Unsupported(
            "jpeg does not support volume images (depth > 1)".into(),
        ));
    }
    if spec.tile_width > 0 {
        return Err(IoError::Unsupported("jpeg does not support tiled images".into()));
    }
    if spec.deep {
        return Err(IoError::Unsupported("jpeg does not support 'deep' images".into()));
    }
    if !spec.channelformats.is_empty() {
        return Err(IoError::Unsupported(
            "jpeg does not support per-channel data formats".into(),
        ));
    }
    let (w, h, n) = (w as usize, h as usize, n as usize);
    let src_type = spec.format;
    let need = w * h * n * src_type.size();
    if src_type.size() == 0 || pixels.len() < need {
        return Err(IoError::Write(format!(
            "jpeg: {} bytes of pixels given, {need} needed",
            pixels.len()
        )));
    }
    let gray = n == 1 || (n == 2 && spec.channelnames.first().map(String::as_str) == Some("Y"));
    let nin = if gray { 1 } else { 3 };
    // 8-bit samples of the channels JFIF can hold.
    let converted;
    let all: &[u8] = if src_type == TypeDesc::UINT8 {
        &pixels[..need]
    } else {
        let mut v = vec![0u8; w * h * n];
        convert_bytes(&pixels[..need], src_type.basetype, &mut v, BaseType::UInt8);
        converted = v;
        &converted
    };
    let input: Vec<u8> = if n == nin {
        all.to_vec()
    } else {
        let mut v = vec![0u8; w * h * nin];
        v.par_chunks_mut(w * nin).zip(all.par_chunks(w * n)).for_each(|(o, i)| {
            for (op, ip) in o.chunks_exact_mut(nin).zip(i.chunks_exact(n)) {
                let m = nin.min(n);
                op[..m].copy_from_slice(&ip[..m]);
            }
        });
        v
    };

    let mut spec = spec.clone();
    let (comp_name, quality) = {
        let comp = spec.get_string_attribute("Compression", "jpeg");
        let mut qual = spec.get_int_attribute("CompressionQuality", 98);
        let mut parts = comp.split(':');
        let name = parts.next().unwrap_or("").to_string();
        if let Some(q) = parts.next() {
            let (v, _) = super::meta_exif::parse_int_prefix(q);
            qual = v;
        }
        (name, qual)
    };
    let quality = if comp_name.eq_ignore_ascii_case("jpeg") {
        quality.clamp(1, 100)
    } else {
        98
    };
    let qtables = [
        scaled_qtable(&STD_LUMA_Q, quality),
        scaled_qtable(&STD_CHROMA_Q, quality),
    ];
    let factors: Vec<(usize, usize)> = if nin == 1 {
        vec![(1, 1)]
    } else {
        let luma = match spec.get_string_attribute("jpeg:subsampling", "").as_str() {
            "4:4:4" => (1, 1),
            "4:2:2" => (2, 1),
            "4:1:1" => (4, 1),
            _ => (2, 2),
        };
        vec![luma, (1, 1), (1, 1)]
    };
    let progressive = spec.get_int_attribute("jpeg:progressive", 0) != 0;
    for n in ["Exif:XResolution", "Exif:YResolution", "Exif:ResolutionUnit"] {
        spec.erase_attribute(n, TypeDesc::UNKNOWN, false);
    }
    let (unit, xden, yden) = density(&spec);

    let qs: Vec<[u16; 64]> = (0..nin).map(|i| qtables[usize::from(i > 0)]).collect();
    let mut comps = prepare_components(&input, nin, w, h, &factors, &qs);
    drop(input);
    let hmax = factors.iter().map(|f| f.0).max().unwrap_or(1);
    let vmax = factors.iter().map(|f| f.1).max().unwrap_or(1);
    for (c, &(ch, cv)) in comps.iter_mut().zip(&factors) {
        c.bw_real = ((w * ch).div_ceil(hmax)).div_ceil(8);
        c.bh_real = ((h * cv).div_ceil(vmax)).div_ceil(8);
    }
    let (mcux, mcuy) = (w.div_ceil(8 * hmax), h.div_ceil(8 * vmax));

    // Markers: SOI, JFIF, then OIIO's comment / Exif / IPTC / XMP / ICC.
    let mut out = Vec::with_capacity(w * h / 2 + 65536);
    out.extend_from_slice(&[0xff, 0xd8]);
    let mut jfif = b"JFIF\0\x01\x01".to_vec();
    jfif.push(unit);
    jfif.extend_from_slice(&xden.to_be_bytes());
    jfif.extend_from_slice(&yden.to_be_bytes());
    jfif.extend_from_slice(&[0, 0]);
    marker(&mut out, 0xe0, &jfif);
    let comment = spec.get_string_attribute("ImageDescription", "");
    if !comment.is_empty() {
        let mut d = comment.into_bytes();
        d.push(0);
        d.truncate(65533);
        marker(&mut out, 0xfe, &d);
    }
    if spec.get_int_attribute("jpeg:com_attributes", 0) != 0 {
        for p in &spec.extra_attribs.items {
            let name = p.name();
            let include = ["oiio:ConstantColor", "oiio:AverageColor", "oiio:SHA-1"].contains(&name);
            let exclude = [
                "XResolution",
                "YResolution",
                "PixelAspectRatio",
                "ResolutionUnit",
                "Orientation",
                "ImageDescription",
            ]
            .contains(&name);
            if !include {
                if exclude || meta::istarts_with(name, "ICCProfile") {
                    continue;
                }
                if let Some(colon) = name.find(':') {
                    let prefix = name[..colon].to_ascii_lowercase();
                    if ["oiio", "exif", "gps", "xmp", "iptc"].contains(&prefix.as_str()) || is_format_name(&prefix) {
                        continue;
                    }
                }
            }
            let d = format!("{}:{}", name, p.get_string(1 << 20));
            let mut d = d.into_bytes();
            d.truncate(65533);
            marker(&mut out, 0xfe, &d);
        }
    }
    if meta::is_colorspace_srgb(&spec, false) {
        spec.attribute_int("Exif:ColorSpace", 1);
    }
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&meta::encode_exif(&spec, cfg!(target_endian = "big")));
    exif.truncate(65533);
    marker(&mut out, 0xe1, &exif);
    if spec.get_int_attribute("jpeg:iptc", 1) != 0 {
        let iptc = meta_xmp::encode_iptc_iim(&spec);
        if !iptc.is_empty() {
            let mut d = b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0".to_vec();
            d.extend_from_slice(&((iptc.len() >> 8) as u8).to_be_bytes());
            d.push(iptc.len() as u8);
            d.extend_from_slice(&iptc);
            d.truncate(65533);
            marker(&mut out, 0xed, &d);
        }
    }
    let xmp = meta_xmp::encode_xmp(&spec, true);
    if !xmp.is_empty() {
        let mut d = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        d.extend_from_slice(xmp.as_bytes());
        d.truncate(65533);
        marker(&mut out, 0xe1, &d);
    }
    if let Some(icc) = spec
        .extra_attribs
        .get("ICCProfile", TypeDesc::UNKNOWN, false)
        .and_then(meta::param_bytes)
        .filter(|b| !b.is_empty())
    {
        const MAXSEG: usize = 65519;
        let nseg = icc.len().div_ceil(MAXSEG);
        for (i, part) in icc.chunks(MAXSEG).enumerate() {
            let mut d = b"ICC_PROFILE\0".to_vec();
            d.push(i as u8 + 1);
            d.push(nseg as u8);
            d.extend_from_slice(part);
            marker(&mut out, 0xe2, &d);
        }
    }

    // Frame header.
    let ntab = if nin == 1 { 1 } else { 2 };
    for (t, qt) in qtables.iter().enumerate().take(ntab) {
        let mut d = vec![t as u8];
        d.extend((0..64).map(|k| qt[zz(k)] as u8));
        marker(&mut out, 0xdb, &d);
    }
    let mut sof = vec![8];
    sof.extend_from_slice(&(h as u16).to_be_bytes());
    sof.extend_from_slice(&(w as u16).to_be_bytes());
    sof.push(comps.len() as u8);
    for c in &comps {
        sof.extend_from_slice(&[c.id, ((c.h as u8) << 4) | c.v as u8, c.tq as u8]);
    }
    marker(&mut out, if progressive { 0xc2 } else { 0xc0 }, &sof);

    if !progressive {
        let tables = [
            EncTable::new(&STD_DC_LUMA.0, STD_DC_LUMA.1),
            EncTable::new(&STD_AC_LUMA.0, STD_AC_LUMA.1),
            EncTable::new(&STD_DC_CHROMA.0, STD_DC_CHROMA.1),
            EncTable::new(&STD_AC_CHROMA.0, STD_AC_CHROMA.1),
        ];
        dht(&mut out, 0x00, &tables[0]);
        dht(&mut out, 0x10, &tables[1]);
        if nin > 1 {
            dht(&mut out, 0x01, &tables[2]);
            dht(&mut out, 0x11, &tables[3]);
        }
        let mut sos = vec![comps.len() as u8];
        for c in &comps {
            sos.extend_from_slice(&[c.id, if c.tq == 0 { 0x00 } else { 0x11 }]);
        }
        sos.extend_from_slice(&[0, 63, 0]);
        marker(&mut out, 0xda, &sos);
        let mut bw = BitWriter::new();
        {
            let mut em = Emitter {
                w: &mut bw,
                tables: &tables,
            };
            let mut last = vec![0i32; comps.len()];
            let single = comps.len() == 1;
            let (nx, ny) = if single {
                (comps[0].bw_real, comps[0].bh_real)
            } else {
                (mcux, mcuy)
            };
            for my in 0..ny {
                for mx in 0..nx {
                    for (ci, c) in comps.iter().enumerate() {
                        let (dct, act) = if c.tq == 0 { (0, 1) } else { (2, 3) };
                        if single {
                            let off = (my * c.bw + mx) * 64;
                            encode_seq_block(&mut em, &c.coefs[off..off + 64], &mut last[ci], dct, act);
                            continue;
                        }
                        for by in 0..c.v {
                            for bx in 0..c.h {
                                let off = ((my * c.v + by) * c.bw + mx * c.h + bx) * 64;
                                encode_seq_block(&mut em, &c.coefs[off..off + 64], &mut last[ci], dct, act);
                            }
                        }
                    }
                }
            }
        }
        bw.flush();
        out.extend_from_slice(&bw.out);
    } else {
        for sc in simple_progression(comps.len()) {
            let ntables = if sc.1 == 0 { 2 * sc.0.len() } else { 2 };
            let mut counter = Counter {
                freq: vec![[0u32; 256]; ntables],
            };
            encode_prog_scan(&mut counter, &comps, &sc, mcux, mcuy);
            let tables: Vec<EncTable> = counter.freq.iter().map(EncTable::optimal).collect();
            let mut sos = vec![sc.0.len() as u8];
            if sc.1 == 0 {
                if sc.3 == 0 {
                    for (si, _) in sc.0.iter().enumerate() {
                        dht(&mut out, si as u8, &tables[2 * si]);
                    }
                }
                for (si, &ci) in sc.0.iter().enumerate() {
                    sos.extend_from_slice(&[comps[ci].id, (si as u8) << 4]);
                }
            } else {
                dht(&mut out, 0x10, &tables[1]);
                sos.extend_from_slice(&[comps[sc.0[0]].id, 0x00]);
            }
            sos.extend_from_slice(&[sc.1 as u8, sc.2 as u8, ((sc.3 as u8) << 4) | sc.4 as u8]);
            marker(&mut out, 0xda, &sos);
            let mut bw = BitWriter::new();
            {
                let mut em = Emitter {
                    w: &mut bw,
                    tables: &tables,
                };
                encode_prog_scan(&mut em, &comps, &sc, mcux, mcuy);
            }
            bw.flush();
            out.extend_from_slice(&bw.out);
        }
    }
    out.extend_from_slice(&[0xff, 0xd9]);
    std::fs::write(path, &out).map_err(|e| IoError::Write(format!("Could not open file \"{}\": {e}", path.display())))
}

/// True if `prefix` is a format name of the reference build (metadata
/// with that prefix is meant for that format only).
fn is_format_name(prefix: &str) -> bool {
    meta::OIIO_FORMAT_NAMES.contains(&prefix)
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
        std::env::temp_dir().join(format!("vfx_io_jpeg_{}_{n}.{ext}", std::process::id()))
    }

    /// A smooth test picture (JPEG-friendly), `nch` channels of uint8.
    fn picture(w: usize, h: usize, nch: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(w * h * nch);
        for y in 0..h {
            for x in 0..w {
                for c in 0..nch {
                    let t = (x * (3 + c) + y * (5 - c.min(4))) as f32 * 0.05;
                    v.push((127.0 + 100.0 * t.sin()) as u8);
                }
            }
        }
        v
    }

    fn write_read(spec: &ImageSpec, px: &[u8]) -> (ImageSpec, Vec<u8>, Vec<u8>) {
        let p = scratch("jpg");
        write(&p, spec, px).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        let mut r = open(&p, None).unwrap();
        let s = r.spec(0, 0).unwrap();
        let back = r.read_image(0, 0).unwrap().bytes().to_vec();
        std::fs::remove_file(&p).unwrap();
        (s, back, bytes)
    }

    fn max_diff(a: &[u8], b: &[u8]) -> u8 {
        a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0)
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "jpeg");
        assert!(sniff(b"\xff\xd8\xff"));
        assert!(!sniff(b"\xff"));
        assert_eq!(supports("thumbnail"), 1);
        assert_eq!(supports("tiles"), 0);
    }

    #[test]
    fn round_trips_every_mode() {
        let (w, h) = (45, 29);
        for (nch, sub, prog) in [
            (3, "", false),
            (3, "4:4:4", false),
            (3, "4:2:2", false),
            (3, "4:1:1", true),
            (3, "4:2:0", true),
            (1, "", false),
            (1, "", true),
        ] {
            let px = picture(w, h, nch);
            let mut spec = ImageSpec::new(w as i32, h as i32, nch as i32, TypeDesc::UINT8);
            if !sub.is_empty() {
                spec.attribute_str("jpeg:subsampling", sub);
            }
            spec.attribute_int("jpeg:progressive", i32::from(prog));
            let (s, back, bytes) = write_read(&spec, &px);
            assert_eq!((s.width, s.height, s.nchannels), (w as i32, h as i32, nch as i32));
            assert_eq!(bytes[..2], [0xff, 0xd8]);
            let tol = if nch == 3 && sub != "4:4:4" { 60 } else { 12 };
            assert!(
                max_diff(&back, &px) <= tol,
                "{nch} {sub} {prog}: {}",
                max_diff(&back, &px)
            );
            if nch == 3 {
                let want = if sub.is_empty() { "4:2:0" } else { sub };
                assert_eq!(s.get_string_attribute("jpeg:subsampling", ""), want);
            }
        }
    }

    #[test]
    fn quality_and_channel_rules() {
        let px = picture(16, 16, 4);
        let spec = ImageSpec::new(16, 16, 4, TypeDesc::UINT8);
        let (s, _, big) = write_read(&spec, &px);
        assert_eq!(s.nchannels, 3);
        let mut low = spec.clone();
        low.attribute_str("Compression", "jpeg:20");
        let (_, _, small) = write_read(&low, &px);
        assert!(small.len() < big.len());
        // Two channels named Y, A: greyscale from the first.
        let mut ya = ImageSpec::new(16, 16, 2, TypeDesc::UINT8);
        ya.channelnames = vec!["Y".into(), "A".into()];
        let (s, back, _) = write_read(&ya, &picture(16, 16, 2));
        assert_eq!(s.nchannels, 1);
        assert_eq!(back.len(), 256);
        // Float input is converted to 8 bits.
        let f: Vec<u8> = (0..16 * 16 * 3)
            .flat_map(|i| ((i % 7) as f32 / 7.0).to_ne_bytes())
            .collect();
        let (s, _, _) = write_read(&ImageSpec::new(16, 16, 3, TypeDesc::FLOAT), &f);
        assert_eq!(s.format, TypeDesc::UINT8);
    }

    #[test]
    fn metadata_round_trip() {
        let mut spec = ImageSpec::new(20, 10, 3, TypeDesc::UINT8);
        spec.attribute_str("ImageDescription", "a comment");
        spec.attribute_str("Artist", "me");
        spec.attribute_float("XResolution", 300.0);
        spec.attribute_float("YResolution", 150.0);
        spec.attribute_str("ResolutionUnit", "in");
        spec.attribute_int("Orientation", 6);
        spec.attribute_float("Exif:FocalLength", 35.0);
        spec.attribute_str("IPTC:City", "Paris");
        let icc: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        spec.attribute(meta::bytes_param("ICCProfile", &icc));
        let (s, _, _) = write_read(&spec, &picture(20, 10, 3));
        let g = |n: &str| s.get_string_attribute(n, "?");
        assert_eq!(g("ImageDescription"), "a comment");
        assert_eq!(g("Artist"), "me");
        assert_eq!(g("ResolutionUnit"), "in");
        assert_eq!(g("IPTC:City"), "Paris");
        assert_eq!(s.get_float_attribute("XResolution", 0.0), 300.0);
        assert_eq!(s.get_float_attribute("YResolution", 0.0), 150.0);
        assert_eq!(s.get_float_attribute("PixelAspectRatio", 0.0), 2.0);
        assert_eq!(s.get_int_attribute("Orientation", 0), 6);
        assert_eq!(s.get_float_attribute("Exif:FocalLength", 0.0), 35.0);
        let p = s.find_attribute("ICCProfile", TypeDesc::UNKNOWN, false).unwrap();
        assert_eq!(meta::param_bytes(&p).unwrap(), icc);
    }

    #[test]
    fn corrupt_files_fail_cleanly() {
        let spec = ImageSpec::new(40, 24, 3, TypeDesc::UINT8);
        let px = picture(40, 24, 3);
        for prog in [0, 1] {
            let mut s = spec.clone();
            s.attribute_int("jpeg:progressive", prog);
            let p = scratch("jpg");
            write(&p, &s, &px).unwrap();
            let good = std::fs::read(&p).unwrap();
            let try_read = |b: &[u8]| {
                std::fs::write(&p, b).unwrap();
                open(&p, None).and_then(|mut r| r.read_image(0, 0).map(|_| ()))
            };
            // Truncations: a header error or a (partly grey) picture.
            for cut in [0, 1, 2, 3, 20, 200, good.len() / 2, good.len() - 2] {
                let _ = try_read(&good[..cut]);
            }
            assert!(try_read(&good[..1]).is_err());
            let mut x = 99u32;
            for _ in 0..300 {
                let mut b = good.clone();
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let i = 2 + (x as usize >> 4) % (b.len() - 2);
                b[i] ^= (x >> 24) as u8 | 1;
                let _ = try_read(&b);
            }
            std::fs::remove_file(&p).unwrap();
        }
        let p = scratch("jpg");
        std::fs::write(&p, b"GIF89a").unwrap();
        let e = open(&p, None).err().unwrap().to_string();
        assert!(e.contains("is not a JPEG file, magic number doesn't match"), "{e}");
        // A header claiming a huge image from a tiny file.
        let mut b = vec![0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0xff, 0xdc, 0xff, 0xdc, 1, 1, 0x11, 0];
        b.extend_from_slice(&[0xff, 0xd9]);
        std::fs::write(&p, &b).unwrap();
        assert!(open(&p, None).is_err());
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn decoder_matches_libjpeg_math() {
        // DC-only and sparse blocks through both IDCT paths.
        let q = [1u16; 64];
        let mut blk = [0i16; 64];
        blk[0] = 80;
        let mut a = [0u8; 64];
        idct_block(&blk, &q, &mut a, 8);
        assert!(a.iter().all(|&v| v == 138));
        blk[1] = -30;
        blk[9] = 12;
        idct_block(&blk, &q, &mut a, 8);
        let mut b = [0u8; 64];
        idct_slab(&blk, &q, &mut b, 1);
        assert_eq!(a, b);
        assert_eq!(ycc_to_rgb(128, 128, 128), [128, 128, 128]);
        assert_eq!(ycc_to_rgb(255, 0, 255), [255, 208, 28]);
    }

    /// Process CPU time (user + system) in seconds, from /proc.
    fn cpu_time() -> f64 {
        let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let f: Vec<&str> = s.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (t(11) + t(12)) / 100.0
    }

    /// Timing helper: `VFX_BENCH=a.jpg,b.png cargo test --release -- --ignored bench`.
    #[test]
    #[ignore]
    fn bench_read() {
        let Ok(list) = std::env::var("VFX_BENCH") else { return };
        for f in list.split(',') {
            let mut best = f64::MAX;
            let c0 = cpu_time();
            let n = 10;
            for _ in 0..n {
                let t = std::time::Instant::now();
                let mut r = crate::registry::open(Path::new(f), None).unwrap();
                let px = r.read_image(0, 0).unwrap();
                std::hint::black_box(px);
                best = best.min(t.elapsed().as_secs_f64());
            }
            let cpu = (cpu_time() - c0) / n as f64;
            eprintln!(
                "{f}: read {:.1} ms wall (best), {:.1} ms cpu (mean)",
                best * 1000.0,
                cpu * 1000.0
            );
        }
    }

    /// Write timing: `VFX_BENCH_W=src.png` writes it as PNG and JPEG.
    #[test]
    #[ignore]
    fn bench_write() {
        let Ok(src) = std::env::var("VFX_BENCH_W") else { return };
        let mut r = crate::registry::open(Path::new(&src), None).unwrap();
        let spec = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0).unwrap();
        let exts = std::env::var("VFX_BENCH_EXT").unwrap_or("png,jpg".into());
        for ext in exts.split(',') {
            let out = std::env::temp_dir().join(format!("vfx_bench_w.{ext}"));
            let fmt = crate::registry::by_extension(ext).unwrap();
            let req = crate::WriteRequest {
                subimages: vec![vec![crate::Level {
                    spec: &spec,
                    pixels: px.bytes(),
                }]],
                deep: vec![None],
                source: spec.format,
                thumbnail: None,
            };
            let mut best = f64::MAX;
            let c0 = cpu_time();
            for _ in 0..3 {
                let t = std::time::Instant::now();
                (fmt.write.unwrap())(&out, &req).unwrap();
                best = best.min(t.elapsed().as_secs_f64());
            }
            let cpu = (cpu_time() - c0) / 3.0;
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "{src} -> {ext}: write {:.1} ms wall (best), {:.1} ms cpu, {size} bytes",
                best * 1000.0,
                cpu * 1000.0
            );
            let _ = std::fs::remove_file(&out);
        }
    }
}
