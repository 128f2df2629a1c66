//! DPX (SMPTE 268M), read and written as OpenImageIO 3.2.2 does with its
//! bundled libdpx (whose rules are reimplemented here).
//!
//! Reading: each image element is a subimage; 8/10/12/16-bit integer and
//! 32/64-bit float data, packed or filled (methods A/B), either byte order;
//! 10- and 12-bit codes are widened to uint16 (`oiio:BitsPerSample` keeps
//! the file's depth); luma/R/G/B/A/Z/RGB/RGBA elements as they are, ABGR
//! reordered, YCbCr elements converted to RGB(A) with libdpx's arithmetic
//! (unless the open configuration asks for raw colour). Every header field
//! OIIO reports becomes the same attribute, in the same order and type.
//! libdpx's quirks that decide what a caller sees are kept: 1-channel
//! 10-bit filled lines have their datum triplets reversed, end-of-line
//! padding is counted from the start of each 64 MB read chunk, padded
//! 64-bit data of the other byte order is swapped by 32-bit words, header
//! strings are C strings that may run into the next field, the scanned
//! sizes are never byte swapped. Where libdpx reads stale memory (the last
//! datum of a 10-bit filled line whose datum count is 1 modulo 3, the
//! missing chroma of the last pixel of an odd 4:2:2 block) the real datum,
//! respectively 0, is used instead.
//!
//! Writing: uint8, uint16 (10/12/16 bits by `oiio:BitsPerSample`), float and
//! double (half becomes float, other types uint16); 1, 3 or 4 channels;
//! `dpx:Packing` (12-bit and 1-channel 10-bit data are always packed),
//! `oiio:Endian` ("little" or anything else for big endian), up to eight
//! subimages of one resolution, and the metadata OIIO writes back, byte for
//! byte as OIIO 3.2.2 writes them (no line or image padding). One
//! difference: big-endian float and double data are written correctly,
//! where OIIO 3.2.2 writes uninitialised memory.

use crate::formats::dpx_pack::{self, Swap};
use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{globals, BaseType, ImageSpec, Interp, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "dpx",
    extensions: &["dpx"],
    sniff,
    open: Some(open_with),
    write: Some(write_request),
    supports,
};

/// OIIO's DPX reader answers "ioproxy" and "multiimage"; the writer also
/// "alpha", "nchannels", "random_access", "rewrite", "displaywindow" and
/// "origin". One table serves both, as for the other formats.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "ioproxy" | "multiimage" | "alpha" | "nchannels" | "random_access" | "rewrite" | "displaywindow" | "origin"
    ))
}

/// "SDPX" as a native u32 read from either byte order.
const MAGIC: u32 = 0x5344_5058;
/// Generic + industry header size.
const HEADER_SIZE: usize = 2048;
/// Most image elements a file holds.
const MAX_ELEMENTS: usize = 8;
/// Byte size of one image element description in the header.
const ELEMENT_SIZE: usize = 72;
/// Offset of the first image element description.
const ELEMENTS_AT: usize = 780;

/// True if the file starts with the DPX magic number in either byte order.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 4 && matches!(&head[..4], b"SDPX" | b"XPDS")
}

// ---------------------------------------------------------------------------
// Header

/// Byte offsets of the numeric header fields (and their sizes) that libdpx
/// byte swaps when the file's order is not the machine's.
fn numeric_fields() -> Vec<(usize, usize)> {
    let mut v = vec![
        (4, 4),
        (16, 4),
        (20, 4),
        (24, 4),
        (28, 4),
        (32, 4),
        (660, 4),
        (768, 2),
        (770, 2),
        (772, 4),
        (776, 4),
    ];
    for e in 0..MAX_ELEMENTS {
        let b = ELEMENTS_AT + e * ELEMENT_SIZE;
        v.extend([(b, 4), (b + 4, 4), (b + 8, 4), (b + 12, 4), (b + 16, 4)]);
        v.extend([(b + 24, 2), (b + 26, 2), (b + 28, 4), (b + 32, 4), (b + 36, 4)]);
    }
    v.extend((0..6).map(|i| (1408 + 4 * i, 4)));
    v.extend((0..4).map(|i| (1620 + 2 * i, 2)));
    // (libdpx never swaps the scanned sizes at 1636 and 1640.)
    v.extend((0..2).map(|i| (1628 + 4 * i, 4)));
    v.extend((0..5).map(|i| (1712 + 4 * i, 4)));
    v.extend([(1920, 4), (1924, 4)]);
    v.extend((0..10).map(|i| (1932 + 4 * i, 4)));
    v
}

/// One image element's description.
#[derive(Clone, Debug, Default)]
struct Element {
    data_sign: u32,
    low_data: u32,
    low_quantity: f32,
    high_data: u32,
    high_quantity: f32,
    descriptor: u8,
    transfer: u8,
    colorimetric: u8,
    bit_depth: u8,
    packing: u16,
    encoding: u16,
    data_offset: u32,
    eol_padding: u32,
    eoi_padding: u32,
}

impl Element {
    /// End-of-line padding, 0 when undefined (all ones).
    fn eol(&self) -> u32 {
        if self.eol_padding == u32::MAX {
            0
        } else {
            self.eol_padding
        }
    }
    fn eoi(&self) -> u32 {
        if self.eoi_padding == u32::MAX {
            0
        } else {
            self.eoi_padding
        }
    }
    /// Components per pixel the descriptor implies (libdpx's table).
    fn components(&self) -> usize {
        match self.descriptor {
            50 => 3,
            51 | 52 => 4,
            100 => 2,
            101 | 102 => 3,
            103 => 4,
            d @ 150..=156 => (d - 148) as usize,
            _ => 1,
        }
    }
    /// Bytes per decoded component: 1, 2 (10/12/16 bits), 4 (32) or 8
    /// (64 bits and any depth libdpx does not know).
    fn component_bytes(&self) -> usize {
        match self.bit_depth {
            8 => 1,
            10 | 12 | 16 => 2,
            32 => 4,
            _ => 8,
        }
    }
}

/// A parsed DPX header. `mem` is the 2048 header bytes with the numeric
/// fields in native order, as libdpx holds the header in memory (its string
/// fields are read from there as C strings, which may run on past a field
/// that has no terminating NUL).
struct Header {
    big: bool,
    mem: Vec<u8>,
    elements: Vec<Element>,
}

impl Header {
    fn parse(raw: &[u8]) -> Option<Header> {
        let magic = u32::from_be_bytes(raw.get(..4)?.try_into().ok()?);
        let big = match magic {
            MAGIC => true,
            m if m == MAGIC.swap_bytes() => false,
            _ => return None,
        };
        let mut mem = raw[..HEADER_SIZE].to_vec();
        // Numbers become little endian (this machine's order) in `mem`.
        if big {
            for (off, len) in numeric_fields() {
                mem[off..off + len].reverse();
            }
        }
        let mut h = Header {
            big,
            mem,
            elements: Vec::new(),
        };
        h.elements = (0..MAX_ELEMENTS)
            .map(|e| {
                let b = ELEMENTS_AT + e * ELEMENT_SIZE;
                Element {
                    data_sign: h.u32(b),
                    low_data: h.u32(b + 4),
                    low_quantity: h.f32(b + 8),
                    high_data: h.u32(b + 12),
                    high_quantity: h.f32(b + 16),
                    descriptor: h.mem[b + 20],
                    transfer: h.mem[b + 21],
                    colorimetric: h.mem[b + 22],
                    bit_depth: h.mem[b + 23],
                    packing: h.u16(b + 24),
                    encoding: h.u16(b + 26),
                    data_offset: h.u32(b + 28),
                    eol_padding: h.u32(b + 32),
                    eoi_padding: h.u32(b + 36),
                }
            })
            .collect();
        Some(h)
    }

    fn u16(&self, off: usize) -> u16 {
        u16::from_le_bytes([self.mem[off], self.mem[off + 1]])
    }
    fn u32(&self, off: usize) -> u32 {
        u32::from_le_bytes(self.mem[off..off + 4].try_into().expect("4 bytes"))
    }
    fn f32(&self, off: usize) -> f32 {
        f32::from_bits(self.u32(off))
    }

    /// The NUL-terminated string starting at `off` (it may run past its
    /// field, up to the end of the header).
    fn cstr(&self, off: usize) -> String {
        let s = &self.mem[off..];
        let n = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        bytes_to_string(&s[..n])
    }

    /// A string field OIIO only reports when its first byte is neither NUL
    /// nor 0xFF.
    fn opt_str(&self, off: usize) -> Option<String> {
        match self.mem[off] {
            0 | 0xff => None,
            _ => Some(self.cstr(off)),
        }
    }

    /// A libdpx date ("YYYY:MM:DD:hh:mm:ssZ") in OIIO's form: the first 23
    /// characters, a space at 10, cut at 19.
    fn date(&self, off: usize) -> Option<String> {
        if self.mem[off] == 0 {
            return None;
        }
        let s = &self.mem[off..];
        let n = s.iter().position(|&c| c == 0).unwrap_or(s.len()).min(23);
        let mut d = [0u8; 24];
        d[..n].copy_from_slice(&s[..n]);
        d[10] = b' ';
        d[19] = 0;
        let end = d.iter().position(|&c| c == 0).unwrap_or(24);
        Some(bytes_to_string(&d[..end]))
    }

    fn orientation(&self) -> u16 {
        self.u16(768)
    }
    fn number_of_elements(&self) -> u16 {
        self.u16(770)
    }
    /// Image elements in the file: the header's count when it is 1-8,
    /// otherwise the number of leading defined descriptors.
    fn element_count(&self) -> usize {
        let n = self.number_of_elements() as usize;
        if (1..=MAX_ELEMENTS).contains(&n) {
            return n;
        }
        self.elements.iter().take_while(|e| e.descriptor != 0xff).count()
    }
    /// True for the orientations that store columns as lines.
    fn transposed(&self) -> bool {
        (4..=7).contains(&self.orientation())
    }
    fn width(&self) -> u32 {
        if self.transposed() {
            self.u32(776)
        } else {
            self.u32(772)
        }
    }
    fn height(&self) -> u32 {
        if self.transposed() {
            self.u32(772)
        } else {
            self.u32(776)
        }
    }
    fn user_size(&self) -> u32 {
        self.u32(32)
    }
    fn time_code(&self) -> u32 {
        self.u32(1920)
    }
    fn user_bits(&self) -> u32 {
        self.u32(1924)
    }
    fn gamma(&self) -> f32 {
        self.f32(1948)
    }
}

/// Header text as a Rust string (bytes that are not UTF-8 are replaced).
fn bytes_to_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The C/x86 conversion of a double to int: truncation, and `i32::MIN` for
/// NaN and anything out of range.
fn c_int(v: f64) -> i32 {
    if v.is_nan() || v >= 2_147_483_648.0 || v <= -2_147_483_649.0 {
        i32::MIN
    } else {
        v as i32
    }
}

/// OIIO's `float_to_rational` for a non-negative value: exact inverses
/// become 1/n, anything else is scaled by ten until it is (nearly) whole.
fn float_to_rational_u(f: f32) -> (u32, u32) {
    if f <= 0.0 {
        return (0, 1);
    }
    let inv = 1.0f64 / f64::from(f);
    if f64::from(c_int(inv)) == inv {
        return (1, c_int(inv) as u32);
    }
    let mut f = f;
    let mut num = c_int(f64::from(f)) as u32;
    let mut den = 1u32;
    while (f - num as f32).abs() > 0.00001 && den < 1_000_000 {
        den = den.wrapping_mul(10);
        f *= 10.0;
        num = c_int(f64::from(f)) as u32;
    }
    (num, den)
}

/// `float_to_rational` for a signed value (the sign goes on the numerator).
fn float_to_rational(f: f32) -> (i32, i32) {
    let (n, d) = float_to_rational_u(f.abs());
    let num = if f >= 0.0 { n as i32 } else { (n as i32).wrapping_neg() };
    (num, d as i32)
}

// ---------------------------------------------------------------------------
// Colour-space names

/// OIIO's `set_colorspace_rec709_gamma`: name the colour space after a
/// gamma (rounded to hundredths) and keep `oiio:Gamma` unless it is linear.
pub(crate) fn set_colorspace_rec709_gamma(spec: &mut ImageSpec, gamma: f32) {
    let g = (gamma * 100.0).round() / 100.0;
    let named = [
        (1.8f32, "g18_rec709_scene"),
        (2.2, "g22_rec709_scene"),
        (2.4, "g24_rec709_scene"),
    ];
    if (g - 1.0).abs() <= 0.01 {
        spec.set_colorspace("lin_rec709_scene");
    } else if let Some((v, name)) = named.iter().find(|(v, _)| (g - v).abs() <= 0.01) {
        spec.set_colorspace(name);
        spec.attribute_float("oiio:Gamma", *v);
    } else {
        let tenths = g * 10.0;
        // C's lround: i64::MIN for anything it cannot represent.
        let n = if tenths.is_finite() && tenths.abs() < 9.2e18 {
            tenths.round() as i64
        } else {
            i64::MIN
        };
        spec.set_colorspace(&format!("g{n}_rec709_scene"));
        spec.attribute_float("oiio:Gamma", gamma);
    }
}

/// Names of OIIO's default colour configuration (with aliases and roles)
/// that it treats as linear Rec.709 / scene linear, as sRGB, and as a
/// gamma-encoded Rec.709 space — what the DPX writer's transfer choice
/// depends on.
static LINEAR_NAMES: &[&str] = &[
    "linear",
    "scene_linear",
    "Linear Rec.709 (sRGB)",
    "lin_rec709_srgb",
    "lin_rec709",
    "lin_rec709_scene",
    "lin_srgb",
    "Utility - Linear - sRGB",
    "Utility - Linear - Rec.709",
    "ACEScg",
    "ACES - ACEScg",
    "lin_ap1",
    "lin_ap1_scene",
];
static SRGB_NAMES: &[&str] = &[
    "sRGB",
    "sRGB - Display",
    "srgb_display",
    "srgb_rec709_display",
    "sRGB Encoded Rec.709 (sRGB)",
    "srgb_encoded_rec709_srgb",
    "srgb_texture",
    "srgb_rec709_scene",
    "Utility - sRGB - Texture",
    "Input - Generic - sRGB - Texture",
    "sRGB - Texture",
    "srgb_tx",
    "color_picking",
    "texture_paint",
];
static GAMMA_NAMES: &[(&str, f32)] = &[
    ("Rec.1886 Rec.709 - Display", 2.4),
    ("rec1886_rec709_display", 2.4),
    ("g18_encoded_rec709", 1.8),
    ("g18_rec709", 1.8),
    ("Utility - Gamma 1.8 - Rec.709 - Texture", 1.8),
    ("g18_rec709_tx", 1.8),
    ("g22_encoded_rec709", 2.2),
    ("g22_rec709", 2.2),
    ("Utility - Gamma 2.2 - Rec.709 - Texture", 2.2),
    ("g22_rec709_tx", 2.2),
];

fn in_list(list: &[&str], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Gamma of a "g<tenths>_rec709_scene|display" name (0 if not one).
fn rec709_name_gamma(name: &str) -> f32 {
    let lower = name.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix('g') else {
        return 0.0;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !matches!(&rest[digits..], "_rec709_scene" | "_rec709_display") {
        return 0.0;
    }
    rest[..digits].parse::<f32>().map_or(0.0, |v| v / 10.0)
}

/// OIIO's `get_colorspace_rec709_gamma`: 1 for linear Rec.709 spaces, the
/// gamma of gamma-named spaces, else the obsolete `oiio:Gamma` (or 0).
fn colorspace_gamma(spec: &ImageSpec) -> f32 {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    if in_list(LINEAR_NAMES, &cs) {
        return 1.0;
    }
    if let Some((_, g)) = GAMMA_NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(&cs)) {
        return *g;
    }
    let g = rec709_name_gamma(&cs);
    if g != 0.0 {
        return g;
    }
    if cs.len() >= 5 && cs[..5].eq_ignore_ascii_case("gamma") {
        // Strutil::parse_word then from_string<float>.
        let rest = cs.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let v = leading_float(rest);
        if (0.01..=10.0).contains(&v) {
            return v;
        }
    }
    spec.get_float_attribute("oiio:Gamma", 0.0)
}

/// The float a C `strtof` finds at the start of `s` (after spaces), 0 if
/// none.
fn leading_float(s: &str) -> f32 {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == start || &s[start..i] == "." {
        return 0.0;
    }
    if i < b.len() && (b[i] | 0x20) == b'e' {
        let mut j = i + 1;
        if j < b.len() && matches!(b[j], b'+' | b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    s[..i].parse().unwrap_or(0.0)
}

// ---------------------------------------------------------------------------
// Names of header codes

fn characteristic_name(c: u8) -> &'static str {
    match c {
        0 => "User defined",
        1 => "Printing density",
        2 => "Linear",
        3 => "Logarithmic",
        4 => "Unspecified video",
        5 => "SMPTE 274M",
        6 => "ITU-R 709-4",
        7 => "ITU-R 601-5 system B or G",
        8 => "ITU-R 601-5 system M",
        9 => "NTSC composite video",
        10 => "PAL composite video",
        11 => "Z depth linear",
        12 => "Z depth homogeneous",
        13 => "ADX",
        _ => "Undefined",
    }
}

/// The characteristic code for a name (case-insensitive), 255 if none.
fn characteristic_code(name: &str) -> u8 {
    (0..=13u8)
        .find(|&c| characteristic_name(c).eq_ignore_ascii_case(name))
        .unwrap_or(0xff)
}

fn descriptor_name(d: u8) -> &'static str {
    match d {
        0 | 150..=156 => "User defined",
        1 => "Red",
        2 => "Green",
        3 => "Blue",
        4 => "Alpha",
        6 => "Luma",
        7 => "Color difference",
        8 => "Depth",
        9 => "Composite video",
        50 => "RGB",
        51 => "RGBA",
        52 => "ABGR",
        100 => "CbYCrY",
        101 => "CbYACrYA",
        102 => "CbYCr",
        103 => "CbYCrA",
        _ => "Undefined",
    }
}

fn signal_name(s: u8) -> Option<String> {
    Some(
        match s {
            0 => "Undefined",
            1 => "NTSC",
            2 => "PAL",
            3 => "PAL-M",
            4 => "SECAM",
            50 => "YCbCr ITU-R 601-5 525i, 4:3",
            51 => "YCbCr ITU-R 601-5 625i, 4:3",
            100 => "YCbCr ITU-R 601-5 525i, 16:9",
            101 => "YCbCr ITU-R 601-5 625i, 16:9",
            150 => "YCbCr 1050i, 16:9",
            151 => "YCbCr 1125i, 16:9 (SMPTE 274M)",
            152 => "YCbCr 1250i, 16:9",
            153 => "YCbCr 1125i, 16:9 (SMPTE 240M)",
            200 => "YCbCr 525p, 16:9",
            201 => "YCbCr 625p, 16:9",
            202 => "YCbCr 750p, 16:9 (SMPTE 296M)",
            203 => "YCbCr 1125p, 16:9 (SMPTE 274M)",
            255 => return None,
            n => return Some(format!("Undefined {n}")),
        }
        .to_string(),
    )
}

/// OIIO's Orientation for a DPX orientation code (0 if unknown).
fn orientation_to_oiio(o: u16) -> i32 {
    match o {
        0 => 1,
        1 => 2,
        2 => 4,
        3 => 3,
        4 => 5,
        5 => 6,
        6 => 8,
        7 => 7,
        _ => 0,
    }
}

/// A SMPTE time code ("hh:mm:ss:ff", ';' before the frames when the drop
/// frame flag is set), decoded as OpenEXR's TimeCode does (60 Hz packing).
fn timecode_text(tc: u32) -> String {
    let field = |lo: u32, hi: u32| (tc >> lo) & ((1u32 << (hi - lo + 1)) - 1);
    let bcd = |v: u32| (v & 0xf) + 10 * ((v >> 4) & 0xf);
    let (h, m, s, f) = (
        bcd(field(24, 29)),
        bcd(field(16, 22)),
        bcd(field(8, 14)),
        bcd(field(0, 5)),
    );
    let sep = if field(6, 6) != 0 { ';' } else { ':' };
    format!("{h:02}:{m:02}:{s:02}{sep}{f:02}")
}

/// The integer `std::istream >> int` reads from a fixed-width field
/// (leading whitespace skipped, 0 if there is no number, saturated).
fn stream_int(field: &[u8]) -> i32 {
    let mut i = field
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .count();
    let neg = field.get(i) == Some(&b'-');
    if matches!(field.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits: Vec<u8> = field[i.min(field.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .copied()
        .collect();
    if digits.is_empty() {
        return 0;
    }
    let mut v: i64 = 0;
    for d in digits {
        v = (v * 10 + i64::from(d - b'0')).min(1 << 32);
    }
    let v = if neg { -v } else { v };
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

// ---------------------------------------------------------------------------
// Reader: specs

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

/// OIIO's `ImageInput::check_open` for a DPX element (at most 2^30 pixels
/// across and down, 8 channels) and the global limits.
fn check_open(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(corrupt(format!(
            "dpx image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        )));
    }
    if w > 1 << 30 || h > 1 << 30 {
        return Err(corrupt(format!(
            "dpx image resolution may not exceed 1073741824x1073741824, but the file appears to be {w}x{h}. Possible corrupt input?"
        )));
    }
    if n > 8 {
        return Err(corrupt(format!(
            "dpx does not support {n}-channel images. Possible corrupt input?"
        )));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return Err(corrupt(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        )));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(corrupt(format!(
            "dpx image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        )));
    }
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(corrupt(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        )));
    }
    Ok(())
}

/// OIIO's `check_compression_ratio`: a header declaring at least 1 GiB of
/// pixels from a file more than 10000 times smaller is refused.
fn check_ratio(spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let declared = spec.image_bytes(true);
    if file_size == 0 || declared < 1 << 30 || declared <= file_size.saturating_mul(10000) {
        return Ok(());
    }
    Err(corrupt(format!(
        "dpx header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
        declared >> 20
    )))
}

/// Pixel type of an element: by component size, signed when the header
/// says so.
fn element_type(e: &Element) -> TypeDesc {
    let signed = e.data_sign != 0;
    match e.component_bytes() {
        1 if signed => TypeDesc::INT8,
        1 => TypeDesc::UINT8,
        2 if signed => TypeDesc::INT16,
        2 => TypeDesc::UINT16,
        4 => TypeDesc::FLOAT,
        _ => TypeDesc::DOUBLE,
    }
}

fn uint_attr(spec: &mut ImageSpec, name: &str, v: u32) {
    let p = ParamValue::from_values(name, TypeDesc::UINT, 1, Interp::Constant, &[Value::UInt(u64::from(v))])
        .expect("one value");
    spec.attribute(p);
}

/// A uint8[n] attribute holding `bytes`.
fn bytes_attr(name: &str, bytes: &[u8]) -> ParamValue {
    let mut ty = TypeDesc::UINT8;
    ty.arraylen = bytes.len() as i32;
    let mut p = ParamValue::zeroed(name, ty, 1, Interp::Constant);
    for (i, &b) in bytes.iter().enumerate() {
        p.set(i, &Value::UInt(u64::from(b)));
    }
    p
}

/// The spec OIIO builds for image element `sub` (its `seek_subimage`), with
/// every header attribute in OIIO's order but the last, `dpx:UserData`.
fn element_spec(h: &Header, sub: usize, rawcolor: bool, file_size: u64) -> Result<ImageSpec, IoError> {
    let e = &h.elements[sub];
    let fmt = element_type(e);
    let comps = e.components();
    let (w, ht) = (h.width() as i32, h.height() as i32);
    let mut spec = ImageSpec::new(w, ht, comps as i32, fmt);
    check_open(&spec)?;
    check_ratio(&spec, file_size)?;
    let scanline = w as u64 * comps as u64 * fmt.size() as u64;
    if scanline > i32::MAX as u64 {
        return Err(corrupt(format!(
            "Unsupported DPX with scanlines exceeding {} bytes",
            i32::MAX
        )));
    }
    if e.eol() > i32::MAX as u32 {
        return Err(corrupt(format!("Invalid DPX end-of-line padding {}", e.eol())));
    }
    let (xoff, yoff) = (h.u32(1408), h.u32(1412));
    if xoff <= i32::MAX as u32 {
        spec.x = xoff as i32;
    }
    if yoff <= i32::MAX as u32 {
        spec.y = yoff as i32;
    }
    let (fw, fh) = (h.u32(1424) as i32, h.u32(1428) as i32);
    if fw > 0 {
        spec.full_width = fw;
    }
    if fh > 0 {
        spec.full_height = fh;
    }

    // Channel names.
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    spec.channelnames.clear();
    spec.alpha_channel = -1;
    spec.z_channel = -1;
    match e.descriptor {
        1 => spec.channelnames = names(&["R"]),
        2 => spec.channelnames = names(&["G"]),
        3 => spec.channelnames = names(&["B"]),
        4 => {
            spec.channelnames = names(&["A"]);
            spec.alpha_channel = 0;
        }
        6 => spec.channelnames = names(&["Y"]),
        8 => {
            spec.channelnames = names(&["Z"]);
            spec.z_channel = 0;
        }
        50..=52 => spec.default_channel_names(),
        100 if rawcolor => spec.channelnames = names(&["CbCr", "Y"]),
        101 if rawcolor => {
            spec.channelnames = names(&["CbCr", "Y", "A"]);
            spec.alpha_channel = 2;
        }
        102 if rawcolor => spec.channelnames = names(&["Cb", "Y", "Cr"]),
        103 if rawcolor => {
            spec.channelnames = names(&["Cb", "Y", "Cr", "A"]);
            spec.alpha_channel = 3;
        }
        100 => {
            spec.nchannels = 3;
            spec.default_channel_names();
        }
        101 => {
            spec.nchannels = 4;
            spec.default_channel_names();
        }
        102 | 103 => spec.default_channel_names(),
        _ => spec.channelnames = (0..comps).map(|i| format!("channel{i}")).collect(),
    }

    spec.attribute_int("oiio:BitsPerSample", i32::from(e.bit_depth));
    spec.attribute_int("Orientation", orientation_to_oiio(h.orientation()));
    spec.attribute_int("oiio:subimages", h.element_count() as i32);
    match e.transfer {
        2 => spec.set_colorspace("lin_rec709_scene"),
        3 => spec.set_colorspace("KodakLog"),
        6 => spec.set_colorspace("srgb_rec709_scene"),
        0 if !h.gamma().is_nan() && h.gamma() != 0.0 => set_colorspace_rec709_gamma(&mut spec, h.gamma()),
        _ => {}
    }
    spec.attribute_str("dpx:Transfer", characteristic_name(e.transfer));
    spec.attribute_str("dpx:Colorimetric", characteristic_name(e.colorimetric));
    for (off, name) in [(460, "Copyright"), (160, "Software"), (260, "DocumentName")] {
        if let Some(s) = h.opt_str(off) {
            spec.attribute_str(name, &s);
        }
    }
    if let Some(d) = h.date(136) {
        spec.attribute_str("DateTime", &d);
    }
    if e.encoding == 1 {
        spec.attribute_str("compression", "rle");
    }
    let desc_at = ELEMENTS_AT + sub * ELEMENT_SIZE + 40;
    if !matches!(h.mem[desc_at], 0 | 0xff) {
        let d = h.cstr(desc_at);
        let d: String = d.chars().take(31).collect();
        spec.attribute_str("ImageDescription", &d);
    }
    let (an, ad) = (h.u32(1628), h.u32(1632));
    spec.attribute_float("PixelAspectRatio", if ad != 0 { an as f32 / ad as f32 } else { 1.0 });
    spec.attribute_str("dpx:ImageDescriptor", descriptor_name(e.descriptor));

    let uint_if = |spec: &mut ImageSpec, name: &str, v: u32| {
        if v != u32::MAX {
            uint_attr(spec, name, v);
        }
    };
    let float_if = |spec: &mut ImageSpec, name: &str, v: f32| {
        if !v.is_nan() {
            spec.attribute_float(name, v);
        }
    };
    uint_if(&mut spec, "dpx:EncryptKey", h.u32(660));
    uint_if(&mut spec, "dpx:DittoKey", h.u32(20));
    uint_if(&mut spec, "dpx:LowData", e.low_data);
    float_if(&mut spec, "dpx:LowQuantity", e.low_quantity);
    uint_if(&mut spec, "dpx:HighData", e.high_data);
    float_if(&mut spec, "dpx:HighQuantity", e.high_quantity);
    uint_attr(&mut spec, "dpx:EndOfLinePadding", e.eol());
    uint_attr(&mut spec, "dpx:EndOfImagePadding", e.eoi());
    float_if(&mut spec, "dpx:XScannedSize", h.f32(1636));
    float_if(&mut spec, "dpx:YScannedSize", h.f32(1640));
    uint_if(&mut spec, "dpx:FramePosition", h.u32(1712));
    uint_if(&mut spec, "dpx:SequenceLength", h.u32(1716));
    uint_if(&mut spec, "dpx:HeldCount", h.u32(1720));
    float_if(&mut spec, "dpx:FrameRate", h.f32(1724));
    float_if(&mut spec, "dpx:ShutterAngle", h.f32(1728));
    for (off, name) in [
        (8, "dpx:Version"),
        (1680, "dpx:Format"),
        (1732, "dpx:FrameId"),
        (1764, "dpx:SlateInfo"),
        (1432, "dpx:SourceImageFileName"),
        (1556, "dpx:InputDevice"),
        (1588, "dpx:InputDeviceSerialNumber"),
    ] {
        if let Some(s) = h.opt_str(off) {
            spec.attribute_str(name, &s);
        }
    }
    for (off, name) in [(1928, "dpx:Interlace"), (1929, "dpx:FieldNumber")] {
        if h.mem[off] != 0xff {
            spec.attribute_int(name, i32::from(h.mem[off]));
        }
    }
    for (i, name) in [
        "dpx:HorizontalSampleRate",
        "dpx:VerticalSampleRate",
        "dpx:TemporalFrameRate",
        "dpx:TimeOffset",
    ]
    .iter()
    .enumerate()
    {
        float_if(&mut spec, name, h.f32(1932 + 4 * i));
    }
    for (i, name) in [
        "dpx:BlackLevel",
        "dpx:BlackGain",
        "dpx:BreakPoint",
        "dpx:WhiteLevel",
        "dpx:IntegrationTimes",
    ]
    .iter()
    .enumerate()
    {
        float_if(&mut spec, name, h.f32(1952 + 4 * i));
    }
    match e.packing {
        0 => spec.attribute_str("dpx:Packing", "Packed"),
        1 => spec.attribute_str("dpx:Packing", "Filled, method A"),
        2 => spec.attribute_str("dpx:Packing", "Filled, method B"),
        _ => {}
    }
    if h.mem[1664] != 0 {
        spec.attribute(keycode(h));
    }
    let tc = h.time_code();
    if tc != u32::MAX {
        let vals = [Value::UInt(u64::from(tc)), Value::UInt(u64::from(h.user_bits()))];
        let p = ParamValue::from_values("smpte:TimeCode", TypeDesc::TIMECODE, 1, Interp::Constant, &vals)
            .expect("two values");
        spec.attribute(p);
        spec.attribute_str("dpx:TimeCode", &timecode_text(tc));
    }
    uint_if(&mut spec, "dpx:UserBits", h.user_bits());
    if let Some(d) = h.date(1532) {
        spec.attribute_str("dpx:SourceDateTime", &d);
    }
    // Film edge code: the 16 characters of the five fields, as a C string.
    let edge = &h.mem[1664..1680];
    let n = edge.iter().position(|&c| c == 0).unwrap_or(16);
    if n > 0 {
        spec.attribute_str("dpx:FilmEdgeCode", &bytes_to_string(&edge[..n]));
    }
    if let Some(s) = signal_name(h.mem[1930]) {
        spec.attribute_str("dpx:Signal", &s);
    }
    Ok(spec)
}

/// `smpte:KeyCode` from the film edge fields: five numbers read from their
/// text, then perforations per frame and per count guessed from the format
/// string's prefix (OIIO compares whole names against the 32-byte field,
/// which never match, so only prefixes count).
fn keycode(h: &Header) -> ParamValue {
    let m = &h.mem;
    let mut kc = [
        stream_int(&m[1664..1666]),
        stream_int(&m[1666..1668]),
        stream_int(&m[1670..1676]),
        stream_int(&m[1676..1680]),
        stream_int(&m[1668..1670]),
        4,
        64,
    ];
    let format = &m[1680..1712];
    let starts = |p: &[u8]| format.starts_with(p);
    if starts(b"2kvv") || starts(b"4kvv") {
        kc[5] = 8;
    } else if starts(b"2k35") || starts(b"4k35") {
        kc[5] = 4;
    } else if starts(b"2k3perf") || starts(b"4k3perf") {
        kc[5] = 3;
    }
    let vals: Vec<Value> = kc.iter().map(|&v| Value::Int(i64::from(v))).collect();
    ParamValue::from_values("smpte:KeyCode", TypeDesc::KEYCODE, 1, Interp::Constant, &vals).expect("seven values")
}

// ---------------------------------------------------------------------------
// Reader: pixels

/// How an element's lines are stored, as libdpx reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Storage {
    /// Whole components of `bytes` each, rows back to back; the byte swap
    /// (for the other byte order) depends on the path libdpx takes.
    Plain { bytes: usize, swap: Swap },
    /// 10-bit, three datums per 32-bit word (`pad` 2 for method A).
    Filled10 { pad: u32 },
    /// 10- or 12-bit bit stream, each line starting on a 32-bit word.
    Packed { bits: u32 },
    /// 12-bit codes in the low bits of 16-bit words (method B).
    Filled12B,
}

/// The storage of element `e`, or `None` when libdpx cannot read it (RLE,
/// an undefined descriptor, 10-bit data with an unknown packing).
fn storage(e: &Element, big: bool) -> Option<Storage> {
    if e.descriptor == 0xff || e.encoding == 1 {
        return None;
    }
    let sw = |s: Swap| if big { s } else { Swap::None };
    Some(match (e.bit_depth, e.packing) {
        (10, 1) => Storage::Filled10 { pad: 2 },
        (10, 2) => Storage::Filled10 { pad: 0 },
        (10, 0) => Storage::Packed { bits: 10 },
        (10, _) => return None,
        (12, 0) => Storage::Packed { bits: 12 },
        (12, 2) => Storage::Filled12B,
        (12, _) => Storage::Plain {
            bytes: 2,
            swap: sw(Swap::U16),
        },
        (8, _) => Storage::Plain {
            bytes: 1,
            swap: Swap::None,
        },
        // The one-read fast path (no line padding) swaps whole values; the
        // line-by-line path swaps 16-bit data by 16 bits and anything
        // wider by 32 bits.
        (16, _) => Storage::Plain {
            bytes: 2,
            swap: sw(Swap::U16),
        },
        (32, _) => Storage::Plain {
            bytes: 4,
            swap: sw(Swap::U32),
        },
        (64, _) if e.eol() == 0 => Storage::Plain {
            bytes: 8,
            swap: sw(Swap::U64),
        },
        _ => Storage::Plain {
            bytes: 8,
            swap: sw(Swap::U32),
        },
    })
}

/// Bytes from one line's start to the next (padding excluded) and the bytes
/// libdpx reads for a line, for `datums` values per line.
fn line_geometry(st: Storage, datums: u64) -> (u64, u64) {
    match st {
        Storage::Plain { bytes, .. } => (datums * bytes as u64, datums * bytes as u64),
        Storage::Filled12B => (datums * 2, datums * 2),
        Storage::Filled10 { .. } => {
            // (libdpx reads one word less when the count is 1 modulo 3 and
            // decodes the last datum from a stale buffer; the real datum is
            // decoded here, as the garbage cannot be reproduced.)
            let line = datums.div_ceil(3) * 4;
            (line, line)
        }
        Storage::Packed { bits } => {
            let line = (datums * u64::from(bits)).div_ceil(32) * 4;
            (line, line)
        }
    }
}

/// Rows OIIO reads per call when it reads a whole image: about 64 MB of
/// native scanlines, at least `read_chunk` (256), rounded up to 64. libdpx
/// counts end-of-line padding from the start of each such call.
fn chunk_rows(scanline_bytes: u64) -> u64 {
    let sb = (scanline_bytes as i64 as i32).max(1) as u64;
    let chunk = ((1u64 << 26) / sb).max(1);
    let min = globals::get_int_attribute("read_chunk", 256).max(0) as u64;
    chunk.max(min).div_ceil(64) * 64
}

/// An element's pixels as libdpx decodes them (components in file order,
/// widened to the element's type), or the error OIIO reports.
fn decode_element(file: &File, file_size: u64, h: &Header, sub: usize, spec: &ImageSpec) -> Result<PixelData, IoError> {
    let e = &h.elements[sub];
    let (w, ht) = (spec.width as u64, spec.height as u64);
    let comps = e.components() as u64;
    let cbytes = e.component_bytes() as u64;
    let chunk = chunk_rows(w * spec.nchannels as u64 * spec.format.size() as u64);
    let fail = |y0: u64| {
        let y1 = (y0 + chunk).min(ht);
        IoError::Corrupt(format!(
            "Failed to read scanlines {}-{}",
            y0 as i64 + i64::from(spec.y),
            y1 as i64 - 1 + i64::from(spec.y)
        ))
    };
    let Some(st) = storage(e, h.big) else {
        return Err(fail(0));
    };
    let datums = w * comps;
    let (line, read) = line_geometry(st, datums);
    let pad = u64::from(e.eol());
    let row_offset = |y: u64| y * line + (y % chunk) * pad;
    // The data must all be in the file before anything is allocated.
    let start = u64::from(e.data_offset);
    let available = file_size.saturating_sub(start);
    let mut y0 = 0;
    while y0 < ht {
        let last = (y0 + chunk).min(ht) - 1;
        if start >= file_size || row_offset(last) + read > available {
            return Err(fail(y0));
        }
        y0 += chunk;
    }
    let row_out = (datums * cbytes) as usize;
    let mut out = PixelData::zeroed((row_out as u64 * ht) as usize).map_err(|e| corrupt(e.to_string()))?;
    let one_channel = comps == 1;
    let file: &File = file;
    // Blocks of about 1 MiB of rows are read (positional reads) and decoded
    // in parallel.
    let rows_per_block = ((1usize << 20) / row_out.max(1)).max(1);
    let direct = matches!(st, Storage::Plain { .. }) && pad == 0 && line == read && line as usize == row_out;
    out.bytes_mut()
        .par_chunks_mut(row_out.max(1) * rows_per_block)
        .enumerate()
        .try_for_each_init(
            || (Vec::new(), Vec::new()),
            |(scratch, words): &mut (Vec<u8>, Vec<u8>), (b, block)| {
                let y0 = (b * rows_per_block) as u64;
                let rows = (block.len() / row_out.max(1)) as u64;
                if direct {
                    dpx_pack::read_at(file, block, start + row_offset(y0)).map_err(|_| fail(y0 - y0 % chunk))?;
                    if let Storage::Plain { swap, .. } = st {
                        swap.apply(block);
                    }
                    return Ok(());
                }
                let lo = (y0..y0 + rows).map(row_offset).min().unwrap_or(0);
                let hi = (y0..y0 + rows).map(|y| row_offset(y) + read).max().unwrap_or(0);
                scratch.resize((hi - lo) as usize, 0);
                dpx_pack::read_at(file, scratch, start + lo).map_err(|_| fail(y0 - y0 % chunk))?;
                for (i, row) in block.chunks_mut(row_out.max(1)).enumerate() {
                    let off = (row_offset(y0 + i as u64) - lo) as usize;
                    let src = &scratch[off..off + read as usize];
                    match st {
                        Storage::Plain { swap, .. } => {
                            row.copy_from_slice(src);
                            swap.apply(row);
                        }
                        Storage::Filled12B => {
                            row.copy_from_slice(src);
                            if h.big {
                                Swap::U16.apply(row);
                            }
                            let v: &mut [u16] = bytemuck::cast_slice_mut(row);
                            v.iter_mut().for_each(|x| *x = dpx_pack::widen12(*x));
                        }
                        Storage::Filled10 { pad } => {
                            words.clear();
                            words.extend_from_slice(src);
                            if h.big {
                                Swap::U32.apply(words);
                            }
                            dpx_pack::unfill10(words, pad, one_channel, bytemuck::cast_slice_mut(row));
                        }
                        Storage::Packed { bits } => {
                            words.clear();
                            words.extend_from_slice(src);
                            if h.big {
                                Swap::U32.apply(words);
                            }
                            dpx_pack::unpack_bits(words, bits, bytemuck::cast_slice_mut(row));
                        }
                    }
                }
                Ok(())
            },
        )?;
    Ok(out)
}

/// Component access for the colour conversions, over the element's type.
trait Comp: Copy + Send + Sync + bytemuck::Pod {
    /// Full-scale value (1 for floats).
    const MAX: f32;
    fn to_f64(self) -> f64;
    /// libdpx's `max(0, DATA(min(v, max)))` with x86 conversion rules.
    fn from_f32(v: f32) -> Self;
}
impl Comp for u8 {
    const MAX: f32 = 255.0;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn from_f32(v: f32) -> Self {
        c_int(f64::from(cmin(v, <Self as Comp>::MAX))) as u8
    }
}
impl Comp for u16 {
    const MAX: f32 = 65535.0;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn from_f32(v: f32) -> Self {
        c_int(f64::from(cmin(v, <Self as Comp>::MAX))) as u16
    }
}
impl Comp for f32 {
    const MAX: f32 = 1.0;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn from_f32(v: f32) -> Self {
        let v = cmin(v, 1.0);
        if 0.0 < v {
            v
        } else {
            0.0
        }
    }
}
impl Comp for f64 {
    const MAX: f32 = 1.0;
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f32(v: f32) -> Self {
        let v = f64::from(cmin(v, 1.0));
        if 0.0 < v {
            v
        } else {
            0.0
        }
    }
}

/// Reverse the four components of every pixel (ABGR to RGBA).
fn swap_abgr(data: &mut [u8], cb: usize) {
    data.par_chunks_mut(4 * cb * 4096).for_each(|block| {
        for px in block.chunks_exact_mut(4 * cb) {
            for i in 0..cb {
                px.swap(i, 3 * cb + i);
                px.swap(cb + i, 2 * cb + i);
            }
        }
    });
}

/// C++'s `std::min(v, m)`: `v` unless `m < v` (so NaN stays NaN).
fn cmin(v: f32, m: f32) -> f32 {
    if m < v {
        m
    } else {
        v
    }
}

/// libdpx's YCbCr to RGB matrices (rows R', G', B'; columns Y, Cb, Cr).
const REC601: [f32; 9] = [1.0, 0.0, 1.402, 1.0, -0.344136, -0.714136, 1.0, -0.772, 0.0];
const REC709: [f32; 9] = [1.0, 0.0, 1.5748, 1.0, -0.187324, -0.468124, 1.0, 1.8556, 0.0];

/// One pixel (Cb, Y, Cr) to RGB the libdpx way: the results land in
/// reverse order (the R' row in the third slot).
fn ycbcr_pixel<T: Comp>(cb: T, y: T, cr: T, m: &[f32; 9], out: &mut [T]) {
    let half = 0.5 * T::MAX;
    let (cbf, crf) = (cb.to_f64() as f32 - half, cr.to_f64() as f32 - half);
    for i in 0..3 {
        // Y times a float is done in double for double data.
        let t = (f64::from(m[i * 3]) * y.to_f64()) as f32;
        let t = if std::mem::size_of::<T>() == 8 {
            (f64::from(m[i * 3]) * y.to_f64() + f64::from(m[i * 3 + 1] * cbf) + f64::from(m[i * 3 + 2] * crf)) as f32
        } else {
            t + m[i * 3 + 1] * cbf + m[i * 3 + 2] * crf
        };
        out[2 - i] = T::from_f32(t);
    }
}

/// Convert a block of `n` pixels from the YCbCr descriptor `desc` to RGB(A).
fn ycbcr_block<T: Comp>(desc: u8, m: &[f32; 9], input: &[T], out: &mut [T], n: usize) {
    let zero: T = bytemuck::Zeroable::zeroed();
    let at = |i: usize| input.get(i).copied().unwrap_or(zero);
    for i in 0..n {
        match desc {
            100 => ycbcr_pixel(
                at((i | 1) * 2),
                at(i * 2 + 1),
                at((i & !1) * 2),
                m,
                &mut out[i * 3..i * 3 + 3],
            ),
            101 => {
                ycbcr_pixel(
                    at((i | 1) * 3),
                    at(i * 3 + 1),
                    at((i & !1) * 3),
                    m,
                    &mut out[i * 4..i * 4 + 3],
                );
                out[i * 4 + 3] = at(i * 3 + 2);
            }
            102 => ycbcr_pixel(at(i * 3), at(i * 3 + 1), at(i * 3 + 2), m, &mut out[i * 3..i * 3 + 3]),
            _ => {
                ycbcr_pixel(at(i * 4), at(i * 4 + 1), at(i * 4 + 2), m, &mut out[i * 4..i * 4 + 3]);
                out[i * 4 + 3] = at(i * 4 + 3);
            }
        }
    }
}

/// Convert decoded YCbCr data chunk by chunk (libdpx pairs 4:2:2 samples
/// across the whole block it is given, rows included).
/// `geom` is (width, rows per chunk, components in, channels out).
fn ycbcr_to_rgb<T: Comp>(desc: u8, m: &[f32; 9], raw: &[T], out: &mut [T], geom: (usize, usize, usize, usize)) {
    let (width, chunk, comps, nch) = geom;
    let rows = raw.len() / (width * comps).max(1);
    let mut y = 0;
    while y < rows {
        let r = chunk.min(rows - y);
        let n = width * r;
        let input = &raw[y * width * comps..(y * width + n) * comps];
        let o = &mut out[y * width * nch..(y * width + n) * nch];
        ycbcr_block(desc, m, input, o, n);
        y += r;
    }
}

/// The pixels OIIO delivers for element `sub`: decoded, then (unless raw
/// colour was asked for, or the element has one channel) ABGR reordered and
/// YCbCr converted. Elements libdpx cannot convert fail without a message.
fn read_element(
    file: &File,
    file_size: u64,
    h: &Header,
    sub: usize,
    spec: &ImageSpec,
    rawcolor: bool,
) -> Result<PixelData, IoError> {
    let e = &h.elements[sub];
    let mut raw = decode_element(file, file_size, h, sub, spec)?;
    let comps = e.components();
    if rawcolor || comps == 1 || matches!(e.descriptor, 50 | 51) {
        return Ok(raw);
    }
    let cb = e.component_bytes();
    if e.descriptor == 52 {
        swap_abgr(raw.bytes_mut(), cb);
        return Ok(raw);
    }
    let m = match (e.descriptor, e.colorimetric) {
        (100..=103, 5 | 6) => &REC709,
        (100..=103, 7 | 8) => &REC601,
        _ => return Err(IoError::Corrupt(String::new())),
    };
    let (w, nch) = (spec.width as usize, spec.nchannels as usize);
    let chunk = chunk_rows(w as u64 * nch as u64 * spec.format.size() as u64) as usize;
    let mut out = PixelData::zeroed(spec.image_bytes(true) as usize).map_err(|e| corrupt(e.to_string()))?;
    match cb {
        1 => ycbcr_to_rgb::<u8>(e.descriptor, m, raw.bytes(), out.bytes_mut(), (w, chunk, comps, nch)),
        2 => ycbcr_to_rgb::<u16>(
            e.descriptor,
            m,
            bytemuck::cast_slice(raw.bytes()),
            bytemuck::cast_slice_mut(out.bytes_mut()),
            (w, chunk, comps, nch),
        ),
        4 => ycbcr_to_rgb::<f32>(
            e.descriptor,
            m,
            bytemuck::cast_slice(raw.bytes()),
            bytemuck::cast_slice_mut(out.bytes_mut()),
            (w, chunk, comps, nch),
        ),
        _ => ycbcr_to_rgb::<f64>(
            e.descriptor,
            m,
            bytemuck::cast_slice(raw.bytes()),
            bytemuck::cast_slice_mut(out.bytes_mut()),
            (w, chunk, comps, nch),
        ),
    }
    Ok(out)
}

/// An open DPX file.
struct DpxReader {
    file: File,
    file_size: u64,
    header: Header,
    /// Spec of each image element OIIO can seek to (`None` if it fails).
    specs: Vec<Option<ImageSpec>>,
    rawcolor: bool,
}

/// `FORMAT.open`: the configuration may ask for raw colour ("dpx:RawColor",
/// "dpx:RawData" or "oiio:RawColor" non-zero: YCbCr and ABGR elements are
/// returned as stored).
pub fn open_with(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let rawcolor = config.is_some_and(|c| {
        ["dpx:RawColor", "dpx:RawData", "oiio:RawColor"]
            .iter()
            .any(|n| c.get_int_attribute(n, 0) != 0)
    });
    Ok(Box::new(open_reader(path, rawcolor)?))
}

fn open_reader(path: &Path, rawcolor: bool) -> Result<DpxReader, IoError> {
    let mut file =
        File::open(path).map_err(|_| IoError::Open(format!("Could not open file \"{}\"", path.display())))?;
    let file_size = file
        .metadata()
        .map(|m| if m.is_file() { m.len() } else { 0 })
        .unwrap_or(0);
    let bad_header = || IoError::Corrupt("Could not read header".into());
    let mut raw = vec![0u8; HEADER_SIZE];
    if file_size < HEADER_SIZE as u64 {
        return Err(bad_header());
    }
    file.read_exact(&mut raw).map_err(|_| bad_header())?;
    let header = Header::parse(&raw).ok_or_else(bad_header)?;
    let count = header.element_count();
    if count == 0 {
        // OIIO's seek to subimage 0 fails without a message.
        return Err(IoError::Corrupt(String::new()));
    }
    let mut first = element_spec(&header, 0, rawcolor, file_size)?;
    // User data (one block per file) follows the header.
    let usize_ = header.user_size();
    let mut user = Vec::new();
    if usize_ != 0 && usize_ != u32::MAX {
        if HEADER_SIZE as u64 + u64::from(usize_) > file_size {
            return Err(corrupt(format!(
                "Corrupt userbuf: {usize_} bytes of user data at offset {HEADER_SIZE} run past the {file_size} byte file"
            )));
        }
        user = vec![0u8; usize_ as usize];
        file.read_exact(&mut user)
            .map_err(|_| corrupt(format!("Corrupt userbuf: could not read {usize_} bytes of user data")))?;
    }
    let user_attr = (!user.is_empty()).then(|| bytes_attr("dpx:UserData", &user));
    let add_user = |spec: &mut ImageSpec| {
        if let Some(p) = &user_attr {
            spec.attribute(p.clone());
        }
    };
    add_user(&mut first);
    let mut specs = vec![Some(first)];
    for sub in 1..count {
        specs.push(element_spec(&header, sub, rawcolor, file_size).ok().map(|mut s| {
            add_user(&mut s);
            s
        }));
    }
    Ok(DpxReader {
        file,
        file_size,
        header,
        specs,
        rawcolor,
    })
}

impl Reader for DpxReader {
    fn format_name(&self) -> &'static str {
        "dpx"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if miplevel != 0 {
            return None;
        }
        self.specs.get(subimage).cloned().flatten()
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let spec = self
            .spec(subimage, miplevel)
            .ok_or_else(|| IoError::Open(String::new()))?;
        read_element(&self.file, self.file_size, &self.header, subimage, &spec, self.rawcolor)
    }
}

// ---------------------------------------------------------------------------
// Writer

fn unsupported(m: impl Into<String>) -> IoError {
    IoError::Unsupported(m.into())
}

/// How one subimage is stored.
#[derive(Clone, Debug)]
struct OutElement {
    descriptor: u8,
    transfer: u8,
    colorimetric: u8,
    bit_depth: u8,
    /// 0 packed, 1 filled A, 2 filled B.
    packing: u16,
    /// The pixel type the data is converted to first.
    native: TypeDesc,
}

/// OIIO's `ImageOutput::check_open` for DPX (2^30 pixels across and down,
/// no volumes, at most 256 channels), normalising origin and display window.
fn check_output(spec: &ImageSpec) -> Result<ImageSpec, IoError> {
    let mut s = spec.clone();
    let (w, h) = (s.width, s.height);
    if w > 1 << 30 || h > 1 << 30 {
        return Err(unsupported(format!(
            "dpx image resolution may not exceed 1073741824x1073741824, you asked for {w}x{h}"
        )));
    }
    if w <= 0 || h <= 0 {
        return Err(unsupported(format!(
            "dpx image resolution must be at least 1x1, you asked for {w}x{h}"
        )));
    }
    if s.depth > 1 {
        return Err(unsupported("dpx does not support volume images (depth > 1)"));
    }
    if s.nchannels < 0 || s.nchannels > 256 {
        return Err(unsupported(format!(
            "dpx does not support {}-channel images",
            s.nchannels
        )));
    }
    if s.channelformats.iter().any(|f| *f != s.format) {
        return Err(unsupported("dpx does not support per-channel data formats"));
    }
    if s.full_width <= 0 {
        s.full_width = s.width;
        s.full_x = s.x;
    }
    if s.full_height <= 0 {
        s.full_height = s.height;
        s.full_y = s.y;
    }
    if s.deep {
        return Err(unsupported("dpx does not support 'deep' images"));
    }
    if s.tile_width != 0 || s.tile_height != 0 {
        return Err(unsupported("dpx does not support tiled images"));
    }
    if s.x < 0 || s.y < 0 || s.z < 0 {
        (s.x, s.y, s.z) = (0, 0, 0);
    }
    Ok(s)
}

/// The descriptor for a subimage: 3 and 4 channels are RGB and RGBA, one
/// channel is named by its name (or alpha/depth channel), anything else is
/// refused.
fn out_descriptor(spec: &ImageSpec) -> Result<u8, IoError> {
    match spec.nchannels {
        1 => {
            let name = spec.channelnames.first().map_or("", |s| s.as_str());
            Ok(if spec.z_channel == 0 || name == "Z" {
                8
            } else if spec.alpha_channel == 0 || name == "A" {
                4
            } else if name == "R" {
                1
            } else if name == "B" {
                3
            } else if name == "G" {
                2
            } else {
                6
            })
        }
        3 => Ok(50),
        4 => Ok(51),
        n => Err(unsupported(format!("DPX writer does not support {n} channels"))),
    }
}

/// OIIO's DPX `prep_subimage`: descriptor, transfer, colorimetric, packing,
/// stored type and bit depth for one subimage.
fn plan_element(spec: &ImageSpec) -> Result<OutElement, IoError> {
    let descriptor = out_descriptor(spec)?;
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    let gamma = colorspace_gamma(spec);
    let transfer = if in_list(SRGB_NAMES, &cs) {
        6
    } else if gamma == 1.0 {
        2
    } else if gamma != 0.0 {
        0
    } else if cs.eq_ignore_ascii_case("KodakLog") {
        3
    } else {
        characteristic_code(&spec.get_string_attribute("dpx:Transfer", ""))
    };
    let colorimetric = characteristic_code(&spec.get_string_attribute("dpx:Colorimetric", "User defined"));
    let pck = spec.get_string_attribute("dpx:Packing", "Filled, method A");
    let mut packing = if pck.eq_ignore_ascii_case("Packed") {
        0
    } else if pck.eq_ignore_ascii_case("Filled, method B") {
        2
    } else {
        1
    };
    let native = match spec.format.basetype {
        BaseType::UInt8 => TypeDesc::UINT8,
        BaseType::Float | BaseType::Half => TypeDesc::FLOAT,
        BaseType::Double => TypeDesc::DOUBLE,
        _ => TypeDesc::UINT16,
    };
    let mut bits = native.size() as i32 * 8;
    if native == TypeDesc::UINT16 {
        bits = spec.get_int_attribute("oiio:BitsPerSample", 16);
        if !matches!(bits, 10 | 12 | 16) {
            return Err(unsupported(format!("Unsupported bit depth {bits}")));
        }
    }
    // libdpx mishandles filled 12-bit and 1-channel 10-bit data; OIIO
    // packs those.
    if bits == 12 || (bits == 10 && spec.nchannels == 1) {
        packing = 0;
    }
    Ok(OutElement {
        descriptor,
        transfer,
        colorimetric,
        bit_depth: bits as u8,
        packing,
        native,
    })
}

/// Little helper writing header fields at fixed offsets (little endian; the
/// whole header is byte swapped afterwards for a big-endian file).
struct HeaderOut {
    b: Vec<u8>,
}

impl HeaderOut {
    fn u8(&mut self, off: usize, v: u8) {
        self.b[off] = v;
    }
    fn u16(&mut self, off: usize, v: u16) {
        self.b[off..off + 2].copy_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, off: usize, v: u32) {
        self.b[off..off + 4].copy_from_slice(&v.to_le_bytes());
    }
    fn f32(&mut self, off: usize, v: f32) {
        self.u32(off, v.to_bits());
    }
    /// A string field of `len` bytes: at most `len - 1` bytes, NUL filled.
    fn str(&mut self, off: usize, len: usize, s: &str) {
        let b = s.as_bytes();
        let n = b.len().min(len - 1);
        self.b[off..off + len].fill(0);
        self.b[off..off + n].copy_from_slice(&b[..n]);
    }
}

/// An OIIO date ("YYYY:MM:DD hh:mm:ss...") as libdpx stores it: a colon at
/// 10 and "Z" from 19 on; shorter text is kept as it is.
fn dpx_date(s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    if b.len() >= 19 {
        b[10] = b':';
        b.truncate(19);
        b.push(b'Z');
    }
    bytes_to_string(&b)
}

/// libdpx's time code text parser: exactly 11 characters, digits at the
/// eight digit positions ("hh:mm:ss:ff", any separators), as BCD.
fn timecode_from_text(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    let len = b.iter().take(12).position(|&c| c == 0).unwrap_or(b.len().min(12));
    if len != 11 {
        return None;
    }
    let mut tc = 0u32;
    for (i, idx) in [0usize, 1, 3, 4, 6, 7, 9, 10].iter().enumerate() {
        let c = b[*idx];
        if !c.is_ascii_digit() {
            return None;
        }
        tc |= u32::from(c - b'0') << (28 - i * 4);
    }
    Some(tc)
}

/// The fixed-width keycode fields and format name OIIO writes for a
/// `smpte:KeyCode` value.
fn keycode_fields(kc: &[i32]) -> ([u8; 16], &'static str) {
    let mut f = [0u8; 16];
    let mut put = |at: usize, width: usize, v: i32| {
        let s = format!("{v:0width$}");
        let b = s.as_bytes();
        // memcpy of `width` bytes from the formatted C string.
        for i in 0..width {
            f[at + i] = b.get(i).copied().unwrap_or(0);
        }
    };
    put(0, 2, kc[0]);
    put(2, 2, kc[1]);
    put(6, 6, kc[2]);
    put(12, 4, kc[3]);
    put(4, 2, kc[4]);
    let name = match (kc[5], kc[6]) {
        (15, 120) => "8kimax",
        (8, 64) => "VistaVision",
        (4, 64) => "Full Aperture",
        (3, 64) => "3perf",
        _ => "Unknown",
    };
    (f, name)
}

/// The whole 2048-byte header (before the big-endian swap).
fn build_header(
    path: &Path,
    spec0: &ImageSpec,
    elems: &[(OutElement, &ImageSpec)],
    offsets: &[u32],
    user_size: u32,
    file_size: u32,
) -> HeaderOut {
    let mut h = HeaderOut {
        b: vec![0u8; HEADER_SIZE],
    };
    h.u32(0, MAGIC);
    h.u32(4, offsets.first().copied().unwrap_or(u32::MAX));
    h.str(8, 8, "V2.0");
    h.u32(16, file_size);
    h.u32(20, 1);
    h.u32(24, 1664);
    h.u32(28, 384);
    h.u32(32, user_size);
    h.str(36, 100, &path.to_string_lossy());
    h.str(136, 24, &dpx_date(&spec0.get_string_attribute("DateTime", "")));
    let software = spec0.get_string_attribute("Software", "");
    let default_sw = format!("OpenImageIO {} http://www.openimageio.org", globals::version_string());
    h.str(160, 100, if software.is_empty() { &default_sw } else { &software });
    let project = spec0.get_string_attribute("DocumentName", "");
    h.str(260, 200, &project);
    h.str(460, 200, &spec0.get_string_attribute("Copyright", ""));
    h.u32(660, spec0.get_int_attribute("dpx:EncryptKey", -1) as u32);
    const ORIENT: [u16; 9] = [0, 0, 1, 2, 3, 4, 5, 6, 7];
    let orient = spec0.get_int_attribute("Orientation", 0).clamp(0, 8) as usize;
    h.u16(768, ORIENT[orient]);
    h.u16(770, elems.len() as u16);
    h.u32(772, spec0.width as u32);
    h.u32(776, spec0.height as u32);
    let undefined_q = 4_294_967_296.0f32;
    for i in 0..MAX_ELEMENTS {
        let b = ELEMENTS_AT + i * ELEMENT_SIZE;
        let Some((el, spec)) = elems.get(i) else {
            for (off, v) in [
                (0, u32::MAX),
                (4, u32::MAX),
                (12, u32::MAX),
                (28, u32::MAX),
                (32, u32::MAX),
                (36, u32::MAX),
            ] {
                h.u32(b + off, v);
            }
            h.f32(b + 8, undefined_q);
            h.f32(b + 16, undefined_q);
            for off in 20..24 {
                h.u8(b + off, 0xff);
            }
            h.u16(b + 24, 0xffff);
            h.u16(b + 26, 0xffff);
            continue;
        };
        h.u32(b, 0);
        h.u32(b + 4, spec.get_int_attribute("dpx:LowData", -1) as u32);
        h.f32(b + 8, spec.get_float_attribute("dpx:LowQuantity", f32::NAN));
        h.u32(b + 12, spec.get_int_attribute("dpx:HighData", -1) as u32);
        h.f32(b + 16, spec.get_float_attribute("dpx:HighQuantity", f32::NAN));
        h.u8(b + 20, el.descriptor);
        h.u8(b + 21, el.transfer);
        h.u8(b + 22, el.colorimetric);
        h.u8(b + 23, el.bit_depth);
        h.u16(b + 24, el.packing);
        h.u16(b + 26, 0);
        h.u32(b + 28, offsets.get(i).copied().unwrap_or(u32::MAX));
        // OIIO 3.2.2 never writes padding, whatever the attributes say.
        h.u32(b + 32, 0);
        h.u32(b + 36, 0);
        h.str(b + 40, 32, &spec.get_string_attribute("ImageDescription", ""));
    }
    h.u32(1408, spec0.x.max(0) as u32);
    h.u32(1412, spec0.y.max(0) as u32);
    h.f32(1416, f32::NAN);
    h.f32(1420, f32::NAN);
    h.u32(1424, spec0.full_width as u32);
    h.u32(1428, spec0.full_height as u32);
    let strs = |h: &mut HeaderOut, off: usize, len: usize, name: &str| {
        let v = spec0.get_string_attribute(name, "");
        if !v.is_empty() {
            h.str(off, len, &v);
        }
    };
    strs(&mut h, 1432, 100, "dpx:SourceImageFileName");
    let src_date = spec0.get_string_attribute("dpx:SourceDateTime", "");
    if src_date.len() >= 19 {
        h.str(1532, 24, &dpx_date(&src_date));
    }
    strs(&mut h, 1556, 32, "dpx:InputDevice");
    strs(&mut h, 1588, 32, "dpx:InputDeviceSerialNumber");
    for i in 0..4 {
        h.u16(1620 + 2 * i, 0xffff);
    }
    let (an, ad) = float_to_rational(spec0.get_float_attribute("PixelAspectRatio", 1.0));
    h.u32(1628, an as u32);
    h.u32(1632, ad as u32);
    h.f32(1636, spec0.get_float_attribute("dpx:XScannedSize", f32::NAN));
    h.f32(1640, spec0.get_float_attribute("dpx:YScannedSize", f32::NAN));
    if let Some(kc) = spec0.extra_attribs.get("smpte:KeyCode", TypeDesc::KEYCODE, false) {
        let vals: Vec<i32> = (0..7).map(|i| kc.get(i).as_i64() as i32).collect();
        let (fields, name) = keycode_fields(&vals);
        h.b[1664..1680].copy_from_slice(&fields);
        h.str(1680, 32, name);
        strs(&mut h, 1680, 32, "dpx:Format");
    }
    h.u32(1712, spec0.get_int_attribute("dpx:FramePosition", -1) as u32);
    h.u32(1716, spec0.get_int_attribute("dpx:SequenceLength", -1) as u32);
    h.u32(1720, spec0.get_int_attribute("dpx:HeldCount", -1) as u32);
    h.f32(1724, spec0.get_float_attribute("dpx:FrameRate", f32::NAN));
    h.f32(1728, spec0.get_float_attribute("dpx:ShutterAngle", f32::NAN));
    strs(&mut h, 1732, 32, "dpx:FrameId");
    strs(&mut h, 1764, 100, "dpx:SlateInfo");
    let (tc, ub) = if let Some(p) = spec0.extra_attribs.get("smpte:TimeCode", TypeDesc::TIMECODE, false) {
        (p.get(0).as_i64() as u32, p.get(1).as_i64() as u32)
    } else {
        let text = spec0.get_string_attribute("dpx:TimeCode", "");
        let int = spec0.get_int_attribute("dpx:TimeCode", -1);
        let tc = if !text.is_empty() {
            timecode_from_text(&text).unwrap_or(u32::MAX)
        } else {
            int as u32
        };
        (tc, spec0.get_int_attribute("dpx:UserBits", -1) as u32)
    };
    h.u32(1920, tc);
    h.u32(1924, ub);
    h.u8(1928, spec0.get_int_attribute("dpx:Interlace", 0xff) as u8);
    h.u8(1929, spec0.get_int_attribute("dpx:FieldNumber", 0xff) as u8);
    h.u8(1930, 0);
    h.u8(1931, 0xff);
    let floats = [
        "dpx:HorizontalSampleRate",
        "dpx:VerticalSampleRate",
        "dpx:TemporalFrameRate",
        "dpx:TimeOffset",
        "",
        "dpx:BlackLevel",
        "dpx:BlackGain",
        "dpx:BreakPoint",
        "dpx:WhiteLevel",
        "dpx:IntegrationTimes",
    ];
    for (i, name) in floats.iter().enumerate() {
        let v = if name.is_empty() {
            f32::NAN
        } else {
            spec0.get_float_attribute(name, f32::NAN)
        };
        h.f32(1932 + 4 * i, v);
    }
    h
}

/// Store a header built little endian as big endian.
fn header_to_big(h: &mut [u8]) {
    h[..4].reverse();
    for (off, len) in numeric_fields() {
        h[off..off + len].reverse();
    }
}

/// Encode one subimage's pixels (rows in parallel) as its element data.
fn encode_element(el: &OutElement, spec: &ImageSpec, pixels: &[u8], big: bool) -> Result<Vec<u8>, IoError> {
    let (w, h, nch) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let src_size = spec.format.size();
    let row_in = w * nch * src_size;
    if pixels.len() < row_in * h {
        return Err(IoError::Write(format!(
            "dpx: {} bytes of pixels given, {} needed",
            pixels.len(),
            row_in * h
        )));
    }
    let datums = (w * nch) as u64;
    let (line, _) = match el.bit_depth {
        10 if el.packing != 0 => line_geometry(Storage::Filled10 { pad: 0 }, datums),
        10 | 12 => line_geometry(
            Storage::Packed {
                bits: u32::from(el.bit_depth),
            },
            datums,
        ),
        _ => (datums * el.native.size() as u64, 0),
    };
    let stride = line as usize;
    let total = stride
        .checked_mul(h)
        .ok_or_else(|| IoError::Write("dpx: image too large".into()))?;
    let mut out = vec![0u8; total];
    let native = el.native;
    let swap = match (big, el.bit_depth) {
        (false, _) | (true, 8) => Swap::None,
        (true, 16) => Swap::U16,
        (true, 64) => Swap::U64,
        _ => Swap::U32,
    };
    let src_type = spec.format.basetype;
    out.par_chunks_mut(stride.max(1)).enumerate().for_each_init(
        || (Vec::<u8>::new(), Vec::<u8>::new(), Vec::<u16>::new()),
        |(conv, packed, v16), (y, dst)| {
            let src = &pixels[y * row_in..(y + 1) * row_in];
            let vals: &[u8] = if native == spec.format {
                src
            } else {
                conv.resize(w * nch * native.size(), 0);
                convert_bytes(src, src_type, conv, native.basetype);
                conv
            };
            let line_dst = &mut dst[..line as usize];
            match el.bit_depth {
                10 | 12 => {
                    v16.clear();
                    v16.extend(vals.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])));
                    packed.clear();
                    if el.bit_depth == 10 && el.packing != 0 {
                        dpx_pack::fill10(v16, el.packing == 1, true, packed);
                    } else {
                        dpx_pack::pack_bits(v16, u32::from(el.bit_depth), packed);
                    }
                    line_dst.copy_from_slice(packed);
                }
                _ => line_dst.copy_from_slice(vals),
            }
            swap.apply(line_dst);
        },
    );
    Ok(out)
}

/// `FORMAT.write`: every subimage's top level becomes an image element.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let levels: Vec<crate::Level<'_>> = req.subimages.iter().filter_map(|s| s.first().copied()).collect();
    if levels.is_empty() {
        return Err(IoError::Write("dpx: nothing to write".into()));
    }
    if levels.len() > MAX_ELEMENTS {
        return Err(unsupported(format!(
            "DPX does not support more than {MAX_ELEMENTS} subimages"
        )));
    }
    let specs: Vec<ImageSpec> = levels.iter().map(|l| check_output(l.spec)).collect::<Result<_, _>>()?;
    let spec0 = &specs[0];
    for (i, s) in specs.iter().enumerate().skip(1) {
        if s.width != spec0.width || s.height != spec0.height {
            return Err(unsupported(format!(
                "dpx subimages must all have the same resolution (subimage 0 was {}x{}, versus subimage {i} with {}x{})",
                spec0.width, spec0.height, s.width, s.height
            )));
        }
    }
    let plans: Vec<OutElement> = specs.iter().map(plan_element).collect::<Result<_, _>>()?;
    let endian = spec0.get_string_attribute("oiio:Endian", "little");
    let big = !endian.eq_ignore_ascii_case("little");
    let datas: Vec<Vec<u8>> = plans
        .iter()
        .zip(&specs)
        .zip(&levels)
        .map(|((el, spec), lv)| encode_element(el, spec, lv.pixels, big))
        .collect::<Result<_, _>>()?;
    // User data: any numeric attribute's bytes, up to 1 MiB.
    let user: Vec<u8> = spec0
        .extra_attribs
        .get("dpx:UserData", TypeDesc::UNKNOWN, false)
        .and_then(|p| match p.data() {
            vfx_core::ParamData::Bytes(b) if !b.is_empty() && b.len() <= 1 << 20 => Some(b.clone()),
            _ => None,
        })
        .unwrap_or_default();
    // Layout: header, user data, then each element on an 8 KiB boundary
    // (0xFF filler).
    let mut offsets = Vec::new();
    let mut loc = (HEADER_SIZE + user.len()) as u64;
    for data in &datas {
        loc = loc.div_ceil(0x2000) * 0x2000;
        offsets.push(loc);
        loc += data.len() as u64;
    }
    if loc > u64::from(u32::MAX) {
        return Err(IoError::Write("dpx: file would exceed 4 GiB".into()));
    }
    let offsets32: Vec<u32> = offsets.iter().map(|&o| o as u32).collect();
    let pairs: Vec<(OutElement, &ImageSpec)> = plans.iter().cloned().zip(specs.iter()).collect();
    let mut header = build_header(path, spec0, &pairs, &offsets32, user.len() as u32, loc as u32).b;
    if big {
        header_to_big(&mut header);
    }
    let file = File::create(path).map_err(|_| IoError::Write(format!("Could not open file \"{}\"", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("DPX write failed ({e})"));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(&header).map_err(werr)?;
    out.write_all(&user).map_err(werr)?;
    let mut pos = (HEADER_SIZE + user.len()) as u64;
    for (data, off) in datas.iter().zip(&offsets) {
        let fill = vec![0xffu8; (off - pos) as usize];
        out.write_all(&fill).map_err(werr)?;
        out.write_all(data).map_err(werr)?;
        pos = off + data.len() as u64;
    }
    out.flush().map_err(werr)
}

/// Write one image (the top level of a single subimage).
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    let level = crate::Level { spec, pixels };
    let req = crate::WriteRequest {
        subimages: vec![vec![level]],
        deep: vec![None],
        source: spec.format,
        thumbnail: None,
    };
    write_request(path, &req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch(ext: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_dpx_{}_{n}.{ext}", std::process::id()))
    }

    fn read_file(p: &Path, config: Option<&ImageSpec>) -> Result<(Vec<ImageSpec>, Vec<Vec<u8>>), IoError> {
        let mut r = open_with(p, config)?;
        let mut specs = Vec::new();
        let mut pixels = Vec::new();
        let mut s = 0;
        while let Some(spec) = r.spec(s, 0) {
            pixels.push(r.read_image(s, 0)?.bytes().to_vec());
            specs.push(spec);
            s += 1;
        }
        Ok((specs, pixels))
    }

    fn read_bytes(bytes: &[u8]) -> Result<(Vec<ImageSpec>, Vec<Vec<u8>>), IoError> {
        let p = scratch("dpx");
        std::fs::write(&p, bytes).unwrap();
        let r = read_file(&p, None);
        std::fs::remove_file(&p).unwrap();
        r
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
        let p = scratch("dpx");
        let r = write(&p, spec, pixels).map(|_| std::fs::read(&p).unwrap());
        let _ = std::fs::remove_file(&p);
        r
    }

    fn ne16(v: &[u16]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_ne_bytes()).collect()
    }

    fn u16s(b: &[u8]) -> Vec<u16> {
        b.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect()
    }

    fn attr_str(s: &ImageSpec, n: &str) -> String {
        s.get_string_attribute(n, "<none>")
    }

    /// A minimal header: `w` x `h`, one element described by `el`
    /// (descriptor, bit depth, packing), data at 2048, little endian.
    fn header(w: u32, h: u32, el: (u8, u8, u16)) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_SIZE];
        b[..4].copy_from_slice(b"XPDS");
        b[4..8].copy_from_slice(&2048u32.to_le_bytes());
        b[770..772].copy_from_slice(&1u16.to_le_bytes());
        b[772..776].copy_from_slice(&w.to_le_bytes());
        b[776..780].copy_from_slice(&h.to_le_bytes());
        for e in 0..MAX_ELEMENTS {
            b[ELEMENTS_AT + e * ELEMENT_SIZE + 20] = 0xff;
        }
        let e = ELEMENTS_AT;
        b[e + 20] = el.0;
        b[e + 21] = 2;
        b[e + 22] = 2;
        b[e + 23] = el.1;
        b[e + 24..e + 26].copy_from_slice(&el.2.to_le_bytes());
        b[e + 28..e + 32].copy_from_slice(&2048u32.to_le_bytes());
        b[1920..1928].fill(0xff);
        b[1928] = 0xff;
        b[1929] = 0xff;
        b[1930] = 0xff;
        b
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "dpx");
        assert_eq!(FORMAT.extensions, &["dpx"]);
        assert!(sniff(b"SDPX....") && sniff(b"XPDS") && !sniff(b"SDP") && !sniff(b"\x80\x2a\x5f\xd7"));
        assert_eq!(supports("multiimage"), 1);
        assert_eq!(supports("tiles"), 0);
    }

    /// Every writable type, bit depth, packing, byte order and channel
    /// count reads back as the stored values (10/12-bit values quantised
    /// as OIIO does).
    #[test]
    fn round_trips_every_layout() {
        let (w, h) = (7usize, 3usize);
        for nch in [1usize, 3, 4] {
            let n = w * h * nch;
            let vals16: Vec<u16> = (0..n).map(|i| (i as u32 * 40503 % 65536) as u16).collect();
            for (fmt, bits) in [
                (TypeDesc::UINT8, 8),
                (TypeDesc::UINT16, 10),
                (TypeDesc::UINT16, 12),
                (TypeDesc::UINT16, 16),
                (TypeDesc::FLOAT, 32),
                (TypeDesc::DOUBLE, 64),
            ] {
                for packing in ["Packed", "Filled, method A", "Filled, method B"] {
                    for endian in ["little", "big"] {
                        let mut spec = ImageSpec::new(w as i32, h as i32, nch as i32, fmt);
                        spec.attribute_int("oiio:BitsPerSample", bits);
                        spec.attribute_str("dpx:Packing", packing);
                        spec.attribute_str("oiio:Endian", endian);
                        let px: Vec<u8> = match bits {
                            8 => vals16.iter().map(|v| (v >> 8) as u8).collect(),
                            32 => vals16
                                .iter()
                                .flat_map(|v| (f32::from(*v) / 65535.0).to_ne_bytes())
                                .collect(),
                            64 => vals16
                                .iter()
                                .flat_map(|v| (f64::from(*v) / 65535.0).to_ne_bytes())
                                .collect(),
                            _ => ne16(&vals16),
                        };
                        let bytes = write_bytes(&spec, &px).unwrap();
                        assert_eq!(&bytes[..4], if endian == "big" { b"SDPX" } else { b"XPDS" });
                        let (specs, pixels) = read_bytes(&bytes).unwrap();
                        let got = &specs[0];
                        assert_eq!(
                            (got.width, got.height, got.nchannels, got.format),
                            (7, 3, nch as i32, fmt)
                        );
                        assert_eq!(got.get_int_attribute("oiio:BitsPerSample", 0), bits);
                        let expect_packing = if bits == 12 || (bits == 10 && nch == 1) {
                            "Packed"
                        } else {
                            packing
                        };
                        assert_eq!(attr_str(got, "dpx:Packing"), expect_packing);
                        let expect: Vec<u8> = match bits {
                            10 => ne16(&vals16.iter().map(|v| dpx_pack::widen10(v >> 6)).collect::<Vec<_>>()),
                            12 => ne16(&vals16.iter().map(|v| dpx_pack::widen12(v >> 4)).collect::<Vec<_>>()),
                            _ => px.clone(),
                        };
                        assert_eq!(pixels[0], expect, "{nch} ch, {bits} bits, {packing}, {endian}");
                    }
                }
            }
        }
    }

    #[test]
    fn other_types_are_converted() {
        // Half becomes float, int16/uint32 become uint16 (OIIO's rules).
        let mut spec = ImageSpec::new(2, 1, 1, TypeDesc::HALF);
        let halves = ne16(&[0x3c00, 0x3800]);
        let (specs, px) = read_bytes(&write_bytes(&spec, &halves).unwrap()).unwrap();
        assert_eq!(specs[0].format, TypeDesc::FLOAT);
        assert_eq!(
            px[0],
            [1.0f32, 0.5].iter().flat_map(|v| v.to_ne_bytes()).collect::<Vec<u8>>()
        );
        spec.set_format(TypeDesc::INT16);
        let (specs, px) = read_bytes(&write_bytes(&spec, &ne16(&[0x7fff, 0x8000])).unwrap()).unwrap();
        assert_eq!(specs[0].format, TypeDesc::UINT16);
        assert_eq!(u16s(&px[0]), [65535, 0]);
        spec.set_format(TypeDesc::UINT);
        let v: Vec<u8> = [u32::MAX, 0].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let (_, px) = read_bytes(&write_bytes(&spec, &v).unwrap()).unwrap();
        assert_eq!(u16s(&px[0]), [65535, 0]);
    }

    #[test]
    fn writer_layout_matches_libdpx() {
        // 10-bit filled method A, RGB: datum 0 in the high bits, shifted 2.
        let mut spec = ImageSpec::new(1, 1, 3, TypeDesc::UINT16);
        spec.attribute_int("oiio:BitsPerSample", 10);
        let px = ne16(&[dpx_pack::widen10(1), dpx_pack::widen10(2), dpx_pack::widen10(3)]);
        let b = write_bytes(&spec, &px).unwrap();
        assert_eq!(b.len(), 8196);
        let word = u32::from_le_bytes(b[8192..8196].try_into().unwrap());
        assert_eq!(word, (1 << 22) | (2 << 12) | (3 << 2));
        // Header basics and the 0xFF filler before the data.
        assert_eq!(&b[8..12], b"V2.0");
        assert_eq!(u32::from_le_bytes(b[16..20].try_into().unwrap()), 8196);
        assert_eq!(u32::from_le_bytes(b[4..8].try_into().unwrap()), 8192);
        assert!(b[2048..8192].iter().all(|&c| c == 0xff));
        assert_eq!(
            &b[160..160 + 46],
            format!("OpenImageIO {} http://www.openimageio.org", globals::version_string()).as_bytes()
        );
        // Undefined elements keep libdpx's defaults.
        let e1 = ELEMENTS_AT + ELEMENT_SIZE;
        assert_eq!(&b[e1..e1 + 8], &[0xff; 8]);
        assert_eq!(
            f32::from_le_bytes(b[e1 + 8..e1 + 12].try_into().unwrap()),
            4_294_967_296.0
        );
        // Big endian: the same word stored big endian, header too.
        spec.attribute_str("oiio:Endian", "big");
        let b = write_bytes(&spec, &px).unwrap();
        assert_eq!(&b[..4], b"SDPX");
        assert_eq!(u32::from_be_bytes(b[8192..8196].try_into().unwrap()), word);
        assert_eq!(u32::from_be_bytes(b[772..776].try_into().unwrap()), 1);
    }

    #[test]
    fn metadata_round_trip() {
        let mut spec = ImageSpec::new(4, 2, 3, TypeDesc::UINT8);
        spec.x = 3;
        spec.y = 5;
        spec.full_width = 20;
        spec.full_height = 10;
        for (k, v) in [
            ("DateTime", "2020:01:02 03:04:05"),
            ("Software", "soft"),
            ("DocumentName", "doc"),
            ("Copyright", "(c)"),
            ("ImageDescription", "desc"),
            ("dpx:TimeCode", "01:02:03:04"),
            ("dpx:Colorimetric", "ITU-R 709-4"),
            ("dpx:FrameId", "fid"),
            ("dpx:SlateInfo", "slate"),
            ("dpx:SourceImageFileName", "src"),
            ("dpx:InputDevice", "dev"),
            ("dpx:InputDeviceSerialNumber", "sn"),
            ("dpx:SourceDateTime", "2019:05:06 07:08:09"),
            ("oiio:ColorSpace", "KodakLog"),
        ] {
            spec.attribute_str(k, v);
        }
        for (k, v) in [
            ("Orientation", 3),
            ("dpx:UserBits", 7),
            ("dpx:EncryptKey", 5),
            ("dpx:LowData", 64),
            ("dpx:HighData", 940),
            ("dpx:FramePosition", 12),
            ("dpx:SequenceLength", 100),
            ("dpx:HeldCount", 1),
            ("dpx:Interlace", 1),
            ("dpx:FieldNumber", 2),
        ] {
            spec.attribute_int(k, v);
        }
        for (k, v) in [
            ("PixelAspectRatio", 1.5f32),
            ("dpx:FrameRate", 24.0),
            ("dpx:ShutterAngle", 180.0),
            ("dpx:LowQuantity", 0.0),
            ("dpx:HighQuantity", 2.0),
            ("dpx:XScannedSize", 1.0),
            ("dpx:BlackLevel", 5.0),
            ("dpx:IntegrationTimes", 9.0),
        ] {
            spec.attribute_float(k, v);
        }
        let ud: Vec<Value> = (1..=5).map(Value::UInt).collect();
        spec.attribute(bytes_attr("dpx:UserData", &[1, 2, 3, 4, 5]));
        let kc: Vec<Value> = [1, 2, 3, 4, 5, 4, 64].iter().map(|v| Value::Int(*v)).collect();
        spec.attribute(ParamValue::from_values("smpte:KeyCode", TypeDesc::KEYCODE, 1, Interp::Constant, &kc).unwrap());
        for endian in ["little", "big"] {
            spec.attribute_str("oiio:Endian", endian);
            let (specs, _) = read_bytes(&write_bytes(&spec, &[0u8; 24]).unwrap()).unwrap();
            let s = &specs[0];
            assert_eq!((s.x, s.y, s.full_width, s.full_height), (3, 5, 20, 10));
            assert_eq!(attr_str(s, "DateTime"), "2020:01:02 03:04:05");
            assert_eq!(attr_str(s, "dpx:SourceDateTime"), "2019:05:06 07:08:09");
            assert_eq!(attr_str(s, "Software"), "soft");
            assert_eq!(attr_str(s, "ImageDescription"), "desc");
            assert_eq!(attr_str(s, "dpx:TimeCode"), "01:02:03:04");
            assert_eq!(attr_str(s, "dpx:Transfer"), "Logarithmic");
            assert_eq!(attr_str(s, "oiio:ColorSpace"), "KodakLog");
            assert_eq!(attr_str(s, "dpx:Colorimetric"), "ITU-R 709-4");
            assert_eq!(attr_str(s, "dpx:Format"), "Full Aperture");
            assert_eq!(attr_str(s, "dpx:FilmEdgeCode"), "0102050000030004");
            // libdpx's orientation table turns 3 into 4 on the way back.
            assert_eq!(s.get_int_attribute("Orientation", 0), 4);
            assert_eq!(s.get_float_attribute("PixelAspectRatio", 0.0), 1.5);
            assert_eq!(s.get_float_attribute("dpx:FrameRate", 0.0), 24.0);
            assert_eq!(s.get_float_attribute("dpx:XScannedSize", 0.0), 1.0);
            let p = s.find_attribute("dpx:HighData", TypeDesc::UNKNOWN, false).unwrap();
            assert_eq!((p.type_desc(), p.get(0)), (TypeDesc::UINT, Value::UInt(940)));
            let p = s.find_attribute("dpx:Interlace", TypeDesc::UNKNOWN, false).unwrap();
            assert_eq!(p.type_desc(), TypeDesc::INT);
            let p = s.find_attribute("smpte:TimeCode", TypeDesc::TIMECODE, false).unwrap();
            assert_eq!(p.values(), [Value::UInt(0x0102_0304), Value::UInt(7)]);
            let p = s.find_attribute("smpte:KeyCode", TypeDesc::KEYCODE, false).unwrap();
            assert_eq!(p.get(5), Value::Int(4));
            let p = s.find_attribute("dpx:UserData", TypeDesc::UNKNOWN, false).unwrap();
            assert_eq!(p.values(), ud);
            let names: Vec<&str> = s.extra_attribs.items.iter().map(|p| p.name()).collect();
            assert_eq!(
                &names[..6],
                [
                    "oiio:BitsPerSample",
                    "Orientation",
                    "oiio:subimages",
                    "oiio:ColorSpace",
                    "dpx:Transfer",
                    "dpx:Colorimetric"
                ]
            );
            assert_eq!(names.last(), Some(&"dpx:UserData"));
        }
    }

    #[test]
    fn transfer_from_colorspace() {
        let cases = [
            ("lin_rec709_scene", 2),
            ("ACEScg", 2),
            ("sRGB", 6),
            ("srgb_tx", 6),
            ("g22_rec709_scene", 0),
            ("Gamma 2.4 Encoded Rec.709", 0),
            ("g10_rec709_scene", 2),
            ("kodaklog", 3),
            ("g24_rec709", 0xff),
            ("foo", 0xff),
        ];
        for (cs, code) in cases {
            let mut spec = ImageSpec::new(1, 1, 3, TypeDesc::UINT8);
            spec.attribute_str("oiio:ColorSpace", cs);
            assert_eq!(plan_element(&spec).unwrap().transfer, code, "{cs}");
        }
        let mut spec = ImageSpec::new(1, 1, 3, TypeDesc::UINT8);
        spec.attribute_str("dpx:Transfer", "printing density");
        assert_eq!(plan_element(&spec).unwrap().transfer, 1);
        spec.attribute_float("oiio:Gamma", 2.2);
        assert_eq!(plan_element(&spec).unwrap().transfer, 0);
    }

    #[test]
    fn reader_colorspace_rules() {
        let mut h = header(1, 1, (50, 8, 0));
        let mut file = h.clone();
        file.extend_from_slice(&[1, 2, 3]);
        let (s, _) = read_bytes(&file).unwrap();
        assert_eq!(attr_str(&s[0], "oiio:ColorSpace"), "lin_rec709_scene");
        h[ELEMENTS_AT + 21] = 0; // user defined: the gamma field decides
        h[1948..1952].copy_from_slice(&2.2f32.to_le_bytes());
        let mut file = h.clone();
        file.extend_from_slice(&[1, 2, 3]);
        let (s, _) = read_bytes(&file).unwrap();
        assert_eq!(attr_str(&s[0], "oiio:ColorSpace"), "g22_rec709_scene");
        assert_eq!(s[0].get_float_attribute("oiio:Gamma", 0.0), 2.2);
        h[1948..1952].copy_from_slice(&3.0f32.to_le_bytes());
        let mut file = h.clone();
        file.extend_from_slice(&[1, 2, 3]);
        let (s, _) = read_bytes(&file).unwrap();
        assert_eq!(attr_str(&s[0], "oiio:ColorSpace"), "g30_rec709_scene");
    }

    #[test]
    fn descriptors_and_conversions() {
        // ABGR is reordered to RGBA, unless raw colour is asked for.
        let mut f = header(2, 1, (52, 8, 0));
        f.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let (s, px) = read_bytes(&f).unwrap();
        assert_eq!(s[0].channelnames, ["R", "G", "B", "A"]);
        assert_eq!(px[0], [4, 3, 2, 1, 8, 7, 6, 5]);
        let p = scratch("dpx");
        std::fs::write(&p, &f).unwrap();
        let mut cfg = ImageSpec::default();
        cfg.attribute_int("dpx:RawColor", 1);
        let (_, px) = read_file(&p, Some(&cfg)).unwrap();
        assert_eq!(px[0], [1, 2, 3, 4, 5, 6, 7, 8]);
        // CbYCr (4:4:4) Rec.709: libdpx centres chroma on 127.5 and
        // truncates.
        let mut f = header(1, 1, (102, 8, 0));
        f[ELEMENTS_AT + 22] = 6;
        f.extend_from_slice(&[128, 100, 128]);
        std::fs::write(&p, &f).unwrap();
        let (s, px) = read_file(&p, None).unwrap();
        assert_eq!(s[0].channelnames, ["R", "G", "B"]);
        assert_eq!(px[0], [100, 99, 100]);
        let (s, px) = read_file(&p, Some(&cfg)).unwrap();
        assert_eq!(s[0].channelnames, ["Cb", "Y", "Cr"]);
        assert_eq!(px[0], [128, 100, 128]);
        // Without a known colorimetric the conversion fails (no message).
        f[ELEMENTS_AT + 22] = 2;
        std::fs::write(&p, &f).unwrap();
        assert_eq!(read_file(&p, None).unwrap_err(), IoError::Corrupt(String::new()));
        // CbYCrY (4:2:2) gives three channels.
        let mut f = header(2, 1, (100, 8, 0));
        f[ELEMENTS_AT + 22] = 7;
        f.extend_from_slice(&[128, 50, 128, 60]);
        std::fs::write(&p, &f).unwrap();
        let (s, px) = read_file(&p, None).unwrap();
        assert_eq!(s[0].nchannels, 3);
        // (libdpx's Rec.601 matrix, results stored in reverse order.)
        assert_eq!(px[0], [49, 49, 50, 59, 59, 60]);
        // User-defined multi-component elements only read raw.
        let mut f = header(1, 1, (151, 8, 0));
        f.extend_from_slice(&[1, 2, 3]);
        std::fs::write(&p, &f).unwrap();
        assert!(read_file(&p, None).is_err());
        let (s, px) = read_file(&p, Some(&cfg)).unwrap();
        assert_eq!(s[0].channelnames, ["channel0", "channel1", "channel2"]);
        assert_eq!(px[0], [1, 2, 3]);
        std::fs::remove_file(&p).unwrap();
        // Single channels by descriptor.
        for (d, name) in [
            (1u8, "R"),
            (2, "G"),
            (3, "B"),
            (4, "A"),
            (6, "Y"),
            (8, "Z"),
            (0, "channel0"),
            (9, "channel0"),
        ] {
            let mut f = header(1, 1, (d, 8, 0));
            f.push(9);
            let (s, _) = read_bytes(&f).unwrap();
            assert_eq!(s[0].channelnames, [name]);
            assert_eq!(s[0].alpha_channel, if d == 4 { 0 } else { -1 });
            assert_eq!(s[0].z_channel, if d == 8 { 0 } else { -1 });
        }
    }

    #[test]
    fn ten_bit_one_channel_filled_quirk() {
        // libdpx reverses each complete triplet of a 1-channel filled line.
        let mut f = header(4, 1, (6, 10, 1));
        let w0 = (1u32 << 22) | (2 << 12) | (3 << 2);
        let w1 = 4u32 << 22;
        f.extend(w0.to_le_bytes());
        f.extend(w1.to_le_bytes());
        let (_, px) = read_bytes(&f).unwrap();
        assert_eq!(u16s(&px[0]), [3, 2, 1, 4].map(dpx_pack::widen10));
    }

    #[test]
    fn end_of_line_padding_is_skipped() {
        let mut f = header(2, 2, (50, 8, 0));
        let e = ELEMENTS_AT;
        f[e + 32..e + 36].copy_from_slice(&3u32.to_le_bytes());
        f.extend_from_slice(&[1, 2, 3, 4, 5, 6, 0, 0, 0, 7, 8, 9, 10, 11, 12]);
        let (s, px) = read_bytes(&f).unwrap();
        assert_eq!(s[0].get_int_attribute("dpx:EndOfLinePadding", 0), 3);
        assert_eq!(px[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        // OIIO writes no padding, whatever the attributes say.
        let mut spec = ImageSpec::new(2, 2, 3, TypeDesc::UINT8);
        spec.attribute_int("dpx:EndOfLinePadding", 3);
        spec.attribute_int("dpx:EndOfImagePadding", 9);
        let b = write_bytes(&spec, &px[0]).unwrap();
        assert_eq!(&b[8192..], &px[0]);
        assert_eq!(&b[ELEMENTS_AT + 32..ELEMENTS_AT + 40], &[0; 8]);
    }

    #[test]
    fn multiple_subimages() {
        let spec_a = ImageSpec::new(3, 2, 3, TypeDesc::UINT8);
        let mut spec_b = ImageSpec::new(3, 2, 1, TypeDesc::UINT16);
        spec_b.attribute_int("oiio:BitsPerSample", 12);
        let pa: Vec<u8> = (0..18).collect();
        let pb = ne16(&(0..6).map(|v| dpx_pack::widen12(v * 100)).collect::<Vec<_>>());
        let p = scratch("dpx");
        let req = crate::WriteRequest {
            subimages: vec![
                vec![crate::Level {
                    spec: &spec_a,
                    pixels: &pa,
                }],
                vec![crate::Level {
                    spec: &spec_b,
                    pixels: &pb,
                }],
            ],
            deep: vec![None, None],
            source: TypeDesc::UINT8,
            thumbnail: None,
        };
        write_request(&p, &req).unwrap();
        let (specs, px) = read_file(&p, None).unwrap();
        assert_eq!(specs.len(), 2);
        assert_eq!(specs[1].get_int_attribute("oiio:subimages", 0), 2);
        assert_eq!((specs[0].nchannels, specs[1].nchannels), (3, 1));
        assert_eq!(px[0], pa);
        assert_eq!(px[1], pb);
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(
            u32::from_le_bytes(bytes[ELEMENTS_AT + ELEMENT_SIZE + 28..][..4].try_into().unwrap()),
            16384
        );
        // Different resolutions are refused.
        let spec_c = ImageSpec::new(2, 2, 3, TypeDesc::UINT8);
        let req = crate::WriteRequest {
            subimages: vec![
                vec![crate::Level {
                    spec: &spec_a,
                    pixels: &pa,
                }],
                vec![crate::Level {
                    spec: &spec_c,
                    pixels: &pa,
                }],
            ],
            deep: vec![None, None],
            source: TypeDesc::UINT8,
            thumbnail: None,
        };
        assert_eq!(
            write_request(&p, &req).unwrap_err().to_string(),
            "dpx subimages must all have the same resolution (subimage 0 was 3x2, versus subimage 1 with 2x2)"
        );
        std::fs::remove_file(&p).unwrap();
    }

    #[test]
    fn writer_rejections() {
        let px = [0u8; 256];
        let err = |s: &ImageSpec| write_bytes(s, &px).unwrap_err().to_string();
        for n in [2, 5, 8] {
            assert_eq!(
                err(&ImageSpec::new(2, 2, n, TypeDesc::UINT8)),
                format!("DPX writer does not support {n} channels")
            );
        }
        let mut s = ImageSpec::new(2, 2, 3, TypeDesc::UINT16);
        s.attribute_int("oiio:BitsPerSample", 14);
        assert_eq!(err(&s), "Unsupported bit depth 14");
        assert_eq!(
            err(&ImageSpec::new(0, 2, 3, TypeDesc::UINT8)),
            "dpx image resolution must be at least 1x1, you asked for 0x2"
        );
        let mut s = ImageSpec::new(2, 2, 3, TypeDesc::UINT8);
        s.tile_width = 16;
        s.tile_height = 16;
        assert_eq!(err(&s), "dpx does not support tiled images");
        let mut s = ImageSpec::new(2, 2, 3, TypeDesc::UINT8);
        s.depth = 2;
        assert_eq!(err(&s), "dpx does not support volume images (depth > 1)");
        assert!(write_bytes(&ImageSpec::new(64, 64, 3, TypeDesc::UINT8), &px).is_err());
        let spec = ImageSpec::new(1, 1, 3, TypeDesc::UINT8);
        let levels: Vec<Vec<crate::Level<'_>>> = (0..9)
            .map(|_| {
                vec![crate::Level {
                    spec: &spec,
                    pixels: &px[..3],
                }]
            })
            .collect();
        let req = crate::WriteRequest {
            subimages: levels,
            deep: vec![None; 9],
            source: TypeDesc::UINT8,
            thumbnail: None,
        };
        assert_eq!(
            write_request(&scratch("dpx"), &req).unwrap_err().to_string(),
            "DPX does not support more than 8 subimages"
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(float_to_rational(1.5), (15, 10));
        assert_eq!(float_to_rational(1.0), (1, 1));
        assert_eq!(float_to_rational(0.5), (1, 2));
        assert_eq!(float_to_rational(0.2), (2, 10));
        assert_eq!(float_to_rational(0.9), (9, 10));
        assert_eq!(float_to_rational(-2.0), (-2, 1));
        assert_eq!(float_to_rational(0.0), (0, 1));
        assert_eq!(timecode_text(0x0102_0304), "01:02:03:04");
        assert_eq!(timecode_text(0x0102_0344), "01:02:03;04");
        assert_eq!(timecode_from_text("01:02:03:04"), Some(0x0102_0304));
        assert_eq!(timecode_from_text("1:2:3:4"), None);
        assert_eq!(timecode_from_text("01:02:03:0x"), None);
        assert_eq!(stream_int(b" 12"), 12);
        assert_eq!(stream_int(b"1\0"), 1);
        assert_eq!(stream_int(b"ab"), 0);
        assert_eq!(stream_int(b"99999999999"), i32::MAX);
        assert_eq!(dpx_date("2020:01:02 03:04:05"), "2020:01:02:03:04:05Z");
        assert_eq!(dpx_date("2020"), "2020");
        assert_eq!(leading_float(" 2.2 x"), 2.2);
        assert_eq!(rec709_name_gamma("g26_rec709_display"), 2.6);
        assert_eq!(rec709_name_gamma("g26_p3d65_display"), 0.0);
    }

    #[test]
    fn corrupt_headers_fail_cleanly() {
        let ok = {
            let mut f = header(2, 2, (50, 8, 0));
            f.extend_from_slice(&[7u8; 12]);
            f
        };
        assert!(read_bytes(&ok).is_ok());
        let msg = |b: &[u8]| read_bytes(b).unwrap_err().to_string();
        assert_eq!(msg(&ok[..100]), "Could not read header");
        assert_eq!(msg(b""), "Could not read header");
        let mut bad = ok.clone();
        bad[0] = b'Q';
        assert_eq!(msg(&bad), "Could not read header");
        let mut bad = ok.clone();
        bad[772..776].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(
            msg(&bad),
            "dpx image resolution must be at least 1x1, but the file specified 0x2x1, 3 chans. Possible corrupt input?"
        );
        // A huge image from a tiny file.
        let mut bad = ok.clone();
        bad[772..776].copy_from_slice(&(1u32 << 20).to_le_bytes());
        bad[776..780].copy_from_slice(&(1u32 << 20).to_le_bytes());
        assert!(read_bytes(&bad).is_err());
        let mut bad = ok.clone();
        bad[772..776].copy_from_slice(&(1u32 << 20).to_le_bytes());
        bad[776..780].copy_from_slice(&400u32.to_le_bytes());
        assert_eq!(
            msg(&bad),
            "dpx header claims a 1200 MB image from a 2060 byte file; probably a corrupt or malicious header"
        );
        let mut bad = ok.clone();
        bad[32..36].copy_from_slice(&100_000u32.to_le_bytes());
        assert_eq!(
            msg(&bad),
            "Corrupt userbuf: 100000 bytes of user data at offset 2048 run past the 2060 byte file"
        );
        let mut bad = ok.clone();
        bad[ELEMENTS_AT + 32..ELEMENTS_AT + 36].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        assert_eq!(msg(&bad), "Invalid DPX end-of-line padding 2147483648");
        // Data missing: the open succeeds, the read fails before allocating.
        let mut bad = ok.clone();
        bad[776..780].copy_from_slice(&60000u32.to_le_bytes());
        assert_eq!(msg(&bad), "Failed to read scanlines 0-59999");
        let mut bad = ok.clone();
        bad[ELEMENTS_AT + 28..ELEMENTS_AT + 32].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(msg(&bad), "Failed to read scanlines 0-1");
        let mut bad = ok.clone();
        bad[ELEMENTS_AT + 26] = 1; // RLE is not supported by libdpx
        assert_eq!(msg(&bad), "Failed to read scanlines 0-1");
        // No element at all: no message (OIIO then tries other formats).
        let mut bad = ok.clone();
        bad[770..772].copy_from_slice(&0u16.to_le_bytes());
        bad[ELEMENTS_AT + 20] = 0xff;
        assert_eq!(read_bytes(&bad).unwrap_err(), IoError::Corrupt(String::new()));
    }

    /// Random corruption of a valid file's header and data never panics,
    /// hangs or allocates more than the file justifies.
    #[test]
    fn fuzzed_headers() {
        let mut spec = ImageSpec::new(5, 3, 3, TypeDesc::UINT16);
        spec.attribute_int("oiio:BitsPerSample", 10);
        let good = write_bytes(&spec, &[0x55u8; 90]).unwrap();
        let mut seed = 0x1234_5678u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let t = std::time::Instant::now();
        for _ in 0..300 {
            let mut f = good.clone();
            for _ in 0..(rnd() % 8 + 1) {
                let at = (rnd() % 2100) as usize % f.len();
                f[at] = rnd() as u8;
            }
            if rnd() % 4 == 0 {
                f.truncate((rnd() as usize) % f.len());
            }
            let _ = read_bytes(&f);
        }
        assert!(t.elapsed().as_secs() < 20);
    }

    #[test]
    fn large_ten_bit_round_trip() {
        let (w, h) = (3840usize, 2160usize);
        let px: Vec<u16> = (0..w * h * 3)
            .map(|i| ((i * 2_654_435_761usize) >> 7) as u16 & 0xffc0)
            .collect();
        let px: Vec<u16> = px.iter().map(|v| dpx_pack::widen10(v >> 6)).collect();
        let mut spec = ImageSpec::new(w as i32, h as i32, 3, TypeDesc::UINT16);
        spec.attribute_int("oiio:BitsPerSample", 10);
        let p = scratch("dpx");
        let bytes = ne16(&px);
        write(&p, &spec, &bytes).unwrap();
        let mut r = open_with(&p, None).unwrap();
        let back = r.read_image(0, 0).unwrap();
        assert!(back.bytes() == bytes.as_slice());
        std::fs::remove_file(&p).unwrap();
    }

    /// Timing against files made elsewhere: `DPX_BENCH=file.dpx cargo test
    /// --release -p vfx-io --features dpx bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn bench() {
        let Ok(path) = std::env::var("DPX_BENCH") else { return };
        for path in path.split(',') {
            let p = Path::new(path);
            let (mut tr, mut tw) = (std::time::Duration::MAX, std::time::Duration::MAX);
            for _ in 0..5 {
                let t = std::time::Instant::now();
                let mut r = open_with(p, None).unwrap();
                let spec = r.spec(0, 0).unwrap();
                let px = r.read_image(0, 0).unwrap();
                tr = tr.min(t.elapsed());
                let out = scratch("dpx");
                let t = std::time::Instant::now();
                write(&out, &spec, px.bytes()).unwrap();
                tw = tw.min(t.elapsed());
                std::fs::remove_file(&out).unwrap();
            }
            println!("{path}: read {tr:?} write {tw:?}");
        }
    }
}
