//! WebP: read (lossy, lossless, animated) and write as OpenImageIO 3.2.2
//! does, with the pure-Rust `image-webp` codec in place of libwebp.
//!
//! Reading: the container is parsed with libwebp's demuxer rules (a file
//! the demuxer rejects fails with "Couldn't decode"). The image is uint8, 3
//! channels, or 4 when the container says it has alpha; alpha is
//! premultiplied unless the open configuration asks for
//! `oiio:UnassociatedAlpha`. Animation frames are subimages sharing one
//! spec (`oiio:Movie`, `oiio:LoopCount`/`webp:LoopCount` when not looping
//! forever); like OIIO, a frame with alpha is composited "over" the
//! previous canvas, any other frame overwrites its rectangle. Exif and ICC
//! chunks become metadata.
//!
//! Lossy frames are decoded by `image-webp`, whose VP8 decoder and
//! upsampling are not bit-identical to libwebp: a few 8-bit codes may differ
//! by one (within the idiff tolerance).
//!
//! Writing: OIIO encodes lossy (quality 100, or `compression` "webp:Q")
//! unless `compression` is "lossless". `image-webp` only encodes lossless,
//! so every file is written lossless (VP8L) and `compression`,
//! `CompressionQuality` and `webp:method` have no effect: files are larger
//! than OIIO's, and their pixels are exactly the (converted) input rather
//! than a lossy approximation. Everything else follows OIIO: 3 or 4
//! channels, associated alpha is converted as OIIO does (gamma 2.2 around
//! the unpremultiply, in 8 bits), a fully opaque alpha channel is dropped
//! (libwebp does), `ICCProfile` is stored in an ICCP chunk.

use crate::{Format, IoError, Reader, WriteRequest};
use std::path::Path;
use vfx_core::convert::{convert_bytes, Pixel};
use vfx_core::{globals, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "webp",
    extensions: &["webp"],
    sniff,
    open: Some(open_with),
    write: Some(write_request),
    supports,
};

/// OIIO's reader answers "exif" and "ioproxy"; its writer "tiles",
/// "alpha", "ioproxy", "random_access" and "rewrite". One table serves both.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "exif" | "ioproxy" | "tiles" | "alpha" | "random_access" | "rewrite"
    ))
}

/// "RIFF" .... "WEBP".
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP"
}

// Feature flags of the VP8X chunk.
const ANIMATION_FLAG: u32 = 0x02;
const XMP_FLAG: u32 = 0x04;
const EXIF_FLAG: u32 = 0x08;
const ALPHA_FLAG: u32 = 0x10;
const ICCP_FLAG: u32 = 0x20;
const ALL_VALID_FLAGS: u32 = ALPHA_FLAG | ANIMATION_FLAG | ICCP_FLAG | EXIF_FLAG | XMP_FLAG;
const MAX_CHUNK_PAYLOAD: u64 = u32::MAX as u64 - 8 - 1;
const MAX_IMAGE_AREA: u64 = 1 << 32;

fn le16(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_le_bytes([b[at], b[at + 1]]))
}
fn le24(b: &[u8], at: usize) -> u32 {
    u32::from(b[at]) | u32::from(b[at + 1]) << 8 | u32::from(b[at + 2]) << 16
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

// ---------------------------------------------------------------------------
// Demuxing, with libwebp's rules (a whole file, no partial data).

/// A byte range of the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    offset: usize,
    size: usize,
}

#[derive(Clone, Debug, Default)]
struct DemuxFrame {
    x_offset: u32,
    y_offset: u32,
    width: u32,
    height: u32,
    has_alpha: bool,
    frame_num: u32,
    complete: bool,
    /// The "VP8 "/"VP8L" chunk, header included.
    image: Span,
    /// The "ALPH" chunk, header included (size 0: none).
    alpha: Span,
}

#[derive(Debug, Default)]
struct Demux {
    is_ext: bool,
    flags: u32,
    canvas_w: u32,
    canvas_h: u32,
    loop_count: u32,
    frames: Vec<DemuxFrame>,
    /// Stored metadata chunks: fourcc and payload.
    chunks: Vec<([u8; 4], Span)>,
}

/// What `WebPGetFeatures` reports for one image chunk.
struct Features {
    width: u32,
    height: u32,
    has_alpha: bool,
}

/// `WebPGetFeatures` on a lone "VP8 " or "VP8L" chunk (header included).
fn chunk_features(chunk: &[u8]) -> Option<Features> {
    let payload = &chunk[8..];
    if &chunk[..4] == b"VP8L" {
        if payload.len() < 5 || payload[0] != 0x2f || payload[4] >> 5 != 0 {
            return None;
        }
        let bits = le32(payload, 1);
        return Some(Features {
            width: (bits & 0x3fff) + 1,
            height: ((bits >> 14) & 0x3fff) + 1,
            has_alpha: (bits >> 28) & 1 != 0,
        });
    }
    if payload.len() < 10 || payload[3..6] != [0x9d, 0x01, 0x2a] {
        return None;
    }
    let bits = le24(payload, 0);
    let w = le16(payload, 6) & 0x3fff;
    let h = le16(payload, 8) & 0x3fff;
    let declared = le32(chunk, 4) as usize;
    if bits & 1 != 0
        || (bits >> 1) & 7 > 3
        || (bits >> 4) & 1 == 0
        || (bits >> 5) as usize >= declared
        || w == 0
        || h == 0
    {
        return None;
    }
    Some(Features {
        width: w,
        height: h,
        has_alpha: false,
    })
}

struct Mem<'a> {
    buf: &'a [u8],
    pos: usize,
    /// End of the RIFF chunk (the buffer is cut there).
    end: usize,
}

impl Mem<'_> {
    fn avail(&self) -> usize {
        self.end - self.pos
    }
}

/// libwebp's `StoreFrame`: the ALPH and image chunks of one frame.
fn store_frame(mem: &mut Mem<'_>, frame_num: u32, min_size: usize, frame: &mut DemuxFrame) -> Option<()> {
    if mem.avail() < 8 || mem.avail() < min_size {
        return None;
    }
    let mut alpha_chunks = 0;
    let mut image_chunks = 0;
    loop {
        let start = mem.pos;
        let fourcc: [u8; 4] = mem.buf[start..start + 4].try_into().ok()?;
        let size = u64::from(le32(mem.buf, start + 4));
        mem.pos += 8;
        if size > MAX_CHUNK_PAYLOAD {
            return None;
        }
        let padded = (size + (size & 1)) as usize;
        if padded > mem.avail() {
            return None;
        }
        let chunk_size = 8 + padded;
        let mut done = false;
        match &fourcc {
            b"ALPH" if alpha_chunks == 0 => {
                alpha_chunks += 1;
                frame.alpha = Span {
                    offset: start,
                    size: chunk_size,
                };
                frame.has_alpha = true;
                frame.frame_num = frame_num;
                mem.pos += padded;
            }
            b"VP8L" if alpha_chunks > 0 => return None,
            b"VP8 " | b"VP8L" if image_chunks == 0 => {
                let f = chunk_features(&mem.buf[start..start + chunk_size])?;
                image_chunks += 1;
                frame.image = Span {
                    offset: start,
                    size: chunk_size,
                };
                frame.width = f.width;
                frame.height = f.height;
                frame.has_alpha |= f.has_alpha;
                frame.frame_num = frame_num;
                frame.complete = true;
                mem.pos += padded;
            }
            _ => {
                mem.pos -= 8;
                done = true;
            }
        }
        if mem.pos == mem.end {
            return Some(());
        }
        if mem.avail() < 8 {
            return None;
        }
        if done {
            return Some(());
        }
    }
}

/// libwebp's `ParseSingleImage`.
fn parse_single_image(d: &mut Demux, mem: &mut Mem<'_>) -> Option<()> {
    if !d.frames.is_empty() || mem.avail() < 8 {
        return None;
    }
    let mut frame = DemuxFrame::default();
    store_frame(mem, 1, 0, &mut frame)?;
    if d.flags & ALPHA_FLAG == 0 && frame.alpha.size > 0 {
        frame.alpha = Span::default();
        frame.has_alpha = false;
    }
    if !d.is_ext && frame.width > 0 && frame.height > 0 {
        d.canvas_w = frame.width;
        d.canvas_h = frame.height;
        if frame.has_alpha {
            d.flags |= ALPHA_FLAG;
        }
    }
    d.frames.push(frame);
    Some(())
}

/// libwebp's `ParseAnimationFrame`; `chunk_size` is the padded ANMF size.
fn parse_anmf(d: &mut Demux, mem: &mut Mem<'_>, chunk_size: usize) -> Option<()> {
    if chunk_size < 16 || mem.avail() < 16 {
        return None;
    }
    let b = mem.buf;
    let p = mem.pos;
    let mut frame = DemuxFrame {
        x_offset: 2 * le24(b, p),
        y_offset: 2 * le24(b, p + 3),
        width: 1 + le24(b, p + 6),
        height: 1 + le24(b, p + 9),
        ..Default::default()
    };
    mem.pos += 16;
    if u64::from(frame.width) * u64::from(frame.height) >= MAX_IMAGE_AREA {
        return None;
    }
    let start = mem.pos;
    let payload = chunk_size - 16;
    store_frame(mem, d.frames.len() as u32 + 1, payload, &mut frame)?;
    if mem.pos - start > payload {
        return None;
    }
    if d.flags & ANIMATION_FLAG != 0 && frame.frame_num > 0 {
        if d.frames.last().is_some_and(|f| !f.complete) {
            return None;
        }
        d.frames.push(frame);
    }
    Some(())
}

/// libwebp's `ParseVP8X` and `ParseVP8XChunks`.
fn parse_vp8x(d: &mut Demux, mem: &mut Mem<'_>) -> Option<()> {
    if mem.avail() < 8 {
        return None;
    }
    d.is_ext = true;
    let size = u64::from(le32(mem.buf, mem.pos + 4));
    mem.pos += 8;
    if !(10..=MAX_CHUNK_PAYLOAD).contains(&size) {
        return None;
    }
    let padded = (size + (size & 1)) as usize;
    if padded > mem.avail() {
        return None;
    }
    let b = mem.buf;
    let p = mem.pos;
    d.flags = u32::from(b[p]);
    d.canvas_w = 1 + le24(b, p + 4);
    d.canvas_h = 1 + le24(b, p + 7);
    if u64::from(d.canvas_w) * u64::from(d.canvas_h) >= MAX_IMAGE_AREA {
        return None;
    }
    mem.pos += padded;
    if mem.avail() < 8 {
        return None;
    }
    let is_animation = d.flags & ANIMATION_FLAG != 0;
    let mut anim_chunks = 0;
    loop {
        let start = mem.pos;
        let fourcc: [u8; 4] = mem.buf[start..start + 4].try_into().ok()?;
        let size = u64::from(le32(mem.buf, start + 4));
        mem.pos += 8;
        if size > MAX_CHUNK_PAYLOAD {
            return None;
        }
        let padded = (size + (size & 1)) as usize;
        if padded > mem.avail() {
            return None;
        }
        let mut store = true;
        let mut skip = false;
        match &fourcc {
            b"VP8X" => return None,
            b"ALPH" | b"VP8 " | b"VP8L" => {
                if anim_chunks > 0 || is_animation {
                    return None;
                }
                mem.pos -= 8;
                parse_single_image(d, mem)?;
            }
            b"ANIM" => {
                if padded < 6 {
                    return None;
                }
                if anim_chunks == 0 {
                    anim_chunks += 1;
                    d.loop_count = le16(mem.buf, mem.pos + 4);
                    mem.pos += padded;
                } else {
                    store = false;
                    skip = true;
                }
            }
            b"ANMF" => {
                if anim_chunks == 0 {
                    return None;
                }
                parse_anmf(d, mem, padded)?;
            }
            b"ICCP" => {
                store = d.flags & ICCP_FLAG != 0;
                skip = true;
            }
            b"EXIF" => {
                store = d.flags & EXIF_FLAG != 0;
                skip = true;
            }
            b"XMP " => {
                store = d.flags & XMP_FLAG != 0;
                skip = true;
            }
            _ => skip = true,
        }
        if skip {
            if store {
                d.chunks.push((
                    fourcc,
                    Span {
                        offset: start + 8,
                        size: size as usize,
                    },
                ));
            }
            mem.pos += padded;
        }
        if mem.pos == mem.end {
            return Some(());
        }
        if mem.avail() < 8 {
            return None;
        }
    }
}

/// libwebp's `CheckFrameBounds`.
fn frame_in_bounds(f: &DemuxFrame, exact: bool, cw: u32, ch: u32) -> bool {
    if exact {
        f.x_offset == 0 && f.y_offset == 0 && f.width == cw && f.height == ch
    } else {
        u64::from(f.width) + u64::from(f.x_offset) <= u64::from(cw)
            && u64::from(f.height) + u64::from(f.y_offset) <= u64::from(ch)
    }
}

/// `WebPDemux` on a whole file: `None` where libwebp returns NULL.
fn demux(buf: &[u8]) -> Option<Demux> {
    if buf.len() < 20 || &buf[..4] != b"RIFF" || &buf[8..12] != b"WEBP" {
        return None;
    }
    let riff_size = u64::from(le32(buf, 4));
    if !(8..=MAX_CHUNK_PAYLOAD).contains(&riff_size) {
        return None;
    }
    let riff_end = riff_size as usize + 8;
    if buf.len() < riff_end {
        return None;
    }
    let mut mem = Mem {
        buf: &buf[..riff_end],
        pos: 12,
        end: riff_end,
    };
    let mut d = Demux {
        loop_count: 1,
        ..Default::default()
    };
    match &buf[12..16] {
        b"VP8 " | b"VP8L" => {
            parse_single_image(&mut d, &mut mem)?;
            let f = d.frames.first()?;
            if d.canvas_w == 0 || d.canvas_h == 0 || f.width == 0 || f.height == 0 {
                return None;
            }
        }
        b"VP8X" => {
            parse_vp8x(&mut d, &mut mem)?;
            let is_animation = d.flags & ANIMATION_FLAG != 0;
            if d.frames.is_empty() || d.flags & !ALL_VALID_FLAGS != 0 {
                return None;
            }
            for f in &d.frames {
                if !is_animation && f.frame_num > 1 {
                    return None;
                }
                if !f.complete || (f.alpha.size > 0 && f.alpha.offset > f.image.offset) || f.width == 0 || f.height == 0
                {
                    return None;
                }
                if !frame_in_bounds(f, !is_animation, d.canvas_w, d.canvas_h) {
                    return None;
                }
            }
        }
        _ => return None,
    }
    Some(d)
}

// ---------------------------------------------------------------------------
// Frame decoding through image-webp.

fn push_chunk(out: &mut Vec<u8>, fourcc: &[u8], payload: &[u8]) {
    out.extend_from_slice(fourcc);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    if payload.len() % 2 == 1 {
        out.push(0);
    }
}

/// Decode one frame to RGB or RGBA (the bool says which). The frame's
/// chunks are rewrapped as a standalone file for `image-webp`.
fn decode_frame(file: &[u8], f: &DemuxFrame) -> Result<(Vec<u8>, bool), String> {
    let payload = |s: Span| -> &[u8] {
        let declared = le32(file, s.offset + 4) as usize;
        &file[s.offset + 8..s.offset + 8 + declared.min(s.size - 8)]
    };
    let image = payload(f.image);
    let lossless = &file[f.image.offset..f.image.offset + 4] == b"VP8L";
    let mut riff = Vec::with_capacity(image.len() + 64);
    if !lossless && f.alpha.size > 0 {
        let mut vp8x = vec![ALPHA_FLAG as u8, 0, 0, 0];
        vp8x.extend_from_slice(&(f.width - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(f.height - 1).to_le_bytes()[..3]);
        push_chunk(&mut riff, b"VP8X", &vp8x);
        push_chunk(&mut riff, b"ALPH", payload(f.alpha));
    }
    push_chunk(&mut riff, if lossless { b"VP8L" } else { b"VP8 " }, image);
    let mut whole = Vec::with_capacity(riff.len() + 12);
    whole.extend_from_slice(b"RIFF");
    whole.extend_from_slice(&(riff.len() as u32 + 4).to_le_bytes());
    whole.extend_from_slice(b"WEBP");
    whole.extend_from_slice(&riff);
    let decoded = std::panic::catch_unwind(|| -> Result<(Vec<u8>, bool), String> {
        let mut dec = image_webp::WebPDecoder::new(std::io::Cursor::new(&whole)).map_err(|e| e.to_string())?;
        let (w, h) = dec.dimensions();
        if (w, h) != (f.width, f.height) {
            return Err("frame size mismatch".into());
        }
        let n = dec.output_buffer_size().ok_or("frame too large")?;
        let mut buf = vec![0u8; n];
        dec.read_image(&mut buf).map_err(|e| e.to_string())?;
        Ok((buf, dec.has_alpha()))
    })
    .map_err(|_| "webp decoder panicked".to_string())??;
    Ok(decoded)
}

/// Copy `src` pixels (`sn` channels) into `dst` pixels (`dn` channels),
/// dropping alpha or adding an opaque one.
fn copy_pixels(dst: &mut [u8], dn: usize, src: &[u8], sn: usize) {
    if dn == sn {
        dst.copy_from_slice(&src[..dst.len()]);
    } else if dn == 3 {
        for (d, s) in dst.chunks_exact_mut(3).zip(src.chunks_exact(sn)) {
            d.copy_from_slice(&s[..3]);
        }
    } else {
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(sn)) {
            d[..3].copy_from_slice(&s[..3]);
            d[3] = 255;
        }
    }
}

/// ImageBufAlgo::premult on uint8 RGBA pixels (OIIO's float arithmetic).
fn premult_u8(px: &mut [u8]) {
    for p in px.chunks_exact_mut(4) {
        if p[3] == 255 {
            continue;
        }
        let a = p[3].to_f32();
        for c in &mut p[..3] {
            *c = u8::from_f32_scalar(c.to_f32() * a);
        }
    }
}

// ---------------------------------------------------------------------------
// Reader

/// `FORMAT.open`.
pub fn open(path: &Path, config: &ImageSpec) -> Result<Box<dyn Reader>, IoError> {
    let given = *config != ImageSpec::default();
    open_with(path, given.then_some(config))
}

/// Open: the whole file is read and demuxed (OIIO does the same).
pub fn open_with(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let keep_unassoc = config.is_some_and(|c| c.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1);
    Ok(Box::new(WebpReader::from_bytes(
        data,
        &path.display().to_string(),
        keep_unassoc,
    )?))
}

struct WebpReader {
    data: Vec<u8>,
    spec: ImageSpec,
    frames: Vec<DemuxFrame>,
    keep_unassoc: bool,
    /// The last frame drawn and its canvas (the spec's channels).
    canvas: Option<(usize, PixelData)>,
}

/// OIIO's `check_open` with the WebP reader's limits (16383 x 16383, 4
/// channels) and `check_compression_ratio`.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(format!(
            "webp image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        ));
    }
    if w > 16383 || h > 16383 {
        return Err(format!(
            "webp image resolution may not exceed 16383x16383, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(format!(
            "webp image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
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
    if file_size != 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(format!(
            "webp header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

impl WebpReader {
    fn from_bytes(data: Vec<u8>, name: &str, keep_unassoc: bool) -> Result<WebpReader, IoError> {
        if data.is_empty() {
            // OIIO fails to read the header then, without a message.
            return Err(IoError::Open(String::new()));
        }
        if !sniff(&data) {
            return Err(IoError::Open(format!("{name} is not a WebP image file")));
        }
        let d = demux(&data).ok_or_else(|| IoError::Corrupt("Couldn't decode".into()))?;
        let nch = if d.flags & ALPHA_FLAG != 0 { 4 } else { 3 };
        let mut spec = ImageSpec::new(d.canvas_w as i32, d.canvas_h as i32, nch, TypeDesc::UINT8);
        spec.set_colorspace("srgb_rec709_scene");
        if d.flags & ANIMATION_FLAG != 0 {
            spec.attribute_int("oiio:Movie", 1);
            if d.loop_count != 0 {
                spec.attribute_int("oiio:LoopCount", d.loop_count as i32);
                spec.attribute_int("webp:LoopCount", d.loop_count as i32);
            }
        }
        let first_chunk = |name: &[u8; 4]| d.chunks.iter().find(|c| &c.0 == name).map(|c| c.1);
        if d.flags & EXIF_FLAG != 0 {
            if let Some(s) = first_chunk(b"EXIF") {
                let exif = &data[s.offset..s.offset + s.size];
                let skip = if exif.starts_with(b"Exif\0\0") { 6 } else { 0 };
                // Only a payload with room for a TIFF header is decoded.
                if exif.len() >= skip + 8 {
                    let ok = meta::decode_exif(exif, &mut spec);
                    if !ok && globals::get_int_attribute("imageinput:strict", 0) != 0 {
                        return Err(IoError::Corrupt("Could not decode Exif".into()));
                    }
                }
            }
        }
        if d.flags & ICCP_FLAG != 0 {
            if let Some(s) = first_chunk(b"ICCP") {
                let icc = &data[s.offset..s.offset + s.size];
                spec.attribute(meta::bytes_param("ICCProfile", icc));
                if let Err(msg) = meta::decode_icc_profile(icc, &mut spec) {
                    if globals::get_int_attribute("imageinput:strict", 0) != 0 {
                        return Err(IoError::Corrupt(format!(
                            "Possible corrupt file, could not decode ICC profile: {msg}\n"
                        )));
                    }
                }
            }
        }
        check_open(&spec, data.len() as u64).map_err(IoError::Corrupt)?;
        if keep_unassoc && spec.alpha_channel != -1 {
            spec.attribute_int("oiio:UnassociatedAlpha", 1);
        }
        Ok(WebpReader {
            data,
            spec,
            frames: d.frames,
            keep_unassoc,
            canvas: None,
        })
    }

    /// Draw frame `k` onto `canvas` (holding frame `k - 1`, or fresh).
    fn draw(&self, k: usize, canvas: &mut [u8]) -> Result<(), IoError> {
        let f = &self.frames[k];
        let fail = || IoError::Corrupt(format!("Couldn't decode subimage {k}"));
        let (px, has_alpha) = decode_frame(&self.data, f).map_err(|_| fail())?;
        let sn = if has_alpha { 4 } else { 3 };
        let nch = self.spec.nchannels as usize;
        let cw = self.spec.width as usize;
        let (fw, fh) = (f.width as usize, f.height as usize);
        let (x0, y0) = (f.x_offset as usize, f.y_offset as usize);
        if x0 + fw > cw || y0 + fh > self.spec.height as usize {
            return Err(fail());
        }
        if k == 0 || !f.has_alpha {
            // The frame replaces its rectangle, then (with alpha) the whole
            // canvas is premultiplied, as OIIO does after every such frame.
            if x0 == 0 && fw == cw {
                let start = y0 * cw * nch;
                copy_pixels(&mut canvas[start..start + fw * fh * nch], nch, &px, sn);
            } else {
                for y in 0..fh {
                    let dst = &mut canvas[((y0 + y) * cw + x0) * nch..((y0 + y) * cw + x0 + fw) * nch];
                    copy_pixels(dst, nch, &px[y * fw * sn..(y + 1) * fw * sn], sn);
                }
            }
            if nch == 4 && !self.keep_unassoc {
                premult_u8(canvas);
            }
        } else if nch == 4 && !self.keep_unassoc {
            // Premultiplied frame "over" the canvas.
            let mut frag = vec![0u8; fw * fh * 4];
            copy_pixels(&mut frag, 4, &px, sn);
            premult_u8(&mut frag);
            for y in 0..fh {
                let dst = &mut canvas[((y0 + y) * cw + x0) * 4..((y0 + y) * cw + x0 + fw) * 4];
                let src = &frag[y * fw * 4..(y + 1) * fw * 4];
                for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                    let one_minus = 1.0 - s[3].to_f32().clamp(0.0, 1.0);
                    for c in 0..4 {
                        d[c] = u8::from_f32_scalar(s[c].to_f32() + one_minus * d[c].to_f32());
                    }
                }
            }
        }
        Ok(())
    }
}

impl Reader for WebpReader {
    fn format_name(&self) -> &'static str {
        "webp"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (miplevel == 0 && subimage < self.frames.len()).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if miplevel != 0 || subimage >= self.frames.len() {
            return Err(IoError::Open(String::new()));
        }
        let bytes = self.spec.image_bytes(true) as usize;
        let alloc = || PixelData::zeroed(bytes).map_err(|e| IoError::Corrupt(e.to_string()));
        let (mut next, mut canvas) = match self.canvas.take() {
            Some((k, c)) if k <= subimage => (k + 1, c),
            _ => (0, alloc()?),
        };
        while next <= subimage {
            self.draw(next, canvas.bytes_mut())?;
            next += 1;
        }
        if self.frames.len() == 1 {
            return Ok(canvas);
        }
        let mut px = alloc()?;
        px.bytes_mut().copy_from_slice(canvas.bytes());
        self.canvas = Some((subimage, canvas));
        Ok(px)
    }
}

// ---------------------------------------------------------------------------
// Writer

/// OIIO's `ImageOutput::check_open` for the WebP writer.
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let bad = |m: String| Err(IoError::Unsupported(m));
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w > 16383 || h > 16383 {
        return bad(format!(
            "webp image resolution may not exceed 16383x16383, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "webp image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("webp does not support volume images (depth > 1)".into());
    }
    if !(0..=4).contains(&n) || n == 1 || n == 2 {
        return bad(format!("webp does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("webp does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("webp does not support 'deep' images".into());
    }
    Ok(())
}

/// OIIO's conversion of associated alpha before encoding, in uint8: RGB to
/// the power 2.2, unpremultiply, RGB to the power 1/2.2.
fn unassociate_u8(px: &mut [u8]) {
    let g = 2.2f32;
    let inv = 1.0f32 / 2.2f32;
    for p in px.chunks_exact_mut(4) {
        for c in &mut p[..3] {
            *c = u8::from_f32_scalar(c.to_f32().powf(g));
        }
        let a = p[3].to_f32();
        if a != 0.0 && a != 1.0 {
            for c in &mut p[..3] {
                *c = u8::from_f32_scalar(c.to_f32() / a);
            }
        }
        for c in &mut p[..3] {
            *c = u8::from_f32_scalar(c.to_f32().powf(inv));
        }
    }
}

/// Encode uint8 pixels (3 or 4 channels) as a lossless WebP file.
fn encode(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
    let (w, h, n) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let count = w * h * n;
    let need = count * spec.format.size();
    if pixels.len() < need {
        return Err(IoError::Write(format!(
            "webp: {} bytes of pixels given, {need} needed",
            pixels.len()
        )));
    }
    let mut px = vec![0u8; count];
    if !convert_bytes(&pixels[..need], spec.format.basetype, &mut px, TypeDesc::UINT8.basetype) {
        return Err(IoError::Unsupported(format!("webp cannot write {}", spec.format)));
    }
    let mut color = image_webp::ColorType::Rgb8;
    if n == 4 {
        if spec.alpha_channel != -1 && spec.get_int_attribute("oiio:UnassociatedAlpha", 0) == 0 {
            unassociate_u8(&mut px);
        }
        if px.chunks_exact(4).all(|p| p[3] == 255) {
            // libwebp leaves out an alpha channel that is fully opaque.
            px = px.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        } else {
            color = image_webp::ColorType::Rgba8;
        }
    }
    let icc = spec
        .find_attribute("ICCProfile", TypeDesc::UNKNOWN, false)
        .and_then(|p| meta::param_bytes(&p))
        .unwrap_or_default();
    let encoded = std::panic::catch_unwind(move || {
        let mut out = Vec::new();
        let mut enc = image_webp::WebPEncoder::new(&mut out);
        if !icc.is_empty() {
            enc.set_icc_profile(icc);
        }
        enc.encode(&px, w as u32, h as u32, color).map(|_| out)
    });
    match encoded {
        Ok(Ok(bytes)) => Ok(bytes),
        _ => Err(IoError::Write("Failed to encode as WebP image".into())),
    }
}

/// `FORMAT.write`: the first subimage's top level.
fn write_request(path: &Path, req: &WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("webp: nothing to write".into()))?;
    check_output(level.spec)?;
    let bytes = encode(level.spec, level.pixels).map_err(|e| match e {
        IoError::Write(m) if m.starts_with("Failed") => {
            IoError::Write(format!("Failed to encode {} as WebP image", path.display()))
        }
        e => e,
    })?;
    std::fs::write(path, bytes).map_err(|_| IoError::Write(format!("Could not open \"{}\"", path.display())))
}

// ---------------------------------------------------------------------------
// Metadata decoders shared with other formats (EXIF, ICC), when built.

#[cfg(any(feature = "png", feature = "jpeg"))]
mod meta {
    pub use super::super::meta_exif::{bytes_param, decode_exif, param_bytes};
    use vfx_core::ImageSpec;

    pub fn decode_icc_profile(icc: &[u8], spec: &mut ImageSpec) -> Result<(), String> {
        super::super::meta_exif::decode_icc_profile(icc, spec)
    }
}

#[cfg(not(any(feature = "png", feature = "jpeg")))]
mod meta {
    //! Stand-ins while the shared metadata module is not compiled in: the
    //! raw ICC profile is kept, nothing is decoded.
    use vfx_core::paramvalue::{Interp, Value};
    use vfx_core::{Aggregate, BaseType, ImageSpec, ParamValue, TypeDesc, VecSemantics};

    pub fn decode_exif(_blob: &[u8], _spec: &mut ImageSpec) -> bool {
        true
    }

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

    pub fn param_bytes(p: &ParamValue) -> Option<Vec<u8>> {
        let ty = p.type_desc();
        if !matches!(ty.basetype, BaseType::UInt8 | BaseType::Int8) {
            return None;
        }
        Some((0..p.count()).map(|i| p.get(i).as_i64() as u8).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, WriteRequest};

    fn scratch(ext: &str) -> std::path::PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        std::env::temp_dir().join(format!(
            "vfx_io_webp_{}_{}.{ext}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ))
    }

    fn write_bytes(spec: &ImageSpec, px: &[u8]) -> Vec<u8> {
        let p = scratch("webp");
        let req = WriteRequest {
            subimages: vec![vec![Level { spec, pixels: px }]],
            deep: vec![None],
            source: spec.format,
            thumbnail: None,
        };
        write_request(&p, &req).unwrap();
        let b = std::fs::read(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        b
    }

    fn read(bytes: Vec<u8>, unassoc: bool) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let mut r = WebpReader::from_bytes(bytes, "x.webp", unassoc)?;
        let s = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0)?.bytes().to_vec();
        Ok((s, px))
    }

    #[test]
    fn rgb_round_trip_is_exact() {
        let (w, h) = (37usize, 19usize);
        let px: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        let spec = ImageSpec::new(w as i32, h as i32, 3, TypeDesc::UINT8);
        let bytes = write_bytes(&spec, &px);
        let (s, back) = read(bytes, false).unwrap();
        assert_eq!((s.width, s.height, s.nchannels), (37, 19, 3));
        assert_eq!(s.get_string_attribute("oiio:ColorSpace", ""), "srgb_rec709_scene");
        assert_eq!(back, px);
    }

    #[test]
    fn alpha_handling() {
        // Opaque alpha is dropped.
        let spec = ImageSpec::new(2, 1, 4, TypeDesc::UINT8);
        let (s, _) = read(write_bytes(&spec, &[10, 20, 30, 255, 40, 50, 60, 255]), false).unwrap();
        assert_eq!(s.nchannels, 3);
        // Unassociated in the file; premultiplied when read unless asked.
        let mut spec = ImageSpec::new(2, 1, 4, TypeDesc::UINT8);
        spec.attribute_int("oiio:UnassociatedAlpha", 1);
        let bytes = write_bytes(&spec, &[200, 100, 50, 128, 0, 0, 0, 0]);
        let (s, px) = read(bytes.clone(), true).unwrap();
        assert_eq!(s.get_int_attribute("oiio:UnassociatedAlpha", 0), 1);
        assert_eq!(px, [200, 100, 50, 128, 0, 0, 0, 0]);
        let (_, px) = read(bytes, false).unwrap();
        assert_eq!(px, [100, 50, 25, 128, 0, 0, 0, 0]);
    }

    #[test]
    fn icc_profile_is_stored() {
        let mut spec = ImageSpec::new(3, 3, 3, TypeDesc::UINT8);
        let icc: Vec<u8> = (0..200u8).collect();
        spec.attribute(meta::bytes_param("ICCProfile", &icc));
        let bytes = write_bytes(&spec, &[9; 27]);
        assert_eq!(&bytes[12..16], b"VP8X");
        let (s, px) = read(bytes, false).unwrap();
        let got = s.find_attribute("ICCProfile", TypeDesc::UNKNOWN, false).unwrap();
        assert_eq!(meta::param_bytes(&got).unwrap(), icc);
        assert_eq!(px, [9; 27]);
    }

    #[test]
    fn writer_checks() {
        for n in [1, 2, 5] {
            let s = ImageSpec::new(2, 2, n, TypeDesc::UINT8);
            assert_eq!(
                check_output(&s).unwrap_err().to_string(),
                format!("webp does not support {n}-channel images")
            );
        }
        let s = ImageSpec::new(16384, 2, 3, TypeDesc::UINT8);
        assert!(check_output(&s).is_err());
        // Float input is converted.
        let spec = ImageSpec::new(2, 1, 3, TypeDesc::FLOAT);
        let f: Vec<u8> = [0.0f32, 0.5, 1.0, 2.0, -1.0, 0.25]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect();
        let (_, px) = read(write_bytes(&spec, &f), false).unwrap();
        assert_eq!(px, [0, 128, 255, 255, 0, 64]);
    }

    /// An animated file from lossless frames (the ANMF payload is a VP8L
    /// chunk).
    fn animated(canvas: (u32, u32), frames: &[(u32, u32, u32, u32, Vec<u8>)], loops: u16) -> Vec<u8> {
        let mut body = Vec::new();
        let mut vp8x = vec![(ANIMATION_FLAG | ALPHA_FLAG) as u8, 0, 0, 0];
        vp8x.extend_from_slice(&(canvas.0 - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(canvas.1 - 1).to_le_bytes()[..3]);
        push_chunk(&mut body, b"VP8X", &vp8x);
        let mut anim = vec![0u8; 4];
        anim.extend_from_slice(&loops.to_le_bytes());
        push_chunk(&mut body, b"ANIM", &anim);
        for (x, y, w, h, rgba) in frames {
            let mut file = Vec::new();
            image_webp::WebPEncoder::new(&mut file)
                .encode(rgba, *w, *h, image_webp::ColorType::Rgba8)
                .unwrap();
            let mut anmf = Vec::new();
            anmf.extend_from_slice(&(x / 2).to_le_bytes()[..3]);
            anmf.extend_from_slice(&(y / 2).to_le_bytes()[..3]);
            anmf.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
            anmf.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
            anmf.extend_from_slice(&[100, 0, 0, 0]);
            anmf.extend_from_slice(&file[12..]);
            push_chunk(&mut body, b"ANMF", &anmf);
        }
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend(body);
        out
    }

    #[test]
    fn animation_composites_like_oiio() {
        let red: Vec<u8> = [255, 0, 0, 255].repeat(16);
        let half_green: Vec<u8> = [0, 255, 0, 128].repeat(4);
        let bytes = animated((4, 4), &[(0, 0, 4, 4, red), (2, 2, 2, 2, half_green)], 3);
        let mut r = WebpReader::from_bytes(bytes, "a.webp", false).unwrap();
        let s = r.spec(1, 0).unwrap();
        assert!(r.spec(2, 0).is_none());
        assert_eq!(s.get_int_attribute("oiio:Movie", 0), 1);
        assert_eq!(s.get_int_attribute("oiio:LoopCount", 0), 3);
        assert_eq!(s.get_int_attribute("webp:LoopCount", 0), 3);
        let f0 = r.read_image(0, 0).unwrap().bytes().to_vec();
        assert_eq!(&f0[..4], &[255, 0, 0, 255]);
        let f1 = r.read_image(1, 0).unwrap().bytes().to_vec();
        let at = |x: usize, y: usize| f1[(y * 4 + x) * 4..(y * 4 + x) * 4 + 4].to_vec();
        assert_eq!(at(0, 0), [255, 0, 0, 255]);
        // 0.5 green over red: (0.498 red, 0.502 green, 1 alpha).
        assert_eq!(at(3, 3), [127, 128, 0, 255]);
        // Random access replays the frames.
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), f0.as_slice());
    }

    #[test]
    fn damaged_files_fail_cleanly() {
        let spec = ImageSpec::new(8, 8, 4, TypeDesc::UINT8);
        let px: Vec<u8> = (0..256).map(|i| (i * 13 % 256) as u8).collect();
        let good = write_bytes(&spec, &px);
        assert!(read(good.clone(), false).is_ok());
        assert_eq!(read(vec![], false).unwrap_err(), IoError::Open(String::new()));
        assert_eq!(
            read(b"RIFF\x04\0\0\0WEBX".to_vec(), false).unwrap_err().to_string(),
            "x.webp is not a WebP image file"
        );
        for n in 0..good.len() {
            let r = read(good[..n].to_vec(), false);
            if n >= 12 {
                assert!(r.is_err(), "truncated at {n}");
            }
        }
        let mut seed = 99u32;
        for _ in 0..500 {
            let mut v = good.clone();
            for _ in 0..3 {
                seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
                let i = (seed >> 8) as usize % v.len();
                v[i] = (seed >> 24) as u8;
            }
            let _ = read(v, false);
        }
        // A huge canvas is refused before anything is allocated.
        let mut big = animated((4, 4), &[(0, 0, 4, 4, vec![0; 64])], 0);
        big[24..30].copy_from_slice(&[0xff, 0xff, 0x3f, 0xff, 0xff, 0x3f]);
        assert!(read(big, false).is_err());
    }
}
