//! OpenEXR DWAA / DWAB chunk codec (lossy DCT compression, byte-compatible
//! with OpenEXR 3.x).
//!
//! The caller (the OpenEXR reader/writer) cuts the image into chunks (32
//! scanlines for DWAA, 256 for DWAB, or tiles) and hands each chunk to
//! [`decompress`] / [`compress`] with the chunk's pixel rectangle and the
//! part's channel list (sorted by name, as in the header). The uncompressed
//! side is OpenEXR's usual layout: for each scanline of the chunk, for each
//! channel that has samples on that line, that line's samples, little-endian.
//!
//! # What a DWA chunk contains
//!
//! 1. Eleven little-endian `u64` counters: format version (0..=2), sizes of
//!    the four data sections (raw and packed), the number of AC and DC
//!    values, and which entropy coder the AC values use (0 = OpenEXR's
//!    static Huffman, 1 = zlib).
//! 2. Version 2 only: the channel rules that were used to pick a scheme for
//!    every channel, so a reader classifies channels exactly like the writer
//!    did (a `u16` byte count including itself, then per rule: the name
//!    suffix NUL-terminated, a flags byte `(csc slot + 1) << 4 | scheme << 2 |
//!    case-insensitive`, and the pixel type). Older versions imply a fixed,
//!    case-insensitive rule set ([`LEGACY_RULES`]).
//! 3. The data sections, in this order: "unknown" channels (zlib), AC
//!    coefficients (Huffman or zlib), DC coefficients (zlib after OpenEXR's
//!    ZIP byte split + delta predictor), and RLE channels (byte RLE, then
//!    zlib).
//!
//! # Channel schemes
//!
//! A channel's scheme comes from the last rule whose suffix (the part of the
//! name after its last '.') and pixel type match. With the default rules,
//! R/G/B/Y/BY/RY half or float channels are lossy (DCT), A is stored with
//! RLE (lossless), and everything else (depth, ids, uint data, arbitrary
//! names) is "unknown" and only zlib-compressed (lossless). Three lossy
//! channels R, G, B sharing a name prefix and sampling are coded together
//! after a colour-space change to Y'CbCr ("CSC set").
//!
//! # The lossy path, per 8x8 block
//!
//! Encoding: half values go through a perceptual curve (gamma 2.2 below 1, a
//! matching log curve above; `to_nonlinear`), RGB triples are rotated to
//! Y'CbCr (Rec.709 weights, no offsets), a floating-point forward DCT runs,
//! each coefficient is rounded to half and then replaced by the half value
//! with the fewest set bits that lies within a per-frequency tolerance (the
//! JPEG luma/chroma tables scaled by `level / 100000`). The DC values are kept
//! apart; the 63 AC values are stored in zig-zag order with runs of zeros
//! replaced by `0xff00 | run` markers (`0xff00` alone = rest of block zero).
//!
//! Decoding reverses it: un-RLE, inverse DCT, inverse colour change, round to
//! half, and map back through `to_linear`. The arithmetic follows the same
//! operation order as OpenEXR's x86 (AVX) decoder so that decoded pixels are
//! bit-identical to the reference on this platform.
//!
//! Edge blocks of partial size are padded by mirroring on encode and cropped
//! on decode. Float channels are quantised to half first (DWA is a half-float
//! codec); uint channels are never lossy.
//!
//! A chunk whose encoding would not be smaller than its raw bytes is stored
//! raw, like OpenEXR does; readers recognise that case by the packed size
//! equalling the unpacked size, and [`decompress`] does the same.

use std::cell::RefCell;
use std::sync::OnceLock;

use exr::meta::attribute::SampleType;

/// One channel of the part, as [`decompress`] / [`compress`] need it.
#[derive(Debug, Clone, PartialEq)]
pub struct DwaChannel {
    pub name: String,
    pub sample_type: SampleType,
    pub x_sampling: usize,
    pub y_sampling: usize,
}

// ---------------------------------------------------------------------------
// Chunk header
// ---------------------------------------------------------------------------

/// Number of `u64` counters at the start of every DWA chunk.
const NUM_COUNTERS: usize = 11;
const HEADER_BYTES: usize = NUM_COUNTERS * 8;

// Counter slots.
const C_VERSION: usize = 0;
const C_UNKNOWN_RAW: usize = 1;
const C_UNKNOWN_PACKED: usize = 2;
const C_AC_PACKED: usize = 3;
const C_DC_PACKED: usize = 4;
const C_RLE_PACKED: usize = 5;
const C_RLE_RUNS: usize = 6; // size of the byte-RLE stream (before zlib)
const C_RLE_RAW: usize = 7; // size of the byte planes (after un-RLE)
const C_AC_COUNT: usize = 8;
const C_DC_COUNT: usize = 9;
const C_AC_CODEC: usize = 10;

const AC_HUFFMAN: u64 = 0;
const AC_ZLIB: u64 = 1;

/// zlib level for the sections the reference packs at level 9 (unknown
/// channels, RLE bytes). A lower level keeps encoding fast; the stream is
/// plain zlib either way.
const ZLIB_LEVEL: i32 = 6;
/// zlib level for the (small) DC section.
const ZLIB_LEVEL_DC: i32 = 4;

// Pixel type codes as stored in rules.
const TYPE_UINT: u8 = 0;
const TYPE_HALF: u8 = 1;
const TYPE_FLOAT: u8 = 2;

fn type_code(t: SampleType) -> u8 {
    match t {
        SampleType::U32 => TYPE_UINT,
        SampleType::F16 => TYPE_HALF,
        SampleType::F32 => TYPE_FLOAT,
    }
}

// ---------------------------------------------------------------------------
// Channel rules
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// zlib only (lossless).
    Unknown = 0,
    /// DCT + quantisation (lossy).
    Lossy = 1,
    /// Byte planes, byte RLE, then zlib (lossless).
    Rle = 2,
}

#[derive(Debug, Clone)]
struct Rule<'a> {
    suffix: &'a [u8],
    scheme: Scheme,
    ty: u8,
    /// Slot (0 = red, 1 = green, 2 = blue) in a Y'CbCr set, or -1.
    csc: i8,
    case_insensitive: bool,
}

impl Rule<'_> {
    fn matches(&self, suffix: &[u8], ty: u8) -> bool {
        self.ty == ty
            && if self.case_insensitive {
                self.suffix.eq_ignore_ascii_case(suffix)
            } else {
                self.suffix == suffix
            }
    }
}

const fn rule(suffix: &'static str, scheme: Scheme, ty: u8, csc: i8, ci: bool) -> Rule<'static> {
    Rule {
        suffix: suffix.as_bytes(),
        scheme,
        ty,
        csc,
        case_insensitive: ci,
    }
}

use Scheme::{Lossy, Rle};

/// Rules a writer uses (and stores in version-2 chunks).
const DEFAULT_RULES: [Rule<'static>; 15] = [
    rule("R", Lossy, TYPE_HALF, 0, false),
    rule("R", Lossy, TYPE_FLOAT, 0, false),
    rule("G", Lossy, TYPE_HALF, 1, false),
    rule("G", Lossy, TYPE_FLOAT, 1, false),
    rule("B", Lossy, TYPE_HALF, 2, false),
    rule("B", Lossy, TYPE_FLOAT, 2, false),
    rule("Y", Lossy, TYPE_HALF, -1, false),
    rule("Y", Lossy, TYPE_FLOAT, -1, false),
    rule("BY", Lossy, TYPE_HALF, -1, false),
    rule("BY", Lossy, TYPE_FLOAT, -1, false),
    rule("RY", Lossy, TYPE_HALF, -1, false),
    rule("RY", Lossy, TYPE_FLOAT, -1, false),
    rule("A", Rle, TYPE_UINT, -1, false),
    rule("A", Rle, TYPE_HALF, -1, false),
    rule("A", Rle, TYPE_FLOAT, -1, false),
];

/// Rules implied by chunks of version 0 and 1 (no rules stored).
const LEGACY_RULES: [Rule<'static>; 25] = [
    rule("r", Lossy, TYPE_HALF, 0, true),
    rule("r", Lossy, TYPE_FLOAT, 0, true),
    rule("red", Lossy, TYPE_HALF, 0, true),
    rule("red", Lossy, TYPE_FLOAT, 0, true),
    rule("g", Lossy, TYPE_HALF, 1, true),
    rule("g", Lossy, TYPE_FLOAT, 1, true),
    rule("grn", Lossy, TYPE_HALF, 1, true),
    rule("grn", Lossy, TYPE_FLOAT, 1, true),
    rule("green", Lossy, TYPE_HALF, 1, true),
    rule("green", Lossy, TYPE_FLOAT, 1, true),
    rule("b", Lossy, TYPE_HALF, 2, true),
    rule("b", Lossy, TYPE_FLOAT, 2, true),
    rule("blu", Lossy, TYPE_HALF, 2, true),
    rule("blu", Lossy, TYPE_FLOAT, 2, true),
    rule("blue", Lossy, TYPE_HALF, 2, true),
    rule("blue", Lossy, TYPE_FLOAT, 2, true),
    rule("y", Lossy, TYPE_HALF, -1, true),
    rule("y", Lossy, TYPE_FLOAT, -1, true),
    rule("by", Lossy, TYPE_HALF, -1, true),
    rule("by", Lossy, TYPE_FLOAT, -1, true),
    rule("ry", Lossy, TYPE_HALF, -1, true),
    rule("ry", Lossy, TYPE_FLOAT, -1, true),
    rule("a", Rle, TYPE_UINT, -1, true),
    rule("a", Rle, TYPE_HALF, -1, true),
    rule("a", Rle, TYPE_FLOAT, -1, true),
];

/// Parse the rules block of a version-2 chunk. Returns the rules and the
/// number of bytes the block occupies.
fn parse_rules(data: &[u8]) -> Result<(Vec<Rule<'_>>, usize), String> {
    if data.len() <= 2 {
        return Err("DWA: truncated channel rules".into());
    }
    let size = u16::from_le_bytes([data[0], data[1]]) as usize;
    if size < 2 || size > data.len() {
        return Err("DWA: bad channel rules size".into());
    }
    let mut rest = &data[2..size];
    let mut rules = Vec::new();
    while !rest.is_empty() {
        // A suffix of at most 128 bytes, NUL-terminated, then two bytes.
        let nul = rest
            .iter()
            .take(129)
            .position(|&b| b == 0)
            .ok_or("DWA: bad channel rule name")?;
        if rest.len() < nul + 3 {
            return Err("DWA: truncated channel rule".into());
        }
        let flags = rest[nul + 1];
        let ty = rest[nul + 2];
        let csc = (flags >> 4) as i8 - 1;
        let scheme = match (flags >> 2) & 3 {
            0 => Scheme::Unknown,
            1 => Scheme::Lossy,
            2 => Scheme::Rle,
            _ => return Err("DWA: bad channel rule scheme".into()),
        };
        if csc > 2 || ty > TYPE_FLOAT {
            return Err("DWA: bad channel rule".into());
        }
        rules.push(Rule {
            suffix: &rest[..nul],
            scheme,
            ty,
            csc,
            case_insensitive: flags & 1 != 0,
        });
        rest = &rest[nul + 3..];
    }
    Ok((rules, size))
}

/// Append the default rules that match at least one channel (what a
/// version-2 writer stores).
fn write_rules(chans: &[ChanLayout], out: &mut Vec<u8>) -> Result<(), String> {
    let start = out.len();
    out.extend_from_slice(&[0, 0]);
    for r in DEFAULT_RULES.iter() {
        if chans.iter().any(|c| r.matches(&c.suffix, c.ty)) {
            out.extend_from_slice(r.suffix);
            out.push(0);
            out.push((((r.csc + 1) as u8) << 4) | ((r.scheme as u8) << 2) | r.case_insensitive as u8);
            out.push(r.ty);
        }
    }
    let size = out.len() - start;
    let size = u16::try_from(size).map_err(|_| "DWA: channel rules too large")?;
    out[start..start + 2].copy_from_slice(&size.to_le_bytes());
    Ok(())
}

// ---------------------------------------------------------------------------
// Chunk layout: where each channel's rows live in the uncompressed bytes
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct ChanLayout {
    suffix: Vec<u8>,
    prefix_len: usize,
    ty: u8,
    bpe: usize,
    xs: usize,
    ys: usize,
    /// Samples per row in this chunk.
    w: usize,
    /// Rows with samples in this chunk.
    h: usize,
    /// Index of this channel's first row in `Layout::rows`.
    row_start: usize,
    scheme: Scheme,
    /// The header's "pLinear" flag: a lossy channel coded on its own skips
    /// the perceptual curve.
    p_linear: bool,
}

impl ChanLayout {
    fn plane_bytes(&self) -> usize {
        self.w * self.h * self.bpe
    }
}

struct Layout {
    chans: Vec<ChanLayout>,
    /// Byte offsets of every channel row in the uncompressed chunk,
    /// grouped per channel (see `ChanLayout::row_start`).
    rows: Vec<usize>,
    /// Y'CbCr sets as channel indices (red, green, blue).
    csc_sets: Vec<[usize; 3]>,
    chunk_w: usize,
    chunk_h: usize,
}

/// Number of integers `v` in `[start, start + len)` with `v % s == 0`.
fn count_sampled(start: i64, len: i64, s: i64) -> i64 {
    if len <= 0 {
        return 0;
    }
    let first = start.div_euclid(s) + i64::from(start.rem_euclid(s) != 0);
    let last = (start + len - 1).div_euclid(s);
    (last - first + 1).max(0)
}

impl Layout {
    /// Lay out a chunk; `expected` is the byte size the caller has (checked
    /// before anything proportional to the chunk is allocated).
    fn new(
        channels: &[DwaChannel],
        x: i32,
        y: i32,
        width: usize,
        height: usize,
        expected: usize,
    ) -> Result<Layout, String> {
        if width > (1 << 30) || height > (1 << 30) {
            return Err("DWA: chunk too large".into());
        }
        let mut chans = Vec::with_capacity(channels.len());
        let mut row_start = 0usize;
        for c in channels {
            if c.x_sampling == 0 || c.y_sampling == 0 || c.x_sampling > (1 << 30) || c.y_sampling > (1 << 30) {
                return Err("DWA: bad channel sampling".into());
            }
            let name = c.name.as_bytes();
            let suffix_at = name.iter().rposition(|&b| b == b'.').map_or(0, |p| p + 1);
            let ty = type_code(c.sample_type);
            let w = count_sampled(x as i64, width as i64, c.x_sampling as i64) as usize;
            let h = count_sampled(y as i64, height as i64, c.y_sampling as i64) as usize;
            chans.push(ChanLayout {
                suffix: name[suffix_at..].to_vec(),
                prefix_len: suffix_at,
                ty,
                bpe: if ty == TYPE_HALF { 2 } else { 4 },
                xs: c.x_sampling,
                ys: c.y_sampling,
                w,
                h,
                row_start,
                scheme: Scheme::Unknown,
                p_linear: false,
            });
            row_start += h;
        }
        let total: u64 = chans.iter().map(|c| (c.w * c.bpe) as u64 * c.h as u64).sum();
        if total != expected as u64 {
            return Err(format!(
                "DWA: chunk size mismatch (channels give {total} bytes, have {expected})"
            ));
        }
        let mut rows = vec![0usize; row_start];
        let mut fill: Vec<usize> = chans.iter().map(|c| c.row_start).collect();
        let mut offset = 0usize;
        for yy in 0..height as i64 {
            let py = y as i64 + yy;
            for (ci, c) in chans.iter().enumerate() {
                if py.rem_euclid(c.ys as i64) == 0 {
                    rows[fill[ci]] = offset;
                    fill[ci] += 1;
                    offset += c.w * c.bpe;
                }
            }
        }
        debug_assert_eq!(offset, expected);
        Ok(Layout {
            chans,
            rows,
            csc_sets: Vec::new(),
            chunk_w: width,
            chunk_h: height,
        })
    }

    /// Pick every channel's scheme from `rules` and find the Y'CbCr sets.
    fn classify(&mut self, rules: &[Rule<'_>], names: &[&[u8]]) {
        // Prefixes in order of first appearance, each with its R/G/B slots.
        let mut prefixes: Vec<(&[u8], [Option<usize>; 3])> = Vec::new();
        for (ci, c) in self.chans.iter_mut().enumerate() {
            let prefix = &names[ci][..c.prefix_len];
            let slot = match prefixes.iter().position(|p| p.0 == prefix) {
                Some(i) => i,
                None => {
                    prefixes.push((prefix, [None; 3]));
                    prefixes.len() - 1
                }
            };
            for r in rules {
                if r.matches(&c.suffix, c.ty) {
                    c.scheme = r.scheme;
                    if r.csc >= 0 {
                        prefixes[slot].1[r.csc as usize] = Some(ci);
                    }
                }
            }
        }
        self.csc_sets.clear();
        for (_, slots) in prefixes {
            if let [Some(r), Some(g), Some(b)] = slots {
                let same =
                    |a: usize, b: usize| self.chans[a].xs == self.chans[b].xs && self.chans[a].ys == self.chans[b].ys;
                if same(r, g) && same(r, b) {
                    self.csc_sets.push([r, g, b]);
                }
            }
        }
    }

    fn set_p_linear(&mut self, flags: &[bool]) {
        for (c, &f) in self.chans.iter_mut().zip(flags) {
            c.p_linear = f;
        }
    }

    fn chan_rows(&self, ci: usize) -> &[usize] {
        let c = &self.chans[ci];
        &self.rows[c.row_start..c.row_start + c.h]
    }

    fn blocks(&self) -> u64 {
        self.chunk_h.div_ceil(8) as u64 * self.chunk_w.div_ceil(8) as u64
    }
}

// ---------------------------------------------------------------------------
// Half floats
// ---------------------------------------------------------------------------

/// Exact half -> float.
#[inline(always)]
fn half_to_f32(h: u16) -> f32 {
    let h = h as u32;
    let sign = (h & 0x8000) << 16;
    let em = h & 0x7fff;
    // Normals: rebias the exponent. Subnormals: mantissa * 2^-24 (integer to
    // float, so no slow subnormal float arithmetic). Infinities and NaNs
    // keep their mantissa.
    let normal = (em << 13) + (112 << 23);
    let sub = (em as f32 * f32::from_bits(0x3380_0000)).to_bits();
    let special = 0x7f80_0000 | ((em & 0x3ff) << 13);
    let bits = if em < 0x400 {
        sub
    } else if em >= 0x7c00 {
        special
    } else {
        normal
    };
    f32::from_bits(bits | sign)
}

/// Float -> half with round-to-nearest-even (as OpenEXR and F16C do).
#[inline(always)]
fn f32_to_half(f: f32) -> u16 {
    let x = f.to_bits();
    let sign = (x >> 16) & 0x8000;
    let a = x & 0x7fff_ffff;
    // Normal results: rebias the exponent and round the mantissa.
    let odd = (a >> 13) & 1;
    let normal = (a.wrapping_sub(112 << 23).wrapping_add(0xfff + odd)) >> 13;
    // Subnormal results: adding 0.5 makes the FPU round at the 2^-24 step.
    let sub = (f32::from_bits(a) + 0.5f32).to_bits().wrapping_sub(0x3f00_0000);
    let nan_m = (a & 0x7f_ffff) >> 13;
    let big = if a > 0x7f80_0000 {
        0x7c00 | nan_m | u32::from(nan_m == 0)
    } else {
        0x7c00
    };
    let r = if a >= 0x4780_0000 {
        big
    } else if a < 0x3880_0000 {
        sub
    } else {
        normal
    };
    (r | sign) as u16
}

// ---------------------------------------------------------------------------
// Perceptual curves (half -> half lookup tables)
// ---------------------------------------------------------------------------

struct Curves {
    to_linear: Box<[u16; 65536]>,
    to_nonlinear: Box<[u16; 65536]>,
    /// For lone channels flagged "pLinear", which skip the curve.
    identity: Box<[u16; 65536]>,
}

/// Inverse of the encoding curve: x^2.2 up to 1, e^(2.2 (x - 1)) above.
fn linear_entry(h: u16) -> u16 {
    if h == 0 || h & 0x7c00 == 0x7c00 {
        return 0;
    }
    let f = half_to_f32(h);
    let sign = if f < 0.0 { -1.0f32 } else { 1.0 };
    let f = f.abs();
    let v = if f <= 1.0 {
        f.powf(2.2)
    } else {
        9.025_013_f32.powf(f - 1.0)
    };
    f32_to_half(sign * v)
}

/// Encoding curve: x^(1/2.2) up to 1, ln(x)/2.2 + 1 above.
fn nonlinear_entry(h: u16) -> u16 {
    if h == 0 || h & 0x7c00 == 0x7c00 {
        return 0;
    }
    let f = half_to_f32(h);
    let sign = if f < 0.0 { -1.0f32 } else { 1.0 };
    let f = f.abs();
    let v = if f <= 1.0 {
        f.powf(1.0 / 2.2)
    } else {
        f.ln() / 2.2 + 1.0
    };
    f32_to_half(sign * v)
}

fn curves() -> &'static Curves {
    static CURVES: OnceLock<Curves> = OnceLock::new();
    CURVES.get_or_init(|| {
        let table = |f: fn(u16) -> u16| -> Box<[u16; 65536]> {
            let v: Vec<u16> = (0..=u16::MAX).map(f).collect();
            v.into_boxed_slice().try_into().unwrap_or_else(|_| unreachable!())
        };
        Curves {
            to_linear: table(linear_entry),
            to_nonlinear: table(nonlinear_entry),
            identity: table(|h| h),
        }
    })
}

// ---------------------------------------------------------------------------
// Zig-zag order
// ---------------------------------------------------------------------------

/// `ZIGZAG[k]` = row-major index of the k-th coefficient in zig-zag order
/// (the JPEG scan: walk the anti-diagonals, alternating direction).
const ZIGZAG: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut k = 0;
    let mut s = 0;
    while s < 15 {
        let lo = if s > 7 { s - 7 } else { 0 };
        let hi = if s < 7 { s } else { 7 };
        let mut i = 0;
        while i <= hi - lo {
            // Even diagonals run bottom-left to top-right.
            let row = if s % 2 == 0 { hi - i } else { lo + i };
            t[k] = (row * 8 + (s - row)) as u8;
            k += 1;
            i += 1;
        }
        s += 1;
    }
    t
};

/// `UNZIGZAG[n]` = zig-zag position of row-major index `n`.
const UNZIGZAG: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut k = 0;
    while k < 64 {
        t[ZIGZAG[k] as usize] = k as u8;
        k += 1;
    }
    t
};

// ---------------------------------------------------------------------------
// DCT
// ---------------------------------------------------------------------------

// Inverse DCT basis values 0.5 * cos(k * pi / 16) for k = 4 (IA), 1 (IB),
// 2 (IC), 3 (ID), 5 (IE), 6 (IF) and 7 (IG), with the reference's rounding.
const IA: f32 = 3.535536e-01;
const IB: f32 = 4.903927e-01;
const IC: f32 = 4.619398e-01;
const ID: f32 = 4.157349e-01;
const IE: f32 = 2.777855e-01;
const IF: f32 = 1.913422e-01;
const IG: f32 = 9.754573e-02;

/// Even-input weights of the 1-D inverse DCT: `EVEN_W[i][j]` multiplies input
/// `2i` for the j-th output of the front half.
const EVEN_W: [[f32; 4]; 4] = [
    [IA, IA, IA, IA],
    [IC, IF, -IF, -IC],
    [IA, -IA, -IA, IA],
    [IF, -IC, IC, -IF],
];
/// Odd-input weights: `ODD_W[i][j]` multiplies input `2i + 1`.
const ODD_W: [[f32; 4]; 4] = [
    [IB, ID, IE, IG],
    [ID, -IG, -IB, -IE],
    [IE, -IB, IG, ID],
    [IG, -IE, ID, -IB],
];

/// In-place 8x8 inverse DCT. Rows at or beyond `rows_used` must be zero (they
/// stay zero through the row pass, so it skips them).
///
/// The row pass is a small matrix product per row, the column pass a
/// butterfly; sums are grouped exactly like OpenEXR's AVX kernel so that the
/// floating-point results match bit for bit.
#[inline(always)]
fn idct8x8(blk: &mut [f32; 64], rows_used: usize) {
    for row in blk.chunks_exact_mut(8).take(rows_used) {
        let x: [f32; 8] = [row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]];
        let mut even = [0f32; 4];
        let mut odd = [0f32; 4];
        for j in 0..4 {
            even[j] = (x[0] * EVEN_W[0][j] + x[2] * EVEN_W[1][j]) + (x[4] * EVEN_W[2][j] + x[6] * EVEN_W[3][j]);
            odd[j] = (x[1] * ODD_W[0][j] + x[3] * ODD_W[1][j]) + (x[5] * ODD_W[2][j] + x[7] * ODD_W[3][j]);
        }
        for j in 0..4 {
            row[j] = even[j] + odd[j];
            row[7 - j] = even[j] - odd[j];
        }
    }
    let mut out = [0f32; 64];
    for col in 0..8 {
        let y = |r: usize| blk[r * 8 + col];
        let (y0, y1, y2, y3, y4, y5, y6, y7) = (y(0), y(1), y(2), y(3), y(4), y(5), y(6), y(7));
        let o0 = (IB * y1 + ID * y3) + (IE * y5 + IG * y7);
        let o1 = (ID * y1 - (IG * y3 + IB * y5)) - IE * y7;
        let o2 = ((IE * y1 - IB * y3) + IG * y5) + ID * y7;
        let o3 = (IG * y1 + ID * y5) - (IE * y3 + IB * y7);
        let a0 = IA * y0;
        let a4 = IA * y4;
        let sum04 = a0 + a4;
        let dif04 = a0 - a4;
        let cf = IC * y2 + IF * y6;
        let fc = IF * y2 - IC * y6;
        let e0 = sum04 + cf;
        let e3 = sum04 - cf;
        let e1 = dif04 + fc;
        let e2 = dif04 - fc;
        out[col] = e0 + o0;
        out[8 + col] = e1 + o1;
        out[16 + col] = e2 + o2;
        out[24 + col] = e3 + o3;
        out[32 + col] = e3 - o3;
        out[40 + col] = e2 - o2;
        out[48 + col] = e1 - o1;
        out[56 + col] = e0 - o0;
    }
    *blk = out;
}

// Forward DCT constants: cos(pi/4) and 0.5 * cos(k pi / 16), spelled as in
// the reference encoder.
#[allow(clippy::approx_constant)]
const FC4: f32 = 0.707_106_78;
const FC1H: f32 = 0.490_392_64;
const FC2H: f32 = 0.461_939_77;
const FC3H: f32 = 0.415_734_8;
const FC5H: f32 = 0.277_785_12;
const FC6H: f32 = 0.191_341_72;
const FC7H: f32 = 0.097_545_16;

/// One pass of the forward DCT: transforms every column of `blk` (the 8
/// values `blk[k * 8 + col]`, k = 0..8) in place, using the factorisation of
/// Pennebaker & Mitchell (sums/differences, then rotations).
#[inline(always)]
fn fdct_columns(blk: &mut [f32; 64]) {
    for col in 0..8 {
        let s = |k: usize| blk[k * 8 + col];
        let a0 = s(0) + s(7);
        let a1 = s(1) + s(2);
        let a3 = s(3) + s(4);
        let a5 = s(5) + s(6);
        let a7 = s(0) - s(7);
        let a2 = s(1) - s(2);
        let a4 = s(3) - s(4);
        let a6 = s(5) - s(6);

        let k0 = FC4 * (a0 + a3);
        let k1 = FC4 * (a1 + a5);
        let out0 = (k0 + k1) * 0.5;
        let out4 = (k0 - k1) * 0.5;

        let r0 = a2 - a6;
        let r1 = a0 - a3;
        let out2 = FC6H * r0 + FC2H * r1;
        let out6 = FC6H * r1 - FC2H * r0;

        let k0 = (a1 - a5) * FC4;
        let k1 = (a2 + a6) * -FC4;

        let rx = a7 - k0;
        let ry = a4 + k1;
        let out3 = FC3H * rx - FC5H * ry;
        let out5 = FC5H * rx + FC3H * ry;

        let rx = a7 + k0;
        let ry = k1 - a4;
        let out1 = FC1H * rx - FC7H * ry;
        let out7 = FC7H * rx + FC1H * ry;

        for (k, v) in [out0, out1, out2, out3, out4, out5, out6, out7].into_iter().enumerate() {
            blk[k * 8 + col] = v;
        }
    }
}

#[inline(always)]
fn transpose8x8(blk: &mut [f32; 64]) {
    for r in 0..8 {
        for c in r + 1..8 {
            blk.swap(r * 8 + c, c * 8 + r);
        }
    }
}

/// In-place 8x8 forward DCT: columns first, then rows (the order of
/// OpenEXR's SSE2 encoder, so the coefficients match it).
fn fdct8x8(blk: &mut [f32; 64]) {
    fdct_columns(blk);
    transpose8x8(blk);
    fdct_columns(blk);
    transpose8x8(blk);
}

// ---------------------------------------------------------------------------
// Colour-space change (R'G'B' <-> Y'CbCr, Rec.709 weights, no offsets)
// ---------------------------------------------------------------------------

#[inline(always)]
fn csc_inverse(y: f32, cb: f32, cr: f32) -> (f32, f32, f32) {
    (y + 1.5747 * cr, (y - 0.1873 * cb) - 0.4682 * cr, y + 1.8556 * cb)
}

#[inline(always)]
fn csc_forward(r: f32, g: f32, b: f32) -> (f32, f32, f32) {
    (
        (0.2126 * r + 0.7152 * g) + 0.0722 * b,
        (-0.1146 * r - 0.3854 * g) + 0.5 * b,
        (0.5 * r - 0.4542 * g) - 0.0458 * b,
    )
}

// ---------------------------------------------------------------------------
// Quantisation (encoder only; nothing is stored, the decoder does not care)
// ---------------------------------------------------------------------------

/// JPEG's example luma quantisation table (row-major).
const JPEG_Y: [u8; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
    87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
];
/// JPEG's example chroma quantisation table (row-major).
const JPEG_C: [u8; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99,
];

/// Per-coefficient quantisation settings for one table (luma or chroma).
struct QuantTable {
    /// Error tolerance: the JPEG table divided by its smallest entry, times
    /// the base error `level / 100000`.
    tol: [f32; 64],
    /// Smallest half bit pattern (sign excluded) that is not within `tol` of
    /// zero; anything below quantises to zero. 0 when `tol` is not positive.
    zero_below: [u16; 64],
}

impl QuantTable {
    fn new(level: f32, jpeg: &[u8; 64], jpeg_min: f32) -> QuantTable {
        let base = (level / 100000.0).max(0.0);
        let mut t = QuantTable {
            tol: [0.0; 64],
            zero_below: [0; 64],
        };
        for (i, &q) in jpeg.iter().enumerate() {
            let tol = base * q as f32 / jpeg_min;
            t.tol[i] = tol;
            if tol > 0.0 {
                let mut z = f32_to_half(tol).min(0x7c00);
                while z > 0 && half_to_f32(z - 1) >= tol {
                    z -= 1;
                }
                while z < 0x7c00 && half_to_f32(z) < tol {
                    z += 1;
                }
                t.zero_below[i] = z;
            }
        }
        t
    }
}

/// Luma and chroma tables for a compression level.
fn quant_tables(level: f32) -> (QuantTable, QuantTable) {
    (
        QuantTable::new(level, &JPEG_Y, 10.0),
        QuantTable::new(level, &JPEG_C, 17.0),
    )
}

/// Replace half `h` by the half value with the fewest set bits (ignoring the
/// sign) that lies strictly within `tol` of it; among equally cheap values
/// the closest wins. Fewer set bits make the entropy coder's job easier.
#[inline(always)]
fn quantize(h: u16, tol: f32, zero_below: u16) -> u16 {
    let s = h & 0x7fff;
    if s < zero_below {
        return 0;
    }
    // Nothing to do without a tolerance, or for infinities and NaNs.
    if s >= 0x7c00 || tol.is_nan() || tol <= 0.0 {
        return h;
    }
    (h & 0x8000) | quantize_magnitude(s, tol)
}

/// [`quantize`] for a positive, finite half `s` that is not simply zeroed.
///
/// Positive half bit patterns are ordered like their values, so the values
/// strictly within `tol` of `s` form one contiguous range of patterns
/// `[lo, hi]`: `lo` is the first half above `s - tol`, `hi` the last half
/// below `s + tol`. Both ends come from truncating the float sums to half;
/// only when a sum lands exactly on a half value is the distance tested.
#[inline(always)]
fn quantize_magnitude(s: u16, tol: f32) -> u16 {
    let sf = half_to_f32(s);
    let (p, exact) = half_floor(sf - tol);
    let lo = if !exact || sf - half_to_f32(p) >= tol { p + 1 } else { p };
    let (p, exact) = half_floor(sf + tol);
    let hi = if exact && half_to_f32(p) - sf >= tol { p - 1 } else { p };
    let (lo, hi) = (lo.min(s) as u32, hi.max(s) as u32);
    cheapest_in_range(lo, hi, s as u32, |up, down| {
        half_to_f32(up as u16) - sf < sf - half_to_f32(down as u16)
    })
}

/// The largest finite half bit pattern whose value is <= `v` (a finite
/// float >= 0), and whether `v` equals that half exactly.
#[inline(always)]
fn half_floor(v: f32) -> (u16, bool) {
    let a = v.to_bits();
    if a >= 0x4780_0000 {
        (0x7bff, false)
    } else if a < 0x3880_0000 {
        // Subnormal halves: whole multiples of 2^-24.
        let m = v * f32::from_bits(0x4b80_0000);
        let p = m as u32;
        (p as u16, p as f32 == m)
    } else {
        // Normal halves: drop the 13 extra mantissa bits.
        (((a - 0x3800_0000) >> 13) as u16, a & 0x1fff == 0)
    }
}

/// The cheapest pattern of `[lo, hi]` (which holds `s`): the common high bits
/// of `lo` and `hi` alone if that is in range, else those bits plus one lower
/// bit, taking the candidate nearest `s` (`up_is_closer(up, down)` decides
/// between the nearest ones above and below; ties go down).
#[inline(always)]
fn cheapest_in_range(lo: u32, hi: u32, s: u32, up_is_closer: impl Fn(u32, u32) -> bool) -> u16 {
    if lo == hi {
        return s as u16;
    }
    let k = 31 - (lo ^ hi).leading_zeros(); // highest differing bit
    let low_mask = (2u32 << k) - 1;
    let prefix = hi & !low_mask;
    if lo & low_mask == 0 {
        return lo as u16; // the prefix itself is in range
    }
    // Candidates: prefix + 2^j with 2^j >= lo - prefix and j <= k.
    let ceil_log2 = |v: u32| 32 - (v - 1).leading_zeros();
    let j0 = ceil_log2(lo - prefix);
    let s_low = s - prefix;
    let down = (s_low >= (1 << j0)).then(|| prefix + (1 << (31 - s_low.leading_zeros()).min(k)));
    let up_j = ceil_log2(s_low);
    let up = (up_j <= k).then(|| prefix + (1 << up_j.max(j0)));
    let best = match (down, up) {
        (Some(d), Some(u)) => {
            if up_is_closer(u, d) {
                u
            } else {
                d
            }
        }
        (Some(d), None) => d,
        (None, Some(u)) => u,
        (None, None) => prefix + (1 << k),
    };
    best as u16
}

// ---------------------------------------------------------------------------
// Byte RLE (OpenEXR's RLE compression without its predictor)
// ---------------------------------------------------------------------------

/// Runs of 3..=128 equal bytes become `(len - 1, byte)`; other stretches of
/// up to 127 bytes become `(-len, bytes...)`.
pub(crate) fn rle_encode(src: &[u8], out: &mut Vec<u8>) {
    let n = src.len();
    let mut i = 0;
    while i < n {
        let mut run = 1;
        while i + run < n && src[i + run] == src[i] && run < 128 {
            run += 1;
        }
        if run >= 3 {
            out.push((run - 1) as u8);
            out.push(src[i]);
            i += run;
        } else {
            // Literal stretch: stop before a run of three equal bytes.
            let start = i;
            let mut j = i + 1;
            while j < n && j - start < 127 && !(j + 2 < n && src[j] == src[j + 1] && src[j] == src[j + 2]) {
                j += 1;
            }
            out.push((-((j - start) as i32)) as u8);
            out.extend_from_slice(&src[start..j]);
            i = j;
        }
    }
}

/// Decode byte RLE into `out`, which must be filled exactly.
pub(crate) fn rle_decode(src: &[u8], out: &mut [u8]) -> Result<(), String> {
    let err = || "DWA: corrupt RLE data".to_string();
    let (mut i, mut o) = (0usize, 0usize);
    while i < src.len() {
        let c = src[i] as i8;
        i += 1;
        if c < 0 {
            let n = (-(c as i32)) as usize;
            let lit = src.get(i..i + n).ok_or_else(err)?;
            out.get_mut(o..o + n).ok_or_else(err)?.copy_from_slice(lit);
            i += n;
            o += n;
        } else {
            let n = c as usize + 1;
            let v = *src.get(i).ok_or_else(err)?;
            out.get_mut(o..o + n).ok_or_else(err)?.fill(v);
            i += 1;
            o += n;
        }
    }
    if o != out.len() {
        return Err(err());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// zlib and the ZIP byte predictor
// ---------------------------------------------------------------------------

pub(crate) fn inflate_exact(src: &[u8], out: &mut [u8]) -> Result<(), String> {
    let want = out.len();
    let (got, rc) = zlib_rs::decompress_slice(out, src, zlib_rs::InflateConfig::default());
    if got.len() != want || !matches!(rc, zlib_rs::ReturnCode::Ok | zlib_rs::ReturnCode::StreamEnd) {
        return Err("DWA: corrupt zlib data".into());
    }
    Ok(())
}

/// Append the zlib stream of `src` to `out`; returns its size.
pub(crate) fn deflate_into(src: &[u8], level: i32, out: &mut Vec<u8>) -> Result<usize, String> {
    let start = out.len();
    out.resize(start + zlib_rs::compress_bound(src.len()), 0);
    let (done, rc) = zlib_rs::compress_slice(&mut out[start..], src, zlib_rs::DeflateConfig::new(level));
    if rc != zlib_rs::ReturnCode::Ok {
        return Err("DWA: zlib compression failed".into());
    }
    let n = done.len();
    out.truncate(start + n);
    Ok(n)
}

/// OpenEXR's ZIP preprocessing: even bytes then odd bytes, then each byte
/// replaced by its difference to the previous one (+128).
pub(crate) fn zip_split_predict(src: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(src.iter().step_by(2));
    out.extend(src.iter().skip(1).step_by(2));
    let mut prev = out.first().copied().unwrap_or(0);
    for b in out.iter_mut().skip(1) {
        let cur = *b;
        *b = cur.wrapping_sub(prev).wrapping_add(128);
        prev = cur;
    }
}

/// Undo [`zip_split_predict`] from `tmp` into `out` (same length).
pub(crate) fn zip_unpredict_merge(tmp: &mut [u8], out: &mut [u8]) {
    for i in 1..tmp.len() {
        tmp[i] = tmp[i - 1].wrapping_add(tmp[i]).wrapping_sub(128);
    }
    let half = tmp.len().div_ceil(2);
    let (a, b) = tmp.split_at(half);
    for (i, o) in out.iter_mut().enumerate() {
        *o = if i % 2 == 0 { a[i / 2] } else { b[i / 2] };
    }
}

// ---------------------------------------------------------------------------
// OpenEXR's static Huffman coder (shared with PIZ)
// ---------------------------------------------------------------------------
//
// Stream: five little-endian u32 (smallest symbol `im`, largest symbol `iM`,
// table size in bytes, number of data bits, zero), the code lengths of
// symbols im..=iM packed as 6-bit values (59..=62 = 2..=5 zero lengths,
// 63 + 8 bits = 6..=261 zero lengths), then the code bits, most significant
// first. Symbol `iM` is a pseudo-symbol: it is followed by 8 bits that say
// how many more times to repeat the previous value.
//
// Codes are canonical but OpenEXR's flavour: longer codes take the
// numerically smaller values, and within one length codes increase with the
// symbol value.

const HUF_SYMBOLS: usize = 65537;
const HUF_MAX_LEN: usize = 58;
const HUF_TABLE_BITS: u32 = 12;

/// First code of every length under OpenEXR's canonical rule.
fn canonical_starts(count: &[u64; HUF_MAX_LEN + 1]) -> [u64; HUF_MAX_LEN + 1] {
    let mut start = [0u64; HUF_MAX_LEN + 1];
    let mut c = 0u64;
    for l in (1..=HUF_MAX_LEN).rev() {
        start[l] = c;
        c = (c + count[l]) >> 1;
    }
    start
}

/// Reusable buffers for the Huffman coder and the chunk codec.
#[derive(Default)]
struct Scratch {
    freq: Vec<u32>,
    touched: Vec<u32>,
    codes: Vec<u64>,
    bytes_a: Vec<u8>,
    bytes_b: Vec<u8>,
    u16_a: Vec<u16>,
    u16_b: Vec<u16>,
    f32_a: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// MSB-first bit writer into a buffer sized in advance.
struct BitWriter<'a> {
    buf: &'a mut [u8],
    pos: usize,
    /// Pending bits (the low `n` bits; `n` < 32 between calls).
    acc: u64,
    n: u32,
    total: u64,
}

impl<'a> BitWriter<'a> {
    fn new(buf: &'a mut [u8]) -> Self {
        BitWriter {
            buf,
            pos: 0,
            acc: 0,
            n: 0,
            total: 0,
        }
    }

    /// Append the low `len` (<= 32) bits of `bits`.
    #[inline(always)]
    fn put32(&mut self, bits: u64, len: u32) {
        self.acc = (self.acc << len) | bits;
        self.n += len;
        if self.n >= 32 {
            self.n -= 32;
            self.buf[self.pos..self.pos + 4].copy_from_slice(&((self.acc >> self.n) as u32).to_be_bytes());
            self.pos += 4;
        }
    }

    /// Append the low `len` (<= 58) bits of `bits`.
    #[inline(always)]
    fn put(&mut self, bits: u64, len: u32) {
        self.total += len as u64;
        if len > 32 {
            self.put32(bits >> 32, len - 32);
            self.put32(bits & 0xffff_ffff, 32);
        } else {
            self.put32(bits, len);
        }
    }

    /// Flush the last partial byte (zero padded); returns the bytes used and
    /// the number of bits written.
    fn finish(mut self) -> (usize, u64) {
        while self.n >= 8 {
            self.n -= 8;
            self.buf[self.pos] = (self.acc >> self.n) as u8;
            self.pos += 1;
        }
        if self.n > 0 {
            self.buf[self.pos] = (self.acc << (8 - self.n)) as u8;
            self.pos += 1;
        }
        (self.pos, self.total)
    }
}

/// Huffman code lengths for symbols with frequencies `freqs` (into `lens`),
/// via the usual merge-the-two-rarest construction. Returns false if a code would exceed
/// the format's 58-bit limit.
fn huffman_lengths(freqs: &[u64], lens: &mut [u8]) -> bool {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = freqs.len();
    if n == 1 {
        lens[0] = 1;
        return true;
    }
    // Nodes 0..n are leaves, n.. internal; parent links give the depths.
    let mut parent = vec![0u32; 2 * n - 1];
    let mut heap: BinaryHeap<Reverse<(u64, u32)>> =
        freqs.iter().enumerate().map(|(i, &f)| Reverse((f, i as u32))).collect();
    let mut next = n as u32;
    while heap.len() > 1 {
        let Reverse((fa, a)) = heap.pop().unwrap_or(Reverse((0, 0)));
        let Reverse((fb, b)) = heap.pop().unwrap_or(Reverse((0, 0)));
        parent[a as usize] = next;
        parent[b as usize] = next;
        heap.push(Reverse((fa + fb, next)));
        next += 1;
    }
    // Depth of each node = depth of its parent + 1; parents have larger ids.
    let mut depth = vec![0u8; 2 * n - 1];
    for i in (0..(2 * n - 2)).rev() {
        let d = depth[parent[i] as usize] as usize + 1;
        if d > HUF_MAX_LEN {
            return false;
        }
        depth[i] = d as u8;
    }
    lens.copy_from_slice(&depth[..n]);
    true
}

/// Huffman-compress `vals` (appended to `out`) in OpenEXR's format.
fn huf_compress(vals: &[u16], out: &mut Vec<u8>, sc: &mut Scratch) -> Result<(), String> {
    if vals.is_empty() {
        return Ok(());
    }
    if sc.freq.len() < HUF_SYMBOLS {
        sc.freq = vec![0; HUF_SYMBOLS];
        sc.codes = vec![0; HUF_SYMBOLS];
    }
    sc.touched.clear();
    for &v in vals {
        let f = &mut sc.freq[v as usize];
        if *f == 0 {
            sc.touched.push(v as u32);
        }
        *f += 1;
    }
    sc.touched.sort_unstable();
    let rlc = sc.touched[sc.touched.len() - 1] + 1;
    sc.touched.push(rlc);
    sc.freq[rlc as usize] = 1;
    let im = sc.touched[0];

    let mut freqs: Vec<u64> = sc.touched.iter().map(|&s| sc.freq[s as usize] as u64).collect();
    let mut lens = vec![0u8; freqs.len()];
    while !huffman_lengths(&freqs, &mut lens) {
        // Only reachable with absurd counts: flatten the distribution.
        for f in freqs.iter_mut() {
            *f = (*f >> 1) | 1;
        }
    }
    // Upper bound of the data bits (runs only ever shorten the stream).
    let mut data_bits = 0u64;
    for (&s, &l) in sc.touched.iter().zip(&lens) {
        data_bits += sc.freq[s as usize] as u64 * l as u64;
        sc.freq[s as usize] = 0;
    }

    // Canonical codes.
    let mut count = [0u64; HUF_MAX_LEN + 1];
    for &l in &lens {
        count[l as usize] += 1;
    }
    let mut next = canonical_starts(&count);
    for (i, &s) in sc.touched.iter().enumerate() {
        let l = lens[i] as usize;
        sc.codes[s as usize] = (next[l] << 6) | l as u64;
        next[l] += 1;
    }

    let header_at = out.len();
    out.extend_from_slice(&[0u8; 20]);

    // Code-length table for im..=rlc (at most 6 bits per symbol).
    let table_start = out.len();
    out.resize(table_start + (rlc - im + 1) as usize * 6 / 8 + 16, 0);
    let table_len = {
        let mut w = BitWriter::new(&mut out[table_start..]);
        let mut t = 0usize; // index into touched / lens
        let mut sym = im;
        while sym <= rlc {
            if sc.touched[t] == sym {
                w.put(lens[t] as u64, 6);
                t += 1;
                sym += 1;
            } else {
                // Zero run up to the next used symbol.
                let mut run = (sc.touched[t] - sym) as u64;
                sym = sc.touched[t];
                while run > 0 {
                    if run == 1 {
                        w.put(0, 6);
                        run = 0;
                    } else if run < 6 {
                        w.put(59 + run - 2, 6);
                        run = 0;
                    } else {
                        let r = run.min(261);
                        w.put(63, 6);
                        w.put(r - 6, 8);
                        run -= r;
                    }
                }
            }
        }
        w.finish().0
    };
    out.truncate(table_start + table_len);

    // Data, with runs of one value sent as value + rlc + count when shorter.
    let codes = &sc.codes;
    let rcode = codes[rlc as usize];
    let rlen = (rcode & 63) as u32;
    let data_start = out.len();
    out.resize(data_start + (data_bits / 8) as usize + 16, 0);
    let mut w = BitWriter::new(&mut out[data_start..]);
    let send = |w: &mut BitWriter<'_>, s: u16, reps: u32| {
        let c = codes[s as usize];
        let l = (c & 63) as u32;
        if l + rlen + 8 < l * reps {
            w.put(c >> 6, l);
            w.put(rcode >> 6, rlen);
            w.put(reps as u64, 8);
        } else {
            for _ in 0..=reps {
                w.put(c >> 6, l);
            }
        }
    };
    let mut cur = vals[0];
    let mut reps = 0u32;
    for &v in &vals[1..] {
        if v == cur && reps < 255 {
            reps += 1;
        } else {
            send(&mut w, cur, reps);
            cur = v;
            reps = 0;
        }
    }
    send(&mut w, cur, reps);
    let (used, nbits) = w.finish();
    out.truncate(data_start + used);
    let nbits = u32::try_from(nbits).map_err(|_| "DWA: Huffman stream too large")?;

    let hdr = &mut out[header_at..header_at + 20];
    hdr[0..4].copy_from_slice(&im.to_le_bytes());
    hdr[4..8].copy_from_slice(&rlc.to_le_bytes());
    hdr[8..12].copy_from_slice(&(table_len as u32).to_le_bytes());
    hdr[12..16].copy_from_slice(&nbits.to_le_bytes());
    Ok(())
}

/// Bit reader over a zero-padded copy of the input (reads never fail; the
/// caller checks positions against the real bit count).
struct BitReader<'a> {
    data: &'a [u8],
    pos: u64,
}

impl BitReader<'_> {
    /// The next 57+ bits, left-aligned.
    #[inline(always)]
    fn peek64(&self) -> u64 {
        let byte = (self.pos >> 3) as usize;
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.data[byte..byte + 8]);
        u64::from_be_bytes(b) << (self.pos & 7)
    }

    /// The next `n` (<= 58) bits as an integer.
    #[inline(always)]
    fn peek(&self, n: u32) -> u64 {
        if n <= 57 {
            self.peek64() >> (64 - n)
        } else {
            let byte = (self.pos >> 3) as usize;
            let mut b = [0u8; 16];
            b.copy_from_slice(&self.data[byte..byte + 16]);
            ((u128::from_be_bytes(b) << (self.pos & 7)) >> (128 - n)) as u64
        }
    }
}

/// Decode an OpenEXR Huffman stream into exactly `n_out` values.
fn huf_decompress(src: &[u8], n_out: usize, out: &mut Vec<u16>, padded: &mut Vec<u8>) -> Result<(), String> {
    let err = |m: &str| format!("DWA: corrupt Huffman data ({m})");
    out.clear();
    if src.len() < 20 {
        return Err(err("short header"));
    }
    let rd = |i: usize| u32::from_le_bytes([src[i], src[i + 1], src[i + 2], src[i + 3]]);
    let (im, rlc, nbits) = (rd(0) as usize, rd(4) as usize, rd(12) as u64);
    if im >= HUF_SYMBOLS || rlc >= HUF_SYMBOLS || im > rlc {
        return Err(err("symbol range"));
    }
    padded.clear();
    padded.extend_from_slice(&src[20..]);
    let avail_bits = padded.len() as u64 * 8;
    padded.extend_from_slice(&[0u8; 24]);

    // Code lengths of the used symbols (symbol, length), in symbol order.
    let mut used: Vec<(u32, u8)> = Vec::new();
    let n_syms = rlc - im + 1;
    let mut r = BitReader { data: padded, pos: 0 };
    let mut i = 0usize;
    while i < n_syms {
        if r.pos + 6 > avail_bits {
            return Err(err("table"));
        }
        let l = r.peek(6) as usize;
        r.pos += 6;
        if l == 0 {
            i += 1;
        } else if l < 59 {
            used.push(((im + i) as u32, l as u8));
            i += 1;
        } else {
            let run = if l == 63 {
                if r.pos + 8 > avail_bits {
                    return Err(err("table"));
                }
                let n = r.peek(8) as usize + 6;
                r.pos += 8;
                n
            } else {
                l - 59 + 2
            };
            if i + run > n_syms {
                return Err(err("table run"));
            }
            i += run;
        }
    }
    let data_start = r.pos.div_ceil(8);
    if data_start * 8 + nbits > avail_bits {
        return Err(err("truncated"));
    }

    // Canonical codes, grouped by length in symbol order.
    let mut count = [0u64; HUF_MAX_LEN + 1];
    for &(_, l) in &used {
        count[l as usize] += 1;
    }
    let start = canonical_starts(&count);
    let mut first_idx = [0u32; HUF_MAX_LEN + 2];
    for l in 1..=HUF_MAX_LEN {
        if start[l] + count[l] > (1u64 << l) {
            return Err(err("code lengths"));
        }
        first_idx[l + 1] = first_idx[l] + count[l] as u32;
    }
    let mut by_len = vec![0u32; used.len()];
    let mut fill = first_idx;
    for &(sym, l) in &used {
        by_len[fill[l as usize] as usize] = sym;
        fill[l as usize] += 1;
    }
    let max_len = (1..=HUF_MAX_LEN).rev().find(|&l| count[l] > 0).unwrap_or(0) as u32;
    if max_len == 0 {
        return Err(err("empty table"));
    }

    // Direct lookup for codes up to HUF_TABLE_BITS: entry = symbol << 8 | length.
    let mut table = vec![0u32; 1 << HUF_TABLE_BITS];
    for l in 1..=(HUF_TABLE_BITS as usize).min(HUF_MAX_LEN) {
        for k in 0..count[l] {
            let code = start[l] + k;
            let sym = by_len[(first_idx[l] as u64 + k) as usize];
            let shift = HUF_TABLE_BITS as usize - l;
            let base = (code << shift) as usize;
            for e in &mut table[base..base + (1 << shift)] {
                if *e != 0 {
                    return Err(err("overlapping codes"));
                }
                *e = (sym << 8) | l as u32;
            }
        }
    }

    // Main loop. `buf` holds the next `nb` bits left-aligned; it is topped up
    // 32 bits at a time from the padded input, so a table code (<= 12 bits)
    // plus a run count (8 bits) are always available. Longer codes are looked
    // up by absolute bit position, after which the window is reloaded.
    out.resize(n_out, 0);
    let end = data_start * 8 + nbits;
    let mut byte_pos = data_start as usize; // next input byte for the window
    let mut buf = 0u64;
    let mut nb = 0u32;
    let mut o = 0usize;
    while o < n_out {
        if nb < 32 {
            let mut b = [0u8; 4];
            b.copy_from_slice(&padded[byte_pos..byte_pos + 4]);
            buf |= (u32::from_be_bytes(b) as u64) << (32 - nb);
            nb += 32;
            byte_pos += 4;
        }
        let e = table[(buf >> (64 - HUF_TABLE_BITS)) as usize];
        let sym = if e != 0 {
            let len = e & 0xff;
            buf <<= len;
            nb -= len;
            e >> 8
        } else {
            // Longer code: try each length in turn at the absolute position.
            let pos = byte_pos as u64 * 8 - nb as u64;
            if pos >= end {
                return Err(err("overrun"));
            }
            let r = BitReader { data: padded, pos };
            let mut found = None;
            for l in (HUF_TABLE_BITS + 1)..=max_len {
                let c = r.peek(l);
                let lu = l as usize;
                if c >= start[lu] && c < start[lu] + count[lu] {
                    found = Some((by_len[(first_idx[lu] as u64 + c - start[lu]) as usize], l));
                    break;
                }
            }
            let (sym, l) = found.ok_or_else(|| err("bad code"))?;
            // Reload the window just after the code.
            let pos = pos + l as u64;
            let byte = (pos >> 3) as usize;
            let mut b = [0u8; 8];
            b.copy_from_slice(&padded[byte..byte + 8]);
            buf = u64::from_be_bytes(b) << (pos & 7);
            nb = 64 - (pos & 7) as u32;
            byte_pos = byte + 8;
            sym
        };
        if sym as usize == rlc {
            // Repeat the previous value; the count is the next 8 bits.
            let n = (buf >> 56) as usize;
            buf <<= 8;
            nb -= 8;
            if o == 0 || o + n > n_out {
                return Err(err("bad run"));
            }
            let last = out[o - 1];
            out[o..o + n].fill(last);
            o += n;
        } else {
            out[o] = sym as u16;
            o += 1;
        }
        if byte_pos as u64 * 8 - nb as u64 > end {
            return Err(err("overrun"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Lossy DCT decoding
// ---------------------------------------------------------------------------

/// Expand one block's AC run-length stream into zig-zag positions 1..64 of
/// `zig`; returns the last non-zero zig-zag position (0 = DC only).
#[inline(always)]
fn unrle_ac(ac: &[u16], pos: &mut usize, zig: &mut [u16; 64]) -> Result<usize, String> {
    let mut k = 1usize;
    let mut last = 0usize;
    let mut p = *pos;
    while k < 64 {
        let v = *ac.get(p).ok_or("DWA: AC data exhausted")?;
        p += 1;
        if v & 0xff00 == 0xff00 {
            let run = (v & 0xff) as usize;
            k += if run == 0 { 64 } else { run };
        } else {
            zig[k] = v;
            last = k;
            k += 1;
        }
    }
    *pos = p;
    Ok(last)
}

/// Rows of the block that can hold non-zero coefficients when the last
/// non-zero zig-zag position is `last` (the zig-zag scan reaches row r first
/// at positions 2, 3, 9, 10, 20, 21, 35 for r = 1..=7).
#[inline(always)]
fn rows_used(last: usize) -> usize {
    1 + [2, 3, 9, 10, 20, 21, 35].iter().filter(|&&s| last >= s).count()
}

/// Write `n` output values of one block row into a channel row.
#[inline(always)]
fn store_row(dst: &mut [u8], vals: &[u16], lut: &[u16; 65536], float: bool) {
    if float {
        for (d, &v) in dst.chunks_exact_mut(4).zip(vals) {
            d.copy_from_slice(&half_to_f32(lut[v as usize]).to_le_bytes());
        }
    } else {
        for (d, &v) in dst.chunks_exact_mut(2).zip(vals) {
            d.copy_from_slice(&lut[v as usize].to_le_bytes());
        }
    }
}

/// Decode one lossy group (a single channel, or an R/G/B set coded as
/// Y'CbCr) from the shared AC/DC streams into `out`.
#[allow(clippy::too_many_arguments)]
fn decode_lossy(
    layout: &Layout,
    group: &[usize],
    ac: &[u16],
    ac_pos: &mut usize,
    dc: &[u16],
    dc_pos: &mut usize,
    lut: &[u16; 65536],
    out: &mut [u8],
) -> Result<(), String> {
    let n = group.len();
    let first = &layout.chans[group[0]];
    let (w, h) = (first.w, first.h);
    for &ci in group {
        if layout.chans[ci].ty == TYPE_UINT {
            return Err("DWA: lossy coding of a uint channel".into());
        }
    }
    if w == 0 || h == 0 {
        return Ok(());
    }
    let (nbx, nby) = (w.div_ceil(8), h.div_ceil(8));
    let nb = nbx * nby;
    if dc.len() - *dc_pos < n * nb {
        return Err("DWA: DC data exhausted".into());
    }
    let dc = &dc[*dc_pos..*dc_pos + n * nb];
    let rows: Vec<&[usize]> = group.iter().map(|&ci| layout.chan_rows(ci)).collect();
    let floats: Vec<bool> = group.iter().map(|&ci| layout.chans[ci].ty == TYPE_FLOAT).collect();

    let mut blk = [[0f32; 64]; 3];
    let mut halves = [[0u16; 64]; 3];
    let mut dc_only = [false; 3];
    for by in 0..nby {
        let max_y = if by + 1 == nby { h - 8 * by } else { 8 };
        for bx in 0..nbx {
            let max_x = if bx + 1 == nbx { w - 8 * bx } else { 8 };
            let mut constant = true;
            for c in 0..n {
                let mut zig = [0u16; 64];
                zig[0] = dc[c * nb + by * nbx + bx];
                let last = unrle_ac(ac, ac_pos, &mut zig)?;
                if last == 0 {
                    dc_only[c] = true;
                    blk[c][0] = half_to_f32(zig[0]) * IA * IA;
                } else {
                    dc_only[c] = false;
                    constant = false;
                    let b = &mut blk[c];
                    for (i, v) in b.iter_mut().enumerate() {
                        *v = half_to_f32(zig[UNZIGZAG[i] as usize]);
                    }
                    idct8x8(b, rows_used(last));
                }
            }
            if constant {
                if n == 3 {
                    let (r, g, b) = csc_inverse(blk[0][0], blk[1][0], blk[2][0]);
                    blk[0][0] = r;
                    blk[1][0] = g;
                    blk[2][0] = b;
                }
                for c in 0..n {
                    halves[c] = [f32_to_half(blk[c][0]); 64];
                }
            } else {
                for c in 0..n {
                    if dc_only[c] {
                        let v = blk[c][0];
                        blk[c] = [v; 64];
                    }
                }
                if n == 3 {
                    let [b0, b1, b2] = &mut blk;
                    for i in 0..64 {
                        let (r, g, b) = csc_inverse(b0[i], b1[i], b2[i]);
                        b0[i] = r;
                        b1[i] = g;
                        b2[i] = b;
                    }
                }
                for c in 0..n {
                    for (hv, &f) in halves[c].iter_mut().zip(blk[c].iter()) {
                        *hv = f32_to_half(f);
                    }
                }
            }
            for c in 0..n {
                let bpe = if floats[c] { 4 } else { 2 };
                for r in 0..max_y {
                    let off = rows[c][8 * by + r] + 8 * bx * bpe;
                    store_row(
                        &mut out[off..off + max_x * bpe],
                        &halves[c][r * 8..r * 8 + max_x],
                        lut,
                        floats[c],
                    );
                }
            }
        }
    }
    *dc_pos += n * nb;
    Ok(())
}

// ---------------------------------------------------------------------------
// Decompression
// ---------------------------------------------------------------------------

/// Decompress one DWAA/DWAB chunk covering pixel rectangle (x, y, width,
/// height) (absolute coordinates; channels sorted by name as in the header)
/// into OpenEXR's uncompressed layout: for each scanline, for each channel,
/// that line's samples, little-endian. `expected_len` is the uncompressed
/// byte size.
///
/// A chunk exactly `expected_len` bytes long was stored raw and is returned
/// as is. Corrupt input gives `Err`; no allocation exceeds a small multiple
/// of `expected_len`.
pub fn decompress(
    channels: &[DwaChannel],
    x: i32,
    y: i32,
    width: usize,
    height: usize,
    compressed: &[u8],
    expected_len: usize,
) -> Result<Vec<u8>, String> {
    decompress_with_plinear(channels, &[], x, y, width, height, compressed, expected_len)
}

/// [`decompress`] for parts whose channel list sets "pLinear" on some
/// channels: `p_linear[i]` is channel i's flag (missing entries are false).
/// OpenEXR skips the perceptual curve for such a channel when it is coded on
/// its own (not in an R/G/B set).
#[allow(clippy::too_many_arguments)]
pub fn decompress_with_plinear(
    channels: &[DwaChannel],
    p_linear: &[bool],
    x: i32,
    y: i32,
    width: usize,
    height: usize,
    compressed: &[u8],
    expected_len: usize,
) -> Result<Vec<u8>, String> {
    let mut layout = Layout::new(channels, x, y, width, height, expected_len)?;
    layout.set_p_linear(p_linear);
    if compressed.len() == expected_len {
        return Ok(compressed.to_vec());
    }
    if compressed.len() < HEADER_BYTES {
        return Err("DWA: truncated chunk header".into());
    }
    let mut cnt = [0u64; NUM_COUNTERS];
    for (i, c) in cnt.iter_mut().enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(&compressed[i * 8..i * 8 + 8]);
        *c = u64::from_le_bytes(b);
    }
    let version = cnt[C_VERSION];
    if version > 2 {
        return Err(format!("DWA: unsupported version {version}"));
    }
    let mut pos = HEADER_BYTES;
    let parsed;
    let rules: &[Rule<'_>] = if version < 2 {
        &LEGACY_RULES
    } else {
        let (r, size) = parse_rules(&compressed[pos..])?;
        pos += size;
        parsed = r;
        &parsed
    };
    let names: Vec<&[u8]> = channels.iter().map(|c| c.name.as_bytes()).collect();
    layout.classify(rules, &names);

    // Section sizes against the data present and the chunk's own limits.
    let data = &compressed[pos..];
    let packed = [
        cnt[C_UNKNOWN_PACKED],
        cnt[C_AC_PACKED],
        cnt[C_DC_PACKED],
        cnt[C_RLE_PACKED],
    ];
    let mut bounds = [0usize; 5];
    let mut acc = 0u64;
    for (i, &p) in packed.iter().enumerate() {
        acc = acc.checked_add(p).ok_or("DWA: bad section sizes")?;
        if acc > data.len() as u64 {
            return Err("DWA: section sizes exceed chunk".into());
        }
        bounds[i + 1] = acc as usize;
    }
    let section = |i: usize| &data[bounds[i]..bounds[i + 1]];
    let exp = expected_len as u64;
    if cnt[C_UNKNOWN_RAW] > exp || cnt[C_RLE_RAW] > exp || cnt[C_UNKNOWN_RAW] + cnt[C_RLE_RAW] > exp {
        return Err("DWA: section sizes exceed chunk".into());
    }
    let scheme_bytes = |s: Scheme| -> usize {
        layout
            .chans
            .iter()
            .filter(|c| c.scheme == s)
            .map(|c| c.plane_bytes())
            .sum()
    };
    let unknown_need = scheme_bytes(Scheme::Unknown);
    let rle_need = scheme_bytes(Scheme::Rle);
    let check = |need: usize, raw: u64, packed: u64, extra: u64| -> Result<(), String> {
        if need > 0 {
            if raw < need as u64 || packed == 0 {
                return Err("DWA: section sizes do not match channels".into());
            }
        } else if raw > 0 || packed > 0 || extra > 0 {
            return Err("DWA: section sizes do not match channels".into());
        }
        Ok(())
    };
    check(unknown_need, cnt[C_UNKNOWN_RAW], cnt[C_UNKNOWN_PACKED], 0)?;
    check(rle_need, cnt[C_RLE_RAW], cnt[C_RLE_PACKED], cnt[C_RLE_RUNS])?;
    let n_lossy = layout.chans.iter().filter(|c| c.scheme == Scheme::Lossy).count() as u64;
    let ac_limit = layout.blocks() * 63 * n_lossy;
    let dc_limit = layout.blocks() * n_lossy;
    let pixels = (layout.chunk_w * layout.chunk_h) as u64;
    let rle_limit: u64 = layout
        .chans
        .iter()
        .filter(|c| c.scheme == Scheme::Rle)
        .map(|c| 2 * pixels * c.bpe as u64)
        .sum();
    if cnt[C_AC_COUNT] > ac_limit || cnt[C_DC_COUNT] > dc_limit || cnt[C_RLE_RUNS] > rle_limit {
        return Err("DWA: coefficient counts exceed chunk".into());
    }
    for set in &layout.csc_sets {
        if set.iter().any(|&ci| layout.chans[ci].scheme != Scheme::Lossy) {
            return Err("DWA: colour set with non-lossy channel".into());
        }
    }

    SCRATCH.with(|sc| {
        let sc = &mut *sc.borrow_mut();
        let mut out = vec![0u8; expected_len];

        // Unknown channels: zlib'd planar rows.
        let unknown = &mut sc.bytes_a;
        unknown.clear();
        if cnt[C_UNKNOWN_PACKED] > 0 {
            unknown.resize(cnt[C_UNKNOWN_RAW] as usize, 0);
            inflate_exact(section(0), unknown)?;
        }

        // AC values.
        let ac = &mut sc.u16_a;
        ac.clear();
        let n_ac = cnt[C_AC_COUNT] as usize;
        if cnt[C_AC_PACKED] > 0 {
            match cnt[C_AC_CODEC] {
                AC_HUFFMAN => huf_decompress(section(1), n_ac, ac, &mut sc.bytes_b)?,
                AC_ZLIB => {
                    let bytes = &mut sc.bytes_b;
                    bytes.clear();
                    bytes.resize(n_ac * 2, 0);
                    inflate_exact(section(1), bytes)?;
                    ac.extend(bytes.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])));
                }
                _ => return Err("DWA: unknown AC compression".into()),
            }
        }

        // DC values.
        let dc = &mut sc.u16_b;
        dc.clear();
        if cnt[C_DC_PACKED] > 0 {
            let n = cnt[C_DC_COUNT] as usize * 2;
            let tmp = &mut sc.bytes_b;
            tmp.clear();
            tmp.resize(n, 0);
            inflate_exact(section(2), tmp)?;
            let mut bytes = vec![0u8; n];
            zip_unpredict_merge(tmp, &mut bytes);
            dc.extend(bytes.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])));
        } else if cnt[C_DC_COUNT] != 0 {
            return Err("DWA: missing DC data".into());
        }

        // RLE channels: zlib, then byte RLE, giving byte planes.
        let mut rle_planes = Vec::new();
        if cnt[C_RLE_RAW] > 0 {
            let runs = &mut sc.bytes_b;
            runs.clear();
            runs.resize(cnt[C_RLE_RUNS] as usize, 0);
            inflate_exact(section(3), runs)?;
            rle_planes = vec![0u8; cnt[C_RLE_RAW] as usize];
            rle_decode(runs, &mut rle_planes)?;
        }

        // Lossy groups: colour sets first, then single channels in order.
        let curves = curves();
        let (mut ac_pos, mut dc_pos) = (0usize, 0usize);
        let mut done = vec![false; layout.chans.len()];
        for set in &layout.csc_sets {
            decode_lossy(
                &layout,
                set,
                ac,
                &mut ac_pos,
                dc,
                &mut dc_pos,
                &curves.to_linear,
                &mut out,
            )?;
            for &ci in set {
                done[ci] = true;
            }
        }
        let (mut unk_off, mut rle_off) = (0usize, 0usize);
        for (ci, c) in layout.chans.iter().enumerate() {
            match c.scheme {
                Scheme::Lossy => {
                    if !done[ci] {
                        let lut = if c.p_linear {
                            &curves.identity
                        } else {
                            &curves.to_linear
                        };
                        decode_lossy(&layout, &[ci], ac, &mut ac_pos, dc, &mut dc_pos, lut, &mut out)?;
                    }
                }
                Scheme::Rle => {
                    let plane = c.w * c.h;
                    let planes = &rle_planes[rle_off..rle_off + plane * c.bpe];
                    for (r, &off) in layout.chan_rows(ci).iter().enumerate() {
                        let dst = &mut out[off..off + c.w * c.bpe];
                        for (xx, px) in dst.chunks_exact_mut(c.bpe).enumerate() {
                            for (b, v) in px.iter_mut().enumerate() {
                                *v = planes[b * plane + r * c.w + xx];
                            }
                        }
                    }
                    rle_off += plane * c.bpe;
                }
                Scheme::Unknown => {
                    let row = c.w * c.bpe;
                    for &off in layout.chan_rows(ci) {
                        out[off..off + row].copy_from_slice(&unknown[unk_off..unk_off + row]);
                        unk_off += row;
                    }
                }
            }
        }
        Ok(out)
    })
}

// ---------------------------------------------------------------------------
// Compression
// ---------------------------------------------------------------------------

/// Encode one lossy group, appending its AC run-length stream to `ac` and its
/// DC planes (one per channel) to `dc`.
#[allow(clippy::too_many_arguments)]
fn encode_lossy(
    layout: &Layout,
    group: &[usize],
    src: &[u8],
    quant_y: &QuantTable,
    quant_c: &QuantTable,
    ac: &mut Vec<u16>,
    dc: &mut Vec<u16>,
    planes: &mut Vec<f32>,
) {
    let n = group.len();
    let first = &layout.chans[group[0]];
    let (w, h) = (first.w, first.h);
    if w == 0 || h == 0 {
        return;
    }
    // Y'CbCr sets always use the curve; lone channels unless "pLinear".
    let to_nl = if n == 1 && first.p_linear {
        &curves().identity
    } else {
        &curves().to_nonlinear
    };

    // Every channel as a float plane of curve-encoded values.
    planes.clear();
    planes.reserve(n * w * h);
    for &ci in group {
        let c = &layout.chans[ci];
        for &off in layout.chan_rows(ci) {
            let row = &src[off..off + w * c.bpe];
            if c.ty == TYPE_FLOAT {
                planes.extend(row.chunks_exact(4).map(|b| {
                    let f = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    // Clamp to the half range so overflow does not become inf.
                    let f = f.clamp(-65504.0, 65504.0);
                    half_to_f32(to_nl[f32_to_half(f) as usize])
                }));
            } else {
                planes.extend(
                    row.chunks_exact(2)
                        .map(|b| half_to_f32(to_nl[u16::from_le_bytes([b[0], b[1]]) as usize])),
                );
            }
        }
    }

    let (nbx, nby) = (w.div_ceil(8), h.div_ceil(8));
    let nb = nbx * nby;
    let dc_base = dc.len();
    dc.resize(dc_base + n * nb, 0);
    // Partial blocks are filled by mirroring about the last row / column.
    let mirror = |v: usize, size: usize| -> usize {
        if v < size {
            v
        } else {
            let m = 2 * size as i64 - 1 - v as i64;
            if m < 0 {
                size - 1
            } else {
                m as usize
            }
        }
    };
    let mut blk = [[0f32; 64]; 3];
    for by in 0..nby {
        let mut ys = [0usize; 8];
        for (r, v) in ys.iter_mut().enumerate() {
            *v = mirror(8 * by + r, h);
        }
        for bx in 0..nbx {
            let full_x = 8 * bx + 8 <= w;
            let mut xs = [0usize; 8];
            for (cx, v) in xs.iter_mut().enumerate() {
                *v = mirror(8 * bx + cx, w);
            }
            for c in 0..n {
                let plane = &planes[c * w * h..(c + 1) * w * h];
                for r in 0..8 {
                    let line = &plane[ys[r] * w..ys[r] * w + w];
                    let dst = &mut blk[c][r * 8..r * 8 + 8];
                    if full_x {
                        dst.copy_from_slice(&line[8 * bx..8 * bx + 8]);
                    } else {
                        for (d, &sx) in dst.iter_mut().zip(&xs) {
                            *d = line[sx];
                        }
                    }
                }
            }
            if n == 3 {
                let [b0, b1, b2] = &mut blk;
                for i in 0..64 {
                    let (yy, cb, cr) = csc_forward(b0[i], b1[i], b2[i]);
                    b0[i] = yy;
                    b1[i] = cb;
                    b2[i] = cr;
                }
            }
            for c in 0..n {
                let b = &mut blk[c];
                fdct8x8(b);
                let q = if c == 0 { quant_y } else { quant_c };
                let mut zig = [0u16; 64];
                for i in 0..64 {
                    zig[UNZIGZAG[i] as usize] = quantize(f32_to_half(b[i]), q.tol[i], q.zero_below[i]);
                }
                dc[dc_base + c * nb + by * nbx + bx] = zig[0];
                rle_ac(&zig, ac);
            }
        }
    }
}

/// Run-length code the 63 AC values of a zig-zag block: zero runs of two or
/// more become `0xff00 | run`, a zero run reaching the end becomes `0xff00`.
fn rle_ac(zig: &[u16; 64], ac: &mut Vec<u16>) {
    let mut k = 1;
    while k < 64 {
        if zig[k] != 0 {
            ac.push(zig[k]);
            k += 1;
            continue;
        }
        let mut run = 1;
        while k + run < 64 && zig[k + run] == 0 {
            run += 1;
        }
        if run == 1 {
            ac.push(0);
        } else if k + run == 64 {
            ac.push(0xff00);
        } else {
            ac.push(0xff00 | run as u16);
        }
        k += run;
    }
}

/// Compress one chunk's uncompressed bytes (same layout as [`decompress`]
/// returns). `level` is the DWA compression level (OIIO default 45.0);
/// `dwab` tells DWAB (256-line) from DWAA (32-line) chunks, which changes
/// nothing in the chunk payload (the caller cuts the chunks).
///
/// If the encoding is not smaller than the input, the input is returned
/// unchanged (a raw chunk, as OpenEXR writes it).
#[allow(clippy::too_many_arguments)]
pub fn compress(
    channels: &[DwaChannel],
    x: i32,
    y: i32,
    width: usize,
    height: usize,
    uncompressed: &[u8],
    level: f32,
    dwab: bool,
) -> Result<Vec<u8>, String> {
    compress_with_plinear(channels, &[], x, y, width, height, uncompressed, level, dwab)
}

/// [`compress`] with the channels' "pLinear" flags (see
/// [`decompress_with_plinear`]).
#[allow(clippy::too_many_arguments)]
pub fn compress_with_plinear(
    channels: &[DwaChannel],
    p_linear: &[bool],
    x: i32,
    y: i32,
    width: usize,
    height: usize,
    uncompressed: &[u8],
    level: f32,
    dwab: bool,
) -> Result<Vec<u8>, String> {
    let _ = dwab;
    let mut layout = Layout::new(channels, x, y, width, height, uncompressed.len())?;
    layout.set_p_linear(p_linear);
    let names: Vec<&[u8]> = channels.iter().map(|c| c.name.as_bytes()).collect();
    layout.classify(&DEFAULT_RULES, &names);
    let (quant_y, quant_c) = quant_tables(level);

    SCRATCH.with(|sc| {
        let sc = &mut *sc.borrow_mut();
        let mut ac = std::mem::take(&mut sc.u16_a);
        let mut dc = std::mem::take(&mut sc.u16_b);
        let mut planes = std::mem::take(&mut sc.f32_a);
        let mut unknown = std::mem::take(&mut sc.bytes_a);
        ac.clear();
        dc.clear();
        unknown.clear();

        let mut done = vec![false; layout.chans.len()];
        for set in &layout.csc_sets {
            encode_lossy(
                &layout,
                set,
                uncompressed,
                &quant_y,
                &quant_c,
                &mut ac,
                &mut dc,
                &mut planes,
            );
            for &ci in set {
                done[ci] = true;
            }
        }
        let mut rle_raw = Vec::new();
        for (ci, c) in layout.chans.iter().enumerate() {
            match c.scheme {
                Scheme::Lossy => {
                    if !done[ci] {
                        encode_lossy(
                            &layout,
                            &[ci],
                            uncompressed,
                            &quant_y,
                            &quant_c,
                            &mut ac,
                            &mut dc,
                            &mut planes,
                        );
                    }
                }
                Scheme::Rle => {
                    let plane = c.w * c.h;
                    let base = rle_raw.len();
                    rle_raw.resize(base + plane * c.bpe, 0);
                    for (r, &off) in layout.chan_rows(ci).iter().enumerate() {
                        let row = &uncompressed[off..off + c.w * c.bpe];
                        for (xx, px) in row.chunks_exact(c.bpe).enumerate() {
                            for (b, &v) in px.iter().enumerate() {
                                rle_raw[base + b * plane + r * c.w + xx] = v;
                            }
                        }
                    }
                }
                Scheme::Unknown => {
                    for &off in layout.chan_rows(ci) {
                        unknown.extend_from_slice(&uncompressed[off..off + c.w * c.bpe]);
                    }
                }
            }
        }

        let mut out = Vec::with_capacity(uncompressed.len() / 4 + 256);
        out.resize(HEADER_BYTES, 0);
        write_rules(&layout.chans, &mut out)?;
        let mut cnt = [0u64; NUM_COUNTERS];
        cnt[C_VERSION] = 2;
        cnt[C_AC_CODEC] = AC_HUFFMAN;
        if !unknown.is_empty() {
            cnt[C_UNKNOWN_RAW] = unknown.len() as u64;
            cnt[C_UNKNOWN_PACKED] = deflate_into(&unknown, ZLIB_LEVEL, &mut out)? as u64;
        }
        if !ac.is_empty() {
            let before = out.len();
            huf_compress(&ac, &mut out, sc)?;
            cnt[C_AC_COUNT] = ac.len() as u64;
            cnt[C_AC_PACKED] = (out.len() - before) as u64;
        }
        if !dc.is_empty() {
            let bytes: Vec<u8> = dc.iter().flat_map(|v| v.to_le_bytes()).collect();
            let mut tmp = std::mem::take(&mut sc.bytes_b);
            zip_split_predict(&bytes, &mut tmp);
            cnt[C_DC_COUNT] = dc.len() as u64;
            cnt[C_DC_PACKED] = deflate_into(&tmp, ZLIB_LEVEL_DC, &mut out)? as u64;
            sc.bytes_b = tmp;
        }
        if !rle_raw.is_empty() {
            let mut runs = Vec::with_capacity(rle_raw.len() / 8 + 16);
            rle_encode(&rle_raw, &mut runs);
            cnt[C_RLE_RAW] = rle_raw.len() as u64;
            cnt[C_RLE_RUNS] = runs.len() as u64;
            cnt[C_RLE_PACKED] = deflate_into(&runs, ZLIB_LEVEL, &mut out)? as u64;
        }
        for (i, c) in cnt.iter().enumerate() {
            out[i * 8..i * 8 + 8].copy_from_slice(&c.to_le_bytes());
        }

        sc.u16_a = ac;
        sc.u16_b = dc;
        sc.f32_a = planes;
        sc.bytes_a = unknown;
        if out.len() >= uncompressed.len() {
            return Ok(uncompressed.to_vec());
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small deterministic PRNG for test data.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn unit(&mut self) -> f32 {
            (self.next() >> 40) as f32 / (1u64 << 24) as f32
        }
    }

    fn chan(name: &str, t: SampleType) -> DwaChannel {
        DwaChannel {
            name: name.into(),
            sample_type: t,
            x_sampling: 1,
            y_sampling: 1,
        }
    }

    /// Build a chunk in OpenEXR's uncompressed layout; `f(channel, x, y)`
    /// gives each sample (converted to the channel's type).
    fn make_chunk(
        chans: &[DwaChannel],
        x0: i32,
        y0: i32,
        w: usize,
        h: usize,
        f: impl Fn(usize, i32, i32) -> f64,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        for y in y0..y0 + h as i32 {
            for (ci, c) in chans.iter().enumerate() {
                if y.rem_euclid(c.y_sampling as i32) != 0 {
                    continue;
                }
                for x in x0..x0 + w as i32 {
                    if x.rem_euclid(c.x_sampling as i32) != 0 {
                        continue;
                    }
                    let v = f(ci, x, y);
                    match c.sample_type {
                        SampleType::F16 => out.extend_from_slice(&f32_to_half(v as f32).to_le_bytes()),
                        SampleType::F32 => out.extend_from_slice(&(v as f32).to_le_bytes()),
                        SampleType::U32 => out.extend_from_slice(&(v as u32).to_le_bytes()),
                    }
                }
            }
        }
        out
    }

    /// Decode a chunk's samples back to f64 in layout order.
    fn samples(chans: &[DwaChannel], y0: i32, h: usize, w: usize, bytes: &[u8]) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        let mut p = 0;
        for y in y0..y0 + h as i32 {
            for (ci, c) in chans.iter().enumerate() {
                if y.rem_euclid(c.y_sampling as i32) != 0 {
                    continue;
                }
                for _ in 0..w / c.x_sampling {
                    let v = match c.sample_type {
                        SampleType::F16 => {
                            p += 2;
                            half_to_f32(u16::from_le_bytes([bytes[p - 2], bytes[p - 1]])) as f64
                        }
                        SampleType::F32 => {
                            p += 4;
                            f32::from_le_bytes(bytes[p - 4..p].try_into().unwrap()) as f64
                        }
                        SampleType::U32 => {
                            p += 4;
                            u32::from_le_bytes(bytes[p - 4..p].try_into().unwrap()) as f64
                        }
                    };
                    out.push((ci, v));
                }
            }
        }
        assert_eq!(p, bytes.len());
        out
    }

    fn photo_like(ci: usize, x: i32, y: i32) -> f64 {
        let (xf, yf) = (x as f64, y as f64);
        0.3 + 0.25 * ((xf * 0.07 + ci as f64).sin() * (yf * 0.05).cos()) + 0.1 * (xf * 0.31 + yf * 0.17).sin()
    }

    #[test]
    fn half_conversions_are_exact() {
        for h in 0..=u16::MAX {
            let a = half_to_f32(h);
            let b = exr::prelude::f16::from_bits(h).to_f32();
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{h:#x}");
            if !a.is_nan() {
                assert_eq!(f32_to_half(a), h);
            }
        }
        let mut rng = Rng(7);
        for _ in 0..200_000 {
            let f = f32::from_bits(rng.next() as u32);
            if f.is_nan() {
                continue;
            }
            assert_eq!(f32_to_half(f), exr::prelude::f16::from_f32(f).to_bits(), "{f:e}");
        }
    }

    #[test]
    fn zigzag_is_the_jpeg_scan() {
        assert_eq!(&ZIGZAG[..12], &[0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25]);
        assert_eq!(&ZIGZAG[60..], &[61, 54, 47, 55, 62, 63][2..]);
        for k in 0..64 {
            assert_eq!(UNZIGZAG[ZIGZAG[k] as usize] as usize, k);
        }
    }

    #[test]
    fn curves_invert_each_other() {
        let c = curves();
        assert_eq!(c.to_linear[0], 0);
        assert_eq!(c.to_nonlinear[0x3c00], 0x3c00); // 1.0 is a fixed point
        for &v in &[0.01f32, 0.18, 0.5, 2.0, 40.0] {
            let h = f32_to_half(v);
            let back = half_to_f32(c.to_linear[c.to_nonlinear[h as usize] as usize]);
            assert!((back - v).abs() <= v * 0.01, "{v} -> {back}");
        }
        assert_eq!(c.to_nonlinear[0x7c00], 0); // infinities and NaNs map to zero
    }

    #[test]
    fn quantize_picks_fewest_bits_within_tolerance() {
        let mut rng = Rng(99);
        let cases = if cfg!(debug_assertions) { 1_000 } else { 20_000 };
        for _ in 0..cases {
            let h = (rng.next() as u16) & 0x7bff;
            let tol = rng.unit() * 0.02;
            let sf = half_to_f32(h);
            let q = quantize(h, tol, QuantTable::new(tol * 100000.0, &[1; 64], 1.0).zero_below[0]);
            // Within tolerance, and no value within tolerance has fewer bits.
            let qf = half_to_f32(q);
            assert!((qf - sf).abs() < tol || q == h, "{h:#x} {tol}");
            let best = (0..0x7c00u16)
                .filter(|&p| (half_to_f32(p) - sf).abs() < tol)
                .map(|p| p.count_ones())
                .min()
                .unwrap_or(h.count_ones());
            assert_eq!(q.count_ones(), best.min(h.count_ones()), "{h:#x} {tol} -> {q:#x}");
        }
        // Exhaustively against a direct search, for a spread of tolerances.
        let pats: Vec<u16> = (0..0x7c00).collect();
        for t in 0..40 {
            let tol = 1e-7 * 1.5f32.powi(t);
            if cfg!(debug_assertions) && t % 4 != 0 {
                continue;
            }
            let zero = QuantTable::new(tol * 100000.0, &[1; 64], 1.0).zero_below[0];
            for s in (zero.max(1)..0x7c00).step_by(7) {
                let sf = half_to_f32(s);
                // Both conditions are monotonic in the pattern: bisect.
                let lo = pats[..=s as usize].partition_point(|&p| sf - half_to_f32(p) >= tol) as u16;
                let hi = s + pats[s as usize..].partition_point(|&p| half_to_f32(p) - sf < tol) as u16 - 1;
                let want = cheapest_in_range(lo as u32, hi as u32, s as u32, |u, d| {
                    half_to_f32(u as u16) - sf < sf - half_to_f32(d as u16)
                });
                assert_eq!(quantize_magnitude(s, tol), want, "{s:#x} {tol}");
            }
        }
        assert_eq!(quantize(0x3c00, 0.0, 0), 0x3c00);
        assert_eq!(quantize(0x7c00, 1.0, 0x3c00), 0x7c00);
    }

    #[test]
    fn byte_rle_round_trip() {
        let mut rng = Rng(3);
        for len in [0usize, 1, 2, 3, 127, 128, 129, 300, 5000] {
            let data: Vec<u8> = (0..len)
                .map(|i| if (i / 37) % 2 == 0 { 7 } else { rng.next() as u8 & 3 })
                .collect();
            let mut enc = Vec::new();
            rle_encode(&data, &mut enc);
            let mut dec = vec![0u8; len];
            rle_decode(&enc, &mut dec).unwrap();
            assert_eq!(dec, data);
        }
        assert!(rle_decode(&[5], &mut [0u8; 6]).is_err());
        assert!(rle_decode(&[0x80, 1], &mut [0u8; 2]).is_err());
    }

    #[test]
    fn huffman_round_trip() {
        let mut rng = Rng(11);
        let mut sc = Scratch::default();
        let cases: Vec<Vec<u16>> = vec![
            vec![5],
            vec![0; 1000],
            vec![65535; 300],
            (0..20000).map(|_| (rng.next() % 7) as u16 * 1000).collect(),
            (0..20000).map(|_| rng.next() as u16).collect(),
            // Skewed distribution: long codes.
            (0..50000)
                .map(|i| {
                    if i % 3 == 0 {
                        (rng.next() as u16) | 0x8000
                    } else {
                        (i % 5) as u16
                    }
                })
                .collect(),
            // Fibonacci-like frequencies: very long codes.
            {
                let mut v = Vec::new();
                let (mut a, mut b) = (1usize, 1usize);
                for s in 0..25u16 {
                    v.extend(std::iter::repeat_n(s * 17, a));
                    (a, b) = (b, a + b);
                }
                v
            },
        ];
        for vals in cases {
            let mut enc = Vec::new();
            huf_compress(&vals, &mut enc, &mut sc).unwrap();
            let mut dec = Vec::new();
            huf_decompress(&enc, vals.len(), &mut dec, &mut Vec::new()).unwrap();
            assert_eq!(dec, vals);
            // Asking for more values than coded fails cleanly.
            assert!(huf_decompress(&enc, vals.len() + 1, &mut dec, &mut Vec::new()).is_err());
        }
    }

    fn round_trip(chans: &[DwaChannel], x0: i32, y0: i32, w: usize, h: usize, level: f32) -> (Vec<u8>, Vec<u8>) {
        let raw = make_chunk(chans, x0, y0, w, h, |c, x, y| {
            let v = photo_like(c, x, y);
            match chans[c].sample_type {
                SampleType::U32 => (v * 1000.0).round(),
                _ => v,
            }
        });
        let enc = compress(chans, x0, y0, w, h, &raw, level, false).unwrap();
        let dec = decompress(chans, x0, y0, w, h, &enc, raw.len()).unwrap();
        (raw, dec)
    }

    #[test]
    fn lossless_channels_are_exact() {
        use SampleType::*;
        let chans = [
            chan("A", F16),
            chan("Z", F32),
            chan("id", U32),
            chan("mask.A", F32),
            chan("n.x", F16),
            chan("o", U32),
        ];
        for &(w, h) in &[(1, 1), (37, 32), (64, 5)] {
            let (raw, dec) = round_trip(&chans, -3, 10, w, h, 45.0);
            assert_eq!(raw, dec);
        }
        // Alpha as uint goes through RLE too.
        let (raw, dec) = round_trip(&[chan("A", U32)], 0, 0, 40, 8, 45.0);
        assert_eq!(raw, dec);
    }

    #[test]
    fn lossy_channels_stay_close() {
        use SampleType::*;
        let layouts: Vec<Vec<DwaChannel>> = vec![
            vec![chan("B", F16), chan("G", F16), chan("R", F16)],
            vec![chan("A", F16), chan("B", F16), chan("G", F16), chan("R", F16)],
            vec![chan("B", F32), chan("G", F32), chan("R", F32)],
            vec![chan("B", F16), chan("G", F32), chan("R", F16)],
            vec![chan("Y", F16)],
            vec![chan("A", F16), chan("Y", F32)],
            vec![chan("R", F16)],
            vec![
                chan("a.B", F16),
                chan("a.G", F16),
                chan("a.R", F16),
                chan("b.R", F16),
                chan("b.G", F16),
            ],
        ];
        for chans in &layouts {
            for &(w, h, lvl) in &[
                (1usize, 1usize, 45.0f32),
                (7, 13, 45.0),
                (33, 32, 45.0),
                (64, 256, 100.0),
                (17, 9, 0.0),
            ] {
                let (raw, dec) = round_trip(chans, 5, -7, w, h, lvl);
                let a = samples(chans, -7, h, w, &raw);
                let b = samples(chans, -7, h, w, &dec);
                for ((ca, va), (_, vb)) in a.iter().zip(&b) {
                    let name = &chans[*ca].name;
                    let tol = if name.ends_with('A') {
                        0.0
                    } else {
                        0.02 + 0.1 * lvl as f64 / 45.0 * 0.1
                    };
                    assert!((va - vb).abs() <= tol, "{name} {w}x{h} lvl {lvl}: {va} vs {vb}");
                }
            }
        }
    }

    #[test]
    fn plinear_channels_skip_the_curve() {
        let chans = [chan("Y", SampleType::F16)];
        let (w, h) = (24, 16);
        let raw = make_chunk(&chans, 0, 0, w, h, photo_like);
        let lin = compress_with_plinear(&chans, &[true], 0, 0, w, h, &raw, 45.0, false).unwrap();
        let curved = compress(&chans, 0, 0, w, h, &raw, 45.0, false).unwrap();
        assert_ne!(lin, curved);
        let dec = decompress_with_plinear(&chans, &[true], 0, 0, w, h, &lin, raw.len()).unwrap();
        for ((_, a), (_, b)) in samples(&chans, 0, h, w, &raw)
            .iter()
            .zip(&samples(&chans, 0, h, w, &dec))
        {
            assert!((a - b).abs() < 0.02, "{a} vs {b}");
        }
    }

    #[test]
    fn subsampled_luminance_chroma() {
        let chans = [
            DwaChannel {
                name: "BY".into(),
                sample_type: SampleType::F16,
                x_sampling: 2,
                y_sampling: 2,
            },
            DwaChannel {
                name: "RY".into(),
                sample_type: SampleType::F16,
                x_sampling: 2,
                y_sampling: 2,
            },
            chan("Y", SampleType::F16),
        ];
        for &(y0, h) in &[(0, 32), (32, 32), (-6, 11)] {
            let (raw, dec) = round_trip(&chans, 0, y0, 20, h, 45.0);
            let a = samples(&chans, y0, h, 20, &raw);
            let b = samples(&chans, y0, h, 20, &dec);
            assert_eq!(a.len(), b.len());
            for ((_, va), (_, vb)) in a.iter().zip(&b) {
                assert!((va - vb).abs() < 0.03, "{va} vs {vb}");
            }
        }
    }

    #[test]
    fn raw_chunks_and_size_checks() {
        let chans = [chan("R", SampleType::F16)];
        let raw = make_chunk(&chans, 0, 0, 2, 1, |_, x, _| x as f64);
        // Too small to compress: stored raw, and read back raw.
        let enc = compress(&chans, 0, 0, 2, 1, &raw, 45.0, true).unwrap();
        assert_eq!(enc, raw);
        assert_eq!(decompress(&chans, 0, 0, 2, 1, &enc, raw.len()).unwrap(), raw);
        // Sizes that do not match the channels are errors.
        assert!(decompress(&chans, 0, 0, 2, 1, &enc, 5).is_err());
        assert!(compress(&chans, 0, 0, 3, 1, &raw, 45.0, false).is_err());
        let bad = DwaChannel {
            x_sampling: 0,
            ..chans[0].clone()
        };
        assert!(decompress(&[bad], 0, 0, 2, 1, &enc, 4).is_err());
        // Empty chunk.
        assert_eq!(compress(&[], 0, 0, 0, 0, &[], 45.0, false).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn corrupt_chunks_fail_cleanly() {
        use SampleType::*;
        let chans = [
            chan("A", F16),
            chan("B", F16),
            chan("G", F16),
            chan("R", F16),
            chan("Z", F32),
        ];
        let (w, h) = (45, 32);
        let raw = make_chunk(&chans, 0, 0, w, h, photo_like);
        let good = compress(&chans, 0, 0, w, h, &raw, 45.0, false).unwrap();
        assert!(good.len() < raw.len());
        let mut rng = Rng(1234);
        for round in 0..3000 {
            let mut bad = good.clone();
            match round % 5 {
                0 => {
                    let i = rng.next() as usize % bad.len();
                    bad[i] ^= 1 << (rng.next() % 8);
                }
                1 => bad.truncate(rng.next() as usize % bad.len()),
                2 => {
                    // Absurd header counters.
                    let slot = rng.next() as usize % NUM_COUNTERS;
                    let v = match rng.next() % 4 {
                        0 => u64::MAX,
                        1 => rng.next(),
                        2 => rng.next() % 1_000_000,
                        _ => 0,
                    };
                    bad[slot * 8..slot * 8 + 8].copy_from_slice(&v.to_le_bytes());
                }
                3 => {
                    for _ in 0..8 {
                        let i = rng.next() as usize % bad.len();
                        bad[i] = rng.next() as u8;
                    }
                }
                _ => {
                    let n = rng.next() as usize % 400;
                    bad = (0..n).map(|_| rng.next() as u8).collect();
                }
            }
            // Must not panic; either an error or some pixels of the right size.
            if let Ok(v) = decompress(&chans, 0, 0, w, h, &bad, raw.len()) {
                assert_eq!(v.len(), raw.len());
            }
        }
    }

    /// Tiny EXR reader/writer for the interop test: scanline files only.
    mod exrfile {
        pub struct File {
            pub bytes: Vec<u8>,
            pub header_end: usize,
            pub chunks: Vec<(i32, usize, usize)>,
        }

        pub fn read(path: &std::path::Path, lines_per_chunk: i32) -> File {
            let bytes = std::fs::read(path).unwrap();
            let rd = |p: usize| i32::from_le_bytes(bytes[p..p + 4].try_into().unwrap());
            let mut p = 8;
            let mut dw = [0i32; 4];
            while bytes[p] != 0 {
                let e = p + bytes[p..].iter().position(|&b| b == 0).unwrap();
                let name = bytes[p..e].to_vec();
                p = e + 1;
                p += bytes[p..].iter().position(|&b| b == 0).unwrap() + 1;
                let sz = rd(p) as usize;
                p += 4;
                if name == b"dataWindow" {
                    for (i, v) in dw.iter_mut().enumerate() {
                        *v = rd(p + 4 * i);
                    }
                }
                p += sz;
            }
            p += 1;
            let n = ((dw[3] - dw[1] + 1 + lines_per_chunk - 1) / lines_per_chunk) as usize;
            let chunks = (0..n)
                .map(|i| {
                    let o = u64::from_le_bytes(bytes[p + 8 * i..p + 8 * i + 8].try_into().unwrap()) as usize;
                    (rd(o), o + 8, rd(o + 4) as usize)
                })
                .collect();
            File {
                header_end: p,
                chunks,
                bytes,
            }
        }
    }

    /// Against the reference OpenImageIO/OpenEXR when it is installed: our
    /// decoder must give its pixels exactly, and it must read our chunks.
    #[test]
    fn reference_interop() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let tool = root.join(".ref/site/OpenImageIO/bin/oiiotool");
        if !tool.exists() {
            eprintln!("reference oiiotool not found; skipping");
            return;
        }
        let dir = std::env::temp_dir().join(format!("vfx_dwa_test_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let oiio = |args: &[&str]| {
            let st = std::process::Command::new(&tool)
                .args(args)
                .env("LD_LIBRARY_PATH", root.join(".ref/site/OpenImageIO/lib"))
                .status()
                .unwrap();
            assert!(st.success(), "oiiotool {args:?}");
        };
        let p = |n: &str| dir.join(n).to_str().unwrap().to_string();
        // A noisy RGBA + Z image of odd size.
        oiio(&[
            "--pattern",
            "fill:topleft=0.1,0.5,0.9:topright=0.8,0.2,0.1:bottomleft=0.3,0.3,0.3:bottomright=2,4,0.05",
            "83x71",
            "3",
            "--pattern",
            "noise:type=gaussian:mean=0:stddev=0.05",
            "83x71",
            "3",
            "--add",
            "--ch",
            "R,G,B,A=0.5,Z=R",
            "-d",
            "half",
            "-d",
            "Z=float",
            "--compression",
            "none",
            "-o",
            &p("src.exr"),
        ]);
        let chans = [
            chan("A", SampleType::F16),
            chan("B", SampleType::F16),
            chan("G", SampleType::F16),
            chan("R", SampleType::F16),
            chan("Z", SampleType::F32),
        ];
        for (comp, lines, level) in [("dwaa", 32, 45.0f32), ("dwab:100", 256, 100.0)] {
            oiio(&[&p("src.exr"), "--compression", comp, "-o", &p("dwa.exr")]);
            oiio(&[&p("dwa.exr"), "--compression", "none", "-o", &p("ref.exr")]);
            let dwa = exrfile::read(&dir.join("dwa.exr"), lines);
            let refd = exrfile::read(&dir.join("ref.exr"), 1);
            let src = exrfile::read(&dir.join("src.exr"), 1);
            let concat = |f: &exrfile::File| -> Vec<u8> {
                f.chunks
                    .iter()
                    .flat_map(|&(_, o, s)| f.bytes[o..o + s].to_vec())
                    .collect()
            };
            let (want, src_raw) = (concat(&refd), concat(&src));
            // Decode theirs.
            let mut ours = Vec::new();
            let mut pos = 0;
            let mut file = dwa.bytes[..dwa.header_end].to_vec();
            let mut body = Vec::new();
            for &(y, o, s) in &dwa.chunks {
                let h = (71 - y).min(lines) as usize;
                let len = h * 83 * (4 * 2 + 4);
                ours.extend(decompress(&chans, 0, y, 83, h, &dwa.bytes[o..o + s], len).unwrap());
                // Encode ours from the source pixels.
                let enc = compress(&chans, 0, y, 83, h, &src_raw[pos..pos + len], level, lines == 256).unwrap();
                pos += len;
                body.push((y, enc));
            }
            assert_eq!(ours, want, "{comp}: decoded pixels differ from the reference");
            let mut off = dwa.header_end + 8 * body.len();
            for (_, e) in &body {
                file.extend_from_slice(&(off as u64).to_le_bytes());
                off += 8 + e.len();
            }
            for (y, e) in &body {
                file.extend_from_slice(&y.to_le_bytes());
                file.extend_from_slice(&(e.len() as i32).to_le_bytes());
                file.extend_from_slice(e);
            }
            std::fs::write(dir.join("ours.exr"), file).unwrap();
            oiio(&[&p("ours.exr"), "--compression", "none", "-o", &p("ours_ref.exr")]);
            let back = concat(&exrfile::read(&dir.join("ours_ref.exr"), 1));
            // Our encoder follows the reference's, so the pixels are the same.
            assert_eq!(back, want, "{comp}: reference decodes our chunks differently");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
