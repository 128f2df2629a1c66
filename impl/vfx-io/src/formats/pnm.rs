//! PNM: the netpbm family — P1/P4 bitmaps, P2/P5 grey and P3/P6 RGB (ASCII
//! or binary, up to 16 bits) — and PFM (Pf grey, PF RGB, 32-bit float), read
//! and written as OpenImageIO 3.2.2 does.
//!
//! Reading follows OIIO's rules: the header must fit in the first KiB of the
//! file, at most the first GiB of the file is image data, samples are
//! rescaled to the full range of uint8/uint16 (`min(v, maxval) * max /
//! maxval`), bitmaps become uint8 0/255 (1 = black) with
//! `oiio:BitsPerSample` = 1, and PFM rows are flipped (the file stores them
//! bottom to top) only when the caller supplied an open configuration.
//!
//! Writing follows OIIO's writer, quirks included: `oiio:BitsPerSample`
//! (1, 8, 16, 32) picks the kind regardless of the pixel type, `pnm:binary`
//! = 0 asks for ASCII, `pnm:bigendian` = 1 byte-swaps what it touches
//! (including ASCII numbers), and float sources are written bottom row first
//! unless `pnm:pfmflip` is not 1.

use crate::{Format, IoError, Reader};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use vfx_core::convert::value_to_f32;
use vfx_core::{globals, BaseType, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "pnm",
    extensions: &["ppm", "pgm", "pbm", "pnm", "pfm"],
    sniff,
    open: Some(open_with),
    write: Some(write_request),
    supports,
};

/// OIIO parses the header from at most this many leading bytes.
const HEADER_WINDOW: usize = 1024;
/// OIIO loads at most this many bytes of a file (header included).
const MAX_FILE_BYTES: u64 = 1 << 30;
/// Largest width/height the reader and writer accept.
const MAX_RES: i32 = 65535;

/// Both the reader and the writer answer only "ioproxy".
pub fn supports(feature: &str) -> i32 {
    i32::from(feature == "ioproxy")
}

// ---------------------------------------------------------------------------
// Header text scanning, with OIIO Strutil's rules: whitespace is only
// space, tab, CR and LF; '#' starts a comment running to the end of line.

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\t' | b'\r')
}

fn skip_ws(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| is_ws(c)).count();
    &s[n..]
}

/// Skip whitespace and consume `c` if it comes next; otherwise leave `s`.
fn eat_char(s: &mut &[u8], c: u8) -> bool {
    let p = skip_ws(s);
    if p.first() == Some(&c) {
        *s = &p[1..];
        true
    } else {
        false
    }
}

/// Drop the rest of the line, newline included. A newline that is the very
/// last byte (or none at all) takes the whole remainder.
fn eat_line(s: &mut &[u8]) {
    match s.iter().position(|&c| c == b'\n') {
        Some(i) if i + 1 < s.len() => *s = &s[i + 1..],
        _ => *s = &[],
    }
}

fn skip_comments(s: &mut &[u8]) {
    while !s.is_empty() && eat_char(s, b'#') {
        eat_line(s);
    }
}

/// A decimal integer with optional sign after optional whitespace;
/// out-of-range values saturate to the i32 limits (Strutil::stoi).
fn eat_int(s: &mut &[u8]) -> Option<i32> {
    let p = skip_ws(s);
    let mut i = 0;
    let neg = p.first() == Some(&b'-');
    if matches!(p.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let limit: i64 = if neg { 1 << 31 } else { (1 << 31) - 1 };
    let mut acc: i64 = 0;
    let mut overflow = false;
    let start = i;
    while let Some(&c) = p.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        if !overflow {
            acc = acc * 10 + i64::from(c - b'0');
            overflow = acc > limit;
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    *s = &p[i..];
    let v = match (overflow, neg) {
        (true, true) => i32::MIN,
        (true, false) => i32::MAX,
        (false, true) => (-acc) as i32,
        (false, false) => acc as i32,
    };
    Some(v)
}

/// A float as C's `strtof` reads it (after our whitespace rule, strtof also
/// skips vertical tab and form feed).
fn eat_float(s: &mut &[u8]) -> Option<f32> {
    let p = skip_ws(s);
    if p.is_empty() {
        return None;
    }
    let (v, n) = c_strtof(p)?;
    *s = &p[n..];
    Some(v)
}

fn starts_with_nocase(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

/// Value and byte length of the longest prefix of `s` that C's `strtof`
/// accepts: decimal, hexadecimal (`0x1.8p3`), `inf`/`infinity`, `nan`.
fn c_strtof(s: &[u8]) -> Option<(f32, usize)> {
    let mut i = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .count();
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let signed = |v: f32| if neg { -v } else { v };
    let rest = &s[i..];
    if starts_with_nocase(rest, b"inf") {
        let n = if starts_with_nocase(rest, b"infinity") { 8 } else { 3 };
        return Some((signed(f32::INFINITY), i + n));
    }
    if starts_with_nocase(rest, b"nan") {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            let inner = rest[4..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            if rest.get(4 + inner) == Some(&b')') {
                n = 5 + inner;
            }
        }
        return Some((signed(f32::NAN), i + n));
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        return Some(match hex_float(&rest[2..]) {
            Some((v, n)) => (signed(v), i + 2 + n),
            // "0x" with no hex digits after it: only the "0" counts.
            None => (signed(0.0), i + 1),
        });
    }
    let digits = |from: usize| rest[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_digits = digits(0);
    let mut j = int_digits;
    let mut frac_digits = 0;
    if rest.get(j) == Some(&b'.') {
        frac_digits = digits(j + 1);
        j += 1 + frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(rest.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(rest.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let exp_digits = digits(k);
        if exp_digits > 0 {
            j = k + exp_digits;
        }
    }
    // Rust wants at least one digit before an exponent and no bare '.'.
    let mut text = String::with_capacity(j + 2);
    if int_digits == 0 {
        text.push('0');
    }
    text.push_str(std::str::from_utf8(&rest[..j]).ok()?);
    let v: f32 = text.replace(".e", ".0e").replace(".E", ".0E").parse().ok()?;
    Some((signed(v), i + j))
}

/// Hexadecimal significand (after "0x") with optional binary exponent.
fn hex_float(s: &[u8]) -> Option<(f32, usize)> {
    let mut mant: u64 = 0;
    let mut exp: i64 = 0;
    let mut sticky = false;
    let mut any = false;
    let mut i = 0;
    let mut after_point = false;
    while let Some(&c) = s.get(i) {
        if c == b'.' && !after_point {
            after_point = true;
            i += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(16) else { break };
        any = true;
        if mant < (1 << 59) {
            mant = mant * 16 + u64::from(d);
            if after_point {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !after_point {
                exp += 4;
            }
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let mut k = i + 1;
        let eneg = s.get(k) == Some(&b'-');
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let start = k;
        let mut e: i64 = 0;
        while let Some(&c) = s.get(k) {
            if !c.is_ascii_digit() {
                break;
            }
            e = (e * 10 + i64::from(c - b'0')).min(1 << 20);
            k += 1;
        }
        if k > start {
            exp += if eneg { -e } else { e };
            i = k;
        }
    }
    if mant == 0 {
        return Some((0.0, i));
    }
    let lz = mant.leading_zeros();
    let m = (mant << lz) | u64::from(sticky);
    let v = (m as f32) as f64 * 2f64.powi((exp - i64::from(lz)).clamp(-2000, 2000) as i32);
    Some((v as f32, i))
}

// ---------------------------------------------------------------------------
// Header

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    P1,
    P2,
    P3,
    P4,
    P5,
    P6,
    /// Grey PFM.
    Pf,
    /// RGB PFM.
    PF,
}

impl Kind {
    fn from_byte(c: u8) -> Option<Kind> {
        Some(match c {
            b'1' => Kind::P1,
            b'2' => Kind::P2,
            b'3' => Kind::P3,
            b'4' => Kind::P4,
            b'5' => Kind::P5,
            b'6' => Kind::P6,
            b'f' => Kind::Pf,
            b'F' => Kind::PF,
            _ => return None,
        })
    }
    fn is_float(self) -> bool {
        matches!(self, Kind::Pf | Kind::PF)
    }
    fn is_ascii(self) -> bool {
        matches!(self, Kind::P1 | Kind::P2 | Kind::P3)
    }
    fn is_bitmap(self) -> bool {
        matches!(self, Kind::P1 | Kind::P4)
    }
    fn nchannels(self) -> i32 {
        if matches!(self, Kind::P3 | Kind::P6 | Kind::PF) {
            3
        } else {
            1
        }
    }
}

#[derive(Clone, Debug)]
struct Header {
    kind: Kind,
    width: i32,
    height: i32,
    /// 1 for bitmaps; unused for PFM.
    maxval: i32,
    /// PFM scale (sign = byte order); unused otherwise.
    scale: f32,
    /// Where the pixel data starts.
    data_offset: usize,
}

/// Magic number and resolution.
fn parse_magic_and_size(s: &mut &[u8]) -> Option<(Kind, i32, i32)> {
    if !eat_char(s, b'P') || s.is_empty() {
        return None;
    }
    let kind = Kind::from_byte(s[0])?;
    *s = &s[1..];
    skip_comments(s);
    let width = eat_int(s)?;
    skip_comments(s);
    let height = eat_int(s)?;
    Some((kind, width, height))
}

/// Parse the header from the leading bytes. `Err("")` means "not a PNM
/// header" (OIIO records no message for that).
fn parse_header(window: &[u8]) -> Result<Header, String> {
    let mut s = window;
    let (kind, width, height) = parse_magic_and_size(&mut s).ok_or_else(String::new)?;
    let mut maxval = 1;
    let mut scale = 1.0;
    if kind.is_float() {
        skip_comments(&mut s);
        scale = eat_float(&mut s).ok_or_else(String::new)?;
    } else if !kind.is_bitmap() {
        skip_comments(&mut s);
        maxval = eat_int(&mut s).ok_or_else(String::new)?;
        if !(0..=65535).contains(&maxval) {
            return Err(format!("Invalid PNM max value {maxval}"));
        }
    }
    // Exactly one whitespace byte separates the header from the data.
    match s.first() {
        Some(&c) if is_ws(c) => s = &s[1..],
        _ => return Err(String::new()),
    }
    Ok(Header {
        kind,
        width,
        height,
        maxval,
        scale,
        data_offset: window.len() - s.len(),
    })
}

/// Bits needed for `maxval` (OIIO: ceil(log2(maxval + 1))).
fn bits_for(maxval: i32) -> i32 {
    32 - (maxval.max(0) as u32).leading_zeros() as i32
}

fn header_spec(h: &Header) -> ImageSpec {
    let nch = h.kind.nchannels();
    let mut spec;
    if h.kind.is_float() {
        spec = ImageSpec::new(h.width, h.height, nch, TypeDesc::FLOAT);
        spec.attribute_int("pnm:bigendian", if h.scale < 0.0 { 0 } else { 1 });
        spec.attribute_int("pnm:binary", 1);
    } else {
        let fmt = if h.maxval > 255 {
            TypeDesc::UINT16
        } else {
            TypeDesc::UINT8
        };
        spec = ImageSpec::new(h.width, h.height, nch, fmt);
        spec.attribute_int("pnm:binary", if h.kind.is_ascii() { 0 } else { 1 });
        let bits = bits_for(h.maxval);
        if bits < 8 {
            spec.attribute_int("oiio:BitsPerSample", bits);
        }
    }
    spec.set_colorspace("Rec709");
    spec
}

/// OIIO's sanity checks on a header's resolution and the global limits.
fn check_input_spec(spec: &ImageSpec) -> Result<(), String> {
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(format!(
            "pnm image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        ));
    }
    if w > MAX_RES || h > MAX_RES {
        return Err(format!(
            "pnm image resolution may not exceed {MAX_RES}x{MAX_RES}, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return Err(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res || d > max_res) {
        return Err(format!(
            "pnm image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > (max_mb as u64) * (1 << 20) {
        let mb = bytes as f32 / (1u64 << 20) as f32;
        return Err(format!(
            "Uncompressed image size {mb:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            spec.format
        ));
    }
    Ok(())
}

/// Reject a small file whose header claims a gigantic image (OIIO: at least
/// 1 GiB declared and more than 10000 times the file size).
fn check_size_ratio(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    let declared = spec.image_bytes(true);
    if file_size == 0 || declared < (1 << 30) {
        return Ok(());
    }
    if declared > file_size.saturating_mul(10000) {
        return Err(format!(
            "pnm header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        ));
    }
    Ok(())
}

/// True if `head` (the file's first bytes; OIIO looks at up to 1 KiB) starts
/// with a PNM/PFM magic number and a resolution of at most 4096x4096.
pub fn sniff(head: &[u8]) -> bool {
    let mut s = &head[..head.len().min(HEADER_WINDOW)];
    match parse_magic_and_size(&mut s) {
        Some((_, w, h)) => (0..=4096).contains(&w) && (0..=4096).contains(&h),
        None => false,
    }
}

// ---------------------------------------------------------------------------
// Reader

/// `FORMAT.open`. A default (untouched) `ImageSpec` counts as "no
/// configuration" — OIIO's `ImageInput.open(path)` / `ImageBuf(path)` —
/// anything else as a configuration (see [`open_with`]).
pub fn open(path: &Path, config: &ImageSpec) -> Result<Box<dyn Reader>, IoError> {
    let given = *config != ImageSpec::default();
    open_with(path, given.then_some(config))
}

/// Open with or without an open-time configuration, as OIIO's two `open`
/// overloads differ: with one, PFM rows are flipped unless `pnm:pfmflip` is
/// 0, and failures add `Could not parse spec for file "<path>"`.
/// A header that is not PNM at all fails with an empty message without a
/// configuration (OIIO then tries other readers).
pub fn open_with(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let result = open_reader(path, config.is_some_and(|c| c.get_int_attribute("pnm:pfmflip", 1) != 0));
    match (result, config) {
        (Ok(r), _) => Ok(Box::new(r)),
        (Err(e), None) => Err(e),
        (Err(e), Some(_)) => {
            let tail = format!("Could not parse spec for file \"{}\"", path.display());
            let add = |m: String| {
                if m.is_empty() {
                    tail.clone()
                } else {
                    format!("{m}\n{tail}")
                }
            };
            Err(match e {
                IoError::Open(m) => IoError::Open(add(m)),
                IoError::Corrupt(m) => IoError::Corrupt(add(m)),
                IoError::Unsupported(m) => IoError::Unsupported(add(m)),
                IoError::Write(m) => IoError::Write(add(m)),
            })
        }
    }
}

fn open_reader(path: &Path, flip: bool) -> Result<PnmReader, IoError> {
    let mut file =
        File::open(path).map_err(|_| IoError::Open(format!("Could not open file \"{}\"", path.display())))?;
    // A directory or unreadable file reads as empty: "not a PNM".
    let file_size = file
        .metadata()
        .map(|m| if m.is_file() { m.len() } else { 0 })
        .unwrap_or(0);
    let mut window = vec![0u8; file_size.min(HEADER_WINDOW as u64) as usize];
    file.read_exact(&mut window)
        .map_err(|_| IoError::Corrupt(String::new()))?;
    let header = parse_header(&window).map_err(IoError::Corrupt)?;
    let spec = header_spec(&header);
    check_input_spec(&spec).map_err(IoError::Corrupt)?;
    check_size_ratio(&spec, file_size).map_err(IoError::Corrupt)?;
    let available = file_size.min(MAX_FILE_BYTES) - header.data_offset as u64;
    Ok(PnmReader {
        spec,
        header,
        file,
        available,
        flip,
    })
}

struct PnmReader {
    spec: ImageSpec,
    header: Header,
    file: File,
    /// Bytes of pixel data OIIO would see (file capped at 1 GiB, minus header).
    available: u64,
    /// Reverse PFM rows (the file stores the bottom row first).
    flip: bool,
}

fn premature() -> IoError {
    IoError::Corrupt("Premature end of file".into())
}

fn alloc(len: u64) -> Result<PixelData, IoError> {
    let len = usize::try_from(len).map_err(|_| IoError::Corrupt(format!("Cannot allocate {len} bytes")))?;
    PixelData::zeroed(len).map_err(|e| IoError::Corrupt(e.to_string()))
}

/// 8-bit lookup for `min(v, maxval) * 255 / maxval` (all 255 if maxval is 0).
fn lut8(maxval: u32) -> [u8; 256] {
    std::array::from_fn(|v| {
        ((v as u32).min(maxval) * 255)
            .checked_div(maxval)
            .map_or(255, |x| x as u8)
    })
}

/// 16-bit lookup for `min(v, maxval) * 65535 / maxval`.
fn lut16(maxval: u32) -> Vec<u16> {
    (0..=65535u32)
        .map(|v| {
            (u64::from(v.min(maxval)) * 65535)
                .checked_div(u64::from(maxval))
                .map_or(65535, |x| x as u16)
        })
        .collect()
}

impl PnmReader {
    fn read_exact_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
        self.file
            .seek(SeekFrom::Start(self.header.data_offset as u64 + offset))
            .and_then(|_| self.file.read_exact(buf))
            .map_err(|_| premature())
    }

    fn read_binary(&mut self) -> Result<PixelData, IoError> {
        let h = &self.header;
        let (w, rows) = (h.width as u64, h.height as u64);
        let nsamples = w * rows * h.kind.nchannels() as u64;
        let needed = match h.kind {
            Kind::P4 => w.div_ceil(8) * rows,
            Kind::Pf | Kind::PF => nsamples * 4,
            _ => self.spec.image_bytes(true),
        };
        if needed > self.available {
            return Err(premature());
        }
        let mut pixels = alloc(self.spec.image_bytes(true))?;
        match self.header.kind {
            Kind::P4 => {
                let mut packed = vec![0u8; needed as usize];
                self.read_exact_at(0, &mut packed)?;
                let row_in = w.div_ceil(8) as usize;
                let out = pixels.bytes_mut();
                for (dst, src) in out.chunks_exact_mut(w as usize).zip(packed.chunks_exact(row_in)) {
                    for (x, d) in dst.iter_mut().enumerate() {
                        let bit = (src[x / 8] >> (7 - x % 8)) & 1;
                        *d = if bit == 1 { 0 } else { 255 };
                    }
                }
            }
            Kind::P5 | Kind::P6 => {
                self.read_exact_at(0, pixels.bytes_mut())?;
                let maxval = self.header.maxval as u32;
                if maxval > 255 {
                    let v: &mut [u16] = bytemuck::cast_slice_mut(pixels.bytes_mut());
                    if maxval == 65535 {
                        v.iter_mut().for_each(|x| *x = u16::from_be(*x));
                    } else {
                        let t = lut16(maxval);
                        v.iter_mut().for_each(|x| *x = t[u16::from_be(*x) as usize]);
                    }
                } else if maxval != 255 {
                    let t = lut8(maxval);
                    pixels.bytes_mut().iter_mut().for_each(|x| *x = t[*x as usize]);
                }
            }
            Kind::Pf | Kind::PF => {
                self.read_exact_at(0, pixels.bytes_mut())?;
                let row_bytes = (w * self.header.kind.nchannels() as u64 * 4) as usize;
                if self.flip {
                    let bytes = pixels.bytes_mut();
                    let n = rows as usize;
                    for y in 0..n / 2 {
                        let (top, bottom) = bytes.split_at_mut((n - 1 - y) * row_bytes);
                        top[y * row_bytes..(y + 1) * row_bytes].swap_with_slice(&mut bottom[..row_bytes]);
                    }
                }
                // A positive scale means big-endian data; zero, negative
                // and NaN scales mean little-endian.
                let scale = self.header.scale;
                let big = scale > 0.0;
                let factor = scale.abs();
                let v: &mut [u32] = bytemuck::cast_slice_mut(pixels.bytes_mut());
                for x in v.iter_mut() {
                    let bits = if big { u32::from_be(*x) } else { u32::from_le(*x) };
                    *x = (factor * f32::from_bits(bits)).to_bits();
                }
            }
            _ => unreachable!("ASCII kinds are read by read_ascii"),
        }
        Ok(pixels)
    }

    fn read_ascii(&mut self) -> Result<PixelData, IoError> {
        let h = &self.header;
        let nvals = h.width as u64 * h.height as u64 * h.kind.nchannels() as u64;
        if h.maxval == 0 {
            // OIIO reads no values at all then: every sample is full white.
            let mut pixels = alloc(self.spec.image_bytes(true))?;
            pixels.bytes_mut().fill(255);
            return Ok(pixels);
        }
        // Every value needs a digit and all but the first a separator, so a
        // file too short for that fails (as OIIO, with no message) before
        // anything is allocated.
        if nvals * 2 - 1 > self.available {
            return Err(IoError::Corrupt(String::new()));
        }
        let mut text = Vec::new();
        self.file
            .seek(SeekFrom::Start(h.data_offset as u64))
            .and_then(|_| (&mut self.file).take(self.available).read_to_end(&mut text))
            .map_err(|_| IoError::Corrupt(String::new()))?;
        let mut pixels = alloc(self.spec.image_bytes(true))?;
        let kind = h.kind;
        let maxval = i64::from(h.maxval);
        let mut s: &[u8] = &text;
        let mut next = || -> Result<i64, IoError> {
            skip_comments(&mut s);
            eat_int(&mut s)
                .map(i64::from)
                .ok_or_else(|| IoError::Corrupt(String::new()))
        };
        if maxval > 255 {
            let out: &mut [u16] = bytemuck::cast_slice_mut(pixels.bytes_mut());
            for o in out.iter_mut() {
                *o = (next()?.clamp(0, maxval) * 65535 / maxval) as u16;
            }
        } else {
            let out = pixels.bytes_mut();
            for o in out.iter_mut() {
                let v = next()?;
                *o = if kind == Kind::P1 {
                    // Bitmaps: 1 is black.
                    255 - (v.clamp(0, 1) * 255) as u8
                } else {
                    (v.clamp(0, maxval) * 255 / maxval) as u8
                };
            }
        }
        Ok(pixels)
    }
}

impl Reader for PnmReader {
    fn format_name(&self) -> &'static str {
        "pnm"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            // OIIO fails these without a message.
            return Err(IoError::Open(String::new()));
        }
        if self.header.kind.is_ascii() {
            self.read_ascii()
        } else {
            self.read_binary()
        }
    }
}

// ---------------------------------------------------------------------------
// Writer

/// What the writer emits, decided from the spec as OIIO's `open` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OutKind {
    /// P1 (ASCII) or P4.
    Bitmap { ascii: bool },
    /// P2/P3 (ASCII) or P5/P6; `wide` = 16-bit samples (maxval 65535).
    Int { ascii: bool, wide: bool },
    /// Pf / PF.
    Float,
}

/// OIIO's output checks (resolution, depth, channels, per-channel formats,
/// deep, tiles).
fn check_output_spec(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let bad = |m: String| Err(IoError::Unsupported(m));
    if w > MAX_RES || h > MAX_RES {
        return bad(format!(
            "pnm image resolution may not exceed {MAX_RES}x{MAX_RES}, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "pnm image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("pnm does not support volume images (depth > 1)".into());
    }
    // OIIO lets 0 channels through and then crashes; refuse them instead.
    if !(1..=3).contains(&n) || n == 2 {
        return bad(format!("pnm does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("pnm does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("pnm does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("pnm does not support tiled images".into());
    }
    Ok(())
}

fn plan_output(spec: &ImageSpec) -> Result<OutKind, IoError> {
    let unsupported = || IoError::Unsupported(format!("PNM does not support {}", spec.format));
    let bits = if spec
        .find_attribute("oiio:BitsPerSample", TypeDesc::UNKNOWN, false)
        .is_some()
    {
        spec.get_int_attribute("oiio:BitsPerSample", 8)
    } else {
        0
    };
    let ascii = spec.get_int_attribute("pnm:binary", 1) == 0;
    Ok(match bits {
        1 => OutKind::Bitmap { ascii },
        8 | 16 => OutKind::Int {
            ascii,
            wide: bits == 16,
        },
        32 => OutKind::Float,
        0 => match spec.format.basetype {
            BaseType::UInt8 | BaseType::UInt16 => OutKind::Int {
                ascii,
                wide: spec.format == TypeDesc::UINT16,
            },
            BaseType::Half | BaseType::Float | BaseType::Double => OutKind::Float,
            _ => return Err(unsupported()),
        },
        _ => return Err(unsupported()),
    })
}

fn header_text(spec: &ImageSpec, kind: OutKind, big: bool) -> String {
    let n = spec.nchannels;
    let magic = match kind {
        OutKind::Bitmap { ascii } => if ascii { "P1" } else { "P4" }.to_string(),
        OutKind::Int { ascii, .. } => {
            let binary_kind = if n == 1 { 5 } else { 6 };
            format!("P{}", if ascii { binary_kind - 3 } else { binary_kind })
        }
        OutKind::Float => if n == 1 { "Pf" } else { "PF" }.to_string(),
    };
    let mut s = format!("{magic}\n{} {}\n", spec.width, spec.height);
    match kind {
        OutKind::Bitmap { .. } => {}
        OutKind::Int { wide, .. } => s += if wide { "65535\n" } else { "255\n" },
        OutKind::Float => s += if big { "1.0000\n" } else { "-1.0000\n" },
    }
    s
}

/// `FORMAT.write`: the pixels are in `spec.format` and are also the source
/// OIIO would have been handed.
/// The registry's writer: PNM holds one image, the first subimage's top level.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("pnm: nothing to write".into()))?;
    write_from(path, level.spec, level.pixels, req.source)
}

pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    write_from(path, spec, pixels, spec.format)
}

/// Write, knowing the pixel type the caller's data had before conversion to
/// `spec.format` (OIIO writes rows bottom first when that type is float and
/// `pnm:pfmflip` is 1 (the default) — whatever the file's kind, e.g. a float
/// `ImageBuf` saved as 8-bit is flipped too).
pub fn write_from(path: &Path, spec: &ImageSpec, pixels: &[u8], source_format: TypeDesc) -> Result<(), IoError> {
    check_output_spec(spec)?;
    let kind = plan_output(spec)?;
    let big = spec.get_int_attribute("pnm:bigendian", 0) == 1;
    let flip = source_format == TypeDesc::FLOAT && spec.get_int_attribute("pnm:pfmflip", 1) == 1;
    let (w, h) = (spec.width as usize, spec.height as usize);
    let pixel_bytes = spec.nchannels as usize * spec.format.size();
    let row_bytes = w * pixel_bytes;
    let needed = row_bytes as u64 * h as u64;
    if (pixels.len() as u64) < needed {
        return Err(IoError::Write(format!(
            "pnm: {} bytes of pixels given, {needed} needed",
            pixels.len()
        )));
    }
    let file = File::create(path).map_err(|_| IoError::Write(format!("Could not open file \"{}\"", path.display())))?;
    let write_err = |e: std::io::Error| IoError::Write(format!("Write error on \"{}\": {e}", path.display()));
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(header_text(spec, kind, big).as_bytes())
        .map_err(write_err)?;
    let enc = RowEncoder {
        spec,
        kind,
        big,
        pixel_bytes,
    };
    let mut buf = Vec::with_capacity(row_bytes * 2 + 16);
    for i in 0..h {
        let y = if flip { h - 1 - i } else { i };
        // The row and everything after it: OIIO's mismatched-type paths can
        // read past the row's end.
        let row = &pixels[y * row_bytes..];
        buf.clear();
        if let Some(direct) = enc.encode(row, &mut buf) {
            out.write_all(direct).map_err(write_err)?;
        } else {
            out.write_all(&buf).map_err(write_err)?;
        }
    }
    out.flush().map_err(write_err)
}

struct RowEncoder<'a> {
    spec: &'a ImageSpec,
    kind: OutKind,
    big: bool,
    pixel_bytes: usize,
}

/// Byte at `off`, 0 past the end of the data.
fn byte_at(data: &[u8], off: usize) -> u8 {
    data.get(off).copied().unwrap_or(0)
}

/// Native-endian u16 at `off`, 0 past the end.
fn u16_at(data: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([byte_at(data, off), byte_at(data, off + 1)])
}

impl RowEncoder<'_> {
    /// Encode one row into `buf`, or return a slice to write unchanged.
    fn encode<'r>(&self, row: &'r [u8], buf: &mut Vec<u8>) -> Option<&'r [u8]> {
        let w = self.spec.width as usize;
        let nch = self.spec.nchannels as usize;
        let pb = self.pixel_bytes;
        match self.kind {
            OutKind::Bitmap { ascii } => {
                // Only the first byte of each pixel counts: nonzero is white.
                if ascii {
                    for x in 0..w {
                        buf.extend_from_slice(if byte_at(row, x * pb) != 0 { b"0\n" } else { b"1\n" });
                    }
                } else {
                    for x0 in (0..w).step_by(8) {
                        let mut packed = 0u8;
                        for x in x0..(x0 + 8).min(w) {
                            if byte_at(row, x * pb) == 0 {
                                packed |= 0x80 >> (x - x0);
                            }
                        }
                        buf.push(packed);
                    }
                }
            }
            OutKind::Int { ascii, wide } => {
                // Samples are read as the file's sample type, stepping by
                // whole pixels of the spec's type (OIIO's stride rule).
                let esize = if wide { 2 } else { 1 };
                let stride = pb / esize;
                let native = self.spec.format == if wide { TypeDesc::UINT16 } else { TypeDesc::UINT8 };
                if !ascii && !wide && native {
                    return Some(&row[..w * nch]);
                }
                let sample = |x: usize, c: usize| -> u32 {
                    let off = (x * stride + c) * esize;
                    if wide {
                        u32::from(u16_at(row, off))
                    } else {
                        u32::from(byte_at(row, off))
                    }
                };
                if ascii {
                    for x in 0..w {
                        for c in 0..nch {
                            let v = sample(x, c);
                            let v = if self.big { v.swap_bytes() } else { v };
                            let _ = writeln!(buf, "{v}");
                        }
                    }
                } else if native {
                    // 16-bit fast path: big-endian (little with pnm:bigendian).
                    for s in row[..w * nch * 2].chunks_exact(2) {
                        let v = u16::from_ne_bytes([s[0], s[1]]);
                        buf.extend_from_slice(&if self.big { v.to_le_bytes() } else { v.to_be_bytes() });
                    }
                } else {
                    for x in 0..w {
                        for c in 0..nch {
                            let v = sample(x, c);
                            if wide {
                                let v = v as u16;
                                buf.extend_from_slice(&if self.big { v.to_le_bytes() } else { v.to_be_bytes() });
                            } else {
                                buf.push(v as u8);
                            }
                        }
                    }
                }
            }
            OutKind::Float => {
                let base = self.spec.format.basetype;
                // Other pixel types write nothing (OIIO's behaviour).
                if matches!(base, BaseType::Half | BaseType::Float | BaseType::Double) {
                    let size = base.size();
                    for s in row[..w * nch * size].chunks_exact(size) {
                        let v = value_to_f32(s, base);
                        buf.extend_from_slice(&if self.big { v.to_be_bytes() } else { v.to_le_bytes() });
                    }
                }
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh scratch path in the system temp directory.
    fn scratch(ext: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_pnm_{}_{n}.{ext}", std::process::id()))
    }

    fn file_with(bytes: &[u8], ext: &str) -> PathBuf {
        let p = scratch(ext);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn read_all(bytes: &[u8], config: Option<&ImageSpec>) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = file_with(bytes, "pnm");
        let result = open_with(&p, config).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (spec, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        result
    }

    fn open_err(bytes: &[u8]) -> IoError {
        let p = file_with(bytes, "pnm");
        let e = match open_with(&p, None) {
            Ok(_) => panic!("open should fail: {bytes:?}"),
            Err(e) => e,
        };
        let _ = std::fs::remove_file(&p);
        e
    }

    fn read_err(bytes: &[u8]) -> IoError {
        read_all(bytes, None).expect_err("read should fail")
    }

    fn attr_i(spec: &ImageSpec, name: &str) -> Option<i32> {
        spec.find_attribute(name, TypeDesc::UNKNOWN, false)
            .map(|p| p.get_int(-999))
    }

    fn u16s(b: &[u8]) -> Vec<u16> {
        b.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect()
    }

    fn f32s(b: &[u8]) -> Vec<f32> {
        b.chunks_exact(4)
            .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }

    fn be16(v: &[u16]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_be_bytes()).collect()
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "pnm");
        assert_eq!(FORMAT.extensions, ["ppm", "pgm", "pbm", "pnm", "pfm"]);
        assert_eq!(supports("ioproxy"), 1);
        assert_eq!(supports("tiles"), 0);
        assert_eq!(supports(""), 0);
    }

    #[test]
    fn sniffing() {
        for head in [
            &b"P1\n1 1\n"[..],
            b"P2 3 4",
            b"P3\n#c\n3 4\n",
            b"P4 8 8\n",
            b"P5\n4096 4096\n255\n",
            b"P6 1 1 255 ",
            b"Pf 2 2 -1\n",
            b"PF\n0 1\n",
            b"  \n P5 1 1",
        ] {
            assert!(sniff(head), "{head:?}");
        }
        for head in [
            &b""[..],
            b"P",
            b"P7 1 1",
            b"Q5 1 1",
            b"P5 1",
            b"P5 4097 1",
            b"P5 1 -1",
            b"#c\nP5 1 1",
            b"P5\x0c1 1",
        ] {
            assert!(!sniff(head), "{head:?}");
        }
    }

    #[test]
    fn strtof_prefixes() {
        let f = |s: &str| c_strtof(s.as_bytes());
        assert_eq!(f("-1.0\n"), Some((-1.0, 4)));
        assert_eq!(f("1e3x"), Some((1000.0, 3)));
        assert_eq!(f("1e"), Some((1.0, 1)));
        assert_eq!(f("-1.0e"), Some((-1.0, 4)));
        assert_eq!(f("1.e2"), Some((100.0, 4)));
        assert_eq!(f("-.5 "), Some((-0.5, 3)));
        assert_eq!(f("+2"), Some((2.0, 2)));
        assert_eq!(f("0x1p1"), Some((2.0, 5)));
        assert_eq!(f("0x.8"), Some((0.5, 4)));
        assert_eq!(f("0x"), Some((0.0, 1)));
        assert_eq!(f("-inf"), Some((f32::NEG_INFINITY, 4)));
        assert_eq!(f("Infinity"), Some((f32::INFINITY, 8)));
        assert!(f("nan(12)").is_some_and(|(v, n)| v.is_nan() && n == 7));
        assert!(f("nan(").is_some_and(|(v, n)| v.is_nan() && n == 3));
        assert_eq!(f("\x0b3"), Some((3.0, 2)));
        assert_eq!(f("."), None);
        assert_eq!(f("e5"), None);
        assert_eq!(f("x"), None);
        assert_eq!(f("1e400").map(|v| v.0), Some(f32::INFINITY));
    }

    #[test]
    fn integer_tokens() {
        let f = |s: &str| {
            let mut b = s.as_bytes();
            eat_int(&mut b).map(|v| (v, b.len()))
        };
        assert_eq!(f(" 12 "), Some((12, 1)));
        assert_eq!(f("+7x"), Some((7, 1)));
        assert_eq!(f("-3"), Some((-3, 0)));
        assert_eq!(f("99999999999"), Some((i32::MAX, 0)));
        assert_eq!(f("-99999999999"), Some((i32::MIN, 0)));
        assert_eq!(f("-"), None);
        assert_eq!(f("x1"), None);
        assert_eq!(f("\x001"), None);
    }

    #[test]
    fn p1_ascii_bitmap() {
        let (spec, px) = read_all(b"P1\n# comment\n3 2\n1 0 1\n0 1 1\n", None).unwrap();
        assert_eq!((spec.width, spec.height, spec.nchannels), (3, 2, 1));
        assert_eq!(spec.format, TypeDesc::UINT8);
        assert_eq!(spec.channelnames, ["Y"]);
        assert_eq!(attr_i(&spec, "oiio:BitsPerSample"), Some(1));
        assert_eq!(attr_i(&spec, "pnm:binary"), Some(0));
        assert_eq!(spec.get_string_attribute("oiio:ColorSpace", ""), "Rec709");
        let names: Vec<_> = spec.extra_attribs.items.iter().map(|p| p.name().to_string()).collect();
        assert_eq!(names, ["pnm:binary", "oiio:BitsPerSample", "oiio:ColorSpace"]);
        let bits = [1u8, 0, 1, 0, 1, 1];
        let want: Vec<u8> = bits.iter().map(|&b| if b == 1 { 0 } else { 255 }).collect();
        assert_eq!(px, want);
        // Out-of-range values clamp to 0..1 before inversion.
        let (_, px) = read_all(b"P1 4 1 2 -1 5 -7", None).unwrap();
        assert_eq!(px, [0, 255, 0, 255]);
        // Digits run together form one number (OIIO), so this is short.
        assert_eq!(read_err(b"P1\n3 2\n101\n011\n"), IoError::Corrupt(String::new()));
    }

    #[test]
    fn p4_binary_bitmap() {
        let rows = [0b1011_0000u8, 0b0100_0000, 0xff, 0xc0];
        let mut file = b"P4\n10 2\n".to_vec();
        file.extend_from_slice(&rows);
        let (spec, px) = read_all(&file, None).unwrap();
        assert_eq!((spec.width, spec.height, spec.format), (10, 2, TypeDesc::UINT8));
        assert_eq!(attr_i(&spec, "oiio:BitsPerSample"), Some(1));
        assert_eq!(attr_i(&spec, "pnm:binary"), Some(1));
        for y in 0..2 {
            for x in 0..10 {
                let bit = (rows[y * 2 + x / 8] >> (7 - x % 8)) & 1;
                assert_eq!(px[y * 10 + x], if bit == 1 { 0 } else { 255 }, "{x},{y}");
            }
        }
    }

    #[test]
    fn p2_p5_grey_scaling() {
        for maxval in [0u32, 1, 3, 15, 100, 200, 255] {
            let vals: Vec<u8> = (0..=255).collect();
            let mut file = format!("P5\n256 1\n{maxval}\n").into_bytes();
            file.extend_from_slice(&vals);
            let (spec, px) = read_all(&file, None).unwrap();
            assert_eq!(spec.format, TypeDesc::UINT8);
            let bits = 32 - maxval.leading_zeros() as i32;
            assert_eq!(
                attr_i(&spec, "oiio:BitsPerSample"),
                (bits < 8).then_some(bits),
                "{maxval}"
            );
            for (v, got) in vals.iter().zip(&px) {
                let want = (u32::from(*v).min(maxval) * 255).checked_div(maxval).unwrap_or(255);
                assert_eq!(u32::from(*got), want, "maxval {maxval} value {v}");
            }
            // The same values as ASCII.
            let text: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
            let file = format!("P2\n256 1\n{maxval}\n{}\n", text.join(" "));
            let (spec2, px2) = read_all(file.as_bytes(), None).unwrap();
            assert_eq!(px2, px);
            assert_eq!(attr_i(&spec2, "pnm:binary"), Some(0));
        }
        // ASCII values clamp at 0 and maxval.
        let (_, px) = read_all(b"P2\n4 1\n100\n-5 50 100 1000\n", None).unwrap();
        assert_eq!(px, [0, 127, 255, 255]);
    }

    #[test]
    fn sixteen_bit() {
        let vals = [0u16, 1, 256, 300, 65534, 65535];
        for maxval in [256u32, 300, 1000, 40000, 65535] {
            let mut file = format!("P5\n6 1\n{maxval}\n").into_bytes();
            file.extend(be16(&vals));
            let (spec, px) = read_all(&file, None).unwrap();
            assert_eq!(spec.format, TypeDesc::UINT16);
            assert_eq!(attr_i(&spec, "oiio:BitsPerSample"), None);
            let want: Vec<u16> = vals
                .iter()
                .map(|&v| (u64::from(u32::from(v).min(maxval)) * 65535 / u64::from(maxval)) as u16)
                .collect();
            assert_eq!(u16s(&px), want, "maxval {maxval}");
            let text: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
            let file = format!("P2 6 1 {maxval} {}", text.join("\n"));
            let (_, px2) = read_all(file.as_bytes(), None).unwrap();
            assert_eq!(u16s(&px2), want);
        }
        let mut file = b"P6\n1 1\n65535\n".to_vec();
        file.extend(be16(&[1, 256, 65535]));
        let (spec, px) = read_all(&file, None).unwrap();
        assert_eq!((spec.nchannels, spec.format), (3, TypeDesc::UINT16));
        assert_eq!(spec.channelnames, ["R", "G", "B"]);
        assert_eq!(u16s(&px), [1, 256, 65535]);
    }

    #[test]
    fn p3_p6_rgb_and_header_layouts() {
        let data = [1u8, 2, 3, 4, 5, 6];
        let (spec, px) = read_all(b"P3\n# comment\n2 1\n255\n1 2 3   4 5 6\n", None).unwrap();
        assert_eq!((spec.width, spec.height, spec.nchannels), (2, 1, 3));
        assert_eq!(px, data);
        for head in [
            &b"P6\n2 1\n255\n"[..],
            b"P6#a\n#b\n2#c\n#d\n1 #e\n255\n",
            b"P6\t2\t1\t255\t",
            b"P6\r2\r1\r255\r",
            b"  \n P6 2 1 255 ",
        ] {
            let mut file = head.to_vec();
            file.extend_from_slice(&data);
            let (spec, px) = read_all(&file, None).unwrap();
            assert_eq!(attr_i(&spec, "pnm:binary"), Some(1));
            assert_eq!(px, data, "{head:?}");
        }
        // Only one whitespace byte follows maxval: a comment there is data.
        let (_, px) = read_all(b"P5\n2 1\n255 # hi\n", None).unwrap();
        assert_eq!(px, [b'#', b' ']);
        // Comments between ASCII values, even glued to a number.
        let (_, px) = read_all(b"P2\n3 1\n255\n1#x\n2 # y\n#z\n3", None).unwrap();
        assert_eq!(px, [1, 2, 3]);
    }

    #[test]
    fn pfm_byte_order_scale_and_flip() {
        let vals = [1.0f32, 2.0, 3.0, 4.0, 5.0, -6.0];
        let le: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
        let be: Vec<u8> = vals.iter().flat_map(|v| v.to_be_bytes()).collect();
        for (scale, data, big) in [("-1.0", &le, 0), ("1.0", &be, 1), ("-2.5", &le, 0), ("0.5", &be, 1)] {
            let mut file = format!("PF\n1 2\n{scale}\n").into_bytes();
            file.extend_from_slice(data);
            let factor: f32 = scale.parse::<f32>().unwrap().abs();
            let want: Vec<f32> = vals.iter().map(|v| v * factor).collect();
            let (spec, px) = read_all(&file, None).unwrap();
            assert_eq!((spec.width, spec.height, spec.nchannels), (1, 2, 3));
            assert_eq!(spec.format, TypeDesc::FLOAT);
            assert_eq!(attr_i(&spec, "pnm:bigendian"), Some(big));
            assert_eq!(attr_i(&spec, "pnm:binary"), Some(1));
            let names: Vec<_> = spec.extra_attribs.items.iter().map(|p| p.name().to_string()).collect();
            assert_eq!(names, ["pnm:bigendian", "pnm:binary", "oiio:ColorSpace"]);
            // Without a configuration rows come in file order...
            assert_eq!(f32s(&px), want);
            // ...with one they are flipped, unless pnm:pfmflip is 0.
            let (_, px) = read_all(&file, Some(&ImageSpec::default())).unwrap();
            assert_eq!(f32s(&px), [&want[3..], &want[..3]].concat());
            let mut cfg = ImageSpec::default();
            cfg.attribute_int("pnm:pfmflip", 0);
            let (_, px) = read_all(&file, Some(&cfg)).unwrap();
            assert_eq!(f32s(&px), want);
        }
        // Zero and NaN scales read little-endian data, times |scale|.
        let mut file = b"Pf\n2 1\n0\n".to_vec();
        file.extend_from_slice(&le[..8]);
        let (spec, px) = read_all(&file, None).unwrap();
        assert_eq!(attr_i(&spec, "pnm:bigendian"), Some(1));
        assert_eq!(f32s(&px), [0.0, 0.0]);
        let mut file = b"Pf 1 1 -0x1p1 ".to_vec();
        file.extend_from_slice(&le[..4]);
        assert_eq!(f32s(&read_all(&file, None).unwrap().1), [2.0]);
    }

    #[test]
    fn open_config_semantics() {
        let p = file_with(b"Pf 1 1 -1 \0\0\x80\x3f", "pfm");
        let mut cfg = ImageSpec::default();
        cfg.attribute_int("oiio:UnassociatedAlpha", 1);
        assert!(open(&p, &cfg).is_ok());
        assert!(open(&p, &ImageSpec::default()).is_ok());
        std::fs::write(&p, b"P7 1 1").unwrap();
        assert_eq!(
            open(&p, &ImageSpec::default()).err(),
            Some(IoError::Corrupt(String::new()))
        );
        let tail = format!("Could not parse spec for file \"{}\"", p.display());
        assert_eq!(open(&p, &cfg).err(), Some(IoError::Corrupt(tail.clone())));
        std::fs::write(&p, b"P5 1 1 -5\n\0").unwrap();
        assert_eq!(
            open(&p, &cfg).err(),
            Some(IoError::Corrupt(format!("Invalid PNM max value -5\n{tail}")))
        );
        std::fs::remove_file(&p).unwrap();
        let missing = format!("Could not open file \"{}\"", p.display());
        assert_eq!(open(&p, &ImageSpec::default()).err(), Some(IoError::Open(missing)));
    }

    #[test]
    fn bad_headers() {
        let not_pnm = IoError::Corrupt(String::new());
        for bytes in [
            &b""[..],
            b"P7\n1 1\n255\n\0",
            b"Q5\n1 1\n255\n\0",
            b"P5\n1",
            b"P5\n1 1\n255",
            b"P5 2 1 255\x01\x02",
            b"P5\x0c2 1 255\n\x01\x02",
            b"P4\n8 1\x01",
            b"Pf\n2 1\n\n",
            b"Pf\n2 1\n-1.0e\n",
            b"#x\nP5 1 1 255 \x07",
        ] {
            assert_eq!(open_err(bytes), not_pnm, "{bytes:?}");
        }
        let msg = |bytes: &[u8]| open_err(bytes).to_string();
        assert_eq!(msg(b"P5\n1 1\n-5"), "Invalid PNM max value -5");
        assert_eq!(msg(b"P5\n0 0\n70000\n"), "Invalid PNM max value 70000");
        assert_eq!(msg(b"P5 1 1 65536 \0\0"), "Invalid PNM max value 65536");
        assert_eq!(msg(b"P5 1 1 99999999999 \0"), "Invalid PNM max value 2147483647");
        assert_eq!(
            msg(b"P5\n0 5\n255\n"),
            "pnm image resolution must be at least 1x1, but the file specified 0x5x1, 1 chans. Possible corrupt input?"
        );
        assert_eq!(
            msg(b"P6\n-1 5\n255\n\0"),
            "pnm image resolution must be at least 1x1, but the file specified -1x5x1, 3 chans. Possible corrupt input?"
        );
        assert_eq!(
            msg(b"P5\n100000 100000\n255\n\x01\x02\x03"),
            "pnm image resolution may not exceed 65535x65535, but the file appears to be 100000x100000. Possible corrupt input?"
        );
        assert_eq!(
            msg(b"P5\n32768 32768\n255\n\0\0\0\0\0\0\0\0\0\0"),
            "pnm header claims a 1024 MB image from a 29 byte file; probably a corrupt or malicious header"
        );
        // A header longer than OIIO's 1 KiB window is not recognised.
        let mut long = b"P5\n".to_vec();
        long.extend(std::iter::repeat_n(b' ', 1020));
        long.extend_from_slice(b"1 1 255\n\0");
        assert_eq!(open_err(&long), not_pnm);
        // maxval 0 is accepted: everything reads as full white (ASCII
        // values are not even parsed).
        let (spec, px) = read_all(b"P5 2 1 0 \x00\x07", None).unwrap();
        assert_eq!(attr_i(&spec, "oiio:BitsPerSample"), Some(0));
        assert_eq!(px, [255, 255]);
        let (_, px) = read_all(b"P3 2 1 0 junk", None).unwrap();
        assert_eq!(px, [255; 6]);
    }

    #[test]
    fn truncated_and_absurd_data_fail_fast() {
        let premature = IoError::Corrupt("Premature end of file".into());
        assert_eq!(read_err(b"P5\n2 2\n255\n\x01\x02\x03"), premature);
        assert_eq!(read_err(b"P5\n2 1\n65535\n\x01\x02\x03"), premature);
        assert_eq!(read_err(b"P4\n9 2\n\x01\x02\x03"), premature);
        assert_eq!(read_err(b"Pf\n2 2\n-1.0\n\0\0\0\0\0\0\0\0\0\0\0\0"), premature);
        // Headers under the ratio check open, then fail before allocating
        // (18000 x 18000 x 3 bytes would be 972 MB).
        assert_eq!(read_err(b"P6\n18000 18000\n255\n\0\0\0"), premature);
        assert_eq!(read_err(b"PF\n9000 9000\n-1\n\0\0\0"), premature);
        let no_msg = IoError::Corrupt(String::new());
        assert_eq!(read_err(b"P3\n18000 18000\n255\n1 2 3"), no_msg);
        assert_eq!(read_err(b"P1\n30000 30000\n1 0 1"), no_msg);
        assert_eq!(read_err(b"P2\n2 2\n255\n1 2 3\n"), no_msg);
        assert_eq!(read_err(b"P2\n2 2\n255\n1 2 x 4\n"), no_msg);
        assert_eq!(read_err(b"P2\n2 1\n255\n1\x002"), no_msg);
        assert_eq!(read_err(b"P2\n2 1\n255\n1 #c"), no_msg);
        // Extra data after the image is ignored.
        assert_eq!(read_all(b"P5 1 1 255 \x07\x08\x09", None).unwrap().1, [7]);
    }

    #[test]
    fn other_subimages() {
        let p = file_with(b"P5 1 1 255 \x07", "pgm");
        let mut r = open(&p, &ImageSpec::default()).unwrap();
        assert_eq!(r.format_name(), "pnm");
        assert!(r.spec(1, 0).is_none() && r.spec(0, 1).is_none());
        assert!(r.read_image(1, 0).is_err());
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), [7]);
        std::fs::remove_file(&p).unwrap();
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
        let p = scratch("pnm");
        let r = write(&p, spec, pixels).map(|_| std::fs::read(&p).unwrap());
        let _ = std::fs::remove_file(&p);
        r
    }

    fn spec_with(w: i32, h: i32, n: i32, fmt: TypeDesc, attrs: &[(&str, i32)]) -> ImageSpec {
        let mut s = ImageSpec::new(w, h, n, fmt);
        for (k, v) in attrs {
            s.attribute_int(k, *v);
        }
        s
    }

    fn ne16(v: &[u16]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_ne_bytes()).collect()
    }

    fn ne32(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_ne_bytes()).collect()
    }

    #[test]
    fn write_integer_kinds() {
        let u8_1 = [0u8, 128, 255, 1, 2, 3];
        let out = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &[]), &u8_1).unwrap();
        assert_eq!(out, [&b"P5\n3 2\n255\n"[..], &u8_1].concat());
        let rgb: Vec<u8> = (0..12).map(|v| v * 20).collect();
        let out = write_bytes(&spec_with(2, 2, 3, TypeDesc::UINT8, &[]), &rgb).unwrap();
        assert_eq!(out, [&b"P6\n2 2\n255\n"[..], &rgb].concat());
        let out = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &[("pnm:binary", 0)]), &u8_1).unwrap();
        assert_eq!(out, b"P2\n3 2\n255\n0\n128\n255\n1\n2\n3\n");
        let v16 = [1u16, 258, 65535];
        let out = write_bytes(&spec_with(1, 1, 3, TypeDesc::UINT16, &[]), &ne16(&v16)).unwrap();
        assert_eq!(out, b"P6\n1 1\n65535\n\x00\x01\x01\x02\xff\xff");
        let out = write_bytes(
            &spec_with(1, 1, 3, TypeDesc::UINT16, &[("pnm:bigendian", 1)]),
            &ne16(&v16),
        )
        .unwrap();
        assert_eq!(out, b"P6\n1 1\n65535\n\x01\x00\x02\x01\xff\xff");
        let out = write_bytes(&spec_with(1, 1, 3, TypeDesc::UINT16, &[("pnm:binary", 0)]), &ne16(&v16)).unwrap();
        assert_eq!(out, b"P3\n1 1\n65535\n1\n258\n65535\n");
        let attrs = [("pnm:binary", 0), ("pnm:bigendian", 1)];
        let out = write_bytes(&spec_with(1, 1, 3, TypeDesc::UINT16, &attrs), &ne16(&v16)).unwrap();
        assert_eq!(out, b"P3\n1 1\n65535\n16777216\n33619968\n4294901760\n");
        // pnm:binary as a numeric string counts; as a float it is ignored.
        let mut s = spec_with(2, 1, 1, TypeDesc::UINT8, &[]);
        s.attribute_str("pnm:binary", "0");
        assert_eq!(write_bytes(&s, &[7, 8]).unwrap(), b"P2\n2 1\n255\n7\n8\n");
        let mut s = spec_with(2, 1, 1, TypeDesc::UINT8, &[]);
        s.attribute_float("pnm:binary", 0.0);
        assert_eq!(write_bytes(&s, &[7, 8]).unwrap(), b"P5\n2 1\n255\n\x07\x08");
    }

    #[test]
    fn write_bits_per_sample_rules() {
        let u8_1 = [0u8, 128, 255, 1, 2, 3];
        let bps = |b: i32| [("oiio:BitsPerSample", b)];
        let out = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &bps(1)), &u8_1).unwrap();
        assert_eq!(out, b"P4\n3 2\n\x80\x00");
        let attrs = [("oiio:BitsPerSample", 1), ("pnm:binary", 0)];
        let out = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &attrs), &u8_1).unwrap();
        assert_eq!(out, b"P1\n3 2\n1\n0\n0\n0\n0\n0\n");
        let bits = [0u8, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        let out = write_bytes(&spec_with(9, 2, 1, TypeDesc::UINT8, &bps(1)), &bits).unwrap();
        assert_eq!(out, b"P4\n9 2\n\xaa\x80\x00\x00");
        // Mismatched sample types are reinterpreted as OIIO does.
        let out = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &bps(16)), &u8_1).unwrap();
        assert_eq!(out, b"P5\n3 2\n65535\n\x80\x00\x80\x00\x80\x00\x02\x01\x02\x01\x02\x01");
        let out = write_bytes(&spec_with(3, 1, 1, TypeDesc::UINT16, &bps(8)), &ne16(&[0, 256, 65535])).unwrap();
        assert_eq!(out, b"P5\n3 1\n255\n\x00\x00\xff");
        let v = ne16(&[0x0102, 0x0304, 0x0506, 0x0708, 0x090a, 0x0b0c]);
        let out = write_bytes(&spec_with(2, 1, 3, TypeDesc::UINT16, &bps(8)), &v).unwrap();
        assert_eq!(out, b"P6\n2 1\n255\n\x02\x01\x04\x08\x07\x0a");
        let out = write_bytes(&spec_with(3, 1, 1, TypeDesc::UINT16, &bps(1)), &ne16(&[0x100, 1, 0])).unwrap();
        assert_eq!(out, b"P4\n3 1\n\xa0");
        let out = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &bps(32)), &u8_1).unwrap();
        assert_eq!(out, b"Pf\n3 2\n-1.0000\n");
        let err = write_bytes(&spec_with(3, 2, 1, TypeDesc::UINT8, &bps(4)), &u8_1).unwrap_err();
        assert_eq!(err, IoError::Unsupported("PNM does not support uint8".into()));
    }

    #[test]
    fn write_float_kinds() {
        let f = [1.0f32, 2.0, 3.0, 4.0];
        let le = |v: &[f32]| -> Vec<u8> { v.iter().flat_map(|x| x.to_le_bytes()).collect() };
        // Float sources are written bottom row first by default.
        let out = write_bytes(&spec_with(2, 2, 1, TypeDesc::FLOAT, &[]), &ne32(&f)).unwrap();
        assert_eq!(out, [&b"Pf\n2 2\n-1.0000\n"[..], &le(&[3.0, 4.0, 1.0, 2.0])].concat());
        for flip in [0, 2] {
            let out = write_bytes(
                &spec_with(2, 2, 1, TypeDesc::FLOAT, &[("pnm:pfmflip", flip)]),
                &ne32(&f),
            )
            .unwrap();
            assert_eq!(out, [&b"Pf\n2 2\n-1.0000\n"[..], &le(&f)].concat());
        }
        let out = write_bytes(&spec_with(2, 2, 1, TypeDesc::FLOAT, &[("pnm:bigendian", 1)]), &ne32(&f)).unwrap();
        let be: Vec<u8> = [3.0f32, 4.0, 1.0, 2.0].iter().flat_map(|x| x.to_be_bytes()).collect();
        assert_eq!(out, [&b"Pf\n2 2\n1.0000\n"[..], &be].concat());
        let rgb: Vec<f32> = (0..6).map(|v| v as f32).collect();
        let out = write_bytes(&spec_with(1, 2, 3, TypeDesc::FLOAT, &[]), &ne32(&rgb)).unwrap();
        assert_eq!(
            out,
            [&b"PF\n1 2\n-1.0000\n"[..], &le(&[3.0, 4.0, 5.0, 0.0, 1.0, 2.0])].concat()
        );
        // Double and half are converted to float, not flipped.
        let d: Vec<u8> = f.iter().flat_map(|x| f64::from(*x).to_ne_bytes()).collect();
        let out = write_bytes(&spec_with(2, 2, 1, TypeDesc::DOUBLE, &[]), &d).unwrap();
        assert_eq!(out, [&b"Pf\n2 2\n-1.0000\n"[..], &le(&f)].concat());
        let h = ne16(&[0x3c00, 0x4000, 0x4200, 0x4400]);
        let out = write_bytes(&spec_with(2, 2, 1, TypeDesc::HALF, &[]), &h).unwrap();
        assert_eq!(out, [&b"Pf\n2 2\n-1.0000\n"[..], &le(&f)].concat());
        // A float source converted to 8 bits is still flipped.
        let p = scratch("pnm");
        write_from(
            &p,
            &spec_with(2, 2, 1, TypeDesc::UINT8, &[]),
            &[191, 255, 64, 128],
            TypeDesc::FLOAT,
        )
        .unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"P5\n2 2\n255\n\x40\x80\xbf\xff");
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn write_rejections() {
        let px = [0u8; 64];
        let err = |s: &ImageSpec| write_bytes(s, &px).unwrap_err().to_string();
        for n in [0, 2, 4, 5] {
            let s = spec_with(2, 1, n, TypeDesc::UINT8, &[]);
            assert_eq!(err(&s), format!("pnm does not support {n}-channel images"));
        }
        assert_eq!(
            err(&spec_with(2, 1, 1, TypeDesc::INT16, &[])),
            "PNM does not support int16"
        );
        assert_eq!(
            err(&spec_with(2, 1, 1, TypeDesc::UINT, &[])),
            "PNM does not support uint"
        );
        assert_eq!(
            err(&spec_with(70000, 1, 1, TypeDesc::UINT8, &[])),
            "pnm image resolution may not exceed 65535x65535, you asked for 70000x1"
        );
        assert_eq!(
            err(&spec_with(0, 1, 1, TypeDesc::UINT8, &[])),
            "pnm image resolution must be at least 1x1, you asked for 0x1"
        );
        let mut s = spec_with(2, 2, 1, TypeDesc::UINT8, &[]);
        s.depth = 2;
        assert_eq!(err(&s), "pnm does not support volume images (depth > 1)");
        let mut s = spec_with(2, 2, 1, TypeDesc::UINT8, &[]);
        s.tile_width = 16;
        s.tile_height = 16;
        assert_eq!(err(&s), "pnm does not support tiled images");
        let mut s = spec_with(2, 1, 3, TypeDesc::UINT8, &[]);
        s.channelformats = vec![TypeDesc::UINT8, TypeDesc::UINT16, TypeDesc::UINT8];
        assert_eq!(err(&s), "pnm does not support per-channel data formats");
        let mut s = spec_with(2, 2, 1, TypeDesc::UINT8, &[]);
        s.deep = true;
        assert_eq!(err(&s), "pnm does not support 'deep' images");
        assert!(write_bytes(&spec_with(8, 8, 3, TypeDesc::UINT8, &[]), &px).is_err());
        let p = std::env::temp_dir().join("vfx_io_pnm_no_such_dir").join("x.pnm");
        assert_eq!(
            write(&p, &spec_with(1, 1, 1, TypeDesc::UINT8, &[]), &[0]).unwrap_err(),
            IoError::Write(format!("Could not open file \"{}\"", p.display()))
        );
    }

    #[test]
    fn round_trips() {
        let cases: Vec<(ImageSpec, Vec<u8>)> = vec![
            (
                spec_with(5, 3, 1, TypeDesc::UINT8, &[]),
                (0..15).map(|v| v * 17).collect(),
            ),
            (
                spec_with(4, 3, 3, TypeDesc::UINT8, &[("pnm:binary", 0)]),
                (0..36).map(|v| v * 7).collect(),
            ),
            (
                spec_with(3, 2, 3, TypeDesc::UINT16, &[]),
                ne16(&[0, 1, 255, 256, 4095, 65535, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]),
            ),
            (
                spec_with(2, 2, 1, TypeDesc::UINT16, &[("pnm:binary", 0)]),
                ne16(&[0, 65535, 1234, 9]),
            ),
            (spec_with(11, 2, 1, TypeDesc::UINT8, &[("oiio:BitsPerSample", 1)]), {
                (0..22).map(|v| if v % 3 == 0 { 255 } else { 0 }).collect()
            }),
        ];
        for (spec, px) in cases {
            let p = scratch("pnm");
            write(&p, &spec, &px).unwrap();
            let mut r = open(&p, &ImageSpec::default()).unwrap();
            let got = r.spec(0, 0).unwrap();
            assert_eq!(
                (got.width, got.height, got.nchannels, got.format),
                (spec.width, spec.height, spec.nchannels, spec.format)
            );
            assert_eq!(r.read_image(0, 0).unwrap().bytes(), px);
            std::fs::remove_file(&p).unwrap();
        }
        // Float: written bottom-up, so a reader with a configuration (which
        // flips) gets the original rows back.
        let f: Vec<f32> = (0..12).map(|v| v as f32 * 0.25 - 1.0).collect();
        for big in [0, 1] {
            let p = scratch("pfm");
            write(
                &p,
                &spec_with(2, 2, 3, TypeDesc::FLOAT, &[("pnm:bigendian", big)]),
                &ne32(&f),
            )
            .unwrap();
            let mut r = open(&p, &spec_with(0, 0, 0, TypeDesc::UNKNOWN, &[("pnm:pfmflip", 1)])).unwrap();
            assert_eq!(r.spec(0, 0).unwrap().get_int_attribute("pnm:bigendian", -1), big);
            assert_eq!(f32s(r.read_image(0, 0).unwrap().bytes()), f);
            std::fs::remove_file(&p).unwrap();
        }
    }

    #[test]
    fn large_sixteen_bit_round_trip() {
        let (w, h) = (3840usize, 2160usize);
        let px: Vec<u16> = (0..w * h * 3).map(|i| ((i * 2654435761usize) >> 7) as u16).collect();
        let bytes = ne16(&px);
        let spec = spec_with(w as i32, h as i32, 3, TypeDesc::UINT16, &[]);
        let p = scratch("ppm");
        let t = std::time::Instant::now();
        write(&p, &spec, &bytes).unwrap();
        let mut r = open(&p, &ImageSpec::default()).unwrap();
        let back = r.read_image(0, 0).unwrap();
        let elapsed = t.elapsed();
        assert!(back.bytes() == bytes.as_slice());
        std::fs::remove_file(&p).unwrap();
        assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
    }
}
