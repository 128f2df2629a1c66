//! OpenEXR deep data: the pixel chunks of deep scanline ("deepscanline") and
//! deep tiled ("deeptile") parts, read into and written from
//! [`vfx_core::DeepData`] as OpenImageIO 3.2.2 does.
//!
//! The header (attributes, chunk offset table, file structure) belongs to
//! the OpenEXR module; this one only deals with the chunks. The interface:
//!
//! * [`DeepPart`] describes a part (or one level of a tiled part) the way the
//!   header does: its channels in file order (sorted by name), data window,
//!   compression, tiling and, in multi-part files, its part number (which
//!   leads every chunk).
//! * [`read_deep`]`(path, part, chunk_offsets, channel_names)` reads every
//!   chunk of the part (positional reads, decompressed in parallel) and
//!   returns a `DeepData` with one pixel per data-window pixel, channels in
//!   the order of `channel_names` (OIIO's order: the spec's channel names),
//!   each with the file's pixel type (half, float or uint), as OIIO's
//!   `read_native_deep_image` gives it.
//! * [`write_deep`]`(part, deep)` encodes a `DeepData` (one pixel per
//!   data-window pixel, channels matched to the part's by name, values
//!   converted to the file's channel types like OIIO does when they differ)
//!   into the part's chunks, complete with their leading fields, in
//!   offset-table order; the caller writes the offset table and the chunks.
//! * [`chunk_count`] gives the number of chunks (and so offsets) of a part.
//!
//! # Deep chunks
//!
//! A chunk holds one scanline (two or more only for ZIP: 16) or one tile:
//! `[part number: i32]`, the position (`y: i32`, or tile x, tile y, level x,
//! level y: 4 x i32), the packed size of the sample-count table, the packed
//! and unpacked sizes of the sample data (3 x u64), then both blocks.
//!
//! The sample-count table has one `i32` per pixel: the running total of
//! samples along the pixel's row (it restarts on every row). The sample data
//! holds, row after row, every channel in turn, each with all samples of all
//! pixels of that row. Both blocks use the part's compression (none, RLE,
//! ZIPS or ZIP; RLE and ZIP first split even/odd bytes and delta-code them);
//! a block whose packed size equals its unpacked size is stored raw.

use std::path::Path;

use exr::meta::attribute::SampleType;
use rayon::prelude::*;
use vfx_core::convert::{f32_to_value, value_to_f32};
use vfx_core::{BaseType, DeepData, TypeDesc};

use super::openexr_dwa::{deflate_into, inflate_exact, rle_decode, rle_encode, zip_split_predict, zip_unpredict_merge};
use crate::IoError;

/// One channel of a deep part, in the file's (name-sorted) order.
#[derive(Debug, Clone, PartialEq)]
pub struct DeepChannel {
    pub name: String,
    pub sample_type: SampleType,
}

/// Tiling of a deep tiled part: the tile size and which level the chunks
/// (and the part's `data_window`) belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeepTiles {
    pub tile_width: usize,
    pub tile_height: usize,
    pub level_x: i32,
    pub level_y: i32,
}

/// What the header says about a deep part (or one level of a tiled part).
#[derive(Debug, Clone, PartialEq)]
pub struct DeepPart<'a> {
    /// Channels in file order.
    pub channels: &'a [DeepChannel],
    /// xmin, ymin, xmax, ymax (inclusive) of the part, or of the level.
    pub data_window: [i32; 4],
    /// OpenEXR compression code: 0 none, 1 RLE, 2 ZIPS, 3 ZIP. OpenEXR 3.x
    /// only accepts none, RLE and ZIPS in deep parts (OIIO writes ZIPS when
    /// asked for ZIP); 16-line ZIP chunks are handled here all the same.
    pub compression: u8,
    /// `Some` for deep tiled parts.
    pub tiles: Option<DeepTiles>,
    /// `Some(index)` in multi-part files, where chunks start with it.
    pub part_number: Option<i32>,
}

const NONE: u8 = 0;
const RLE: u8 = 1;
const ZIPS: u8 = 2;
const ZIP: u8 = 3;

/// zlib level for written chunks (OIIO's default ZIP level).
const ZIP_LEVEL: i32 = 4;

/// Scanlines per chunk of a deep scanline part.
pub const fn lines_per_chunk(compression: u8) -> usize {
    if compression == ZIP {
        16
    } else {
        1
    }
}

impl DeepPart<'_> {
    fn width(&self) -> usize {
        (self.data_window[2] as i64 - self.data_window[0] as i64 + 1).max(0) as usize
    }

    fn height(&self) -> usize {
        (self.data_window[3] as i64 - self.data_window[1] as i64 + 1).max(0) as usize
    }

    /// Chunk `i`'s pixel rectangle: x, y (absolute), width, height.
    fn chunk_rect(&self, i: usize) -> (i32, i32, usize, usize) {
        let (w, h) = (self.width(), self.height());
        match self.tiles {
            Some(t) => {
                let ntx = w.div_ceil(t.tile_width);
                let (tx, ty) = (i % ntx, i / ntx);
                let (x0, y0) = (tx * t.tile_width, ty * t.tile_height);
                (
                    self.data_window[0] + x0 as i32,
                    self.data_window[1] + y0 as i32,
                    t.tile_width.min(w - x0),
                    t.tile_height.min(h - y0),
                )
            }
            None => {
                let lines = lines_per_chunk(self.compression);
                let y0 = i * lines;
                (
                    self.data_window[0],
                    self.data_window[1] + y0 as i32,
                    w,
                    lines.min(h - y0),
                )
            }
        }
    }

    /// Bytes of the leading fields of a chunk.
    fn leader_len(&self) -> usize {
        let pos = if self.tiles.is_some() { 16 } else { 4 };
        pos + 24 + if self.part_number.is_some() { 4 } else { 0 }
    }

    fn check(&self) -> Result<(), String> {
        if self.compression > ZIP {
            return Err("Invalid compression for deep data".into());
        }
        if let Some(t) = self.tiles {
            if t.tile_width == 0 || t.tile_height == 0 {
                return Err("Invalid tile size".into());
            }
        }
        Ok(())
    }
}

/// Number of chunks of a deep part (entries in its offset table).
pub fn chunk_count(part: &DeepPart<'_>) -> usize {
    let (w, h) = (part.width(), part.height());
    match part.tiles {
        Some(t) if t.tile_width > 0 && t.tile_height > 0 => w.div_ceil(t.tile_width) * h.div_ceil(t.tile_height),
        Some(_) => 0,
        None => h.div_ceil(lines_per_chunk(part.compression)),
    }
}

fn sample_size(t: SampleType) -> usize {
    match t {
        SampleType::F16 => 2,
        _ => 4,
    }
}

fn base_type(t: SampleType) -> BaseType {
    match t {
        SampleType::U32 => BaseType::UInt32,
        SampleType::F16 => BaseType::Half,
        SampleType::F32 => BaseType::Float,
    }
}

fn type_desc(t: SampleType) -> TypeDesc {
    match t {
        SampleType::U32 => TypeDesc::UINT,
        SampleType::F16 => TypeDesc::HALF,
        SampleType::F32 => TypeDesc::FLOAT,
    }
}

// ---------------------------------------------------------------------------
// Block (de)compression
// ---------------------------------------------------------------------------

/// Unpack one block (count table or sample data) of `unpacked` bytes.
fn unpack_block(compression: u8, packed: &[u8], unpacked: usize) -> Result<Vec<u8>, String> {
    if packed.len() == unpacked {
        return Ok(packed.to_vec());
    }
    if compression == NONE {
        return Err("Corrupt deep data block size".into());
    }
    // A block can only grow so much when unpacked: refuse sizes the data
    // cannot justify before allocating.
    let limit = match compression {
        RLE => packed.len() as u64 * 64,
        ZIPS | ZIP => packed.len() as u64 * 1040 + 64,
        _ => 0,
    };
    if unpacked as u64 > limit {
        return Err("Corrupt deep data block size".into());
    }
    let mut tmp = vec![0u8; unpacked];
    match compression {
        RLE => rle_decode(packed, &mut tmp)?,
        _ => inflate_exact(packed, &mut tmp)?,
    }
    let mut out = vec![0u8; unpacked];
    zip_unpredict_merge(&mut tmp, &mut out);
    Ok(out)
}

/// Pack one block; raw when packing does not make it smaller.
fn pack_block(compression: u8, raw: Vec<u8>) -> Result<Vec<u8>, String> {
    if compression == NONE || raw.is_empty() {
        return Ok(raw);
    }
    let mut split = Vec::with_capacity(raw.len());
    zip_split_predict(&raw, &mut split);
    let mut packed = Vec::new();
    if compression == RLE {
        rle_encode(&split, &mut packed);
    } else {
        deflate_into(&split, ZIP_LEVEL, &mut packed)?;
    }
    Ok(if packed.len() < raw.len() { packed } else { raw })
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// One decoded chunk: per-pixel sample counts (row-major over the chunk
/// rectangle) and the unpacked sample data.
struct Chunk {
    counts: Vec<u32>,
    data: Vec<u8>,
}

/// Positional read that fails cleanly past the end of the file.
fn read_at(file: &std::fs::File, file_len: u64, offset: u64, buf: &mut [u8]) -> Result<(), String> {
    if offset > file_len || buf.len() as u64 > file_len - offset {
        return Err("Unable to read deep chunk: past the end of the file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(buf, offset)
            .map_err(|e| format!("Unable to read deep chunk: {e}"))
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            let n = file
                .seek_read(&mut buf[done..], offset + done as u64)
                .map_err(|e| format!("Unable to read deep chunk: {e}"))?;
            if n == 0 {
                return Err("Unable to read deep chunk: past the end of the file".into());
            }
            done += n;
        }
        Ok(())
    }
}

fn le_i32(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le_u64(b: &[u8], at: usize) -> u64 {
    let mut v = [0u8; 8];
    v.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(v)
}

/// Read and unpack chunk `index` found at `offset`.
fn read_chunk(
    file: &std::fs::File,
    file_len: u64,
    part: &DeepPart<'_>,
    index: usize,
    offset: u64,
) -> Result<Chunk, String> {
    let (_, y0, w, h) = part.chunk_rect(index);
    let mut lead = vec![0u8; part.leader_len()];
    read_at(file, file_len, offset, &mut lead)?;
    let mut at = 0;
    if let Some(n) = part.part_number {
        if le_i32(&lead, 0) != n {
            return Err(format!(
                "Bad part number {} in deep chunk (expected {n})",
                le_i32(&lead, 0)
            ));
        }
        at = 4;
    }
    match part.tiles {
        Some(t) => {
            let ntx = part.width().div_ceil(t.tile_width);
            let want = [(index % ntx) as i32, (index / ntx) as i32, t.level_x, t.level_y];
            let got = [
                le_i32(&lead, at),
                le_i32(&lead, at + 4),
                le_i32(&lead, at + 8),
                le_i32(&lead, at + 12),
            ];
            if got != want {
                return Err(format!(
                    "Bad tile coordinates {got:?} in deep chunk (expected {want:?})"
                ));
            }
            at += 16;
        }
        None => {
            if le_i32(&lead, at) != y0 {
                return Err(format!(
                    "Bad scanline {} in deep chunk (expected {y0})",
                    le_i32(&lead, at)
                ));
            }
            at += 4;
        }
    }
    let (table_packed, data_packed, data_unpacked) = (le_u64(&lead, at), le_u64(&lead, at + 8), le_u64(&lead, at + 16));
    let body = offset + lead.len() as u64;
    if table_packed > file_len || data_packed > file_len || table_packed + data_packed > file_len.saturating_sub(body) {
        return Err("Deep chunk sizes exceed the file".into());
    }
    let mut packed = vec![0u8; (table_packed + data_packed) as usize];
    read_at(file, file_len, body, &mut packed)?;
    let (table_bytes, data_bytes) = packed.split_at(table_packed as usize);

    // Sample counts: running totals per row.
    let table = unpack_block(part.compression, table_bytes, w * h * 4)?;
    let mut counts = vec![0u32; w * h];
    let mut total = 0u64;
    for (row, cnt) in table.chunks_exact(w * 4).zip(counts.chunks_exact_mut(w)) {
        let mut prev = 0i32;
        for (c, b) in cnt.iter_mut().zip(row.chunks_exact(4)) {
            let v = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            if v < prev {
                return Err("Corrupt deep sample count table".into());
            }
            *c = (v - prev) as u32;
            prev = v;
        }
        total += prev as u64;
    }
    let bytes_per_sample: u64 = part.channels.iter().map(|c| sample_size(c.sample_type) as u64).sum();
    if total >= i32::MAX as u64 || total * bytes_per_sample != data_unpacked {
        return Err("Corrupt deep sample count table".into());
    }
    let data = unpack_block(part.compression, data_bytes, data_unpacked as usize)?;
    Ok(Chunk { counts, data })
}

/// Read a deep part (or one level of a deep tiled part) from the file at
/// `path`: `chunk_offsets` is the part's offset table (for a tiled level,
/// that level's entries), `channel_names` the channels wanted in their
/// output order (each must exist in the part). Errors are worded like
/// OIIO's ("Failed OpenEXR read: ...").
pub fn read_deep(
    path: &Path,
    part: &DeepPart<'_>,
    chunk_offsets: &[u64],
    channel_names: &[String],
) -> Result<DeepData, IoError> {
    let fail = |m: String| IoError::Corrupt(format!("Failed OpenEXR read: {m}"));
    part.check().map_err(fail)?;
    let nchunks = chunk_count(part);
    if chunk_offsets.len() != nchunks {
        return Err(fail(format!(
            "Deep part has {} chunk offsets, expected {nchunks}",
            chunk_offsets.len()
        )));
    }
    // Output channel k takes file channel map[k].
    let map: Vec<usize> = channel_names
        .iter()
        .map(|n| part.channels.iter().position(|c| &c.name == n))
        .collect::<Option<_>>()
        .ok_or_else(|| fail("Requested channel is not in the deep part".into()))?;

    let file = std::fs::File::open(path)
        .map_err(|e| IoError::Open(format!("Could not open file \"{}\": {e}", path.display())))?;
    let file_len = file.metadata().map(|m| m.len()).map_err(|e| fail(e.to_string()))?;
    // Every pixel has a 4-byte count in some (at best ~1000:1 compressed)
    // table: refuse windows the file cannot hold before allocating them.
    let (w, h) = (part.width(), part.height());
    if (w as u64).saturating_mul(h as u64).saturating_mul(4) > file_len.saturating_mul(1100) + (1 << 20) {
        return Err(fail("Deep data window is larger than the file can hold".into()));
    }
    let chunks: Vec<Chunk> = chunk_offsets
        .par_iter()
        .enumerate()
        .map(|(i, &off)| read_chunk(&file, file_len, part, i, off))
        .collect::<Result<_, String>>()
        .map_err(fail)?;

    let names: Vec<String> = channel_names.to_vec();
    let types: Vec<TypeDesc> = map.iter().map(|&j| type_desc(part.channels[j].sample_type)).collect();
    let mut deep = DeepData::new(w * h, names, types);

    // Sample counts of the whole data window.
    let mut counts = vec![0u32; w * h];
    for (i, ch) in chunks.iter().enumerate() {
        let (x0, y0, cw, chh) = part.chunk_rect(i);
        let (dx, dy) = ((x0 - part.data_window[0]) as usize, (y0 - part.data_window[1]) as usize);
        for r in 0..chh {
            counts[(dy + r) * w + dx..(dy + r) * w + dx + cw].copy_from_slice(&ch.counts[r * cw..(r + 1) * cw]);
        }
    }
    deep.set_all_samples(&counts);
    let _ = deep.pixel_bytes_mut(0); // create the value storage even when empty

    // Values: file channel j of row r is one run of all the row's samples.
    let record = deep.sample_bytes();
    let file_sizes: Vec<usize> = part.channels.iter().map(|c| sample_size(c.sample_type)).collect();
    // For every file channel, the output channel fed from it (if any).
    let mut dest: Vec<Option<(usize, usize)>> = vec![None; part.channels.len()];
    for (k, &j) in map.iter().enumerate() {
        dest[j] = Some((deep.channel_offset(k), file_sizes[j]));
    }
    for (i, ch) in chunks.iter().enumerate() {
        let (x0, y0, cw, chh) = part.chunk_rect(i);
        let (dx, dy) = ((x0 - part.data_window[0]) as usize, (y0 - part.data_window[1]) as usize);
        let mut pos = 0usize;
        for r in 0..chh {
            let row_counts = &ch.counts[r * cw..(r + 1) * cw];
            let row_samples: usize = row_counts.iter().map(|&n| n as usize).sum();
            for (j, d) in dest.iter().enumerate() {
                let size = file_sizes[j];
                let Some((off, _)) = *d else {
                    pos += row_samples * size;
                    continue;
                };
                for (px, &n) in row_counts.iter().enumerate() {
                    let n = n as usize;
                    let src = &ch.data[pos..pos + n * size];
                    pos += n * size;
                    let rec = deep.pixel_bytes_mut((dy + r) * w + dx + px);
                    for (s, v) in src.chunks_exact(size).enumerate() {
                        let at = s * record + off;
                        let slot = &mut rec[at..at + size];
                        slot.copy_from_slice(v);
                        if cfg!(target_endian = "big") {
                            slot.reverse();
                        }
                    }
                }
            }
        }
    }
    Ok(deep)
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// Encode `deep` (one pixel per data-window pixel of `part`, row-major) as
/// the part's chunks, each complete with its leading fields, in offset-table
/// order. Channels are matched by name; a value whose `DeepData` type differs
/// from the file's channel type is converted as OIIO converts it.
pub fn write_deep(part: &DeepPart<'_>, deep: &DeepData) -> Result<Vec<Vec<u8>>, IoError> {
    let fail = |m: String| IoError::Write(format!("Failed OpenEXR write: {m}"));
    part.check().map_err(fail)?;
    let (w, h) = (part.width(), part.height());
    if deep.npixels() != w * h {
        return Err(fail("DeepData size does not match the image".into()));
    }
    if deep.nchannels() != part.channels.len() {
        return Err(fail("DeepData channels do not match the image".into()));
    }
    // File channel j takes DeepData channel src[j].
    let src: Vec<usize> = part
        .channels
        .iter()
        .map(|c| deep.channel_names().iter().position(|n| *n == c.name))
        .collect::<Option<_>>()
        .ok_or_else(|| fail("DeepData channels do not match the image".into()))?;
    (0..chunk_count(part))
        .into_par_iter()
        .map(|i| encode_chunk(part, deep, &src, i))
        .collect::<Result<_, String>>()
        .map_err(fail)
}

fn encode_chunk(part: &DeepPart<'_>, deep: &DeepData, src: &[usize], index: usize) -> Result<Vec<u8>, String> {
    let (x0, y0, cw, chh) = part.chunk_rect(index);
    let w = part.width();
    let (dx, dy) = ((x0 - part.data_window[0]) as usize, (y0 - part.data_window[1]) as usize);
    let pixel = |r: usize, px: usize| (dy + r) * w + dx + px;
    let record = deep.sample_bytes();

    // Sample-count table: running totals per row.
    let mut table = Vec::with_capacity(cw * chh * 4);
    for r in 0..chh {
        let mut run = 0u64;
        for px in 0..cw {
            run += deep.samples(pixel(r, px)) as u64;
            let v = i32::try_from(run).map_err(|_| "too many deep samples in one row".to_string())?;
            table.extend_from_slice(&v.to_le_bytes());
        }
    }

    // Sample data: per row, per file channel, every sample of every pixel.
    let mut data = Vec::new();
    for r in 0..chh {
        for (j, fc) in part.channels.iter().enumerate() {
            let k = src[j];
            let (off, from) = (deep.channel_offset(k), deep.channel_type(k).basetype);
            let to = base_type(fc.sample_type);
            let size = sample_size(fc.sample_type);
            for px in 0..cw {
                let p = pixel(r, px);
                let n = deep.samples(p) as usize;
                let rec = deep.pixel_bytes(p);
                for s in 0..n {
                    // Samples of a DeepData without values read as zero.
                    let at = s * record + off;
                    let mut v = [0u8; 4];
                    if let Some(bytes) = rec.get(at..at + deep.channel_size(k)) {
                        if from == to {
                            v[..size].copy_from_slice(bytes);
                        } else {
                            f32_to_value(value_to_f32(bytes, from), to, &mut v);
                        }
                    }
                    if cfg!(target_endian = "big") {
                        v[..size].reverse();
                    }
                    data.extend_from_slice(&v[..size]);
                }
            }
        }
    }

    let unpacked = data.len() as u64;
    let table = pack_block(part.compression, table)?;
    let data = pack_block(part.compression, data)?;
    let mut out = Vec::with_capacity(part.leader_len() + table.len() + data.len());
    if let Some(n) = part.part_number {
        out.extend_from_slice(&n.to_le_bytes());
    }
    match part.tiles {
        Some(t) => {
            let ntx = w.div_ceil(t.tile_width);
            for v in [(index % ntx) as i32, (index / ntx) as i32, t.level_x, t.level_y] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        None => out.extend_from_slice(&y0.to_le_bytes()),
    }
    out.extend_from_slice(&(table.len() as u64).to_le_bytes());
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(&unpacked.to_le_bytes());
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chans(list: &[(&str, SampleType)]) -> Vec<DeepChannel> {
        list.iter()
            .map(|&(n, t)| DeepChannel {
                name: n.into(),
                sample_type: t,
            })
            .collect()
    }

    /// A DeepData with varied sample counts and values.
    fn sample_deep(w: usize, h: usize, channels: &[DeepChannel]) -> DeepData {
        let names = channels.iter().map(|c| c.name.clone()).collect();
        let types = channels.iter().map(|c| type_desc(c.sample_type)).collect();
        let mut d = DeepData::new(w * h, names, types);
        let counts: Vec<u32> = (0..w * h).map(|p| ((p * 7 + p / w) % 5) as u32).collect();
        d.set_all_samples(&counts);
        for (p, &n) in counts.iter().enumerate() {
            for s in 0..n as usize {
                for (c, ch) in channels.iter().enumerate() {
                    match ch.sample_type {
                        SampleType::U32 => d.set_deep_value_uint(p, c, s, (p * 10 + s) as u32),
                        _ => d.set_deep_value(p, c, s, p as f32 * 0.25 + s as f32 + c as f32 * 0.125),
                    }
                }
            }
        }
        d
    }

    /// Write chunks into a scratch file laid out like a real one (leader
    /// bytes, then the chunks), returning its path and the offsets.
    fn chunks_file(name: &str, chunks: &[Vec<u8>]) -> (std::path::PathBuf, Vec<u64>) {
        let path = std::env::temp_dir().join(format!("vfx_deep_{}_{name}", std::process::id()));
        let mut bytes = vec![0u8; 100];
        let mut offsets = Vec::new();
        for c in chunks {
            offsets.push(bytes.len() as u64);
            bytes.extend_from_slice(c);
        }
        std::fs::write(&path, bytes).unwrap();
        (path, offsets)
    }

    #[test]
    fn round_trip_every_compression_and_layout() {
        use SampleType::*;
        let channels = chans(&[("A", F16), ("B", F32), ("G", F16), ("Z", F32), ("id", U32)]);
        let names: Vec<String> = ["Z", "id", "B", "G", "A"].iter().map(|s| s.to_string()).collect();
        for comp in [NONE, RLE, ZIPS, ZIP] {
            for tiles in [None, Some((4, 3)), Some((16, 16))] {
                for part_number in [None, Some(2)] {
                    let part = DeepPart {
                        channels: &channels,
                        data_window: [-3, 5, 9, 38],
                        compression: comp,
                        tiles: tiles.map(|(tw, th)| DeepTiles {
                            tile_width: tw,
                            tile_height: th,
                            level_x: 0,
                            level_y: 0,
                        }),
                        part_number,
                    };
                    let src = sample_deep(13, 34, &channels);
                    let chunks = write_deep(&part, &src).unwrap();
                    assert_eq!(chunks.len(), chunk_count(&part));
                    let (path, offsets) = chunks_file(&format!("rt{comp}"), &chunks);
                    let back = read_deep(&path, &part, &offsets, &names).unwrap();
                    let _ = std::fs::remove_file(&path);
                    assert_eq!(back.all_samples(), src.all_samples());
                    assert_eq!(back.channel_names(), &names[..]);
                    for p in 0..back.npixels() {
                        for s in 0..back.samples(p) as usize {
                            for (k, n) in names.iter().enumerate() {
                                let c = src.channel_names().iter().position(|x| x == n).unwrap();
                                assert_eq!(back.deep_value(p, k, s), src.deep_value(p, c, s), "{n} p{p} s{s}");
                                assert_eq!(back.deep_value_uint(p, k, s), src.deep_value_uint(p, c, s));
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn converts_types_and_handles_empty_data() {
        use SampleType::*;
        let file_channels = chans(&[("A", F16), ("Z", F32)]);
        // DeepData holds floats; the file wants half for A.
        let dd_channels = chans(&[("Z", F32), ("A", F32)]);
        let src = sample_deep(5, 4, &dd_channels);
        let part = DeepPart {
            channels: &file_channels,
            data_window: [0, 0, 4, 3],
            compression: ZIPS,
            tiles: None,
            part_number: None,
        };
        let chunks = write_deep(&part, &src).unwrap();
        let (path, offsets) = chunks_file("conv", &chunks);
        let back = read_deep(&path, &part, &offsets, &["A".to_string(), "Z".to_string()]).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(back.channel_type(0), TypeDesc::HALF);
        for p in 0..20 {
            for s in 0..back.samples(p) as usize {
                let want = src.deep_value(p, 1, s);
                assert_eq!(back.deep_value(p, 0, s), exr::prelude::f16::from_f32(want).to_f32());
                assert_eq!(back.deep_value(p, 1, s), src.deep_value(p, 0, s));
            }
        }
        // No samples at all.
        let empty = DeepData::new(20, vec!["A".into(), "Z".into()], vec![TypeDesc::HALF, TypeDesc::FLOAT]);
        let chunks = write_deep(&part, &empty).unwrap();
        let (path, offsets) = chunks_file("empty", &chunks);
        let back = read_deep(&path, &part, &offsets, &["A".to_string(), "Z".to_string()]).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(back.total_samples(), 0);
        assert!(back.allocated());
        // Mismatched DeepData is refused.
        let wrong = DeepData::new(3, vec!["A".into(), "Z".into()], vec![TypeDesc::HALF, TypeDesc::FLOAT]);
        assert!(write_deep(&part, &wrong).is_err());
        let bad = DeepPart {
            compression: 4,
            ..part.clone()
        };
        assert!(write_deep(&bad, &empty).is_err());
    }

    #[test]
    fn corrupt_chunks_fail_cleanly() {
        use SampleType::*;
        let channels = chans(&[("A", F16), ("Z", F32)]);
        let names = vec!["A".to_string(), "Z".to_string()];
        let mut rng = 0x9e3779b97f4a7c15u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for comp in [NONE, RLE, ZIPS, ZIP] {
            let part = DeepPart {
                channels: &channels,
                data_window: [0, 0, 11, 20],
                compression: comp,
                tiles: None,
                part_number: Some(0),
            };
            let good = write_deep(&part, &sample_deep(12, 21, &channels)).unwrap();
            for round in 0..300 {
                let mut chunks = good.clone();
                let c = next() as usize % chunks.len();
                let len = chunks[c].len();
                match round % 4 {
                    0 => chunks[c][next() as usize % len] ^= 1 << (next() % 8),
                    1 => chunks[c].truncate(next() as usize % len),
                    2 => {
                        // Absurd sizes in the leader.
                        let at = 8 + 8 * (next() as usize % 3);
                        chunks[c][at..at + 8].copy_from_slice(&(next() >> (next() % 64)).to_le_bytes());
                    }
                    _ => {
                        for _ in 0..6 {
                            let i = next() as usize % len;
                            chunks[c][i] = next() as u8;
                        }
                    }
                }
                let (path, mut offsets) = chunks_file(&format!("bad{comp}"), &chunks);
                if round % 7 == 0 {
                    offsets[c] = next() % 100_000;
                }
                let _ = read_deep(&path, &part, &offsets, &names);
                let _ = std::fs::remove_file(&path);
            }
        }
        // A window far larger than the file is refused up front.
        let part = DeepPart {
            channels: &channels,
            data_window: [0, 0, 1 << 20, 1 << 20],
            compression: ZIPS,
            tiles: None,
            part_number: None,
        };
        let (path, _) = chunks_file("huge", &[]);
        let offsets = vec![0u64; chunk_count(&part)];
        assert!(read_deep(&path, &part, &offsets, &names).is_err());
        let _ = std::fs::remove_file(&path);
    }

    /// Minimal header reader for the interop test (multi-part aware).
    struct ExrInfo {
        channels: Vec<DeepChannel>,
        dw: [i32; 4],
        compression: u8,
        compression_at: usize,
        chunk_count_at: usize,
        tiles: Option<(usize, usize)>,
        multipart: bool,
        headers_end: usize,
        offsets: Vec<u64>,
    }

    fn exr_info(bytes: &[u8]) -> ExrInfo {
        let rd = |p: usize| i32::from_le_bytes(bytes[p..p + 4].try_into().unwrap());
        let multipart = rd(4) & 0x1000 != 0;
        let mut info = ExrInfo {
            channels: Vec::new(),
            dw: [0; 4],
            compression: 0,
            compression_at: 0,
            chunk_count_at: 0,
            tiles: None,
            multipart,
            headers_end: 0,
            offsets: Vec::new(),
        };
        let mut p = 8;
        let mut chunk_count = 0;
        while bytes[p] != 0 {
            let e = p + bytes[p..].iter().position(|&b| b == 0).unwrap();
            let name = String::from_utf8_lossy(&bytes[p..e]).to_string();
            p = e + 1;
            p += bytes[p..].iter().position(|&b| b == 0).unwrap() + 1;
            let size = rd(p) as usize;
            p += 4;
            let v = &bytes[p..p + size];
            match name.as_str() {
                "channels" => {
                    let mut q = 0;
                    while v[q] != 0 {
                        let e = q + v[q..].iter().position(|&b| b == 0).unwrap();
                        let t = i32::from_le_bytes(v[e + 1..e + 5].try_into().unwrap());
                        info.channels.push(DeepChannel {
                            name: String::from_utf8_lossy(&v[q..e]).to_string(),
                            sample_type: [SampleType::U32, SampleType::F16, SampleType::F32][t as usize],
                        });
                        q = e + 17;
                    }
                }
                "dataWindow" => {
                    for i in 0..4 {
                        info.dw[i] = rd(p + 4 * i);
                    }
                }
                "compression" => {
                    info.compression = v[0];
                    info.compression_at = p;
                }
                "tiles" => info.tiles = Some((rd(p) as usize, rd(p + 4) as usize)),
                "chunkCount" => {
                    chunk_count = rd(p) as usize;
                    info.chunk_count_at = p;
                }
                _ => {}
            }
            p += size;
        }
        p += 1;
        if multipart {
            assert_eq!(bytes[p], 0, "single-part test files only");
            p += 1;
        }
        info.headers_end = p;
        info.offsets = (0..chunk_count)
            .map(|i| u64::from_le_bytes(bytes[p + 8 * i..p + 8 * i + 8].try_into().unwrap()))
            .collect();
        info
    }

    /// Against the reference OpenImageIO when it is installed: read deep
    /// files it writes exactly as it reads them, and write files it reads
    /// back identically (every compression).
    #[test]
    fn reference_interop() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let tool = root.join(".ref/site/OpenImageIO/bin/oiiotool");
        let python = root.join(".venv/bin/python");
        if !tool.exists() || !python.exists() {
            eprintln!("reference OpenImageIO not found; skipping");
            return;
        }
        let dir = std::env::temp_dir().join(format!("vfx_deep_ref_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = |n: &str| dir.join(n).to_str().unwrap().to_string();
        let oiio = |args: &[&str]| {
            let st = std::process::Command::new(&tool)
                .args(args)
                .env("LD_LIBRARY_PATH", root.join(".ref/site/OpenImageIO/lib"))
                .status()
                .unwrap();
            assert!(st.success(), "oiiotool {args:?}");
        };
        let dump_py = p("dump.py");
        std::fs::write(
            &dump_py,
            "import sys, OpenImageIO as oiio\n\
             inp = oiio.ImageInput.open(sys.argv[1])\n\
             dd = inp.read_native_deep_image(0, 0)\n\
             out = [' '.join(dd.channelname(c) for c in range(dd.channels))]\n\
             for p in range(dd.pixels):\n\
             \x20   v = [str(dd.samples(p))]\n\
             \x20   for s in range(dd.samples(p)):\n\
             \x20       for c in range(dd.channels):\n\
             \x20           v.append(str(dd.deep_value_uint(p, c, s)) if str(dd.channeltype(c)) == 'uint' else repr(dd.deep_value(p, c, s)))\n\
             \x20   out.append(' '.join(v))\n\
             print('\\n'.join(out))\n",
        )
        .unwrap();
        let dump = |f: &str| -> String {
            let out = std::process::Command::new(&python)
                .arg(&dump_py)
                .arg(f)
                .env("PYTHONPATH", root.join(".ref/site"))
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        let ours_dump = |d: &DeepData| -> String {
            let mut out = vec![d.channel_names().join(" ")];
            for px in 0..d.npixels() {
                let mut v = vec![d.samples(px).to_string()];
                for s in 0..d.samples(px) as usize {
                    for c in 0..d.nchannels() {
                        if d.channel_type(c) == TypeDesc::UINT {
                            v.push(d.deep_value_uint(px, c, s).to_string());
                        } else {
                            let f = d.deep_value(px, c, s) as f64;
                            v.push(if f == f.trunc() && f.abs() < 1e16 {
                                format!("{f:.1}")
                            } else {
                                format!("{f}")
                            });
                        }
                    }
                }
                out.push(v.join(" "));
            }
            out.join("\n") + "\n"
        };
        // Two layered deep images: several samples per pixel.
        oiio(&[
            "--pattern",
            "fill:topleft=0,0,0,0.5,10,3:topright=1,0,0,0.5,11,4:bottomleft=0,1,0,0.5,12,5:bottomright=0,0,1,0.25,13,6",
            "37x21",
            "6",
            "--chnames",
            "R,G,B,A,Z,id",
            "--deepen",
            "--pattern",
            "fill:topleft=1,1,0,0.5,10.5,7:topright=1,1,0,0.5,9,7:bottomleft=1,1,0,0.5,14,7:bottomright=0,1,1,0.5,12.5,8",
            "37x21",
            "6",
            "--chnames",
            "R,G,B,A,Z,id",
            "--deepen",
            "--deepmerge",
            "-d",
            "half",
            "-d",
            "Z=float",
            "-d",
            "id=uint",
            "-o",
            &p("scan.exr"),
        ]);
        oiio(&[&p("scan.exr"), "--tile", "16", "8", "-o", &p("tiled.exr")]);
        oiio(&[&p("scan.exr"), "--compression", "none", "-o", &p("none.exr")]);
        // Deep files from other writers, when the shared test images exist.
        let shared = std::path::Path::new("/work/shared/images/oiio-testsuite/oiiotool-deep");
        let mut files: Vec<String> = ["scan.exr", "tiled.exr", "none.exr"].iter().map(|n| p(n)).collect();
        for n in ["deepalpha.exr", "deep-nosamples.exr", "deep-onesample.exr"] {
            if shared.join(n).exists() {
                files.push(shared.join(n).to_str().unwrap().to_string());
            }
        }
        for path in &files {
            let name = std::path::Path::new(path).file_name().unwrap().to_str().unwrap();
            let bytes = std::fs::read(path).unwrap();
            let info = exr_info(&bytes);
            let want = dump(path);
            let names: Vec<String> = want.lines().next().unwrap().split(' ').map(String::from).collect();
            let tiles = info.tiles.map(|(tw, th)| DeepTiles {
                tile_width: tw,
                tile_height: th,
                level_x: 0,
                level_y: 0,
            });
            let part = DeepPart {
                channels: &info.channels,
                data_window: info.dw,
                compression: info.compression,
                tiles,
                part_number: info.multipart.then_some(0),
            };
            let deep = read_deep(std::path::Path::new(path), &part, &info.offsets, &names).unwrap();
            // Reference dump formats floats with Python's repr.
            let norm = |s: &str| -> Vec<Vec<f64>> {
                s.lines()
                    .skip(1)
                    .map(|l| l.split(' ').map(|v| v.parse::<f64>().unwrap()).collect())
                    .collect()
            };
            let ours = ours_dump(&deep);
            assert_eq!(norm(&ours), norm(&want), "{name}: pixels differ from the reference");
            if !name.starts_with("deep") {
                assert!(deep.total_samples() > 21 * 37, "{name}: expected layered samples");
            }

            // Write it again with every compression OpenEXR allows for deep
            // parts; the reference must read back the same pixels.
            for comp in [NONE, RLE, ZIPS] {
                let mut head = bytes[..info.headers_end].to_vec();
                head[info.compression_at] = comp;
                let wpart = DeepPart {
                    compression: comp,
                    ..part.clone()
                };
                let chunks = write_deep(&wpart, &deep).unwrap();
                head[info.chunk_count_at..info.chunk_count_at + 4]
                    .copy_from_slice(&(chunks.len() as i32).to_le_bytes());
                let mut off = head.len() + 8 * chunks.len();
                for c in &chunks {
                    head.extend_from_slice(&(off as u64).to_le_bytes());
                    off += c.len();
                }
                for c in &chunks {
                    head.extend_from_slice(c);
                }
                let out = p(&format!("ours{comp}_{name}"));
                std::fs::write(&out, head).unwrap();
                assert_eq!(
                    norm(&dump(&out)),
                    norm(&want),
                    "{name} comp {comp}: reference reads our chunks differently"
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
