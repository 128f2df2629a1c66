//! Softimage PIC files (.pic), read only, as OpenImageIO 3.2.2 reads them.
//!
//! A 104-byte big-endian header (magic 0x5380F634, comment, size) is
//! followed by up to four chained 4-byte channel packets, each naming a set
//! of channels (R, G, B, A bits), their depth (8 or 16 bits) and their
//! encoding: raw, pure run-length or mixed run-length. Every scanline then
//! holds one encoded run per packet, top row first.
//!
//! As OIIO: channels are numbered in the order packets first mention them,
//! the pixel type is uint16 if any packet is 16-bit (8-bit packets are then
//! scaled by 257), `BitsPerSample`, `softimage:compression` (the packets'
//! encodings joined by commas) and the comment as `ImageDescription` are
//! reported, and run lengths past the end of a row are clipped.

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::path::Path;
use vfx_core::{ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "softimage",
    extensions: &["pic"],
    sniff,
    open: Some(open),
    write: None,
    supports,
};

/// OIIO's Softimage reader answers no feature queries.
pub fn supports(_feature: &str) -> i32 {
    0
}

const MAGIC: u32 = 0x5380_F634;
const HEADER_LEN: usize = 104;

/// True if the file starts with the PIC magic number.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 4 && u32::from_be_bytes([head[0], head[1], head[2], head[3]]) == MAGIC
}

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

/// OIIO's generic open-time checks (`ImageInput::check_open`) for a 2D image.
fn check_open(name: &str, spec: &ImageSpec, max_w: i32, max_h: i32, max_ch: i32) -> Result<(), IoError> {
    let limits = crate::input::OpenLimits {
        width: max_w,
        height: max_h,
        depth: 1,
        nchannels: max_ch,
    };
    crate::input::check_open(name, spec, limits).map_err(corrupt)
}

/// OIIO's `check_compression_ratio`: refuse a small file that declares at
/// least 1 GiB of pixels, more than 10000 times its size.
fn check_ratio(name: &str, spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let declared = spec.image_bytes(true);
    if file_size > 0 && declared >= 1 << 30 && declared > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "{name} header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        )));
    }
    Ok(())
}

/// One channel packet: which channels, how deep, how encoded.
#[derive(Clone, Debug)]
struct Packet {
    /// Bytes per value in the file: 1 or 2.
    bytes: usize,
    /// The raw encoding byte (its low two bits select the encoding).
    kind: u8,
    /// File channel indices (0 = R .. 3 = A) in file order.
    chans: Vec<usize>,
}

fn encoding_name(kind: u8) -> &'static str {
    match kind & 3 {
        0 => "none",
        1 => "rle",
        2 => "mixed-rle",
        _ => "unknown",
    }
}

/// The decoding layout shared by all rows.
struct Layout {
    width: usize,
    /// Bytes per stored value (1 or 2, native order).
    storage: usize,
    pixel_bytes: usize,
    /// Byte offset in a pixel of each file channel (R, G, B, A).
    offset: [usize; 4],
}

impl Layout {
    /// Store one file value (big-endian, `n` bytes) for file channel `ch`
    /// of pixel `x`.
    #[inline]
    fn put(&self, row: &mut [u8], x: usize, ch: usize, raw: &[u8], n: usize) {
        let at = x * self.pixel_bytes + self.offset[ch];
        let v = if n == 2 {
            u16::from_be_bytes([raw[0], raw[1]])
        } else {
            u16::from(raw[0])
        };
        if self.storage == 1 {
            row[at] = v as u8;
        } else {
            let v = if n == self.storage { v } else { v.wrapping_mul(257) };
            row[at..at + 2].copy_from_slice(&v.to_ne_bytes());
        }
    }
}

/// Walk one packet's data for one row from `pos`, storing into `row` when
/// given; returns the position after it. `Err(true)` is OIIO's "Invalid
/// RLE data", `Err(false)` running out of data.
fn decode_packet(
    l: &Layout,
    p: &Packet,
    data: &[u8],
    mut pos: usize,
    mut row: Option<&mut [u8]>,
) -> Result<usize, bool> {
    let n = p.bytes;
    let psize = n * p.chans.len();
    let w = l.width;
    let take = |pos: usize, len: usize| data.get(pos..pos + len).ok_or(false);
    match p.kind & 3 {
        0 => {
            let src = take(pos, w * psize)?;
            if let Some(row) = row.as_deref_mut() {
                for x in 0..w {
                    for (k, &ch) in p.chans.iter().enumerate() {
                        l.put(row, x, ch, &src[x * psize + k * n..], n);
                    }
                }
            }
            pos += w * psize;
        }
        1 => {
            let mut x = 0;
            while x < w {
                let count = *data.get(pos).ok_or(false)? as usize;
                pos += 1;
                if count == 0 {
                    return Err(true);
                }
                let count = count.min(w - x);
                let src = take(pos, psize)?;
                if let Some(row) = row.as_deref_mut() {
                    for px in x..x + count {
                        for (k, &ch) in p.chans.iter().enumerate() {
                            l.put(row, px, ch, &src[k * n..], n);
                        }
                    }
                }
                pos += psize;
                x += count;
            }
        }
        _ => {
            let mut x = 0;
            while x < w {
                let c = *data.get(pos).ok_or(false)? as usize;
                pos += 1;
                if c < 128 {
                    // A literal run: only the pixels that fit are stored
                    // (and consumed), as OIIO does.
                    let count = (c + 1).min(w - x);
                    let src = take(pos, count * psize)?;
                    if let Some(row) = row.as_deref_mut() {
                        for i in 0..count {
                            for (k, &ch) in p.chans.iter().enumerate() {
                                l.put(row, x + i, ch, &src[i * psize + k * n..], n);
                            }
                        }
                    }
                    pos += count * psize;
                    x += count;
                } else {
                    let count = if c == 128 {
                        let b = take(pos, 2)?;
                        pos += 2;
                        u16::from_be_bytes([b[0], b[1]]) as usize
                    } else {
                        c - 127
                    };
                    if count == 0 {
                        return Err(true);
                    }
                    let count = count.min(w - x);
                    let src = take(pos, psize)?;
                    if let Some(row) = row.as_deref_mut() {
                        for px in x..x + count {
                            for (k, &ch) in p.chans.iter().enumerate() {
                                l.put(row, px, ch, &src[k * n..], n);
                            }
                        }
                    }
                    pos += psize;
                    x += count;
                }
            }
        }
    }
    Ok(pos)
}

/// `FORMAT.open`.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let (spec, packets, layout, start) = parse(path, &data)?;
    Ok(Box::new(SoftimageReader {
        spec,
        packets,
        layout,
        start,
        data,
        path: path.display().to_string(),
    }))
}

type Parsed = (ImageSpec, Vec<Packet>, Layout, usize);

/// Header and channel packets; the spec OIIO reports.
fn parse(path: &Path, b: &[u8]) -> Result<Parsed, IoError> {
    let name = path.display();
    if b.len() < HEADER_LEN {
        return Err(corrupt(format!("\"{name}\": failed to read header")));
    }
    let magic = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if magic != MAGIC {
        return Err(corrupt(format!(
            "\"{name}\" is not a Softimage Pic file, magic number of 0x{magic:x} is not Pic"
        )));
    }
    let width = u16::from_be_bytes([b[92], b[93]]);
    let height = u16::from_be_bytes([b[94], b[95]]);
    let mut packets = Vec::new();
    let mut encodings = Vec::new();
    let mut pos = HEADER_LEN;
    loop {
        let Some(p) = b.get(pos..pos + 4) else {
            return Err(corrupt(format!("Unexpected end of file \"{name}\".")));
        };
        pos += 4;
        let (chained, size, kind, code) = (p[0], p[1], p[2], p[3]);
        if size != 8 && size != 16 {
            return Err(corrupt(format!("Unsupported bits per channel {size}")));
        }
        if code == 0 {
            return Err(corrupt("Channel packet with no channels"));
        }
        let chans = (0..4).filter(|c| code & (0x80 >> c) != 0).collect();
        packets.push(Packet {
            bytes: usize::from(size / 8),
            kind,
            chans,
        });
        encodings.push(encoding_name(kind));
        if packets.len() > 4 {
            return Err(corrupt("Too many channel packets"));
        }
        if chained == 0 {
            break;
        }
    }
    let mut map = [-1i32; 4];
    let mut nchannels = 0;
    let mut fmt = TypeDesc::UINT8;
    for p in &packets {
        if p.bytes == 2 {
            fmt = TypeDesc::UINT16;
        }
        for &c in &p.chans {
            if map[c] < 0 {
                map[c] = nchannels;
                nchannels += 1;
            }
        }
    }
    let mut spec = ImageSpec::new(i32::from(width), i32::from(height), nchannels, fmt);
    check_open("softimage", &spec, 65535, 65535, 4)?;
    let file_size = b.len() as u64;
    check_ratio("softimage", &spec, file_size)?;
    let storage = fmt.size();
    let mut offset = [0usize; 4];
    for c in 0..4 {
        if map[c] >= 0 {
            offset[c] = map[c] as usize * storage;
        }
    }
    spec.attribute_int("BitsPerSample", (storage * 8) as i32);
    spec.attribute_str("softimage:compression", &encodings.join(","));
    let comment = &b[8..88];
    if comment[0] != 0 {
        // OIIO keeps at most 79 characters.
        let len = comment[..79].iter().position(|&c| c == 0).unwrap_or(79);
        spec.attribute_str("ImageDescription", &String::from_utf8_lossy(&comment[..len]));
    }
    let layout = Layout {
        width: usize::from(width),
        storage,
        pixel_bytes: nchannels as usize * storage,
        offset,
    };
    Ok((spec, packets, layout, pos))
}

struct SoftimageReader {
    spec: ImageSpec,
    packets: Vec<Packet>,
    layout: Layout,
    /// Where the first scanline starts.
    start: usize,
    data: Vec<u8>,
    path: String,
}

impl SoftimageReader {
    /// The error OIIO reports when a row's packet cannot be decoded.
    fn row_error(&self, p: &Packet, invalid_rle: bool) -> IoError {
        let msg = format!("Failed to read channel packet type {} from \"{}\"", p.kind, self.path);
        if p.kind & 3 == 3 {
            return corrupt(format!(
                "Unsupported channel packet encoding {} in \"{}\"",
                p.kind, self.path
            ));
        }
        corrupt(if invalid_rle {
            format!("Invalid RLE data\n{msg}")
        } else {
            msg
        })
    }

    fn read_all(&self) -> Result<PixelData, IoError> {
        let l = &self.layout;
        let rows = self.spec.height as usize;
        let row_bytes = l.width * l.pixel_bytes;
        // First pass: where each row starts (rows are variable length).
        let mut starts = Vec::with_capacity(rows);
        let mut pos = self.start;
        let mut failure = None;
        'rows: for _ in 0..rows {
            starts.push(pos);
            for p in &self.packets {
                if p.kind & 3 == 3 {
                    failure = Some(self.row_error(p, false));
                    break 'rows;
                }
                match decode_packet(l, p, &self.data, pos, None) {
                    Ok(next) => pos = next,
                    Err(invalid) => {
                        failure = Some(self.row_error(p, invalid));
                        break 'rows;
                    }
                }
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let mut out = PixelData::zeroed(row_bytes * rows).map_err(|e| corrupt(e.to_string()))?;
        out.bytes_mut()
            .par_chunks_mut(row_bytes.max(1))
            .zip(starts.par_iter())
            .for_each(|(row, &start)| {
                let mut pos = start;
                for p in &self.packets {
                    // The first pass already validated every row.
                    pos = decode_packet(l, p, &self.data, pos, Some(row)).unwrap_or(pos);
                }
            });
        Ok(out)
    }
}

impl Reader for SoftimageReader {
    fn format_name(&self) -> &'static str {
        "softimage"
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
        std::env::temp_dir().join(format!("vfx_io_pic_{}_{n}.pic", std::process::id()))
    }

    fn read_bytes(bytes: &[u8]) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch();
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (spec, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    /// A header for `w` x `h` with `comment`, then the given packets.
    fn header(w: u16, h: u16, comment: &str, packets: &[[u8; 4]]) -> Vec<u8> {
        let mut b = MAGIC.to_be_bytes().to_vec();
        b.extend_from_slice(&1.0f32.to_be_bytes());
        let mut c = [0u8; 80];
        c[..comment.len()].copy_from_slice(comment.as_bytes());
        b.extend_from_slice(&c);
        b.extend_from_slice(b"PICT");
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&1.0f32.to_be_bytes());
        b.extend_from_slice(&[0, 3, 0, 0]);
        for p in packets {
            b.extend_from_slice(p);
        }
        b
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "softimage");
        assert!(sniff(&[0x53, 0x80, 0xf6, 0x34]));
        assert!(!sniff(&[0x53, 0x80]));
    }

    #[test]
    fn raw_rgb_and_metadata() {
        let mut b = header(2, 2, "hello", &[[0, 8, 0, 0xe0]]);
        b.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let (spec, px) = read_bytes(&b).unwrap();
        assert_eq!((spec.width, spec.height, spec.nchannels), (2, 2, 3));
        assert_eq!(spec.get_string_attribute("ImageDescription", ""), "hello");
        assert_eq!(spec.get_string_attribute("softimage:compression", ""), "none");
        assert_eq!(spec.get_int_attribute("BitsPerSample", 0), 8);
        assert_eq!(px, (1..=12).collect::<Vec<u8>>());
    }

    #[test]
    fn mixed_rle_and_pure_rle_packets() {
        // RGB mixed RLE + A pure RLE, width 4.
        let mut b = header(4, 1, "", &[[1, 8, 2, 0xe0], [0, 8, 1, 0x10]]);
        // literal 1 pixel, then a run of 3 (0x82 -> 3)
        b.extend_from_slice(&[0, 1, 2, 3, 0x82, 9, 8, 7]);
        // alpha: run of 10 clipped to 4
        b.extend_from_slice(&[10, 200]);
        let (spec, px) = read_bytes(&b).unwrap();
        assert_eq!(spec.nchannels, 4);
        assert_eq!(spec.get_string_attribute("softimage:compression", ""), "mixed-rle,rle");
        assert_eq!(px, [1, 2, 3, 200, 9, 8, 7, 200, 9, 8, 7, 200, 9, 8, 7, 200]);
        // Long run (128 + u16 count).
        let mut b = header(3, 1, "", &[[0, 8, 2, 0x80]]);
        b.extend_from_slice(&[128, 0, 3, 42]);
        assert_eq!(read_bytes(&b).unwrap().1, [42, 42, 42]);
    }

    #[test]
    fn sixteen_bit_promotes_eight_bit_packets() {
        let mut b = header(1, 1, "", &[[1, 16, 0, 0xe0], [0, 8, 0, 0x10]]);
        b.extend_from_slice(&[0x12, 0x34, 0, 1, 0xff, 0xff, 2]);
        let (spec, px) = read_bytes(&b).unwrap();
        assert_eq!(spec.format, TypeDesc::UINT16);
        let v: Vec<u16> = px.chunks(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect();
        assert_eq!(v, [0x1234, 1, 0xffff, 514]);
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let mut good = header(4, 2, "", &[[0, 8, 2, 0xf0]]);
        good.extend_from_slice(&[0x83, 1, 2, 3, 4, 0x83, 5, 6, 7, 8]);
        assert!(read_bytes(&good).is_ok());
        for cut in 0..good.len() {
            assert!(read_bytes(&good[..cut]).is_err(), "cut {cut}");
        }
        let mut b = good.clone();
        b[0] = 0;
        assert!(read_bytes(&b)
            .unwrap_err()
            .to_string()
            .contains("is not a Softimage Pic file"));
        let mut b = good.clone();
        b[105] = 12;
        assert_eq!(
            read_bytes(&b).unwrap_err().to_string(),
            "Unsupported bits per channel 12"
        );
        let mut b = good.clone();
        b[107] = 0;
        assert_eq!(
            read_bytes(&b).unwrap_err().to_string(),
            "Channel packet with no channels"
        );
        let mut b = good.clone();
        b[108] = 0x80;
        b[109..111].copy_from_slice(&[0, 0]);
        assert!(read_bytes(&b).unwrap_err().to_string().starts_with("Invalid RLE data"));
        let b = header(5, 5, "", &[[1, 8, 0, 0x80]; 5]);
        assert_eq!(read_bytes(&b).unwrap_err().to_string(), "Too many channel packets");
        let b = header(0, 5, "", &[[0, 8, 0, 0x80]]);
        assert!(read_bytes(&b).unwrap_err().to_string().contains("at least 1x1"));
    }
}
