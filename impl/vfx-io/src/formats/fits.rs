//! FITS (Flexible Image Transport System), read and written as OpenImageIO
//! 3.2.2 does.
//!
//! A file is a series of HDUs: a header of 80-byte ASCII cards in 2880-byte
//! blocks ending with an END card, then big-endian pixel data. The primary
//! HDU (starting "SIMPLE") and every `XTENSION= 'IMAGE   '` extension are the
//! subimages. BITPIX 8/16/32/-32/-64 map to uint8/int16/int32/float/double.
//! NAXIS 1 and 2 are plain images; NAXIS 3 with at most 4 planes is a colour
//! image stored one plane per channel, otherwise a volume; NAXIS 4 is a
//! volume per channel. Rows are stored bottom to top.
//!
//! Header keywords become attributes named with one capital letter
//! ("EXPTIME" -> "Exptime"), numbers as int when whole, else float, other
//! values as strings; COMMENT / HISTORY / HIERARCH cards are joined with
//! newlines into "Comment" / "History" / "Hierarch", DATE becomes "DateTime"
//! and ORIENTAT "Orientation". Channel names come from a STOKES axis or from
//! FILTERn / BANDn keywords when every plane has one.
//!
//! The writer follows OIIO 3.2.2's writer, quirks included: every subimage
//! is written over the start of the file (so only the last survives intact),
//! each attribute becomes a card (non-numeric, non-string types with an
//! empty value), "oiio:" attributes are skipped, and the data is padded to a
//! whole block with zeros.

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use vfx_core::convert::convert_bytes;
use vfx_core::{BaseType, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "fits",
    extensions: &["fits"],
    sniff,
    open: Some(open),
    write: Some(write),
    supports,
};

const BLOCK: usize = 2880;
const CARD: usize = 80;
/// Header blocks read before a header without END is called corrupt.
const MAX_BLOCKS: usize = 10000;

/// OIIO's FITS writer features (its reader adds nothing the writer lacks
/// but drops "alpha", "nchannels" and "random_access").
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "multiimage" | "alpha" | "nchannels" | "random_access" | "noimage" | "arbitrary_metadata" | "exif" | "iptc"
    ))
}

/// A FITS file starts with the SIMPLE keyword.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"SIMPLE")
}

// ---------------------------------------------------------------------------
// Text helpers (Strutil rules).

/// Strutil::stoi: leading whitespace, sign, digits; 0 when none.
fn stoi(s: &str) -> i32 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let n = b[sign..].iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return 0;
    }
    let v: i64 = t[sign..sign + n].parse().unwrap_or(i64::MAX);
    let v = if b[0] == b'-' { -v } else { v };
    v.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// `stoi` of the text from byte `i` on (0 past the end).
fn stoi_at(s: &str, i: usize) -> i32 {
    s.get(i..).map_or(0, stoi)
}

/// Bytes as Latin-1 text (FITS headers are ASCII; anything else survives).
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn strip_bytes(b: &[u8]) -> &[u8] {
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

/// Split a card into its keyword and value (quotes and comment removed).
fn unpack_card(card: &[u8]) -> (String, String) {
    let key = latin1(strip_bytes(&card[..8]));
    let start = if card[8] == b'=' { 10 } else { 8 };
    let rest = strip_bytes(&card[start..]);
    let find = |c: u8| rest.iter().skip(1).position(|&x| x == c).map(|i| i + 1);
    let (begin, end) = if rest.first() == Some(&b'\'') {
        (1, find(b'\'').unwrap_or(rest.len()))
    } else {
        (0, find(b'/').unwrap_or(rest.len()))
    };
    let mut value = &rest[begin.min(rest.len())..end.max(begin).min(rest.len())];
    if let Some(nul) = value.iter().position(|&c| c == 0) {
        value = &value[..nul];
    }
    (key, latin1(strip_bytes(value)))
}

/// FITS dates (YYYY-MM-DD[Thh:mm:ss] or DD/MM/YY) in OIIO's DateTime form.
fn convert_date(date: &str) -> String {
    let b = date.as_bytes();
    if b.get(4) == Some(&b'-') {
        let mut out = format!(
            "{:04}:{:02}:{:02}",
            stoi_at(date, 0),
            stoi_at(date, 5),
            stoi_at(date, 8)
        );
        if b.len() >= 11 && b[10] == b'T' {
            out += &format!(
                " {:02}:{:02}:{:02}",
                stoi_at(date, 11),
                stoi_at(date, 14),
                stoi_at(date, 17)
            );
        }
        return out;
    }
    if b.get(2) == Some(&b'/') {
        return format!(
            "19{:02}:{:02}:{:02} 00:00:00",
            stoi_at(date, 6),
            stoi_at(date, 3),
            stoi_at(date, 0)
        );
    }
    date.to_string()
}

/// C's `(int)f` on x86: out-of-range and NaN give INT_MIN.
fn c_int(f: f32) -> i32 {
    if f.is_nan() || !(-2147483648.0..2147483648.0).contains(&f) {
        i32::MIN
    } else {
        f as i32
    }
}

fn add_to_spec(spec: &mut ImageSpec, key: &str, value: &str) {
    if key.is_empty() || value.is_empty() {
        return;
    }
    if matches!(key, "Comment" | "History" | "Hierarch" | "DateTime") {
        spec.attribute_str(key, value);
        return;
    }
    let c = value.as_bytes()[0];
    if c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.') {
        let v = vfx_core::strutil::stof(value) as f32;
        let i = c_int(v);
        if v == i as f32 {
            spec.attribute_int(key, i);
        } else {
            spec.attribute_float(key, v);
        }
    } else {
        spec.attribute_str(key, value);
    }
}

// ---------------------------------------------------------------------------
// Reading.

/// What header parsing carries from one subimage to the next (OIIO keeps
/// these as reader members, so they leak between subimages).
#[derive(Default)]
struct HeaderState {
    bitpix: i32,
    naxes: i32,
    naxis: Vec<i32>,
    comment: String,
    history: String,
    hierarch: String,
}

/// One parsed subimage: its spec, where its data starts, and its layout.
#[derive(Clone)]
struct Sub {
    spec: ImageSpec,
    data_offset: u64,
    planar: bool,
}

fn drop_last_sep(s: &mut String) {
    // OIIO drops one trailing separator (a no-op on an empty string).
    if !s.is_empty() {
        s.pop();
    }
}

fn stokes_name(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "I",
        2 => "Q",
        3 => "U",
        4 => "V",
        -1 => "RR",
        -2 => "LL",
        -3 => "RL",
        -4 => "LR",
        -5 => "XX",
        -6 => "YY",
        -7 => "XY",
        -8 => "YX",
        _ => return None,
    })
}

fn assign_channel_names(spec: &mut ImageSpec, naxes: i32) {
    spec.default_channel_names();
    let n = spec.nchannels;
    if n <= 1 {
        return;
    }
    let axis = match naxes {
        3 => 3,
        4 => 4,
        _ => return,
    };
    let ctype = spec.get_string_attribute(&format!("Ctype{axis}"), "");
    if ctype.eq_ignore_ascii_case("STOKES") {
        let crval = spec.get_float_attribute(&format!("Crval{axis}"), 1.0);
        let crpix = spec.get_float_attribute(&format!("Crpix{axis}"), 1.0);
        let cdelt = spec.get_float_attribute(&format!("Cdelt{axis}"), 1.0);
        let names: Option<Vec<&str>> = (0..n)
            .map(|c| stokes_name((crval + ((c + 1) as f32 - crpix) * cdelt).round() as i64))
            .collect();
        if let Some(names) = names {
            spec.channelnames = names.iter().map(|s| s.to_string()).collect();
            return;
        }
    }
    for prefix in ["Filter", "Band"] {
        let names: Option<Vec<String>> = (0..n)
            .map(|c| {
                spec.find_attribute(&format!("{prefix}{}", c + 1), TypeDesc::STRING, false)
                    .map(|p| p.get_string(0))
            })
            .collect();
        if let Some(names) = names {
            spec.channelnames = names;
            return;
        }
    }
}

fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(format!(
            "fits image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        ));
    }
    let (mw, mh, md) = (1 << 20, 1 << 20, 1 << 16);
    if w > mw || h > mh || d > md {
        return Err(if d > 1 {
            format!("fits image resolution may not exceed {mw}x{mh}x{md}, but the file appears to be {w}x{h}x{d}. Possible corrupt input?")
        } else {
            format!("fits image resolution may not exceed {mw}x{mh}, but the file appears to be {w}x{h}. Possible corrupt input?")
        });
    }
    if n > 12 {
        return Err(format!(
            "fits does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_res = vfx_core::globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res || d > max_res) {
        return Err(if d > 1 {
            format!("fits image dimension {w}x{h}x{d} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\".")
        } else {
            format!("fits image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\".")
        });
    }
    let bytes = spec.image_bytes(true);
    let max_mb = vfx_core::globals::get_int_attribute("limits:imagesize_MB", 0);
    if max_mb > 0 && bytes > max_mb as u64 * 1024 * 1024 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f64 / (1024.0 * 1024.0),
            spec.format
        ));
    }
    if file_size > 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(format!(
            "fits header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

/// Parse the header starting at `offset`, as OIIO's `set_spec_info`.
fn read_subimage(
    file: &mut File,
    file_size: u64,
    offset: u64,
    nsubimages: usize,
    st: &mut HeaderState,
) -> Result<Sub, String> {
    let mut spec = ImageSpec::new(0, 0, 1, TypeDesc::UNKNOWN);
    file.seek(SeekFrom::Start(offset))
        .map_err(|_| "Seek error".to_string())?;
    let mut block = vec![0u8; BLOCK];
    let mut pos = offset;
    let mut found_end = false;
    for _ in 0..MAX_BLOCKS {
        let mut got = 0;
        while got < BLOCK {
            match file.read(&mut block[got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(_) => return Err("read error".into()),
            }
        }
        if got < BLOCK {
            return Err(format!("Hit end of file unexpectedly (offset={})", file_size.max(pos)));
        }
        pos += BLOCK as u64;
        for card in block.chunks_exact(CARD) {
            let (key, value) = unpack_card(card);
            let text10 = || latin1(&card[10..]);
            match key.as_str() {
                "END" => {
                    drop_last_sep(&mut st.comment);
                    drop_last_sep(&mut st.history);
                    drop_last_sep(&mut st.hierarch);
                    add_to_spec(&mut spec, "Comment", &st.comment.clone());
                    add_to_spec(&mut spec, "History", &st.history.clone());
                    add_to_spec(&mut spec, "Hierarch", &st.hierarch.clone());
                    found_end = true;
                }
                "SIMPLE" | "XTENSION" => continue,
                "BITPIX" => st.bitpix = stoi(&text10()),
                "NAXIS" => {
                    st.naxes = stoi(&text10());
                    if !(0..=999).contains(&st.naxes) {
                        return Err(format!("Invalid FITS NAXIS value {}", st.naxes));
                    }
                    st.naxis.resize(st.naxes as usize, 0);
                }
                k if k.starts_with("NAXIS") => {
                    let i = stoi(&k[5..]);
                    if i > 0 && i <= st.naxes {
                        st.naxis[i as usize - 1] = stoi(&text10());
                    }
                }
                "ORIENTAT" => add_to_spec(&mut spec, "Orientation", &value),
                "DATE" => add_to_spec(&mut spec, "DateTime", &convert_date(&value)),
                "COMMENT" => {
                    st.comment += &value;
                    st.comment.push('\n');
                }
                "HISTORY" => {
                    st.history += &value;
                    st.history.push('\n');
                }
                "HIERARCH" => {
                    st.hierarch += &value;
                    st.hierarch.push('\n');
                }
                _ => {
                    let mut name = key.to_ascii_lowercase();
                    if let Some(first) = name.get(..1) {
                        name = first.to_ascii_uppercase() + &name[1..];
                    }
                    add_to_spec(&mut spec, &name, &value);
                }
            }
            if found_end {
                break;
            }
        }
        while st.naxes > 1 && st.naxis[st.naxes as usize - 1] == 1 {
            st.naxes -= 1;
        }
        if st.naxes > 4 {
            return Err(format!("Number of data axes {} not supported", st.naxes));
        }
        let ax = |i: usize| st.naxis.get(i).copied().unwrap_or(0);
        spec.nchannels = 1;
        spec.depth = 1;
        match st.naxes {
            _ if st.naxes == 0 || ax(0) == 0 => (spec.width, spec.height) = (0, 0),
            1 => (spec.width, spec.height) = (ax(0), 1),
            2 => (spec.width, spec.height) = (ax(0), ax(1)),
            3 if ax(2) <= 4 => (spec.width, spec.height, spec.nchannels) = (ax(0), ax(1), ax(2)),
            3 => (spec.width, spec.height, spec.depth) = (ax(0), ax(1), ax(2)),
            _ => (spec.width, spec.height, spec.depth, spec.nchannels) = (ax(0), ax(1), ax(2), ax(3)),
        }
        (spec.full_width, spec.full_height, spec.full_depth) = (spec.width, spec.height, spec.depth);
        spec.attribute_int("oiio:subimages", nsubimages as i32);
        assign_channel_names(&mut spec, st.naxes);
        if found_end {
            break;
        }
    }
    if !found_end {
        return Err(format!("No END keyword found after reading {MAX_BLOCKS} header blocks"));
    }
    let format = match st.bitpix {
        8 => TypeDesc::UINT8,
        16 => TypeDesc::INT16,
        32 => TypeDesc::INT,
        -32 => TypeDesc::FLOAT,
        -64 => TypeDesc::DOUBLE,
        _ => TypeDesc::UNKNOWN,
    };
    if !format.is_unknown() {
        spec.set_format(format);
    }
    if spec.width > 0 && spec.height > 0 {
        if spec.format.is_unknown() {
            return Err(format!("Unsupported FITS BITPIX value {}", st.bitpix));
        }
        check_open(&spec, file_size)?;
    }
    let planar = (st.naxes == 3 || st.naxes == 4) && spec.nchannels > 1;
    Ok(Sub {
        spec,
        data_offset: pos,
        planar,
    })
}

/// Offsets of the blocks that start an image HDU.
fn find_subimages(file: &mut File) -> std::io::Result<Vec<u64>> {
    let len = file.metadata()?.len();
    let mut out = Vec::new();
    let mut head = [0u8; 20];
    let mut off = 0u64;
    while off + BLOCK as u64 <= len {
        file.seek(SeekFrom::Start(off))?;
        file.read_exact(&mut head)?;
        if head.starts_with(b"SIMPLE") || head.starts_with(b"XTENSION= 'IMAGE   '") {
            out.push(off);
        }
        off += BLOCK as u64;
    }
    Ok(out)
}

/// Open a FITS file and parse every image HDU's header.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let mut file =
        File::open(path).map_err(|_| IoError::Open(format!("Could not open file \"{}\"", path.display())))?;
    let mut magic = [0u8; 6];
    if file.read_exact(&mut magic).is_err() || &magic != b"SIMPLE" {
        return Err(IoError::Corrupt(format!("{} isn't a FITS file", path.display())));
    }
    let file_size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let offsets = find_subimages(&mut file).map_err(|_| IoError::Corrupt("read error".into()))?;
    let mut st = HeaderState::default();
    let mut subs = Vec::new();
    for (i, off) in offsets.iter().enumerate() {
        match read_subimage(&mut file, file_size, *off, offsets.len(), &mut st) {
            Ok(s) => subs.push(s),
            Err(e) if i == 0 => return Err(IoError::Corrupt(e)),
            Err(_) => break,
        }
    }
    if subs.is_empty() {
        // A file shorter than one block: the header cannot be read.
        return Err(IoError::Corrupt(format!(
            "Hit end of file unexpectedly (offset={file_size})"
        )));
    }
    Ok(Box::new(FitsReader {
        path: path.to_path_buf(),
        file_size,
        subs,
    }))
}

struct FitsReader {
    path: PathBuf,
    file_size: u64,
    subs: Vec<Sub>,
}

/// Fill `buf` from `offset` of `file` without moving a shared cursor (rows
/// are read by several threads at once).
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> Result<(), IoError> {
    #[cfg(unix)]
    let r = std::os::unix::fs::FileExt::read_exact_at(file, buf, offset);
    #[cfg(not(unix))]
    let r = {
        let mut f = file.try_clone().map_err(|_| IoError::Corrupt("read error".into()))?;
        f.seek(SeekFrom::Start(offset)).and_then(|_| f.read_exact(buf))
    };
    r.map_err(|_| IoError::Corrupt("read error".into()))
}

/// Big-endian samples of `size` bytes to native order, in place.
fn swap_from_be(buf: &mut [u8], size: usize) {
    if cfg!(target_endian = "little") && size > 1 {
        for v in buf.chunks_exact_mut(size) {
            v.reverse();
        }
    }
}

impl Reader for FitsReader {
    fn format_name(&self) -> &'static str {
        "fits"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if miplevel != 0 {
            return None;
        }
        self.subs.get(subimage).map(|s| s.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let sub = self
            .subs
            .get(subimage)
            .filter(|_| miplevel == 0)
            .ok_or_else(|| IoError::Open(format!("Invalid subimage {subimage} / MIP level {miplevel}")))?
            .clone();
        let spec = &sub.spec;
        if spec.width <= 0 || spec.height <= 0 || spec.nchannels <= 0 || spec.format.is_unknown() {
            return Err(IoError::Corrupt("fits: no pixel data in this subimage".into()));
        }
        let (w, h, d, n) = (
            spec.width as usize,
            spec.height as usize,
            spec.depth as usize,
            spec.nchannels as usize,
        );
        let cs = spec.format.size();
        let total = (w * h * d * n * cs) as u64;
        let rb = w * cs;
        let plane = (w * h * d * cs) as u64;
        // OIIO 3.2.2 ignores z (every slice of a volume repeats the rows of
        // the first), so only the first slice of each plane is ever read.
        let needed = if sub.planar {
            (n as u64 - 1) * plane + (h * rb) as u64
        } else {
            (h * rb * n) as u64
        };
        let avail = self.file_size.saturating_sub(sub.data_offset);
        if needed > avail {
            // OIIO reads the top row first, which is stored last.
            let row = (w * if sub.planar { 1 } else { n } * cs) as u64;
            let pos = sub.data_offset + (h as u64 - 1) * row;
            return Err(IoError::Corrupt(format!(
                "Hit end of file unexpectedly (offset={}, scanline 0)",
                pos.max(self.file_size)
            )));
        }
        let file = File::open(&self.path)
            .map_err(|_| IoError::Open(format!("Could not open file \"{}\"", self.path.display())))?;
        let mut px = PixelData::zeroed(total as usize).map_err(|e| IoError::Corrupt(e.to_string()))?;
        let out_row = w * n * cs;
        let (planar, base) = (sub.planar, sub.data_offset);
        px.bytes_mut().par_chunks_mut(out_row).enumerate().try_for_each_init(
            Vec::new,
            |tmp: &mut Vec<u8>, (r, dst)| {
                let src_row = (h - 1 - r % h) as u64;
                if planar {
                    tmp.resize(rb, 0);
                    for c in 0..n {
                        read_at(&file, tmp, base + c as u64 * plane + src_row * rb as u64)?;
                        for x in 0..w {
                            dst[(x * n + c) * cs..][..cs].copy_from_slice(&tmp[x * cs..][..cs]);
                        }
                    }
                } else {
                    read_at(&file, dst, base + src_row * out_row as u64)?;
                }
                swap_from_be(dst, cs);
                Ok::<(), IoError>(())
            },
        )?;
        Ok(px)
    }
}

// ---------------------------------------------------------------------------
// Writing.

/// A number as C++ `ostream << float` prints it, right-aligned in 20 columns.
fn num2str(v: f32) -> String {
    format!("{:>20}", vfx_core::strutil::fmt_g_prec(f64::from(v), 6))
}

/// One 80-column card for `key` and `value`, as OIIO's writer lays it out.
fn create_card(key: &str, value: &str) -> Vec<u8> {
    let key = key.to_ascii_uppercase();
    let mut card = if key.starts_with("COMMENT") || key.starts_with("HISTORY") {
        format!("{} ", &key[..7]).into_bytes()
    } else if key.starts_with("HIERARCH") {
        b"HIERARCH".to_vec()
    } else {
        let mut k = key.into_bytes();
        k.resize(8, b' ');
        k.extend_from_slice(b"= ");
        k
    };
    if value.len() == 1 {
        card.extend_from_slice(&[b' '; 19]);
    }
    card.extend_from_slice(value.as_bytes());
    card.resize(CARD, b' ');
    card
}

fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h) = (spec.width, spec.height);
    let lim = 1 << 30;
    if w > lim || h > lim {
        return Err(IoError::Unsupported(format!(
            "fits image resolution may not exceed {lim}x{lim}, you asked for {w}x{h}"
        )));
    }
    if (w <= 0 || h <= 0) && !(w == 0 && h == 0) {
        return Err(IoError::Unsupported(format!(
            "fits image resolution must be at least 1x1, you asked for {w}x{h}"
        )));
    }
    if spec.depth > 1 {
        return Err(IoError::Unsupported(
            "fits does not support volume images (depth > 1)".into(),
        ));
    }
    if spec.nchannels < 0 || spec.nchannels > 1024 {
        return Err(IoError::Unsupported(format!(
            "fits does not support {}-channel images",
            spec.nchannels
        )));
    }
    if !spec.channelformats.is_empty() && spec.channelformats.iter().any(|f| *f != spec.format) {
        return Err(IoError::Unsupported(
            "fits does not support per-channel data formats".into(),
        ));
    }
    if spec.deep {
        return Err(IoError::Unsupported("fits does not support 'deep' images".into()));
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return Err(IoError::Unsupported("fits does not support tiled images".into()));
    }
    Ok(())
}

/// The header cards and data of one subimage.
fn encode_subimage(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
    check_output(spec)?;
    let mut format = if spec.format.is_unknown() {
        TypeDesc::FLOAT
    } else {
        spec.format
    };
    if format == TypeDesc::UINT16 {
        format = TypeDesc::INT16;
    } else if format == TypeDesc::UINT {
        format = TypeDesc::INT;
    }
    let bitpix = match format.basetype {
        BaseType::Int8 | BaseType::UInt8 => 8,
        BaseType::Int16 | BaseType::UInt16 => 16,
        BaseType::Int32 | BaseType::UInt32 => 32,
        BaseType::Double => -64,
        _ => -32,
    };
    let (w, h, n) = (
        spec.width.max(0) as usize,
        spec.height.max(0) as usize,
        spec.nchannels as usize,
    );
    let mut out = Vec::new();
    out.extend(create_card("SIMPLE", "T"));
    out.extend(create_card("BITPIX", &num2str(bitpix as f32)));
    let axes = if w != 0 || h != 0 { 2 } else { 0 } + i32::from(n > 1);
    out.extend(create_card("NAXIS", &num2str(axes as f32)));
    out.extend(create_card("NAXIS1", &num2str(w as f32)));
    out.extend(create_card("NAXIS2", &num2str(h as f32)));
    if n != 1 {
        out.extend(create_card("NAXIS3", &num2str(n as f32)));
    }
    for p in &spec.extra_attribs.items {
        let name = p.name();
        if name.len() >= 5 && name.as_bytes()[..5].eq_ignore_ascii_case(b"oiio:") {
            continue;
        }
        let ty = p.type_desc();
        let value = if ty == TypeDesc::STRING {
            p.get_string(0)
        } else if ty == TypeDesc::INT {
            num2str(p.get_int(0) as f32)
        } else if ty == TypeDesc::FLOAT {
            num2str(p.get_float(0.0))
        } else {
            String::new()
        };
        if matches!(name, "Comment" | "History" | "Hierarch") {
            for line in value.split('\n') {
                out.extend(create_card(name, line));
            }
            continue;
        }
        if name == "DateTime" {
            let date = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                stoi_at(&value, 0),
                stoi_at(&value, 5),
                stoi_at(&value, 8),
                stoi_at(&value, 11),
                stoi_at(&value, 14),
                stoi_at(&value, 17)
            );
            out.extend(create_card("Date", &date));
            continue;
        }
        out.extend(create_card(name, &value));
    }
    out.extend_from_slice(b"END");
    out.resize(out.len().div_ceil(BLOCK) * BLOCK, b' ');
    if w == 0 || h == 0 || n == 0 {
        return Ok(out);
    }
    // Convert to the stored type, swap as BITPIX says, then store rows
    // bottom to top, one plane per channel.
    let cs = format.size();
    let count = w * h * n;
    let src_cs = spec.format.size().max(1);
    if pixels.len() < count * src_cs {
        return Err(IoError::Write("fits: not enough pixel data".into()));
    }
    let converted;
    let src: &[u8] = if spec.format.is_unknown() || spec.format == format {
        &pixels[..count * cs]
    } else {
        let mut v = vec![0u8; count * cs];
        convert_bytes(&pixels[..count * src_cs], spec.format.basetype, &mut v, format.basetype);
        converted = v;
        &converted
    };
    // OIIO swaps each scanline in units of the BITPIX size, then splits the
    // channels into planes by the pixel type's size (they differ only for
    // types FITS cannot hold, e.g. half).
    let unit = match bitpix {
        16 => 2,
        32 | -32 => 4,
        -64 => 8,
        _ => 1,
    };
    let unit = if cfg!(target_endian = "little") { unit } else { 1 };
    let line = w * n * cs;
    let rb = w * cs;
    let data_start = out.len();
    let data_len = w * h * n * cs;
    out.resize(data_start + data_len.div_ceil(BLOCK) * BLOCK, 0);
    let data = &mut out[data_start..data_start + data_len];
    data.par_chunks_mut(rb)
        .enumerate()
        .for_each_init(Vec::new, |tmp: &mut Vec<u8>, (i, dst)| {
            let (c, y) = (i / h, h - 1 - i % h);
            let mut row = &src[y * line..][..line];
            if unit > 1 && unit != cs {
                tmp.clear();
                tmp.extend_from_slice(row);
                let whole = tmp.len() / unit * unit;
                tmp[..whole].chunks_exact_mut(unit).for_each(|v| v.reverse());
                row = tmp;
            }
            if n == 1 {
                dst.copy_from_slice(row);
            } else {
                for x in 0..w {
                    dst[x * cs..][..cs].copy_from_slice(&row[(x * n + c) * cs..][..cs]);
                }
            }
            if unit > 1 && unit == cs {
                dst.chunks_exact_mut(cs).for_each(|v| v.reverse());
            }
        });
    Ok(out)
}

fn write(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    // Each subimage is written from the start of the file over what came
    // before (OIIO reopens the file for update at offset 0).
    if req.subimages.len() == 1 {
        let level = req.subimages[0]
            .first()
            .ok_or_else(|| IoError::Write("fits: nothing to write".into()))?;
        let bytes = encode_subimage(level.spec, level.pixels)?;
        return std::fs::write(path, &bytes)
            .map_err(|_| IoError::Write(format!("Could not open \"{}\"", path.display())));
    }
    let mut file: Vec<u8> = Vec::new();
    for levels in &req.subimages {
        let Some(level) = levels.first() else { continue };
        let bytes = encode_subimage(level.spec, level.pixels)?;
        if bytes.len() > file.len() {
            file.resize(bytes.len(), 0);
        }
        file[..bytes.len()].copy_from_slice(&bytes);
    }
    std::fs::write(path, &file).map_err(|_| IoError::Write(format!("Could not open \"{}\"", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, WriteRequest};

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("vfx-fits-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    fn card(text: &str) -> Vec<u8> {
        let mut c = text.as_bytes().to_vec();
        c.resize(80, b' ');
        c
    }

    fn hdu(cards: &[&str], data: &[u8]) -> Vec<u8> {
        let mut out: Vec<u8> = cards.iter().flat_map(|c| card(c)).collect();
        out.extend(card("END"));
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, b' ');
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
        out
    }

    fn write_one(name: &str, spec: &ImageSpec, px: &[u8]) -> PathBuf {
        let p = scratch(name);
        let req = WriteRequest {
            subimages: vec![vec![Level { spec, pixels: px }]],
            deep: vec![None],
            source: spec.format,
            thumbnail: None,
        };
        write(&p, &req).unwrap();
        p
    }

    fn read(p: &Path, sub: usize) -> (ImageSpec, Vec<u8>) {
        let mut r = open(p, None).unwrap();
        let s = r.spec(sub, 0).unwrap();
        let px = r.read_image(sub, 0).unwrap();
        (s, px.bytes().to_vec())
    }

    #[test]
    fn card_parsing() {
        assert_eq!(
            unpack_card(&card("OBJECT  = 'M31     '  / target")),
            ("OBJECT".into(), "M31".into())
        );
        assert_eq!(
            unpack_card(&card("EXPTIME = 120.0 / s")),
            ("EXPTIME".into(), "120.0".into())
        );
        assert_eq!(
            unpack_card(&card("HIERARCH ESO DET CHIP = 'x' / c")),
            ("HIERARCH".into(), "ESO DET CHIP = 'x'".into())
        );
        assert_eq!(convert_date("2003-05-17T12:34:56"), "2003:05:17 12:34:56");
        assert_eq!(convert_date("17/05/98"), "1998:05:17 00:00:00");
        assert_eq!(convert_date("x"), "x");
        assert_eq!(num2str(1.2345e-5), "          1.2345e-05");
        assert_eq!(&create_card("SIMPLE", "T")[..30], b"SIMPLE  =                    T");
    }

    #[test]
    fn non_ascii_cards_do_not_panic() {
        let mut c = card("OBJECT  = 'abc'");
        c[7] = 0xb5;
        c[12] = 0xe9;
        let (k, v) = unpack_card(&c);
        assert_eq!((k.chars().count(), v.chars().count()), (8, 3));
        let mut c = card("X");
        c.iter_mut().for_each(|b| *b = 0xc3);
        let _ = unpack_card(&c);
    }

    #[test]
    fn keywords_become_attributes() {
        let data: Vec<u8> = (0..16u8).collect();
        let f = hdu(
            &[
                "SIMPLE  =                    T",
                "BITPIX  =                    8",
                "NAXIS   =                    2",
                "NAXIS1  =                    4",
                "NAXIS2  =                    4",
                "COMMENT   first",
                "DATE    = '2003-05-17'",
                "EXPTIME = 120.0",
                "GAIN    = 1.25",
                "FLAG    =                    T",
                "COMMENT   second",
            ],
            &data,
        );
        let p = scratch("kw.fits");
        std::fs::write(&p, f).unwrap();
        let (s, px) = read(&p, 0);
        let names: Vec<&str> = s.extra_attribs.items.iter().map(|p| p.name()).collect();
        assert_eq!(
            names,
            ["DateTime", "Exptime", "Gain", "Flag", "Comment", "oiio:subimages"]
        );
        assert_eq!(s.get_string_attribute("Comment", ""), "first\nsecond");
        assert_eq!(s.get_int_attribute("Exptime", 0), 120);
        assert_eq!(s.get_float_attribute("Gain", 0.0), 1.25);
        assert_eq!(s.get_string_attribute("DateTime", ""), "2003:05:17");
        // Rows are stored bottom to top.
        assert_eq!(&px[..4], &[12, 13, 14, 15]);
    }

    #[test]
    fn round_trips_every_bitpix_and_channels() {
        for (ty, nch) in [
            (TypeDesc::UINT8, 1),
            (TypeDesc::INT16, 3),
            (TypeDesc::INT, 2),
            (TypeDesc::FLOAT, 4),
            (TypeDesc::DOUBLE, 1),
        ] {
            let spec = ImageSpec::new(5, 3, nch, ty);
            let n = 15 * nch as usize * ty.size();
            let px: Vec<u8> = (0..n).map(|i| (i * 37 % 251) as u8).collect();
            let p = write_one("rt.fits", &spec, &px);
            assert_eq!(std::fs::metadata(&p).unwrap().len() % BLOCK as u64, 0);
            let (s, back) = read(&p, 0);
            assert_eq!((s.width, s.height, s.nchannels, s.format), (5, 3, nch, ty));
            assert_eq!(back, px, "{ty:?}");
        }
    }

    #[test]
    fn unsigned_types_store_signed() {
        let spec = ImageSpec::new(2, 1, 1, TypeDesc::UINT16);
        let px: Vec<u8> = [0u16, 65535].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let p = write_one("u16.fits", &spec, &px);
        let (s, back) = read(&p, 0);
        assert_eq!(s.format, TypeDesc::INT16);
        let v: Vec<i16> = back.chunks(2).map(|c| i16::from_ne_bytes([c[0], c[1]])).collect();
        assert_eq!(v, [0, 32767]);
    }

    #[test]
    fn writer_cards() {
        let mut spec = ImageSpec::new(2, 2, 1, TypeDesc::UINT8);
        spec.attribute_str("Comment", "a\nb");
        spec.attribute_int("Foo", 42);
        spec.attribute_str("DateTime", "2020:01:02 03:04:05");
        spec.attribute_int("oiio:subimages", 1);
        spec.attribute_str("LongKeywordName", "x");
        let p = write_one("cards.fits", &spec, &[1, 2, 3, 4]);
        let b = std::fs::read(&p).unwrap();
        let cards: Vec<String> = b[..BLOCK]
            .chunks(80)
            .map(|c| String::from_utf8_lossy(c).trim_end().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(
            cards[5..],
            [
                "COMMENT                    a",
                "COMMENT                    b",
                "FOO     =                   42",
                "DATE    = 2020-01-02T03:04:05",
                "LONGKEYW=                    x",
                "END"
            ]
        );
    }

    #[test]
    fn extensions_are_subimages() {
        let a = hdu(
            &[
                "SIMPLE  =                    T",
                "BITPIX  =                    8",
                "NAXIS   =                    0",
            ],
            &[],
        );
        let b = hdu(
            &[
                "XTENSION= 'IMAGE   '",
                "BITPIX  =                   16",
                "NAXIS   =                    2",
                "NAXIS1  =                    2",
                "NAXIS2  =                    1",
            ],
            &[0, 1, 0xff, 0xfe],
        );
        let p = scratch("ext.fits");
        std::fs::write(&p, [a, b].concat()).unwrap();
        let mut r = open(&p, None).unwrap();
        let s0 = r.spec(0, 0).unwrap();
        assert_eq!((s0.width, s0.height), (0, 0));
        assert!(r.read_image(0, 0).is_err());
        assert_eq!(s0.get_int_attribute("oiio:subimages", 0), 2);
        let (s1, px) = read(&p, 1);
        assert_eq!(s1.format, TypeDesc::INT16);
        let v: Vec<i16> = px.chunks(2).map(|c| i16::from_ne_bytes([c[0], c[1]])).collect();
        assert_eq!(v, [1, -2]);
    }

    #[test]
    fn bad_files() {
        let p = scratch("bad.fits");
        std::fs::write(&p, b"hello world").unwrap();
        assert!(open(&p, None).err().unwrap().to_string().ends_with("isn't a FITS file"));
        let good = hdu(
            &[
                "SIMPLE  =                    T",
                "BITPIX  =                   16",
                "NAXIS   =                    2",
                "NAXIS1  =                    8",
                "NAXIS2  =                    6",
            ],
            &[7; 96],
        );
        std::fs::write(&p, &good[..1000]).unwrap();
        assert_eq!(
            open(&p, None).err().unwrap().to_string(),
            "Hit end of file unexpectedly (offset=1000)"
        );
        std::fs::write(&p, &good[..BLOCK + 50]).unwrap();
        let mut r = open(&p, None).unwrap();
        assert!(r.read_image(0, 0).is_err());
        let big = hdu(
            &[
                "SIMPLE  =                    T",
                "BITPIX  =                    8",
                "NAXIS   =                 1000",
            ],
            &[],
        );
        std::fs::write(&p, big).unwrap();
        assert_eq!(
            open(&p, None).err().unwrap().to_string(),
            "Invalid FITS NAXIS value 1000"
        );
        let huge = hdu(
            &[
                "SIMPLE  =                    T",
                "BITPIX  =                  -64",
                "NAXIS   =                    2",
                "NAXIS1  =               500000",
                "NAXIS2  =               500000",
            ],
            &[],
        );
        std::fs::write(&p, huge).unwrap();
        assert!(open(&p, None).is_err());
        let bitpix = hdu(
            &[
                "SIMPLE  =                    T",
                "BITPIX  =                   12",
                "NAXIS   =                    2",
                "NAXIS1  =                    2",
                "NAXIS2  =                    2",
            ],
            &[0; 8],
        );
        std::fs::write(&p, bitpix).unwrap();
        assert_eq!(
            open(&p, None).err().unwrap().to_string(),
            "Unsupported FITS BITPIX value 12"
        );
        let mut noend = card("SIMPLE  =                    T");
        noend.resize(BLOCK * 3, b' ');
        std::fs::write(&p, noend).unwrap();
        assert_eq!(
            open(&p, None).err().unwrap().to_string(),
            format!("Hit end of file unexpectedly (offset={})", BLOCK * 3)
        );
    }

    /// Truncations and byte flips of a valid file: errors, never panics.
    #[test]
    fn fuzzed_input_never_panics() {
        let good = {
            let spec = ImageSpec::new(21, 13, 3, TypeDesc::INT16);
            let px: Vec<u8> = (0..21 * 13 * 6).map(|i| (i * 7) as u8).collect();
            let p = write_one("fuzzsrc.fits", &spec, &px);
            std::fs::read(p).unwrap()
        };
        let p = scratch("fuzz.fits");
        crate::formats::test_support::read_damaged_copies(&good, &p, open);
    }
}
