//! Kodak Cineon, read as OpenImageIO 3.2.2 does with its bundled libcineon
//! (reimplemented here). OIIO has no Cineon writer.
//!
//! One image, each header "element" a channel (1-8 channels, named R/G/B/I
//! by their designators), 8/16/32-bit words or 10-bit codes (filled to
//! 32-bit words left or right justified, or packed) and packed 12-bit
//! codes, either byte order; 10/12-bit codes are widened to uint16. The
//! colour space is always "KodakLog". Header fields become `cineon:...`
//! attributes in OIIO's order and types.
//!
//! libcineon's quirks are kept where they decide what a caller sees: the
//! per-channel attribute arrays keep the previous array's value for a
//! channel whose field is undefined, end-of-line padding is ignored, lines
//! are decoded with channel 0's depth and packing, and a truncated file
//! whose lines need unpacking still reads (short lines keep the previous
//! line's words; nothing is byte swapped for them). Deliberate differences:
//! user data larger than the whole file is left out (OIIO allocates it), and
//! the last datum of a 10-bit filled line whose datum count is 1 modulo 3 is
//! decoded (libcineon leaves it to stale memory).

use crate::formats::dpx_pack::{self, Swap};
use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use vfx_core::{globals, ImageSpec, Interp, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry (reading only).
pub static FORMAT: Format = Format {
    name: "cineon",
    extensions: &["cin"],
    sniff,
    open: Some(open),
    write: None,
    supports,
};

/// OIIO's Cineon reader supports none of the optional features.
pub fn supports(_feature: &str) -> i32 {
    0
}

/// The magic number as a big-endian u32.
const MAGIC: u32 = 0x802A_5FD7;
const HEADER_SIZE: usize = 2048;
/// Offset of the first of the eight 28-byte channel descriptions.
const CHANNELS_AT: usize = 196;

/// True if the file starts with the Cineon magic number in either order.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 4 && (head[..4] == MAGIC.to_be_bytes() || head[..4] == MAGIC.to_le_bytes())
}

/// Byte offsets and sizes of the numeric fields libcineon byte swaps.
fn numeric_fields() -> Vec<(usize, usize)> {
    let mut v = vec![(4, 4), (8, 4), (12, 4), (16, 4), (20, 4)];
    for c in 0..8 {
        let b = CHANNELS_AT + 28 * c;
        v.extend((0..6).map(|i| (b + 4 + 4 * i, 4)));
    }
    v.extend((0..8).map(|i| (420 + 4 * i, 4)));
    v.extend([(684, 4), (688, 4), (712, 4), (716, 4), (972, 4), (976, 4), (980, 4)]);
    v.extend([(1028, 4), (1032, 4), (1068, 4), (1072, 4)]);
    v
}

/// A parsed header; `mem` holds the 2048 bytes with numbers in native
/// (little-endian) order, as libcineon keeps them.
struct Header {
    big: bool,
    mem: Vec<u8>,
}

impl Header {
    fn parse(raw: &[u8]) -> Option<Header> {
        let head: [u8; 4] = raw.get(..4)?.try_into().ok()?;
        let big = if head == MAGIC.to_be_bytes() {
            true
        } else if head == MAGIC.to_le_bytes() {
            false
        } else {
            return None;
        };
        let mut mem = raw[..HEADER_SIZE].to_vec();
        if big {
            for (off, len) in numeric_fields() {
                mem[off..off + len].reverse();
            }
        }
        Some(Header { big, mem })
    }
    fn u32(&self, off: usize) -> u32 {
        u32::from_le_bytes(self.mem[off..off + 4].try_into().expect("4 bytes"))
    }
    fn f32(&self, off: usize) -> f32 {
        f32::from_bits(self.u32(off))
    }
    /// C string at `off` (may run past its field to the end of the header).
    fn cstr(&self, off: usize) -> String {
        let s = &self.mem[off..];
        let n = s.iter().position(|&c| c == 0).unwrap_or(s.len());
        String::from_utf8_lossy(&s[..n]).into_owned()
    }
    fn opt_str(&self, off: usize) -> Option<String> {
        match self.mem[off] {
            0 | 0xff => None,
            _ => Some(self.cstr(off)),
        }
    }
    fn nelements(&self) -> usize {
        self.mem[193] as usize
    }
    fn orientation(&self) -> u8 {
        self.mem[192]
    }
    fn channel(&self, c: usize) -> usize {
        CHANNELS_AT + 28 * c
    }
    fn descriptor(&self, c: usize) -> u8 {
        self.mem[self.channel(c) + 1]
    }
    fn bit_depth(&self, c: usize) -> u8 {
        self.mem[self.channel(c) + 2]
    }
    fn ppl(&self, c: usize) -> u32 {
        self.u32(self.channel(c) + 4)
    }
    fn lpe(&self, c: usize) -> u32 {
        self.u32(self.channel(c) + 8)
    }
    fn transposed(&self) -> bool {
        (4..=7).contains(&self.orientation())
    }
    /// Largest line length over the channels (lines per element for the
    /// transposed orientations).
    fn width(&self) -> u32 {
        (0..self.nelements())
            .map(|c| if self.transposed() { self.lpe(c) } else { self.ppl(c) })
            .max()
            .unwrap_or(0)
    }
    fn height(&self) -> u32 {
        (0..self.nelements())
            .map(|c| if self.transposed() { self.ppl(c) } else { self.lpe(c) })
            .max()
            .unwrap_or(0)
    }
    fn packing(&self) -> u8 {
        self.mem[681]
    }
    fn eol_padding(&self) -> u32 {
        match self.u32(684) {
            u32::MAX => 0,
            v => v,
        }
    }
    fn image_offset(&self) -> u32 {
        self.u32(4)
    }
    fn user_size(&self) -> u32 {
        self.u32(16)
    }
}

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

/// OIIO's `check_open` for Cineon (2^30 across and down, 8 channels) with
/// the global limits, then the compression-ratio guard.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(corrupt(format!(
            "cineon image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        )));
    }
    if w > 1 << 30 || h > 1 << 30 {
        return Err(corrupt(format!(
            "cineon image resolution may not exceed 1073741824x1073741824, but the file appears to be {w}x{h}. Possible corrupt input?"
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
            "cineon image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
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
    if file_size > 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "cineon header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        )));
    }
    Ok(())
}

fn descriptor_name(d: u8) -> &'static str {
    match d {
        0 => "Grayscale",
        1 => "Red, printing density",
        4 => "Red, Rec709",
        2 => "Green, printing density",
        5 => "Green, Rec709",
        3 => "Blue, printing density",
        6 => "Blue, Rec709",
        _ => "Undefined",
    }
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

fn array_attr(spec: &mut ImageSpec, name: &str, base: TypeDesc, vals: &[Value]) {
    let mut ty = base;
    ty.arraylen = vals.len() as i32;
    if let Some(p) = ParamValue::from_values(name, ty, 1, Interp::Constant, vals) {
        spec.attribute(p);
    }
}

/// The spec OIIO builds from a Cineon header (`file_size` bounds the user
/// data that is read).
fn build_spec(h: &Header, file: &mut File, file_size: u64) -> Result<ImageSpec, IoError> {
    let n = h.nelements();
    if !(1..=8).contains(&n) {
        return Err(corrupt(format!("Invalid number of channels {n} (must be 1-8)")));
    }
    let mut maxbits = 0u8;
    for c in 0..n {
        let b = h.bit_depth(c);
        if !matches!(b, 8 | 10 | 12 | 16 | 32 | 64) {
            return Err(corrupt(format!("Invalid bitdepth in channel {c}: {b} bits")));
        }
        maxbits = maxbits.max(b);
    }
    let fmt = match u32::from(maxbits).div_ceil(8) {
        1 => TypeDesc::UINT8,
        2 => TypeDesc::UINT16,
        3 | 4 => TypeDesc::UINT,
        _ => return Err(corrupt(format!("Unsupported bit depth {maxbits}"))),
    };
    let mut spec = ImageSpec::new(h.width() as i32, h.height() as i32, n as i32, fmt);
    check_open(&spec, file_size)?;
    let scanline = spec.width as u64 * n as u64 * fmt.size() as u64;
    if scanline > i32::MAX as u64 {
        return Err(corrupt(format!(
            "Unsupported Cineon with scanlines exceeding {} bytes",
            i32::MAX
        )));
    }

    // Channel names: R/G/B/I, numbered from the second of a kind.
    let mut counts = [0usize; 4];
    spec.channelnames = (0..n)
        .map(|c| {
            let (kind, base) = match h.descriptor(c) {
                0 => (0, "I"),
                1 | 4 => (1, "R"),
                2 | 5 => (2, "G"),
                3 | 6 => (3, "B"),
                _ => return format!("channel{c}"),
            };
            counts[kind] += 1;
            if counts[kind] > 1 {
                format!("{base}{}", counts[kind])
            } else {
                base.to_string()
            }
        })
        .collect();
    spec.alpha_channel = -1;

    spec.attribute_int("oiio:BitsPerSample", i32::from(maxbits));
    let orient = match h.orientation() {
        0 => 1,
        1 => 2,
        2 => 4,
        3 => 3,
        4 => 5,
        5 => 6,
        6 => 8,
        7 => 7,
        _ => 0,
    };
    spec.attribute_int("Orientation", orient);
    spec.set_colorspace("KodakLog");
    let date_time = |date: usize, time: usize| {
        (h.mem[date] != 0 && h.mem[time] != 0).then(|| format!("{} {}", h.cstr(date), h.cstr(time)))
    };
    if let Some(d) = date_time(132, 144) {
        spec.attribute_str("DateTime", &d);
    }
    let descs: Vec<Value> = (0..n)
        .map(|c| Value::Str(descriptor_name(h.descriptor(c)).into()))
        .collect();
    array_attr(&mut spec, "cineon:ImageDescriptor", TypeDesc::STRING, &descs);
    if let Some(s) = h.opt_str(24) {
        spec.attribute_str("cineon:Version", &s);
    }

    // Per-channel arrays: a channel whose field is undefined keeps the
    // value the shared array had (libcineon reuses one int and one float
    // array for all of them).
    let mut ints = [0u32; 8];
    let mut uint_array = |spec: &mut ImageSpec, name: &str, get: &dyn Fn(usize) -> Option<u32>| {
        for (c, slot) in ints.iter_mut().enumerate().take(n) {
            if let Some(v) = get(c) {
                *slot = v;
            }
        }
        let vals: Vec<Value> = ints[..n].iter().map(|&v| Value::UInt(u64::from(v))).collect();
        array_attr(spec, name, TypeDesc::UINT, &vals);
    };
    let ch = |c: usize| h.channel(c);
    uint_array(&mut spec, "cineon:Metric", &|c| {
        let v = h.mem[ch(c)];
        (v != 0xff).then_some(u32::from(v))
    });
    uint_array(&mut spec, "cineon:BitDepth", &|c| {
        let v = h.bit_depth(c);
        (v != 0xff).then_some(u32::from(v))
    });
    uint_array(&mut spec, "cineon:PixelsPerLine", &|c| {
        let v = h.ppl(c);
        (v != u32::MAX).then_some(v)
    });
    uint_array(&mut spec, "cineon:LinesPerElement", &|c| {
        let v = h.lpe(c);
        (v != u32::MAX).then_some(v)
    });
    let mut floats = [0f32; 8];
    for (i, name) in [
        "cineon:LowData",
        "cineon:LowQuantity",
        "cineon:HighData",
        "cineon:HighQuantity",
    ]
    .iter()
    .enumerate()
    {
        for (c, slot) in floats.iter_mut().enumerate().take(n) {
            let v = h.f32(ch(c) + 12 + 4 * i);
            if !v.is_infinite() {
                *slot = v;
            }
        }
        let vals: Vec<Value> = floats[..n].iter().map(|&v| Value::Float(f64::from(v))).collect();
        array_attr(&mut spec, name, TypeDesc::FLOAT, &vals);
    }
    for (i, name) in [
        "cineon:WhitePoint",
        "cineon:RedPrimary",
        "cineon:GreenPrimary",
        "cineon:BluePrimary",
    ]
    .iter()
    .enumerate()
    {
        let (x, y) = (h.f32(420 + 8 * i), h.f32(424 + 8 * i));
        if !(x.is_infinite() || y.is_infinite() || x == 0.0 && y == 0.0) {
            array_attr(
                &mut spec,
                name,
                TypeDesc::FLOAT,
                &[Value::Float(f64::from(x)), Value::Float(f64::from(y))],
            );
        }
    }
    if let Some(s) = h.opt_str(452) {
        spec.attribute_str("cineon:LabelText", &s);
    }
    for (off, name) in [(712, "cineon:XOffset"), (716, "cineon:YOffset")] {
        let v = h.u32(off);
        if v != u32::MAX {
            spec.attribute_int(name, v as i32);
        }
    }
    for (off, name) in [
        (720, "cineon:SourceImageFileName"),
        (844, "cineon:InputDevice"),
        (908, "cineon:InputDeviceModelNumber"),
        (940, "cineon:InputDeviceSerialNumber"),
    ] {
        if let Some(s) = h.opt_str(off) {
            spec.attribute_str(name, &s);
        }
    }
    for (off, name) in [(972, "cineon:XDevicePitch"), (976, "cineon:YDevicePitch")] {
        let v = h.f32(off);
        if !v.is_infinite() {
            spec.attribute_float(name, v);
        }
    }
    let fp = h.u32(1068);
    if fp != u32::MAX {
        let p = ParamValue::from_values(
            "cineon:FramePosition",
            TypeDesc::UINT,
            1,
            Interp::Constant,
            &[Value::UInt(u64::from(fp))],
        )
        .expect("one value");
        spec.attribute(p);
    }
    let fr = h.f32(1072);
    if !fr.is_infinite() {
        spec.attribute_float("cineon:FrameRate", fr);
    }
    for (off, name) in [
        (1036, "cineon:Format"),
        (1076, "cineon:FrameId"),
        (1108, "cineon:SlateInfo"),
    ] {
        if let Some(s) = h.opt_str(off) {
            spec.attribute_str(name, &s);
        }
    }
    let packing = match h.packing() & 0x7f {
        0 => "Packed",
        1 => "8-bit boundary, left justified",
        2 => "8-bit boundary, right justified",
        3 => "16-bit boundary, left justified",
        4 => "16-bit boundary, right justified",
        5 => "32-bit boundary, left justified",
        6 => "32-bit boundary, right justified",
        _ => "",
    };
    let cells = if h.packing() & 0x80 != 0 {
        ", as many fields as possible per cell"
    } else {
        ", at most one pixel per cell"
    };
    spec.attribute_str("cineon:Packing", &format!("{packing}{cells}"));
    if let Some(d) = date_time(820, 832) {
        spec.attribute_str("DateTime", &d);
    }
    let (m, t, p) = (h.mem[1024], h.mem[1025], h.mem[1026]);
    let (prefix, count) = (h.u32(1028), h.u32(1032));
    if !(m == 0xff && t == 0xff && p == 0xff && prefix == u32::MAX && count == u32::MAX) {
        let edge = format!("{m:02}{t:02}{p:02}{prefix:06}{count:04}");
        let edge: String = edge.chars().take(16).collect();
        spec.attribute_str("cineon:FilmEdgeCode", &edge);
    }
    // User data, read as far as the file goes (the rest is zero). OIIO
    // allocates whatever size the header claims; here a claim beyond both
    // the file size and 16 MiB is left out instead.
    let us = h.user_size();
    if us != 0 && us != u32::MAX && (u64::from(us) <= file_size || us <= 1 << 24) {
        let mut user = vec![0u8; us as usize];
        let avail = (file_size.saturating_sub(HEADER_SIZE as u64)).min(u64::from(us)) as usize;
        if file.seek(SeekFrom::Start(HEADER_SIZE as u64)).is_ok() {
            let _ = file.read_exact(&mut user[..avail]);
        }
        spec.attribute(bytes_attr("cineon:UserData", &user));
    }
    Ok(spec)
}

// ---------------------------------------------------------------------------
// Pixels

/// How libcineon reads the lines (always with channel 0's depth).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Storage {
    /// One read of whole lines (all channels alike, no padding, 8/16/32
    /// bits); swapped by value size.
    Fast {
        bytes: usize,
    },
    /// Whole values of `bytes` each, line by line.
    Plain {
        bytes: usize,
    },
    Filled10 {
        pad: u32,
    },
    Packed {
        bits: u32,
    },
}

/// An open Cineon file.
struct CineonReader {
    file: File,
    file_size: u64,
    header: Header,
    spec: ImageSpec,
}

/// `FORMAT.open` (Cineon has no open-time options).
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let mut file =
        File::open(path).map_err(|_| IoError::Open(format!("Could not open file \"{}\"", path.display())))?;
    let file_size = file
        .metadata()
        .map(|m| if m.is_file() { m.len() } else { 0 })
        .unwrap_or(0);
    let bad = || corrupt("Could not read header");
    if file_size < HEADER_SIZE as u64 {
        return Err(bad());
    }
    let mut raw = vec![0u8; HEADER_SIZE];
    file.read_exact(&mut raw).map_err(|_| bad())?;
    let header = Header::parse(&raw).ok_or_else(bad)?;
    let spec = build_spec(&header, &mut file, file_size)?;
    Ok(Box::new(CineonReader {
        file,
        file_size,
        header,
        spec,
    }))
}

impl CineonReader {
    fn storage(&self) -> Option<Storage> {
        let h = &self.header;
        let n = h.nelements();
        let depth = h.bit_depth(0);
        let consistent = (1..n).all(|c| h.bit_depth(c) == depth && h.ppl(c) == h.ppl(0));
        Some(match depth {
            8 | 16 | 32 if consistent && h.eol_padding() == 0 => Storage::Fast {
                bytes: depth as usize / 8,
            },
            10 => match h.packing() {
                5 => Storage::Filled10 { pad: 2 },
                6 => Storage::Filled10 { pad: 0 },
                0 => Storage::Packed { bits: 10 },
                _ => return None,
            },
            12 if h.packing() == 0 => Storage::Packed { bits: 12 },
            12 => return None,
            d => Storage::Plain { bytes: d as usize / 8 },
        })
    }

    fn read_all(&mut self) -> Result<PixelData, IoError> {
        let st = self.storage().ok_or_else(|| IoError::Corrupt(String::new()))?;
        let h = &self.header;
        let (w, ht) = (self.spec.width as u64, self.spec.height as u64);
        let datums = w * h.nelements() as u64;
        let (line, swap) = match st {
            Storage::Fast { bytes } => (
                datums * bytes as u64,
                match bytes {
                    1 => Swap::None,
                    2 => Swap::U16,
                    _ => Swap::U32,
                },
            ),
            Storage::Plain { bytes } => (
                datums * bytes as u64,
                match bytes {
                    1 => Swap::None,
                    2 => Swap::U16,
                    _ => Swap::U32,
                },
            ),
            Storage::Filled10 { .. } => (datums.div_ceil(3) * 4, Swap::U32),
            Storage::Packed { bits } => ((datums * u64::from(bits)).div_ceil(32) * 4, Swap::U32),
        };
        let swap = if h.big { swap } else { Swap::None };
        // Values land at the start of each row in channel 0's size; a wider
        // spec type (mixed depths) leaves the rest of the row zero.
        let cbytes: u64 = match h.bit_depth(0) {
            8 => 1,
            10 | 12 | 16 => 2,
            _ => 4,
        };
        let row_vals = (datums * cbytes) as usize;
        let row_out = self.spec.scanline_bytes(true) as usize;
        let start = u64::from(h.image_offset());
        let avail = self.file_size.saturating_sub(start);
        let complete = line * ht <= avail;
        // A short file fails for whole-line reads and packed data; filled
        // and plain lines are read one by one regardless.
        if !complete && matches!(st, Storage::Fast { .. } | Storage::Packed { .. }) {
            return Err(IoError::Corrupt(String::new()));
        }
        // A short file is decoded line by line as libcineon does, unless
        // the image it claims is far larger than the file could hold (then
        // it fails rather than allocating for it).
        if !complete && row_out as u64 * ht > 4 * self.file_size.max(1 << 20) {
            return Err(IoError::Corrupt(format!(
                "cineon: {} bytes of pixel data claimed, the file has {avail}",
                line * ht
            )));
        }
        let src_len = if complete { line * ht } else { avail };
        let mut src = vec![0u8; src_len as usize];
        if src_len > 0 {
            self.file
                .seek(SeekFrom::Start(start))
                .and_then(|_| self.file.read_exact(&mut src))
                .map_err(|_| IoError::Corrupt(String::new()))?;
        }
        let mut out = PixelData::zeroed(row_out * ht as usize).map_err(|e| corrupt(e.to_string()))?;
        let decode = |line_buf: &[u8], row: &mut [u8]| {
            let vals = &mut row[..row_vals];
            match st {
                Storage::Fast { .. } | Storage::Plain { .. } => vals.copy_from_slice(&line_buf[..row_vals]),
                Storage::Filled10 { pad } => {
                    dpx_pack::unfill10(line_buf, pad, false, bytemuck::cast_slice_mut(vals));
                }
                Storage::Packed { bits } => {
                    dpx_pack::unpack_bits(line_buf, bits, bytemuck::cast_slice_mut(vals));
                }
            }
        };
        let line = line as usize;
        if complete {
            out.bytes_mut()
                .par_chunks_mut(row_out.max(1))
                .enumerate()
                .for_each_init(Vec::new, |buf: &mut Vec<u8>, (y, row)| {
                    buf.clear();
                    buf.extend_from_slice(&src[y * line..(y + 1) * line]);
                    swap.apply(buf);
                    decode(buf, row);
                });
        } else {
            // libcineon reuses one line buffer: a short read overwrites its
            // start and skips the byte swap, a read past the end leaves it.
            let mut buf = vec![0u8; line];
            for (y, row) in out.bytes_mut().chunks_mut(row_out.max(1)).enumerate() {
                let off = y * line;
                let got = src.len().saturating_sub(off).min(line);
                if matches!(st, Storage::Plain { .. }) {
                    // Whole values are read straight into the row.
                    buf.fill(0);
                }
                if got > 0 {
                    buf[..got].copy_from_slice(&src[off..off + got]);
                }
                if got == line {
                    swap.apply(&mut buf);
                }
                decode(&buf, row);
            }
        }
        Ok(out)
    }
}

impl Reader for CineonReader {
    fn format_name(&self) -> &'static str {
        "cineon"
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch() -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_cin_{}_{n}.cin", std::process::id()))
    }

    /// A big-endian header for `w` x `h`, channels with `descs` and `bits`,
    /// packing `pk`, data right after the header.
    fn header(w: u32, h: u32, descs: &[u8], bits: u8, pk: u8) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_SIZE];
        b[..4].copy_from_slice(&MAGIC.to_be_bytes());
        b[4..8].copy_from_slice(&2048u32.to_be_bytes());
        b[24..28].copy_from_slice(b"V4.5");
        b[192] = 0;
        b[193] = descs.len() as u8;
        for c in 0..8 {
            let o = CHANNELS_AT + 28 * c;
            if c < descs.len() {
                b[o] = 0;
                b[o + 1] = descs[c];
                b[o + 2] = bits;
                b[o + 4..o + 8].copy_from_slice(&w.to_be_bytes());
                b[o + 8..o + 12].copy_from_slice(&h.to_be_bytes());
                b[o + 12..o + 28].copy_from_slice(&[0; 16]);
            } else {
                b[o..o + 4].copy_from_slice(&[0xff, 0xff, 0xff, 0]);
                b[o + 4..o + 28].fill(0xff);
            }
        }
        for i in 0..8 {
            b[420 + 4 * i..424 + 4 * i].copy_from_slice(&f32::INFINITY.to_be_bytes());
        }
        b[681] = pk;
        for off in [972, 976, 980, 1072] {
            b[off..off + 4].copy_from_slice(&f32::INFINITY.to_be_bytes());
        }
        b[1024..1027].fill(0xff);
        b[1028..1036].fill(0xff);
        b[1068..1072].fill(0xff);
        b
    }

    fn read(bytes: &[u8]) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch();
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            let px = r.read_image(0, 0)?;
            Ok((spec, px.bytes().to_vec()))
        });
        std::fs::remove_file(&p).unwrap();
        r
    }

    fn u16s(b: &[u8]) -> Vec<u16> {
        b.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect()
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "cineon");
        assert!(FORMAT.write.is_none());
        assert!(sniff(&[0x80, 0x2a, 0x5f, 0xd7]) && sniff(&[0xd7, 0x5f, 0x2a, 0x80]) && !sniff(b"SDPX"));
    }

    #[test]
    fn ten_bit_filled_and_packed() {
        let codes = [1u32, 2, 3, 1000, 512, 7];
        // Method A (32-bit left justified), big endian.
        let mut f = header(2, 1, &[1, 2, 3], 10, 5);
        for t in codes.chunks(3) {
            f.extend(((t[0] << 22) | (t[1] << 12) | (t[2] << 2)).to_be_bytes());
        }
        let (spec, px) = read(&f).unwrap();
        assert_eq!(
            (spec.width, spec.height, spec.nchannels, spec.format),
            (2, 1, 3, TypeDesc::UINT16)
        );
        assert_eq!(spec.channelnames, ["R", "G", "B"]);
        assert_eq!(spec.get_string_attribute("oiio:ColorSpace", ""), "KodakLog");
        assert_eq!(
            spec.get_string_attribute("cineon:Packing", ""),
            "32-bit boundary, left justified, at most one pixel per cell"
        );
        let expect: Vec<u16> = codes.iter().map(|&c| dpx_pack::widen10(c as u16)).collect();
        assert_eq!(u16s(&px), expect);
        // Packed, least significant bits first.
        let mut f = header(2, 1, &[1, 2, 3], 10, 0);
        let mut acc = 0u64;
        for (i, c) in codes.iter().enumerate() {
            acc |= u64::from(*c) << (10 * i);
        }
        f.extend((acc as u32).to_be_bytes());
        f.extend(((acc >> 32) as u32).to_be_bytes());
        let (_, px) = read(&f).unwrap();
        assert_eq!(u16s(&px), expect);
        // An unknown 10-bit packing cannot be read (no message).
        let mut f = header(2, 1, &[1, 2, 3], 10, 1);
        f.extend([0u8; 8]);
        assert_eq!(read(&f).unwrap_err(), IoError::Corrupt(String::new()));
    }

    #[test]
    fn eight_bit_little_endian_and_names() {
        let mut f = header(2, 1, &[0, 0, 9], 8, 0);
        // Little-endian file: swap every numeric field.
        f[..4].copy_from_slice(&MAGIC.to_le_bytes());
        for (off, len) in numeric_fields() {
            f[off..off + len].reverse();
        }
        f.extend([1, 2, 3, 4, 5, 6]);
        let (spec, px) = read(&f).unwrap();
        assert_eq!(spec.channelnames, ["I", "I2", "channel2"]);
        assert_eq!(spec.format, TypeDesc::UINT8);
        assert_eq!(px, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn metadata() {
        let mut f = header(1, 1, &[4, 5], 16, 0);
        f[132..142].copy_from_slice(b"2001:02:03");
        f[144..152].copy_from_slice(b"04:05:06");
        // Channel 1's metric and low data are undefined: libcineon leaves
        // its shared arrays' slots as they were (here still zero).
        f[CHANNELS_AT] = 3;
        f[CHANNELS_AT + 28] = 0xff;
        f[CHANNELS_AT + 12..CHANNELS_AT + 16].copy_from_slice(&64.0f32.to_be_bytes());
        f[CHANNELS_AT + 28 + 12..CHANNELS_AT + 28 + 16].copy_from_slice(&f32::INFINITY.to_be_bytes());
        f[420..424].copy_from_slice(&0.3127f32.to_be_bytes());
        f[424..428].copy_from_slice(&0.329f32.to_be_bytes());
        f[712..716].copy_from_slice(&5i32.to_be_bytes());
        f[716..720].copy_from_slice(&(-1i32).to_be_bytes());
        f[1024..1027].copy_from_slice(&[1, 2, 3]);
        f[1028..1032].copy_from_slice(&42u32.to_be_bytes());
        f[1068..1072].copy_from_slice(&9u32.to_be_bytes());
        f[1076..1079].copy_from_slice(b"fid");
        f[16..20].copy_from_slice(&4u32.to_be_bytes());
        f.extend([0u8; 4]);
        let (s, _) = read(&f).unwrap();
        assert_eq!(s.channelnames, ["R", "G"]);
        assert_eq!(s.get_string_attribute("DateTime", ""), "2001:02:03 04:05:06");
        let get = |n: &str| s.find_attribute(n, TypeDesc::UNKNOWN, false).unwrap();
        assert_eq!(get("cineon:Metric").values(), [Value::UInt(3), Value::UInt(0)]);
        assert_eq!(get("cineon:LowData").values(), [Value::Float(64.0), Value::Float(0.0)]);
        // The next array starts from the previous one's values.
        assert_eq!(get("cineon:BitDepth").values(), [Value::UInt(16), Value::UInt(16)]);
        assert_eq!(get("cineon:WhitePoint").type_desc().arraylen, 2);
        assert!(s
            .find_attribute("cineon:RedPrimary", TypeDesc::UNKNOWN, false)
            .is_none());
        assert_eq!(get("cineon:XOffset").get(0), Value::Int(5));
        assert!(s.find_attribute("cineon:YOffset", TypeDesc::UNKNOWN, false).is_none());
        assert_eq!(get("cineon:FramePosition").type_desc(), TypeDesc::UINT);
        assert_eq!(s.get_string_attribute("cineon:FilmEdgeCode", ""), "0102030000424294");
        assert_eq!(s.get_string_attribute("cineon:FrameId", ""), "fid");
        // (The user data are the first pixel bytes here.)
        assert_eq!(get("cineon:UserData").type_desc().arraylen, 4);
        let names: Vec<&str> = s.extra_attribs.items.iter().map(|p| p.name()).collect();
        assert_eq!(
            &names[..6],
            [
                "oiio:BitsPerSample",
                "Orientation",
                "oiio:ColorSpace",
                "DateTime",
                "cineon:ImageDescriptor",
                "cineon:Version"
            ]
        );
    }

    #[test]
    fn corrupt_input() {
        let good = {
            let mut f = header(2, 2, &[1, 2, 3], 10, 5);
            f.extend([0u8; 16]);
            f
        };
        assert!(read(&good).is_ok());
        let msg = |b: &[u8]| read(b).unwrap_err().to_string();
        assert_eq!(msg(&good[..1000]), "Could not read header");
        let mut bad = good.clone();
        bad[0] = 0;
        assert_eq!(msg(&bad), "Could not read header");
        let mut bad = good.clone();
        bad[193] = 0;
        assert_eq!(msg(&bad), "Invalid number of channels 0 (must be 1-8)");
        bad[193] = 9;
        assert_eq!(msg(&bad), "Invalid number of channels 9 (must be 1-8)");
        let mut bad = good.clone();
        bad[CHANNELS_AT + 28 + 2] = 7;
        assert_eq!(msg(&bad), "Invalid bitdepth in channel 1: 7 bits");
        let mut bad = good.clone();
        bad[CHANNELS_AT + 2] = 64;
        assert_eq!(msg(&bad), "Unsupported bit depth 64");
        let mut bad = good.clone();
        bad[CHANNELS_AT + 4..CHANNELS_AT + 8].copy_from_slice(&0u32.to_be_bytes());
        for c in 1..3 {
            let o = CHANNELS_AT + 28 * c + 4;
            bad[o..o + 4].copy_from_slice(&0u32.to_be_bytes());
        }
        assert!(msg(&bad).starts_with("cineon image resolution must be at least 1x1"));
        // A truncated filled file still reads (short lines keep stale
        // words), a truncated packed or 8-bit one fails.
        assert!(read(&good[..good.len() - 6]).is_ok());
        let mut packed = header(2, 2, &[1, 2, 3], 10, 0);
        packed.extend([0u8; 6]);
        assert!(read(&packed).is_err());
        let mut bytes8 = header(2, 2, &[1, 2, 3], 8, 0);
        bytes8.extend([0u8; 6]);
        assert!(read(&bytes8).is_err());
        // A huge claim from a tiny file fails before allocating.
        let mut huge = header(20000, 20000, &[1, 2, 3], 10, 5);
        huge.extend([0u8; 64]);
        assert!(read(&huge).is_err());
        // User data larger than the file (and 16 MiB) is left out.
        let mut ud = good.clone();
        ud[16..20].copy_from_slice(&0x7fff_ffffu32.to_be_bytes());
        let (s, _) = read(&ud).unwrap();
        assert!(s.find_attribute("cineon:UserData", TypeDesc::UNKNOWN, false).is_none());
    }

    #[test]
    fn fuzzed_headers() {
        let mut good = header(3, 2, &[1, 2, 3], 10, 5);
        good.extend((0..24u8).collect::<Vec<_>>());
        let mut seed = 0x9e37_79b9u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let mut f = good.clone();
            for _ in 0..(rnd() % 6 + 1) {
                let at = (rnd() as usize) % f.len();
                f[at] = rnd() as u8;
            }
            if rnd() % 4 == 0 {
                f.truncate((rnd() as usize) % f.len());
            }
            let _ = read(&f);
        }
    }
}
