//! JPEG-2000: read .jp2 files and raw .j2k codestreams as OpenImageIO 3.2.2
//! does (through OpenJPEG), decoding with the pure-Rust `hayro-jpeg2000`.
//! No writer (OIIO's writer needs an encoder we do not have).
//!
//! The spec follows OIIO: uint8 when every component has at most 8 bits,
//! else uint16, with `oiio:BitsPerSample` the largest precision; samples
//! are widened by bit replication; the data window is the union of the
//! components' extents and the display window runs from the image offset
//! to (Xsiz, Ysiz), as OIIO sets it. An alpha channel (4 components) is
//! associated with OIIO's "gamma 2.2" rule unless the open configuration
//! asks for `oiio:UnassociatedAlpha`. sYCC images are converted to RGB.
//! An ICC profile in the colour box becomes `ICCProfile` (and its decoded
//! header fields when the shared metadata module is built).
//!
//! Before decoding, the container and main header are checked the way
//! OpenJPEG checks them, with its messages: box sizes, the SOC, SIZ, COD and
//! QCD markers, and every tile-part length against the data available (so
//! truncated files fail like OIIO's instead of decoding partially).
//!
//! Not supported: High-Throughput JPEG-2000 (HTJ2K, `.jph`/`.j2c` written
//! by OpenJPH), which OIIO reads with OpenJPH and `hayro-jpeg2000` cannot
//! decode. Irreversible (lossy) codestreams may differ from OpenJPEG by a
//! rounding step in places.

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::path::Path;
use vfx_core::convert::Pixel;
use vfx_core::{globals, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "jpeg2000",
    extensions: &["jp2", "j2k", "j2c", "jph"],
    sniff,
    open: Some(open_with),
    write: None,
    supports,
};

/// OIIO's reader answers "ioproxy".
pub fn supports(feature: &str) -> i32 {
    i32::from(feature == "ioproxy")
}

const JP2_SIGNATURE: [u8; 12] = [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

fn is_jp2(head: &[u8]) -> bool {
    head.starts_with(&JP2_SIGNATURE)
}

fn is_j2k(head: &[u8]) -> bool {
    head.starts_with(&[0xff, 0x4f, 0xff, 0x51, 0x00])
}

/// A JP2 signature or a raw codestream start (OIIO looks at 12 bytes).
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 12 && (is_jp2(head) || is_j2k(head))
}

fn be16(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_be_bytes([b[at], b[at + 1]]))
}
fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// One component as the SIZ marker describes it.
#[derive(Clone, Copy, Debug)]
struct Comp {
    prec: u32,
    sgnd: bool,
    dx: u32,
    dy: u32,
}

/// Image geometry from SIZ (reference grid coordinates).
#[derive(Clone, Debug)]
struct Siz {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
    comps: Vec<Comp>,
    /// Number of tiles.
    tiles: u64,
}

/// What the JP2 header boxes say.
#[derive(Clone, Debug, Default)]
struct Jp2Info {
    /// Width, height and components from 'ihdr'.
    ihdr: Option<(u32, u32, u32)>,
    /// The 'jp2h' box (offset, length).
    jp2h_box: Option<(usize, usize)>,
    colr_seen: bool,
    icc: Option<Vec<u8>>,
    enumcs: Option<u32>,
    palette: bool,
}

/// A parse failure: OpenJPEG's messages, and whether it happened while
/// decoding a JP2 file (OpenJPEG then adds a line).
struct Fail {
    msgs: Vec<String>,
    in_decode: bool,
}

fn fail(msg: &str) -> Fail {
    Fail {
        msgs: vec![msg.to_string()],
        in_decode: false,
    }
}

/// OpenJPEG's JP2 box walk: the codestream offset (possibly past the end
/// of the file, where OpenJPEG's reads then fail) and header information.
fn read_jp2_boxes(d: &[u8]) -> Result<(usize, Jp2Info), Fail> {
    const KNOWN: [&[u8; 4]; 3] = [b"jP  ", b"ftyp", b"jp2h"];
    const HEADER_BOXES: [&[u8; 4]; 7] = [b"ihdr", b"colr", b"bpcc", b"pclr", b"cmap", b"cdef", b"res "];
    let mut pos = 0usize;
    let mut info = Jp2Info::default();
    let (mut seen_sig, mut seen_ftyp, mut seen_header) = (false, false, false);
    let mut jp2h_span = None;
    loop {
        let left = d.len().saturating_sub(pos);
        if left < 8 {
            break;
        }
        let mut len = u64::from(be32(d, pos));
        let ty: [u8; 4] = d[pos + 4..pos + 8].try_into().expect("4 bytes");
        let mut header = 8u64;
        if len == 1 {
            if left < 16 {
                break;
            }
            let xl = u64::from_be_bytes(d[pos + 8..pos + 16].try_into().expect("8 bytes"));
            if xl >> 32 != 0 {
                return Err(fail("Cannot handle box sizes higher than 2^32"));
            }
            len = xl;
            header = 16;
        } else if len == 0 {
            len = left as u64;
        }
        if &ty == b"jp2c" {
            if !seen_header {
                break;
            }
            info.jp2h_box = jp2h_span;
            return Ok((pos + header as usize, info));
        }
        if len < header {
            return Err(fail(&format!("invalid box size {len} ({:x})", u32::from_be_bytes(ty))));
        }
        let need = len - header;
        let avail = left as u64 - header;
        let name = String::from_utf8_lossy(&ty).into_owned();
        let known = KNOWN.contains(&&ty);
        let misplaced = HEADER_BOXES.contains(&&ty);
        if known || (misplaced && seen_header) {
            if need > avail {
                return Err(fail(&format!(
                    "Invalid box size {len} for box '{name}'. Need {need} bytes, {avail} bytes remaining "
                )));
            }
            let body = &d[pos + header as usize..pos + len as usize];
            match &ty {
                b"jP  " => {
                    if seen_sig || seen_ftyp || seen_header {
                        return Err(fail("The signature box must be the first box in the file."));
                    }
                    if body != [0x0d, 0x0a, 0x87, 0x0a] {
                        return Err(fail("Error with JP signature Box size"));
                    }
                    seen_sig = true;
                }
                b"ftyp" => {
                    if !seen_sig || seen_ftyp || seen_header {
                        return Err(fail("The ftyp box must be the second box in the file."));
                    }
                    if body.len() < 8 || body.len() % 4 != 0 {
                        return Err(fail("Error with FTYP signature Box size"));
                    }
                    seen_ftyp = true;
                }
                b"jp2h" => {
                    if !seen_ftyp {
                        return Err(fail("The  box must be the first box in the file."));
                    }
                    read_jp2h(body, &mut info)?;
                    seen_header = true;
                    jp2h_span = Some((pos, len as usize));
                }
                other => read_header_box(other, body, &mut info),
            }
        } else if !misplaced {
            if !seen_sig {
                return Err(fail(
                    "Malformed JP2 file format: first box must be JPEG 2000 signature box",
                ));
            }
            if !seen_ftyp {
                return Err(fail("Malformed JP2 file format: second box must be file type box"));
            }
        }
        // Other boxes are skipped (seeking past the end is allowed).
        pos = pos.saturating_add(len as usize);
    }
    if !seen_header {
        return Err(fail("JP2H box missing. Required."));
    }
    info.jp2h_box = jp2h_span;
    Ok((pos, info))
}

/// One box of the JP2 header that matters here.
fn read_header_box(ty: &[u8; 4], body: &[u8], info: &mut Jp2Info) {
    match ty {
        b"colr" if !info.colr_seen && body.len() >= 3 => {
            info.colr_seen = true;
            match body[0] {
                1 if body.len() >= 7 => info.enumcs = Some(be32(body, 3)),
                2 => info.icc = Some(body[3..].to_vec()),
                _ => {}
            }
        }
        b"pclr" => info.palette = true,
        b"ihdr" if info.ihdr.is_none() && body.len() >= 10 => {
            info.ihdr = Some((be32(body, 4), be32(body, 0), be16(body, 8)));
        }
        _ => {}
    }
}

/// The boxes inside 'jp2h' (an 'ihdr' is required).
fn read_jp2h(mut b: &[u8], info: &mut Jp2Info) -> Result<(), Fail> {
    let mut ihdr = false;
    while !b.is_empty() {
        if b.len() < 8 {
            return Err(fail("Cannot handle box of less than 8 bytes"));
        }
        let len = be32(b, 0) as usize;
        let ty: [u8; 4] = b[4..8].try_into().expect("4 bytes");
        if len < 8 || len > b.len() {
            return Err(fail(
                "Stream error while reading JP2 Header box: box length is inconsistent.",
            ));
        }
        if &ty == b"ihdr" {
            ihdr = true;
        }
        read_header_box(&ty, &b[8..len], info);
        b = &b[len..];
    }
    if !ihdr {
        return Err(fail("Stream error while reading JP2 Header box: no 'ihdr' box."));
    }
    Ok(())
}

/// OpenJPEG's SIZ checks.
fn read_siz(s: &[u8], ihdr: Option<(u32, u32, u32)>) -> Result<Siz, Fail> {
    let bad = |m: String| Fail {
        msgs: vec![m, "Marker handler function failed to read the marker segment".into()],
        in_decode: false,
    };
    if s.len() < 36 || (s.len() - 36) % 3 != 0 {
        return Err(bad("Error with SIZ marker size".into()));
    }
    let n = (s.len() - 36) / 3;
    let (x1, y1, x0, y0) = (be32(s, 2), be32(s, 6), be32(s, 10), be32(s, 14));
    let (tdx, tdy, tx0, ty0) = (be32(s, 18), be32(s, 22), be32(s, 26), be32(s, 30));
    let csiz = be16(s, 34) as usize;
    if csiz == 0 || csiz > 16384 {
        return Err(bad(format!(
            "Error with SIZ marker: number of component is illegal -> {csiz}"
        )));
    }
    if csiz != n {
        return Err(bad(format!(
            "Error with SIZ marker: number of component is not compatible with the remaining number of parameters ( {csiz} vs {n})"
        )));
    }
    if x0 >= x1 || y0 >= y1 {
        return Err(bad(format!(
            "Error with SIZ marker: negative or zero image size ({} x {})",
            x1.wrapping_sub(x0) as i32,
            y1.wrapping_sub(y0) as i32
        )));
    }
    if tdx == 0 || tdy == 0 {
        return Err(bad(format!(
            "Error with SIZ marker: invalid tile size (tdx: {tdx}, tdy: {tdy})"
        )));
    }
    if tx0 > x0
        || ty0 > y0
        || u64::from(tx0) + u64::from(tdx) <= u64::from(x0)
        || u64::from(ty0) + u64::from(tdy) <= u64::from(y0)
    {
        return Err(bad("Error with SIZ marker: illegal tile offset".into()));
    }
    if let Some((iw, ih, _)) = ihdr.filter(|&(w, h, _)| w > 0 && h > 0) {
        if iw != x1 - x0 || ih != y1 - y0 {
            return Err(bad(format!(
                "Error with SIZ marker: IHDR w({iw}) h({ih}) vs. SIZ w({}) h({})",
                x1 - x0,
                y1 - y0
            )));
        }
    }
    if u64::from(x1) * u64::from(y1) > u64::from(u32::MAX) {
        return Err(bad(format!("Prevent buffer overflow (x1: {x1}, y1: {y1})")));
    }
    let mut comps = Vec::with_capacity(n);
    for i in 0..n {
        let o = 36 + 3 * i;
        let ssiz = u32::from(s[o]);
        let c = Comp {
            prec: (ssiz & 0x7f) + 1,
            sgnd: ssiz & 0x80 != 0,
            dx: u32::from(s[o + 1]),
            dy: u32::from(s[o + 2]),
        };
        if c.dx == 0 || c.dy == 0 {
            return Err(bad(format!(
                "Invalid values for comp = {i} : dx={} dy={} (should be between 1 and 255 according to the JPEG2000 norm)",
                c.dx, c.dy
            )));
        }
        if c.prec > 31 {
            return Err(bad(format!(
                "Invalid values for comp = {i} : prec={} (should be between 1 and 38 according to the JPEG2000 norm. OpenJpeg only supports up to 31)",
                c.prec
            )));
        }
        comps.push(c);
    }
    let tiles = u64::from((x1 - tx0).div_ceil(tdx)) * u64::from((y1 - ty0).div_ceil(tdy));
    Ok(Siz {
        x0,
        y0,
        x1,
        y1,
        comps,
        tiles,
    })
}

/// OpenJPEG's COD checks.
fn check_cod(seg: &[u8]) -> Result<(), Fail> {
    let handler = |m: &str| Fail {
        msgs: vec![
            m.to_string(),
            "Marker handler function failed to read the marker segment".into(),
        ],
        in_decode: false,
    };
    if seg.len() < 5 {
        return Err(handler("Error reading COD marker"));
    }
    if seg[0] & !7 != 0 {
        return Err(handler("Unknown Scod value in COD marker"));
    }
    if seg[1] > 4 {
        return Err(fail("Unknown progression order in COD marker"));
    }
    let layers = be16(seg, 2);
    if layers < 1 {
        return Err(handler(&format!(
            "Invalid number of layers in COD marker : {layers} not in range [1-65535]"
        )));
    }
    if seg[4] > 1 {
        return Err(handler("Invalid multiple component transformation"));
    }
    // SPcod: levels, code-block size and style.
    let spcod = |m: &str| Fail {
        msgs: vec![
            m.to_string(),
            "Error reading COD marker".into(),
            "Marker handler function failed to read the marker segment".into(),
        ],
        in_decode: false,
    };
    if seg.len() < 10 {
        return Err(spcod("Error reading SPCod SPCoc element"));
    }
    let resolutions = u32::from(seg[5]) + 1;
    if resolutions > 33 {
        return Err(spcod(&format!(
            "Invalid value for numresolutions : {resolutions}, max value is set in openjpeg.h at 33"
        )));
    }
    let (cbw, cbh) = (u32::from(seg[6]) + 2, u32::from(seg[7]) + 2);
    if cbw > 10 || cbh > 10 || cbw + cbh > 12 {
        return Err(spcod(
            "Error reading SPCod SPCoc element, Invalid cblkw/cblkh combination",
        ));
    }
    if seg[8] & 0x80 != 0 {
        return Err(spcod(
            "Error reading SPCod SPCoc element. Unsupported Mixed HT code-block style found",
        ));
    }
    Ok(())
}

/// The main header up to the first SOT, as OpenJPEG checks it; returns the
/// SIZ contents and where the first tile-part starts.
fn read_main_header(cs: &[u8], ihdr: Option<(u32, u32, u32)>) -> Result<(Siz, usize), Fail> {
    if cs.len() < 2 || be16(cs, 0) != 0xff4f {
        return Err(fail("Expected a SOC marker "));
    }
    let short = || fail("Stream too short");
    let mut pos = 2;
    let mut siz = None;
    let (mut cod, mut qcd) = (false, false);
    loop {
        if cs.len() - pos < 2 {
            return Err(short());
        }
        let marker = be16(cs, pos);
        if marker < 0xff00 {
            return Err(fail(&format!(
                "A marker ID was expected (0xff--) instead of {marker:08x}"
            )));
        }
        if marker == 0xff90 {
            break;
        }
        if cs.len() - pos < 4 {
            return Err(short());
        }
        let len = be16(cs, pos + 2) as usize;
        if len < 2 {
            return Err(fail("Marker size inconsistent with stream length"));
        }
        if cs.len() - pos - 2 < len {
            return Err(short());
        }
        // The segment after its length field.
        let seg = &cs[pos + 4..pos + 2 + len];
        match marker {
            // CAP: Part 15 (HTJ2K) codestreams, which the decoder lacks.
            0xff50 if seg.len() >= 4 && be32(seg, 0) & 0x0002_0000 != 0 => {
                return Err(fail("HTJ2K (High-Throughput JPEG 2000) codestreams are not supported"));
            }
            0xff51 => siz = Some(read_siz(seg, ihdr)?),
            0xff52 => {
                check_cod(seg)?;
                cod = true;
            }
            0xff5c => qcd = true,
            _ => {}
        }
        if siz.is_none() {
            // SIZ must follow SOC directly.
            return Err(Fail {
                msgs: vec![
                    "Marker is not compliant with its position".into(),
                    "Unknown marker has been detected and generated error.".into(),
                ],
                in_decode: false,
            });
        }
        pos += 2 + len;
    }
    let siz = siz.ok_or_else(|| fail("required SIZ marker not found in main header"))?;
    if !cod {
        return Err(fail("required COD marker not found in main header"));
    }
    if !qcd {
        return Err(fail("required QCD marker not found in main header"));
    }
    Ok((siz, pos))
}

/// Every tile-part header must be sound and its length fit in the data
/// left (OpenJPEG fails a truncated file while decoding).
fn check_tile_parts(cs: &[u8], mut pos: usize, tiles: u64) -> Result<(), Fail> {
    let decode_fail = |m: &str| Fail {
        msgs: vec![m.to_string()],
        in_decode: true,
    };
    while cs.len() - pos >= 2 {
        let marker = be16(cs, pos);
        if marker == 0xffd9 {
            break;
        }
        if marker != 0xff90 || cs.len() - pos < 12 {
            break;
        }
        if be16(cs, pos + 2) != 10 {
            return Err(Fail {
                msgs: vec![
                    "Error reading SOT marker".into(),
                    "Error reading SOT marker".into(),
                    "Fail to read the current marker segment (0xff90)".into(),
                ],
                in_decode: true,
            });
        }
        let isot = be16(cs, pos + 4);
        if u64::from(isot) >= tiles {
            return Err(decode_fail(&format!("Invalid tile number {isot}")));
        }
        let psot = be32(cs, pos + 6) as usize;
        if psot == 0 {
            break;
        }
        if psot < 12 || pos + psot > cs.len() {
            return Err(decode_fail("Tile part length size inconsistent with stream length"));
        }
        pos += psot;
    }
    Ok(())
}

/// Wrap a raw codestream in a minimal JP2 file that names an RGB or grey
/// colour space, so the decoder applies no colour conversion (OpenJPEG
/// does none for raw codestreams).
fn wrap_codestream(cs: &[u8], siz: &Siz) -> Vec<u8> {
    let nc = siz.comps.len();
    let mut out = Vec::with_capacity(cs.len() + 64);
    out.extend_from_slice(&JP2_SIGNATURE);
    out.extend_from_slice(&20u32.to_be_bytes());
    out.extend_from_slice(b"ftypjp2 \0\0\0\0jp2 ");
    let bpc = if siz
        .comps
        .iter()
        .all(|c| c.prec == siz.comps[0].prec && c.sgnd == siz.comps[0].sgnd)
    {
        (siz.comps[0].prec - 1) as u8 | if siz.comps[0].sgnd { 0x80 } else { 0 }
    } else {
        255
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(siz.y1 - siz.y0).to_be_bytes());
    ihdr.extend_from_slice(&(siz.x1 - siz.x0).to_be_bytes());
    ihdr.extend_from_slice(&(nc as u16).to_be_bytes());
    ihdr.extend_from_slice(&[bpc, 7, 0, 0]);
    let colr = [1u8, 0, 0, 0, 0, 0, if nc >= 3 { 16 } else { 17 }];
    let jp2h_len = 8 + (8 + ihdr.len()) + (8 + colr.len());
    out.extend_from_slice(&(jp2h_len as u32).to_be_bytes());
    out.extend_from_slice(b"jp2h");
    out.extend_from_slice(&((8 + ihdr.len()) as u32).to_be_bytes());
    out.extend_from_slice(b"ihdr");
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&((8 + colr.len()) as u32).to_be_bytes());
    out.extend_from_slice(b"colr");
    out.extend_from_slice(&colr);
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(b"jp2c");
    out.extend_from_slice(cs);
    out
}

/// OIIO's `bit_range_convert`: widen or narrow by bit replication.
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

/// OIIO's `check_open` (no size limit but the global ones; 16384 channels)
/// and `check_compression_ratio`.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(format!(
            "jpeg2000 image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        ));
    }
    if n > 16384 {
        return Err(format!(
            "jpeg2000 does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return Err(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(format!(
            "jpeg2000 image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let bytes = spec.image_bytes(true);
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        ));
    }
    if spec.full_width <= 0 || spec.full_height <= 0 {
        return Err(format!(
            "jpeg2000 image full/display resolution must be at least 1x1, but the file specified {}x{}x1. Possible corrupt input?",
            spec.full_width, spec.full_height
        ));
    }
    if file_size != 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(format!(
            "jpeg2000 header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Reader

/// `FORMAT.open`.
pub fn open(path: &Path, config: &ImageSpec) -> Result<Box<dyn Reader>, IoError> {
    let given = *config != ImageSpec::default();
    open_with(path, given.then_some(config))
}

/// Open: like OIIO, the whole image is decoded here.
pub fn open_with(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let keep_unassoc = config.is_some_and(|c| c.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1);
    let (spec, pixels) = decode(&data, &path.display().to_string(), keep_unassoc).map_err(IoError::Corrupt)?;
    Ok(Box::new(J2kReader {
        spec,
        pixels: Some(pixels),
    }))
}

/// What the decoder returns: per component its samples and bit depth, and
/// the image size.
type Decoded = (Vec<(Vec<f32>, u8)>, u32, u32);

/// Decode a whole file into OIIO's spec and pixels.
fn decode(data: &[u8], name: &str, keep_unassoc: bool) -> Result<(ImageSpec, PixelData), String> {
    if data.len() < 12 {
        return Err(format!(
            "Empty file \"{name}\"\nCould not create Jpeg2000 stream decompressor"
        ));
    }
    let jp2 = is_jp2(data);
    let joined = |f: Fail| {
        let mut m = f.msgs;
        if jp2 && f.in_decode {
            m.push("Failed to decode the codestream in the JP2 file".into());
        }
        m.join("\n")
    };
    let (cs_start, info) = if jp2 {
        read_jp2_boxes(data).map_err(joined)?
    } else {
        (0, Jp2Info::default())
    };
    let cs = &data[cs_start.min(data.len())..];
    // OpenJPEG reads the header, OIIO checks the size, then the tiles are
    // decoded.
    let (siz, first_sot) = read_main_header(cs, info.ihdr).map_err(joined)?;
    precheck(&siz, data.len() as u64)?;
    check_tile_parts(cs, first_sot, siz.tiles).map_err(joined)?;

    // Decode with hayro.
    let wrapped;
    let input: &[u8] = if jp2 {
        data
    } else {
        wrapped = wrap_codestream(cs, &siz);
        &wrapped
    };
    let settings = hayro_jpeg2000::DecodeSettings::default();
    let run = |input: &[u8]| {
        std::panic::catch_unwind(|| -> Result<Decoded, String> {
            let image = hayro_jpeg2000::Image::new(input, &settings).map_err(|e| e.to_string())?;
            let (w, h) = (image.width(), image.height());
            let mut ctx = hayro_jpeg2000::DecoderContext::default();
            let out = image.decode(&mut ctx).map_err(|e| e.to_string())?;
            let comps = out
                .components()
                .iter()
                .map(|c| (c.samples().to_vec(), c.bit_depth()))
                .collect();
            Ok((comps, w, h))
        })
        .unwrap_or_else(|_| Err("Could not decode Jpeg2000 data".to_string()))
    };
    let mut result = run(input);
    if result.is_err() && jp2 {
        // OpenJPEG skips boxes it does not need; give the decoder only the
        // signature, file type, header and codestream.
        if let Some((at, len)) = info.jp2h_box {
            let mut clean = Vec::with_capacity(cs.len() + len + 40);
            clean.extend_from_slice(&JP2_SIGNATURE);
            clean.extend_from_slice(&20u32.to_be_bytes());
            clean.extend_from_slice(b"ftypjp2 \0\0\0\0jp2 ");
            clean.extend_from_slice(&data[at..at + len]);
            clean.extend_from_slice(&0u32.to_be_bytes());
            clean.extend_from_slice(b"jp2c");
            clean.extend_from_slice(cs);
            result = run(&clean);
        }
    }
    let decoded = result.map_err(|e| {
        let mut m = format!("{e}\nCould not decode Jpeg2000 data");
        if jp2 {
            m = format!("{e}\nFailed to decode the codestream in the JP2 file");
        }
        m
    })?;
    let (planes, hw, hh) = decoded;

    // Components as OpenJPEG reports them (after any palette).
    let comps: Vec<Comp> = if info.palette || planes.len() != siz.comps.len() {
        planes
            .iter()
            .map(|(_, bits)| Comp {
                prec: u32::from(*bits),
                sgnd: false,
                dx: 1,
                dy: 1,
            })
            .collect()
    } else {
        siz.comps.clone()
    };
    let nc = comps.len();
    if nc != 1 && nc != 3 && nc != 4 {
        return Err("Only images with one, three or four components are supported".into());
    }
    let canvas_w = siz.x1 - siz.x0;
    let canvas_h = siz.y1 - siz.y0;
    for (i, c) in comps.iter().enumerate() {
        if c.dx > canvas_w || c.dy > canvas_h {
            return Err(format!(
                "Invalid Jpeg2000 component {i} subsampling {}x{} for {canvas_w}x{canvas_h} image",
                c.dx, c.dy
            ));
        }
    }
    // The data window: the union of the components' extents.
    let (mut xb, mut xe, mut yb, mut ye) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    let mut max_prec = 0;
    for c in &comps {
        let cx0 = i64::from(siz.x0.div_ceil(c.dx));
        let cy0 = i64::from(siz.y0.div_ceil(c.dy));
        let cw = i64::from(siz.x1.div_ceil(c.dx)) - cx0;
        let ch = i64::from(siz.y1.div_ceil(c.dy)) - cy0;
        xb = xb.min(cx0);
        xe = xe.max(cx0 + cw * i64::from(c.dx));
        yb = yb.min(cy0);
        ye = ye.max(cy0 + ch * i64::from(c.dy));
        max_prec = max_prec.max(c.prec);
    }
    let format = if max_prec <= 8 {
        TypeDesc::UINT8
    } else {
        TypeDesc::UINT16
    };
    let mut spec = ImageSpec::new((xe - xb) as i32, (ye - yb) as i32, nc as i32, format);
    spec.x = xb as i32;
    spec.y = yb as i32;
    spec.full_x = siz.x0 as i32;
    spec.full_y = siz.y0 as i32;
    spec.full_width = siz.x1 as i32;
    spec.full_height = siz.y1 as i32;
    check_open(&spec, data.len() as u64)?;
    spec.attribute_int("oiio:BitsPerSample", max_prec as i32);
    spec.set_colorspace("srgb_rec709_scene");
    if let Some(icc) = info.icc.as_ref().filter(|i| !i.is_empty()) {
        spec.attribute(meta::bytes_param("ICCProfile", icc));
        if let Err(msg) = meta::decode_icc_profile(icc, &mut spec) {
            if globals::get_int_attribute("imageinput:strict", 0) != 0 {
                return Err(format!("Possible corrupt file, could not decode ICC profile: {msg}\n"));
            }
        }
    }

    // Pixels: OIIO's copy_scanline, then alpha association.
    let w = spec.width as usize;
    let bits = if format == TypeDesc::UINT8 { 8 } else { 16 };
    let mut px = PixelData::zeroed(spec.image_bytes(true) as usize).map_err(|e| e.to_string())?;
    let row_bytes = w * nc * bits / 8;
    let sycc = info.enumcs == Some(18) && nc >= 3;
    let assoc = spec.alpha_channel != -1 && !keep_unassoc;
    let (hw, hh) = (hw as usize, hh as usize);
    // Sample (row, col) of a component in the decoder's full-size planes.
    let sample = |c: usize, x: usize, y: usize| -> u32 {
        let comp = &comps[c];
        let plane = &planes[c].0;
        let (px_, py_) = (x.min(hw.saturating_sub(1)), y.min(hh.saturating_sub(1)));
        let f = plane.get(py_ * hw + px_).copied().unwrap_or(0.0);
        let max = if comp.prec >= 32 {
            u32::MAX as f64
        } else {
            ((1u64 << comp.prec) - 1) as f64
        };
        let v = f64::from(f).round_ties_even().clamp(0.0, max) as i64;
        let val = if comp.sgnd {
            // The decoder shifted signed data like unsigned; undo that and
            // add OIIO's (odd) offset instead.
            (v - (1i64 << (comp.prec - 1)) + (1i64 << (bits / 2 - 1))) as u32
        } else {
            v as u32
        };
        bit_range_convert(val, comp.prec, bits as u32)
    };
    px.bytes_mut()
        .par_chunks_mut(row_bytes)
        .enumerate()
        .for_each(|(y, row)| {
            if bits == 8 {
                for x in 0..w {
                    for c in 0..nc {
                        row[x * nc + c] = sample(c, x, y) as u8;
                    }
                }
                if sycc {
                    yuv_to_rgb::<u8>(row, nc);
                }
                if assoc {
                    associate_alpha::<u8>(row, nc, 3);
                }
            } else {
                let r: &mut [u16] = bytemuck::cast_slice_mut(row);
                for x in 0..w {
                    for c in 0..nc {
                        r[x * nc + c] = sample(c, x, y) as u16;
                    }
                }
                if sycc {
                    yuv_to_rgb::<u16>(r, nc);
                }
                if assoc {
                    associate_alpha::<u16>(r, nc, 3);
                }
            }
        });
    Ok((spec, px))
}

/// The provisional spec checks OIIO runs between reading the header and
/// decoding.
fn precheck(siz: &Siz, file_size: u64) -> Result<(), String> {
    let max_prec = siz.comps.iter().map(|c| c.prec).max().unwrap_or(0);
    let mut spec = ImageSpec::new(
        (siz.x1 - siz.x0) as i32,
        (siz.y1 - siz.y0) as i32,
        siz.comps.len() as i32,
        if max_prec <= 8 {
            TypeDesc::UINT8
        } else {
            TypeDesc::UINT16
        },
    );
    spec.full_width = siz.x1 as i32;
    spec.full_height = siz.y1 as i32;
    check_open(&spec, file_size)
}

/// OIIO's sYCC to RGB, per pixel in float.
fn yuv_to_rgb<T: Pixel>(row: &mut [T], nc: usize) {
    for p in row.chunks_exact_mut(nc) {
        let y = p[0].to_f32();
        let u = p[1].to_f32() - 0.5;
        let v = p[2].to_f32() - 0.5;
        let r = (f64::from(y) + 1.402 * f64::from(v)) as f32;
        let g = (f64::from(y) - 0.344 * f64::from(u) - 0.714 * f64::from(v)) as f32;
        let b = (f64::from(y) + 1.772 * f64::from(u)) as f32;
        p[0] = T::from_f32_scalar(r);
        p[1] = T::from_f32_scalar(g);
        p[2] = T::from_f32_scalar(b);
    }
}

/// OIIO's `j2k_associateAlpha` with its default gamma of 2.2:
/// `c * (a / max)^2.2`, truncated.
fn associate_alpha<T: Pixel + Copy + Into<u32> + TryFrom<u32>>(row: &mut [T], nc: usize, alpha: usize) {
    let max = if std::mem::size_of::<T>() == 1 {
        255.0f32
    } else {
        65535.0
    };
    let inv = (1.0f64 / f64::from(max)) as f32;
    for p in row.chunks_exact_mut(nc) {
        let a: u32 = p[alpha].into();
        let k = (a as f32 * inv).powf(2.2);
        for (c, v) in p.iter_mut().enumerate() {
            if c != alpha {
                let x: u32 = (*v).into();
                *v = T::try_from((x as f32 * k) as u32).unwrap_or(*v);
            }
        }
    }
}

struct J2kReader {
    spec: ImageSpec,
    pixels: Option<PixelData>,
}

impl Reader for J2kReader {
    fn format_name(&self) -> &'static str {
        "jpeg2000"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            return Err(IoError::Open(String::new()));
        }
        let px = self.pixels.as_ref().expect("decoded at open");
        let mut out = PixelData::zeroed(px.bytes().len()).map_err(|e| IoError::Corrupt(e.to_string()))?;
        out.bytes_mut().copy_from_slice(px.bytes());
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// ICC decoding shared with other formats, when built.

#[cfg(any(feature = "png", feature = "jpeg"))]
mod meta {
    pub use super::super::meta_exif::bytes_param;
    use vfx_core::ImageSpec;

    pub fn decode_icc_profile(icc: &[u8], spec: &mut ImageSpec) -> Result<(), String> {
        super::super::meta_exif::decode_icc_profile(icc, spec)
    }
}

#[cfg(not(any(feature = "png", feature = "jpeg")))]
mod meta {
    //! Stand-ins while the shared metadata module is not compiled in.
    use vfx_core::paramvalue::{Interp, Value};
    use vfx_core::{Aggregate, BaseType, ImageSpec, ParamValue, TypeDesc, VecSemantics};

    pub fn decode_icc_profile(_icc: &[u8], _spec: &mut ImageSpec) -> Result<(), String> {
        Ok(())
    }

    pub fn bytes_param(name: &str, bytes: &[u8]) -> ParamValue {
        let vals: Vec<Value> = bytes.iter().map(|&b| Value::UInt(u64::from(b))).collect();
        let ty = TypeDesc::new(
            BaseType::UInt8,
            Aggregate::Scalar,
            VecSemantics::NoXform,
            bytes.len() as i32,
        );
        ParamValue::from_values(name, ty, 1, Interp::Constant, &vals).unwrap_or_else(|| ParamValue::from_int(name, 0))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Made with the reference's writer (lossless, 32x32).
    const RGB8_J2K: &[&str] = &[
        "ff4fff51002f000000000020000000200000000000000000000000200000002000000000000000000003070101070101",
        "070101ff52000c00000001000504040001ff5c00134040484850484850484850484850484850ff640025000143726561",
        "746564206279204f70656e4a5045472076657273696f6e20322e352e34ff90000a0000000000700001ff93cfb40805df",
        "cfb40805df80c7da0400045fa3ed0200045f80c3ea03000d0211a1f501800b3d8a80c1f38500221a085d7fa0f9c20003",
        "7fdd5180c0f9030036a199ae639fa07c81803da6345b10db80c07c22805fa7c7889fa03e11809dac2940ff7f80ffd9",
    ];
    /// Made with the reference's writer (lossless, 32x32).
    const RGB8_JP2: &[&str] = &[
        "0000000c6a5020200d0a870a00000014667479706a703220000000006a7032200000002d6a7032680000001669686472",
        "00000020000000200003070700000000000f636f6c7201000000000010000000f76a703263ff4fff51002f0000000000",
        "20000000200000000000000000000000200000002000000000000000000003070101070101070101ff52000c00000001",
        "000504040001ff5c00134040484850484850484850484850484850ff640025000143726561746564206279204f70656e",
        "4a5045472076657273696f6e20322e352e34ff90000a0000000000700001ff93cfb40805dfcfb40805df80c7da040004",
        "5fa3ed0200045f80c3ea03000d0211a1f501800b3d8a80c1f38500221a085d7fa0f9c200037fdd5180c0f9030036a199",
        "ae639fa07c81803da6345b10db80c07c22805fa7c7889fa03e11809dac2940ff7f80ffd9",
    ];
    /// Made with the reference's writer (lossless, 32x32).
    const G12_J2K: &[&str] = &[
        "ff4fff5100290000000000200000002000000000000000000000002000000020000000000000000000010b0101ff5200",
        "0c00000001000504040001ff5c00134060686870686870686870686870686870ff640025000143726561746564206279",
        "204f70656e4a5045472076657273696f6e20322e352e34ff90000a0000000000690001ff93cfe40c05667fc7f20507e6",
        "040462045fc3f60481f802000d02062d0b3d851fc1f983407da0c0221a085d6dd0037fdd5233bfc0fc02201f504036a1",
        "99ae63a3649f3da6345b10dc5c3fc07da0d007ce145fa7c788bc7f9dac294107ffd9",
    ];
    /// Made with the reference's writer (lossless, 32x32).
    const RGBA8_J2K: &[&str] = &[
        "ff4fff510032000000000020000000200000000000000000000000200000002000000000000000000004070101070101",
        "070101070101ff52000c00000001000504040001ff5c00134040484850484850484850484850484850ff640025000143",
        "726561746564206279204f70656e4a5045472076657273696f6e20322e352e34ff90000a0000000001430001ff93cfb4",
        "080083cfb408017fcfb408031fc7d404082fc0f9008001c1f38200001fc1f3810006cfc008045fc0f90200025d4043c7",
        "da0a000de80f22fbcfc0140de8857f8fc7da06000d0205c1f38700141ab22e93df7fc3ea0c00140edf89aa3c6441e3ff",
        "703fc7da1e00141a5ef86dbe3a2e3e14066a61ce3fc3ea0500221a085d8fc1f38b001415fb2b7f896a84f451f3c7da26",
        "00141b14530ccc9f60695efc92017207219d3714c7da3600141b3badd4a681deac01e1ac5fefe8a0f7c89c5b330d638c",
        "741e6fc1f3870036a199ae63a35fc1f399001418ed6448f97b45eb5478925fb45ecc529fadb339d919817fc7da300014",
        "1b3cfee2d0906419ef60bc988f1d91981279b119ff1aefc7da3e00141b3c401061b2c2d6c15adbf695f41aefd934b072",
        "ff2d7a35f10208633d8ac0f902805fa7c788b7ffd9",
    ];

    fn bytes(hex: &[&str]) -> Vec<u8> {
        let h: String = hex.concat();
        (0..h.len() / 2)
            .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn lossless_rgb_codestream_and_jp2() {
        for data in [bytes(RGB8_J2K), bytes(RGB8_JP2)] {
            let (spec, px) = decode(&data, "t", false).unwrap();
            assert_eq!(
                (spec.width, spec.height, spec.nchannels, spec.format),
                (32, 32, 3, TypeDesc::UINT8)
            );
            assert_eq!(spec.get_int_attribute("oiio:BitsPerSample", 0), 8);
            assert_eq!(spec.get_string_attribute("oiio:ColorSpace", ""), "srgb_rec709_scene");
            for y in 0..32usize {
                for x in 0..32usize {
                    let p = &px.bytes()[(y * 32 + x) * 3..(y * 32 + x) * 3 + 3];
                    assert_eq!(p, [(x * 4) as u8, (y * 4) as u8, 128]);
                }
            }
        }
    }

    #[test]
    fn twelve_bits_widen_by_replication() {
        let (spec, px) = decode(&bytes(G12_J2K), "t", false).unwrap();
        assert_eq!(spec.format, TypeDesc::UINT16);
        assert_eq!(spec.get_int_attribute("oiio:BitsPerSample", 0), 12);
        let v: &[u16] = bytemuck::cast_slice(px.bytes());
        for y in 0..32u32 {
            for x in 0..32u32 {
                let s = (x * 64 + y * 16) % 4096;
                assert_eq!(u32::from(v[(y * 32 + x) as usize]), (s << 4) | (s >> 8));
            }
        }
        assert_eq!(bit_range_convert(0xabc, 12, 16), 0xabca);
        assert_eq!(bit_range_convert(5, 4, 8), 0x55);
    }

    #[test]
    fn alpha_is_associated_unless_asked() {
        // Values from the reference reader.
        let (_, px) = decode(&bytes(RGBA8_J2K), "t", false).unwrap();
        let p = |x: usize| px.bytes()[x * 4..x * 4 + 4].to_vec();
        assert_eq!(
            [p(0), p(8), p(16), p(24)],
            [[0, 0, 0, 0], [12, 12, 12, 64], [55, 55, 49, 128], [136, 99, 49, 192]]
        );
        let (_, px) = decode(&bytes(RGBA8_J2K), "t", true).unwrap();
        let p = |x: usize| px.bytes()[x * 4..x * 4 + 4].to_vec();
        assert_eq!(
            [p(0), p(8), p(16), p(24)],
            [
                [200, 100, 50, 0],
                [255, 255, 255, 64],
                [255, 255, 227, 128],
                [255, 186, 93, 192]
            ]
        );
    }

    fn err(data: &[u8]) -> String {
        decode(data, "f.jp2", false).err().expect("should fail")
    }

    #[test]
    fn damaged_files_fail_like_openjpeg() {
        let j2k = bytes(RGB8_J2K);
        let jp2 = bytes(RGB8_JP2);
        assert_eq!(
            err(&j2k[..5]),
            "Empty file \"f.jp2\"\nCould not create Jpeg2000 stream decompressor"
        );
        assert_eq!(err(&jp2[..12]), "JP2H box missing. Required.");
        assert_eq!(
            err(&jp2[..20]),
            "Invalid box size 20 for box 'ftyp'. Need 12 bytes, 0 bytes remaining "
        );
        assert_eq!(err(&j2k[..60]), "Stream too short");
        let n = j2k.len();
        assert_eq!(
            err(&j2k[..n - 30]),
            "Tile part length size inconsistent with stream length"
        );
        let n = jp2.len();
        assert_eq!(
            err(&jp2[..n - 30]),
            "Tile part length size inconsistent with stream length\nFailed to decode the codestream in the JP2 file"
        );
        let mut bad = j2k.clone();
        bad[0] = 0;
        assert_eq!(err(&bad), "Expected a SOC marker ");
        let mut bad = j2k.clone();
        bad[8..12].copy_from_slice(&0u32.to_be_bytes());
        assert!(err(&bad).starts_with("Error with SIZ marker: negative or zero image size"));
        // Every truncation and random damage: clean errors, no panics.
        for data in [&j2k, &jp2] {
            for n in 0..data.len() {
                let _ = decode(&data[..n], "t", false);
            }
            let mut seed = 3u32;
            for _ in 0..300 {
                let mut v = data.clone();
                for _ in 0..3 {
                    seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
                    let i = (seed >> 8) as usize % v.len();
                    v[i] = (seed >> 24) as u8;
                }
                let _ = decode(&v, "t", false);
            }
        }
    }

    #[test]
    fn registry_entry() {
        assert!(sniff(&bytes(RGB8_J2K)) && sniff(&bytes(RGB8_JP2)));
        assert!(!sniff(b"GIF89a......"));
        assert_eq!(supports("ioproxy"), 1);
        assert!(FORMAT.write.is_none());
    }
}
