//! JPEG XL writing, lossless.
//!
//! OIIO hands libjxl uint8, uint16 (uint32 is narrowed to it), half or
//! float (double is narrowed to it) pixels with 1, 3 or 4 channels (the
//! fourth becomes an alpha extra channel), with the `ICCProfile` attribute
//! embedded when there is one, else the colour encoding named by a `CICP`
//! attribute or by `oiio:ColorSpace` (else sRGB, linear sRGB for floating
//! point), and adds Exif and XMP boxes. We write the same container and
//! image header ourselves (the ICC profile with the simplest valid use of
//! JPEG XL's ICC codec); the frame is coded by `zune-jpegxl` (libjxl's fast
//! lossless mode, ported to Rust) for 8- and 16-bit samples, half samples
//! going through it as their 16-bit patterns, and by the small modular
//! encoder below (one context, gradient predictor, prefix codes) for float
//! samples and images one pixel wide or high, which `zune-jpegxl` cannot do.
//!
//! Deviations from OIIO (libjxl): every file is lossless — `compression`
//! "jpegxl:Q" below 100, `CompressionQuality`, `jpegxl:distance`,
//! `jpegxl:effort`, `jpegxl:speed` and `jpegxl:photon_noise_iso` do not
//! change the output (no pure-Rust lossy JPEG XL encoder is available under
//! a compatible licence), and files are larger than libjxl's at its default
//! effort; Exif and XMP boxes are stored uncompressed (libjxl compresses
//! them with Brotli, `jpegxl:compress_boxes`); `oiio:dither` is ignored.
//! Files under 128 bytes get a `free` box, as OIIO's reader rejects shorter
//! files.

use super::icc;
use crate::{IoError, WriteRequest};
use rayon::prelude::*;
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{BaseType, ImageSpec, TypeDesc};

// ---------------------------------------------------------------------------
// Bit writing

/// Bits packed least significant first, as JPEG XL reads them.
#[derive(Default)]
pub(super) struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

/// One of the four choices of a JPEG XL `U32` field.
#[derive(Clone, Copy)]
enum Dist {
    Val(u32),
    /// `n` bits plus an offset.
    Bits(u32, u32),
}

impl BitWriter {
    pub(super) fn put(&mut self, nbits: u32, v: u64) {
        debug_assert!(nbits <= 32 && (nbits == 32 || v >> nbits == 0));
        if nbits == 0 {
            return;
        }
        self.acc |= v << self.n;
        self.n += nbits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn bool(&mut self, b: bool) {
        self.put(1, u64::from(b));
    }

    fn zero_pad(&mut self) {
        if self.n > 0 {
            self.out.push(self.acc as u8);
            self.acc = 0;
            self.n = 0;
        }
    }

    /// A `U32` field: the first distribution able to hold `v`.
    fn u32(&mut self, v: u32, dists: [Dist; 4]) {
        for (sel, d) in dists.iter().enumerate() {
            match *d {
                Dist::Val(x) if x == v => {
                    self.put(2, sel as u64);
                    return;
                }
                Dist::Bits(n, off) if v >= off && u64::from(v - off) < 1u64 << n => {
                    self.put(2, sel as u64);
                    self.put(n, u64::from(v - off));
                    return;
                }
                _ => {}
            }
        }
        debug_assert!(false, "value {v} has no U32 encoding");
    }

    /// An enum value (`U32(0, 1, 2 + u(4), 18 + u(6))`).
    fn enumv(&mut self, v: u32) {
        self.u32(v, [Dist::Val(0), Dist::Val(1), Dist::Bits(4, 2), Dist::Bits(6, 18)]);
    }

    pub(super) fn into_bytes(mut self) -> Vec<u8> {
        self.zero_pad();
        self.out
    }
}

// ---------------------------------------------------------------------------
// Headers

/// How samples are stored.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stored {
    U8,
    U16,
    F16,
    F32,
}

impl Stored {
    fn bytes(self) -> usize {
        match self {
            Stored::U8 => 1,
            Stored::U16 | Stored::F16 => 2,
            Stored::F32 => 4,
        }
    }
}

/// The colour encoding written in the image header.
#[derive(Clone, Debug)]
struct Colour {
    gray: bool,
    /// An ICC profile to embed instead of the enum fields.
    icc: Option<Vec<u8>>,
    white_point: u32,
    primaries: u32,
    tf: u32,
    intent: u32,
}

fn write_bit_depth(bw: &mut BitWriter, st: Stored) {
    match st {
        Stored::U8 | Stored::U16 => {
            bw.bool(false);
            let bits = if st == Stored::U8 { 8 } else { 16 };
            bw.u32(bits, [Dist::Val(8), Dist::Val(10), Dist::Val(12), Dist::Bits(6, 1)]);
        }
        Stored::F16 | Stored::F32 => {
            bw.bool(true);
            let (bits, exp) = if st == Stored::F16 { (16, 5) } else { (32, 8) };
            bw.u32(bits, [Dist::Val(32), Dist::Val(16), Dist::Val(24), Dist::Bits(6, 1)]);
            bw.put(4, exp - 1);
        }
    }
}

/// Signature, SizeHeader and ImageMetadata, padded to a byte.
fn image_header(w: u32, h: u32, st: Stored, nextra: u32, colour: &Colour, orientation: u32) -> Vec<u8> {
    let mut bw = BitWriter::default();
    bw.put(8, 0xff);
    bw.put(8, 0x0a);
    let size = [
        Dist::Bits(9, 1),
        Dist::Bits(13, 1),
        Dist::Bits(18, 1),
        Dist::Bits(30, 1),
    ];
    bw.bool(false); // not small
    bw.u32(h, size);
    bw.put(3, 0); // no ratio
    bw.u32(w, size);
    bw.bool(false); // metadata not all default
    bw.bool(orientation != 1); // extra fields:
    if orientation != 1 {
        bw.put(3, u64::from(orientation - 1));
        bw.put(3, 0); // no intrinsic size, preview, animation
    }
    write_bit_depth(&mut bw, st);
    bw.bool(st == Stored::U8); // 16-bit buffers suffice
    bw.u32(
        nextra,
        [Dist::Val(0), Dist::Val(1), Dist::Bits(4, 2), Dist::Bits(12, 1)],
    );
    for _ in 0..nextra {
        if st == Stored::U8 {
            bw.bool(true); // default: 8-bit unassociated alpha
        } else {
            bw.bool(false);
            bw.enumv(0); // alpha
            write_bit_depth(&mut bw, st);
            bw.u32(0, [Dist::Val(0), Dist::Val(3), Dist::Val(4), Dist::Bits(3, 1)]); // dim shift
            bw.u32(
                0,
                [Dist::Val(0), Dist::Bits(4, 0), Dist::Bits(5, 16), Dist::Bits(10, 48)],
            ); // name
            bw.bool(false); // not premultiplied
        }
    }
    bw.bool(false); // not XYB
    let c = colour;
    let default = c.icc.is_none()
        && !c.gray
        && c.white_point == icc::WP_D65
        && c.primaries == icc::PR_SRGB
        && c.tf == icc::TF_SRGB
        && c.intent == 1;
    bw.bool(default);
    if c.icc.is_some() {
        bw.bool(true); // ICC profile follows the metadata
        bw.enumv(u32::from(c.gray));
    } else if !default {
        bw.bool(false); // no ICC
        bw.enumv(u32::from(c.gray));
        bw.enumv(c.white_point);
        if !c.gray {
            bw.enumv(c.primaries);
        }
        bw.bool(false); // no gamma
        bw.enumv(c.tf);
        bw.enumv(c.intent);
    }
    if orientation != 1 {
        bw.bool(true); // default tone mapping
    }
    bw.put(2, 0); // no extensions
    bw.bool(true); // default transform data
    if let Some(profile) = &c.icc {
        write_icc(&mut bw, profile);
    }
    bw.into_bytes()
}

/// A `U64` field.
fn write_u64(bw: &mut BitWriter, v: u64) {
    match v {
        0 => bw.put(2, 0),
        1..=16 => {
            bw.put(2, 1);
            bw.put(4, v - 1);
        }
        17..=272 => {
            bw.put(2, 2);
            bw.put(8, v - 17);
        }
        _ => {
            bw.put(2, 3);
            bw.put(12, v & 0xfff);
            let mut rest = v >> 12;
            let mut shift = 12;
            while rest != 0 {
                bw.bool(true);
                if shift == 60 {
                    bw.put(4, rest & 15);
                    return;
                }
                bw.put(8, rest & 255);
                rest >>= 8;
                shift += 8;
            }
            bw.bool(false);
        }
    }
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The ICC codec's byte stream for a profile, in its simplest valid form:
/// the 128 header bytes as differences from the codec's predicted header,
/// no tag list, then one "insert" command carrying the rest verbatim.
fn predict_icc(icc: &[u8]) -> Vec<u8> {
    let osize = icc.len();
    let mut commands = Vec::new();
    if osize > 128 {
        push_varint(&mut commands, 0); // no tag list
        commands.push(1); // insert...
        push_varint(&mut commands, (osize - 128) as u64); // ... the rest
    }
    let mut out = Vec::with_capacity(osize + 16);
    push_varint(&mut out, osize as u64);
    push_varint(&mut out, commands.len() as u64);
    out.extend_from_slice(&commands);
    // The predicted header: size, version 4, "mntr", "RGB ", "XYZ ",
    // "acsp", the D50 illuminant; bytes 80..84 repeat the CMM (4..8) and
    // a few platform signatures complete themselves.
    let mut pred = [0u8; 128];
    pred[..4].copy_from_slice(&(osize as u32).to_be_bytes());
    pred[8] = 4;
    pred[12..24].copy_from_slice(b"mntrRGB XYZ ");
    pred[36..40].copy_from_slice(b"acsp");
    pred[68..80].copy_from_slice(&[0, 0, 246, 214, 0, 1, 0, 0, 0, 0, 211, 45]);
    for i in 0..128 {
        if i == 8 {
            pred[80..84].copy_from_slice(&icc[4..8]);
        }
        if i == 41 {
            match icc[40] {
                b'A' => pred[41..44].copy_from_slice(b"PPL"),
                b'M' => pred[41..44].copy_from_slice(b"SFT"),
                _ => {}
            }
        }
        if i == 42 && icc[40] == b'S' {
            match icc[41] {
                b'G' => pred[42..44].copy_from_slice(b"I "),
                b'U' => pred[42..44].copy_from_slice(b"NW"),
                _ => {}
            }
        }
        out.push(icc[i].wrapping_sub(pred[i]));
    }
    out.extend_from_slice(&icc[128..]);
    out
}

/// The ICC profile stream: its length, one prefix code over byte values
/// (all 41 contexts share it), the bytes.
fn write_icc(bw: &mut BitWriter, icc: &[u8]) {
    let enc = predict_icc(icc);
    write_u64(bw, enc.len() as u64);
    bw.bool(false); // no LZ77
    bw.bool(true); // simple context map:
    bw.put(2, 0); // every context in cluster 0
    bw.bool(true); // prefix codes
    bw.put(4, 8); // split exponent 8: tokens are the byte values
    bw.put(4, 0);
    bw.put(4, 0);
    let mut counts = [0u64; 256];
    for &b in &enc {
        counts[usize::from(b)] += 1;
    }
    let alphabet = counts.iter().rposition(|&c| c > 0).map_or(1, |i| i + 1);
    write_alphabet_size(bw, alphabet);
    let code = PrefixCode::new(&counts[..alphabet]);
    code.write(bw, &counts[..alphabet], alphabet);
    for &b in &enc {
        code.write_symbol(bw, usize::from(b));
    }
}

/// Frame header of a lossless modular frame, plus its table of contents.
fn frame_header(nextra: u32, sections: &[usize]) -> Vec<u8> {
    let mut bw = BitWriter::default();
    bw.bool(false); // not all default
    bw.put(2, 0); // regular frame
    bw.put(1, 1); // modular
    bw.put(2, 0); // no flags
    bw.bool(false); // no YCbCr
    bw.put(2, 0); // no upsampling
    for _ in 0..nextra {
        bw.put(2, 0);
    }
    bw.put(2, 1); // 256x256 groups
    bw.put(2, 0); // one pass
    bw.bool(false); // no crop
    bw.put(2, 0); // replace
    for _ in 0..nextra {
        bw.put(2, 0);
    }
    bw.bool(true); // last frame
    bw.put(2, 0); // no name
    bw.bool(false); // restoration filter not default:
    bw.bool(false); // no gaborish
    bw.put(2, 0); // no edge-preserving filter
    bw.put(2, 0); // no extensions
    bw.put(2, 0); // no frame header extensions
    bw.bool(false); // TOC not permuted
    bw.zero_pad();
    for &s in sections {
        bw.u32(
            s as u32,
            [
                Dist::Bits(10, 0),
                Dist::Bits(14, 1024),
                Dist::Bits(22, 17408),
                Dist::Bits(30, 4_211_712),
            ],
        );
    }
    bw.into_bytes()
}

// ---------------------------------------------------------------------------
// Prefix codes (Brotli's format, as JPEG XL uses them)

/// Code lengths (at most `max_len` bits) for symbol counts: Huffman, with
/// counts flattened until the limit holds.
fn code_lengths(counts: &[u64], max_len: u8) -> Vec<u8> {
    let mut c: Vec<u64> = counts.to_vec();
    loop {
        let lens = huffman_lengths(&c);
        if lens.iter().all(|&l| l <= max_len) {
            return lens;
        }
        for v in c.iter_mut().filter(|v| **v > 0) {
            *v = (*v).div_ceil(2);
        }
    }
}

fn huffman_lengths(counts: &[u64]) -> Vec<u8> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut lens = vec![0u8; counts.len()];
    let used: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    if used.len() == 1 {
        lens[used[0]] = 1;
    }
    if used.len() <= 1 {
        return lens;
    }
    // Nodes: leaves first, then merged nodes; parent links give depths.
    let mut parent: Vec<usize> = vec![usize::MAX; used.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> =
        used.iter().enumerate().map(|(k, &i)| Reverse((counts[i], k))).collect();
    while heap.len() > 1 {
        let Reverse((wa, a)) = heap.pop().unwrap_or(Reverse((0, 0)));
        let Reverse((wb, b)) = heap.pop().unwrap_or(Reverse((0, 0)));
        let id = parent.len();
        parent.push(usize::MAX);
        parent[a] = id;
        parent[b] = id;
        heap.push(Reverse((wa + wb, id)));
    }
    for (k, &i) in used.iter().enumerate() {
        let mut d = 0u8;
        let mut n = k;
        while parent[n] != usize::MAX {
            n = parent[n];
            d = d.saturating_add(1);
        }
        lens[i] = d;
    }
    lens
}

/// Canonical codes for lengths, bit-reversed for LSB-first writing.
fn canonical_codes(lens: &[u8]) -> Vec<u32> {
    let mut codes = vec![0u32; lens.len()];
    let mut code = 0u32;
    for len in 1..=15u8 {
        for (i, &l) in lens.iter().enumerate() {
            if l == len {
                codes[i] = reverse_bits(code, len);
                code += 1;
            }
        }
        code <<= 1;
    }
    codes
}

fn reverse_bits(v: u32, n: u8) -> u32 {
    if n == 0 {
        0
    } else {
        v.reverse_bits() >> (32 - u32::from(n))
    }
}

/// A prefix code over an alphabet: lengths and LSB-first codes.
struct PrefixCode {
    lens: Vec<u8>,
    codes: Vec<u32>,
}

impl PrefixCode {
    fn new(counts: &[u64]) -> PrefixCode {
        let mut lens = code_lengths(counts, 15);
        if lens.iter().filter(|&&l| l > 0).count() == 1 {
            // A lone symbol is written with a simple code: zero bits.
            lens.iter_mut().for_each(|l| *l = 0);
        }
        let codes = canonical_codes(&lens);
        PrefixCode { lens, codes }
    }

    fn write_symbol(&self, bw: &mut BitWriter, s: usize) {
        bw.put(u32::from(self.lens[s]), u64::from(self.codes[s]));
    }

    /// The code description for an alphabet of `alphabet` symbols.
    fn write(&self, bw: &mut BitWriter, counts: &[u64], alphabet: usize) {
        if alphabet <= 1 {
            return; // a one-symbol alphabet has no code description
        }
        let used: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
        if used.len() <= 1 {
            let max_bits = if alphabet > 1 {
                usize::BITS - (alphabet - 1).leading_zeros()
            } else {
                0
            };
            bw.put(2, 1); // simple code
            bw.put(2, 0); // one symbol
            bw.put(max_bits, used.first().copied().unwrap_or(0) as u64);
            return;
        }
        bw.put(2, 0); // complex code, no skipped code-length codes
        let last = used[used.len() - 1];
        let mut freq = [0u64; 18];
        for &l in &self.lens[..=last] {
            freq[usize::from(l)] += 1;
        }
        let mut cl_lens = code_lengths(&freq, 5);
        let single = cl_lens.iter().filter(|&&l| l > 0).count() == 1;
        let cl_codes = canonical_codes(&cl_lens);
        const ORDER: [usize; 18] = [1, 2, 3, 4, 0, 5, 17, 6, 16, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        // Code-length-code lengths, in their own fixed prefix code.
        const FIXED: [(u32, u64); 6] = [(2, 0b00), (4, 0b0111), (3, 0b011), (2, 0b10), (2, 0b01), (4, 0b1111)];
        let mut space = 32i32;
        for &sym in &ORDER {
            let l = cl_lens[sym];
            let (n, v) = FIXED[usize::from(l)];
            bw.put(n, v);
            if l > 0 {
                space -= 32 >> l;
            }
            if !single && space <= 0 {
                break;
            }
        }
        if single {
            // One code length: it takes zero bits per symbol.
            cl_lens.iter_mut().for_each(|l| *l = 0);
        }
        for &l in &self.lens[..=last] {
            let s = usize::from(l);
            bw.put(u32::from(cl_lens[s]), u64::from(cl_codes[s]));
        }
    }
}

/// Alphabet size field of a histogram (prefix-code mode).
fn write_alphabet_size(bw: &mut BitWriter, count: usize) {
    if count <= 1 {
        bw.bool(false);
        return;
    }
    bw.bool(true);
    let n = usize::BITS - 1 - (count - 1).leading_zeros();
    bw.put(4, u64::from(n));
    bw.put(n, (count - 1 - (1 << n)) as u64);
}

/// Hybrid-uint token for `v` with split exponent 4, 2 msb in token.
fn hybrid_token(v: u32) -> (u16, u32, u32) {
    const SPLIT_EXP: u32 = 4;
    const MSB: u32 = 2;
    if v < 1 << SPLIT_EXP {
        return (v as u16, 0, 0);
    }
    let top = 31 - v.leading_zeros();
    let n = top - MSB;
    let high = (v >> n) & ((1 << MSB) - 1);
    let token = (1 << SPLIT_EXP) + ((top - SPLIT_EXP) << MSB) + high;
    (token as u16, n, v & ((1 << n) - 1))
}

/// Tokens of the data: (token, extra bit count, extra bits).
type Tokens = Vec<(u16, u32, u32)>;

fn pack_signed(r: i64) -> u32 {
    if r >= 0 {
        (r as u32) << 1
    } else {
        ((-r as u64) * 2 - 1) as u32
    }
}

/// Residual tokens of a rectangle of one channel, gradient predictor
/// (`gradient`) or none; `None` when a residual does not fit 32 bits.
fn rect_tokens(
    plane: &[i32],
    stride: usize,
    (x0, y0, w, h): (usize, usize, usize, usize),
    gradient: bool,
    out: &mut Tokens,
    hist: &mut [u64],
) -> Option<()> {
    for y in 0..h {
        let row = &plane[(y0 + y) * stride + x0..][..w];
        let prev = (y > 0).then(|| &plane[(y0 + y - 1) * stride + x0..][..w]);
        for x in 0..w {
            let v = i64::from(row[x]);
            let pred = if !gradient {
                0
            } else {
                let wv = if x > 0 {
                    i64::from(row[x - 1])
                } else {
                    prev.map_or(0, |p| i64::from(p[x]))
                };
                let n = prev.map_or(wv, |p| i64::from(p[x]));
                let nw = match (x > 0, prev) {
                    (true, Some(p)) => i64::from(p[x - 1]),
                    _ => wv,
                };
                (wv + n - nw).clamp(wv.min(n), wv.max(n))
            };
            let r = v - pred;
            if r < i64::from(i32::MIN) || r > i64::from(i32::MAX) {
                return None;
            }
            let t = hybrid_token(pack_signed(r));
            hist[usize::from(t.0)] += 1;
            out.push(t);
        }
    }
    Some(())
}

const ALPHABET: usize = 128;

/// A lossless modular frame (header, TOC and sections) coding the planes
/// (`w x h` samples each) with one context and the gradient predictor.
fn modular_frame(planes: &[Vec<i32>], w: usize, h: usize, nextra: u32) -> Vec<u8> {
    let gdim = 256usize;
    let (gx, gy) = (w.div_ceil(gdim), h.div_ceil(gdim));
    let rects: Vec<(usize, usize, usize, usize)> = (0..gx * gy)
        .map(|g| {
            let (x0, y0) = ((g % gx) * gdim, (g / gx) * gdim);
            (x0, y0, gdim.min(w - x0), gdim.min(h - y0))
        })
        .collect();
    let tokenize = |gradient: bool| -> Option<Vec<(Tokens, Vec<u64>)>> {
        rects
            .par_iter()
            .map(|&r| {
                let mut toks = Tokens::with_capacity(r.2 * r.3 * planes.len());
                let mut hist = vec![0u64; ALPHABET];
                for p in planes {
                    rect_tokens(p, w, r, gradient, &mut toks, &mut hist)?;
                }
                Some((toks, hist))
            })
            .collect()
    };
    let (groups, gradient) = match tokenize(true) {
        Some(g) => (g, true),
        None => (tokenize(false).unwrap_or_default(), false),
    };
    let mut hist = vec![0u64; ALPHABET];
    for (_, h) in &groups {
        for (a, b) in hist.iter_mut().zip(h) {
            *a += b;
        }
    }
    let alphabet = hist.iter().rposition(|&c| c > 0).map_or(1, |i| i + 1);
    let code = PrefixCode::new(&hist[..alphabet]);

    // LfGlobal: dequantisation defaults, the MA tree (one leaf), the
    // histogram, the global modular header.
    let mut g = BitWriter::default();
    g.bool(true); // default LF dequantisation
    g.bool(true); // global tree follows
    g.bool(false); // tree stream: no LZ77
    g.bool(true); // simple context map:
    g.put(2, 0); // all six contexts in one cluster
    g.bool(true); // prefix codes
    g.put(4, 0); // hybrid uint config 0/0/0
                 // Tree tokens: leaf (0), predictor (gradient 5 → token 3 + 2 bits), offset, mul_log, mul_bits.
    if gradient {
        write_alphabet_size(&mut g, 4);
        g.put(2, 1); // simple code
        g.put(2, 1); // two symbols
        g.put(2, 0);
        g.put(2, 3);
        g.put(1, 0); // leaf
        g.put(1, 1); // token 3...
        g.put(2, 1); // ... = predictor 5
        g.put(3, 0); // offset, mul_log, mul_bits: 0
    } else {
        write_alphabet_size(&mut g, 1); // only token 0: no code, no bits
    }
    // Histogram of the one leaf context.
    g.bool(false); // no LZ77
    g.bool(true); // prefix codes
    g.put(4, 4); // split exponent 4
    g.put(3, 2); // 2 msb in token
    g.put(2, 0); // no lsb in token
    write_alphabet_size(&mut g, alphabet);
    code.write(&mut g, &hist[..alphabet], alphabet);
    let group_header = |bw: &mut BitWriter| {
        bw.bool(true); // use the global tree
        bw.bool(true); // default weighted-predictor parameters
        bw.put(2, 0); // no transforms
    };
    group_header(&mut g);

    let write_tokens = |bw: &mut BitWriter, toks: &Tokens| {
        for &(t, n, bits) in toks {
            code.write_symbol(bw, usize::from(t));
            bw.put(n, u64::from(bits));
        }
    };
    let mut sections: Vec<Vec<u8>> = Vec::new();
    if groups.len() == 1 {
        write_tokens(&mut g, &groups[0].0);
        sections.push(g.into_bytes());
    } else {
        sections.push(g.into_bytes());
        let lf_groups = w.div_ceil(2048) * h.div_ceil(2048);
        sections.extend(std::iter::repeat_n(Vec::new(), lf_groups + 1));
        let coded: Vec<Vec<u8>> = groups
            .par_iter()
            .map(|(toks, _)| {
                let mut bw = BitWriter::default();
                group_header(&mut bw);
                write_tokens(&mut bw, toks);
                bw.into_bytes()
            })
            .collect();
        sections.extend(coded);
    }
    let sizes: Vec<usize> = sections.iter().map(Vec::len).collect();
    let mut out = frame_header(nextra, &sizes);
    for s in sections {
        out.extend_from_slice(&s);
    }
    out
}

/// Bits of the image header `zune-jpegxl` writes before its frame.
fn zune_header_bytes(w: usize, h: usize, st: Stored, channels: usize) -> usize {
    let size_bits = |s: usize| {
        2 + match s - 1 {
            v if v < 1 << 9 => 9,
            v if v < 1 << 13 => 13,
            v if v < 1 << 18 => 18,
            _ => 30,
        }
    };
    let mut bits: usize = 16 + 1 + size_bits(h) + 3 + size_bits(w);
    bits += 3 + if st == Stored::U8 { 2 } else { 8 } + 1;
    bits += if channels == 2 || channels == 4 { 3 } else { 2 };
    bits += 1 + if channels > 2 { 1 } else { 15 } + 2 + 1;
    bits.div_ceil(8)
}

/// The frame `zune-jpegxl` codes for interleaved 8/16-bit samples.
fn zune_frame(data: &[u8], w: usize, h: usize, st: Stored, channels: usize) -> Result<Vec<u8>, IoError> {
    use zune_core::bit_depth::BitDepth;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::EncoderOptions;
    let cs = match channels {
        1 => ColorSpace::Luma,
        3 => ColorSpace::RGB,
        _ => ColorSpace::RGBA,
    };
    let depth = if st == Stored::U8 {
        BitDepth::Eight
    } else {
        BitDepth::Sixteen
    };
    let threads = rayon::current_num_threads().clamp(1, 255) as u8;
    let opts = EncoderOptions::new(w, h, cs, depth).set_num_threads(threads);
    let mut out = Vec::new();
    zune_jpegxl::JxlSimpleEncoder::new(data, opts)
        .encode(&mut out)
        .map_err(|e| IoError::Write(format!("JPEG XL encoding failed: {e:?}")))?;
    let skip = zune_header_bytes(w, h, st, channels);
    out.get(skip..)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| IoError::Write("JPEG XL encoding failed".into()))
}

/// One codestream for interleaved samples stored as `st`.
fn codestream(
    data: &[u8],
    w: usize,
    h: usize,
    channels: usize,
    st: Stored,
    colour: &Colour,
) -> Result<Vec<u8>, IoError> {
    let nextra = u32::from(channels == 4);
    let mut out = image_header(w as u32, h as u32, st, nextra, colour, 1);
    if st != Stored::F32 && w >= 2 && h >= 2 {
        out.extend_from_slice(&zune_frame(data, w, h, st, channels)?);
        return Ok(out);
    }
    let bps = st.bytes();
    let planes: Vec<Vec<i32>> = (0..channels)
        .map(|c| {
            (0..w * h)
                .map(|i| {
                    let at = (i * channels + c) * bps;
                    let b = &data[at..at + bps];
                    match st {
                        Stored::U8 => i32::from(b[0]),
                        Stored::U16 | Stored::F16 => i32::from(u16::from_ne_bytes([b[0], b[1]])),
                        Stored::F32 => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as i32,
                    }
                })
                .collect()
        })
        .collect();
    out.extend_from_slice(&modular_frame(&planes, w, h, nextra));
    Ok(out)
}

/// A bare 8-bit RGB codestream whose header asks for an EXIF orientation
/// (tests: OIIO shows such images oriented).
#[cfg(test)]
pub(super) fn oriented_codestream(data: &[u8], w: usize, h: usize, orientation: u32) -> Vec<u8> {
    let colour = Colour {
        gray: false,
        icc: None,
        white_point: icc::WP_D65,
        primaries: icc::PR_SRGB,
        tf: icc::TF_SRGB,
        intent: 1,
    };
    let mut out = image_header(w as u32, h as u32, Stored::U8, 0, &colour, orientation);
    let planes: Vec<Vec<i32>> = (0..3)
        .map(|c| (0..w * h).map(|i| i32::from(data[i * 3 + c])).collect())
        .collect();
    out.extend_from_slice(&modular_frame(&planes, w, h, 0));
    out
}

// ---------------------------------------------------------------------------
// The file

fn push_box(out: &mut Vec<u8>, ty: &[u8; 4], payload: &[u8]) {
    out.extend_from_slice(&((payload.len() + 8) as u32).to_be_bytes());
    out.extend_from_slice(ty);
    out.extend_from_slice(payload);
}

/// The colour encoding OIIO asks libjxl for: CICP codes (an explicit `CICP`
/// attribute or those of `oiio:ColorSpace`) when JPEG XL can express them,
/// else libjxl's default.
fn choose_colour(spec: &ImageSpec, gray: bool, float: bool) -> Result<Colour, IoError> {
    if let Some(profile) = meta::icc_profile(spec) {
        // libjxl takes a profile of at least a header, for the image's
        // kind of colour (it fails otherwise and OIIO goes on without).
        let space: &[u8] = if gray { b"GRAY" } else { b"RGB " };
        if profile.len() >= 128 && &profile[16..20] == space {
            return Ok(Colour {
                gray,
                icc: Some(profile),
                white_point: icc::WP_D65,
                primaries: icc::PR_SRGB,
                tf: icc::TF_SRGB,
                intent: 1,
            });
        }
    }
    let default = Colour {
        gray,
        icc: None,
        white_point: icc::WP_D65,
        primaries: icc::PR_SRGB,
        tf: if float { icc::TF_LINEAR } else { icc::TF_SRGB },
        intent: 1,
    };
    let Some(cicp) = meta::colorspace_cicp(spec, true) else {
        return Ok(default);
    };
    let (primaries, white_point) = match cicp[0] {
        11 => (icc::PR_P3, icc::WP_DCI),
        12 => (icc::PR_P3, icc::WP_D65),
        p => (p as u32, icc::WP_D65),
    };
    let tf = cicp[1] as u32;
    let ok_p = matches!(primaries, icc::PR_SRGB | icc::PR_2100 | icc::PR_P3);
    let ok_tf = matches!(
        tf,
        icc::TF_709 | icc::TF_UNKNOWN | icc::TF_LINEAR | icc::TF_SRGB | icc::TF_PQ | icc::TF_DCI | icc::TF_HLG
    );
    if !(ok_p && ok_tf) {
        return Ok(default);
    }
    if gray {
        // libjxl refuses an RGB encoding for a grey image.
        return Err(IoError::Write("JxlEncoderSetColorEncoding failed".into()));
    }
    Ok(Colour {
        gray,
        icc: None,
        white_point,
        primaries,
        tf,
        intent: 0,
    })
}

pub fn write_request(path: &Path, req: &WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("jpegxl: nothing to write".into()))?;
    let bytes = encode_file(level.spec, level.pixels)?;
    std::fs::write(path, bytes).map_err(|_| IoError::Write(format!("Could not open \"{}\"", path.display())))
}

/// OIIO's limits for the JPEG XL writer.
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let bad = |m: String| Err(IoError::Unsupported(m));
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let max = (1 << 30) - 1;
    if w <= 0 || h <= 0 {
        return bad(format!(
            "jpegxl image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if w > max || h > max {
        return bad(format!(
            "jpegxl image resolution may not exceed {max}x{max}, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("jpegxl does not support volume images (depth > 1)".into());
    }
    if !(0..=4099).contains(&n) {
        return bad(format!("jpegxl does not support {n}-channel images"));
    }
    Ok(())
}

/// A whole .jxl file for one image.
pub(super) fn encode_file(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
    check_output(spec)?;
    let (st, store_ty) = match spec.format.basetype {
        BaseType::UInt8 => (Stored::U8, TypeDesc::UINT8),
        BaseType::UInt16 | BaseType::UInt32 => (Stored::U16, TypeDesc::UINT16),
        BaseType::Half => (Stored::F16, TypeDesc::HALF),
        BaseType::Float | BaseType::Double => (Stored::F32, TypeDesc::FLOAT),
        _ => return Err(IoError::Unsupported(format!("Unsupported data type {}", spec.format))),
    };
    let (w, h, n) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    match n {
        1 | 3 | 4 => {}
        2 => return Err(IoError::Write("JxlEncoderAddImageFrame failed with error 129".into())),
        _ => return Err(IoError::Write("JxlEncoderProcessOutput failed with error 129".into())),
    }
    let nvals = w * h * n;
    let data: std::borrow::Cow<[u8]> = if spec.format == store_ty {
        std::borrow::Cow::Borrowed(
            pixels
                .get(..nvals * st.bytes())
                .ok_or_else(|| IoError::Write("jpegxl: too few pixels".into()))?,
        )
    } else {
        let src = pixels
            .get(..nvals * spec.format.size())
            .ok_or_else(|| IoError::Write("jpegxl: too few pixels".into()))?;
        let mut v = vec![0u8; nvals * st.bytes()];
        convert_bytes(src, spec.format.basetype, &mut v, store_ty.basetype);
        std::borrow::Cow::Owned(v)
    };
    let colour = choose_colour(spec, n == 1, matches!(st, Stored::F16 | Stored::F32))?;
    let cs = codestream(&data, w, h, n, st, &colour)?;

    let mut out = Vec::with_capacity(cs.len() + 256);
    push_box(&mut out, b"JXL ", &[0x0d, 0x0a, 0x87, 0x0a]);
    push_box(&mut out, b"ftyp", b"jxl \0\0\0\0jxl ");
    if st == Stored::F32 {
        push_box(&mut out, b"jxll", &[10]);
    }
    if spec.get_int_attribute("jpegxl:use_boxes", 1) == 1 {
        if spec.get_int_attribute("jpegxl:exif_box", 1) == 1 {
            if let Some(exif) = meta::encode_exif(spec) {
                let mut payload = vec![0u8; 4];
                payload.extend_from_slice(&exif);
                push_box(&mut out, b"Exif", &payload);
            }
        }
        if spec.get_int_attribute("jpegxl:xmp_box", 1) == 1 {
            let xmp = meta::encode_xmp(spec);
            if !xmp.is_empty() {
                push_box(&mut out, b"xml ", xmp.as_bytes());
            }
        }
    }
    // OIIO (and so the reference) rejects files under 128 bytes: pad tiny
    // images with a free box, which readers skip.
    if out.len() + cs.len() + 8 < 128 {
        let pad = 128usize.saturating_sub(out.len() + cs.len() + 16);
        push_box(&mut out, b"free", &vec![0u8; pad]);
    }
    push_box(&mut out, b"jxlc", &cs);
    Ok(out)
}

#[cfg(any(feature = "png", feature = "jpeg"))]
mod meta {
    use vfx_core::ImageSpec;

    pub fn colorspace_cicp(spec: &ImageSpec, from_colorspace: bool) -> Option<[i32; 4]> {
        crate::formats::meta_exif::colorspace_cicp(spec, from_colorspace)
    }

    pub fn icc_profile(spec: &ImageSpec) -> Option<Vec<u8>> {
        let p = spec
            .extra_attribs
            .get("ICCProfile", vfx_core::TypeDesc::UNKNOWN, false)?;
        crate::formats::meta_exif::param_bytes(p)
    }

    pub fn encode_exif(spec: &ImageSpec) -> Option<Vec<u8>> {
        Some(crate::formats::meta_exif::encode_exif(spec, false))
    }

    pub fn encode_xmp(spec: &ImageSpec) -> String {
        crate::formats::meta_xmp::encode_xmp(spec, true)
    }
}

#[cfg(not(any(feature = "png", feature = "jpeg")))]
mod meta {
    //! Without the shared metadata modules: an explicit `CICP` attribute is
    //! honoured, no Exif or XMP is written.
    use vfx_core::{Aggregate, BaseType, ImageSpec, TypeDesc, VecSemantics};

    pub fn icc_profile(spec: &ImageSpec) -> Option<Vec<u8>> {
        let p = spec.extra_attribs.get("ICCProfile", TypeDesc::UNKNOWN, false)?;
        (p.type_desc().basetype == BaseType::UInt8).then(|| (0..p.count()).map(|i| p.get(i).as_i64() as u8).collect())
    }

    pub fn colorspace_cicp(spec: &ImageSpec, _from_colorspace: bool) -> Option<[i32; 4]> {
        let int4 = TypeDesc::new(BaseType::Int32, Aggregate::Scalar, VecSemantics::NoXform, 4);
        let p = spec.extra_attribs.get("CICP", int4, false)?;
        Some(std::array::from_fn(|i| p.get(i).as_i64() as i32))
    }

    pub fn encode_exif(_spec: &ImageSpec) -> Option<Vec<u8>> {
        None
    }

    pub fn encode_xmp(_spec: &ImageSpec) -> String {
        String::new()
    }
}
