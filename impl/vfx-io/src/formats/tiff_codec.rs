//! TIFF strip/tile codecs: LZW (weezl), deflate (zlib-rs), PackBits, the
//! horizontal and floating-point predictors, and unpacking of samples that
//! are not a whole number of bytes. Every decoder fills an output buffer of
//! the size the directory promises, and fails (as libtiff does) when the
//! compressed data runs out before it is full.

use weezl::{decode::Decoder as LzwDecoder, encode::Encoder as LzwEncoder, BitOrder, LzwStatus};

/// Inflate a zlib stream into `out`, which must be filled completely.
pub fn inflate(raw: &[u8], out: &mut [u8]) -> Result<(), String> {
    let want = out.len();
    let (got, rc) = zlib_rs::decompress_slice(out, raw, zlib_rs::InflateConfig::default());
    let got = got.len();
    if got == want {
        return Ok(());
    }
    match rc {
        zlib_rs::ReturnCode::Ok | zlib_rs::ReturnCode::StreamEnd | zlib_rs::ReturnCode::BufError => {
            Err(format!("ZIPDecode: Not enough data (short {} bytes)", want - got))
        }
        _ => Err("ZIPDecode: Decoding error".into()),
    }
}

/// Compress `data` as one zlib stream at `level` (1..9).
pub fn deflate(data: &[u8], level: i32) -> Result<Vec<u8>, String> {
    let mut out = vec![0u8; zlib_rs::compress_bound(data.len())];
    let cfg = zlib_rs::DeflateConfig::new(level.clamp(1, 9));
    let (done, rc) = zlib_rs::compress_slice(&mut out, data, cfg);
    if rc != zlib_rs::ReturnCode::Ok {
        return Err("ZIPEncode: compression failed".into());
    }
    let n = done.len();
    out.truncate(n);
    Ok(out)
}

/// Decode TIFF LZW (MSB-first with the early code-size switch; old-style
/// LSB-first streams, recognised as libtiff does, are decoded too).
pub fn lzw_decode(raw: &[u8], out: &mut [u8]) -> Result<(), String> {
    let old_style = raw.len() >= 2 && raw[0] == 0 && raw[1] & 1 != 0;
    let mut dec = if old_style {
        LzwDecoder::new(BitOrder::Lsb, 8)
    } else {
        LzwDecoder::with_tiff_size_switch(BitOrder::Msb, 8)
    };
    let mut inp = raw;
    let mut filled = 0;
    while filled < out.len() {
        let r = dec.decode_bytes(inp, &mut out[filled..]);
        inp = &inp[r.consumed_in..];
        filled += r.consumed_out;
        match r.status {
            Ok(LzwStatus::Ok) => {
                if r.consumed_in == 0 && r.consumed_out == 0 {
                    break;
                }
            }
            Ok(LzwStatus::Done) | Ok(LzwStatus::NoProgress) => break,
            Err(_) => {
                // libtiff keeps what was decoded before a bad code; a
                // stream that still filled the buffer is fine.
                break;
            }
        }
    }
    if filled < out.len() {
        return Err(format!(
            "LZWDecode: Not enough data (short {} bytes)",
            out.len() - filled
        ));
    }
    Ok(())
}

/// Encode as TIFF LZW (MSB-first, early switch).
pub fn lzw_encode(data: &[u8]) -> Result<Vec<u8>, String> {
    LzwEncoder::with_tiff_size_switch(BitOrder::Msb, 8)
        .encode(data)
        .map_err(|e| format!("LZWEncode: {e}"))
}

/// Decode PackBits into `out` (filled completely or an error).
pub fn packbits_decode(raw: &[u8], out: &mut [u8]) -> Result<(), String> {
    let mut i = 0;
    let mut o = 0;
    while o < out.len() && i < raw.len() {
        let n = raw[i] as i8;
        i += 1;
        if n >= 0 {
            let len = n as usize + 1;
            let len = len.min(out.len() - o).min(raw.len() - i);
            out[o..o + len].copy_from_slice(&raw[i..i + len]);
            o += len;
            i += n as usize + 1;
        } else if n != -128 {
            let len = (1 - n as isize) as usize;
            let Some(&b) = raw.get(i) else { break };
            i += 1;
            let len = len.min(out.len() - o);
            out[o..o + len].fill(b);
            o += len;
        }
    }
    if o < out.len() {
        return Err(format!(
            "PackBitsDecode: Not enough data (short {} bytes)",
            out.len() - o
        ));
    }
    Ok(())
}

/// PackBits-encode one row (runs never cross rows, as libtiff encodes).
fn packbits_row(row: &[u8], out: &mut Vec<u8>) {
    let n = row.len();
    let mut i = 0;
    while i < n {
        // Length of the run of equal bytes starting at i.
        let mut run = 1;
        while i + run < n && run < 128 && row[i + run] == row[i] {
            run += 1;
        }
        if run >= 2 {
            out.push((1i16 - run as i16) as i8 as u8);
            out.push(row[i]);
            i += run;
            continue;
        }
        // Literal: up to the next run of 2+ equal bytes (or 128 bytes).
        let start = i;
        i += 1;
        while i < n && i - start < 128 {
            if i + 1 < n && row[i] == row[i + 1] {
                break;
            }
            i += 1;
        }
        out.push((i - start - 1) as u8);
        out.extend_from_slice(&row[start..i]);
    }
}

/// PackBits-encode a chunk made of rows of `row_bytes`.
pub fn packbits_encode(data: &[u8], row_bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 64 + 8);
    for row in data.chunks(row_bytes.max(1)) {
        packbits_row(row, &mut out);
    }
    out
}

/// Reverse the byte order of every `size`-byte value.
pub fn swab(data: &mut [u8], size: usize) {
    if size > 1 {
        for v in data.chunks_exact_mut(size) {
            v.reverse();
        }
    }
}

macro_rules! hor_acc {
    ($data:expr, $t:ty, $stride:expr, $row_vals:expr) => {{
        let sz = std::mem::size_of::<$t>();
        for row in $data.chunks_exact_mut($row_vals * sz) {
            for i in $stride..$row_vals {
                let a = <$t>::from_ne_bytes(row[(i - $stride) * sz..(i - $stride + 1) * sz].try_into().unwrap());
                let b = <$t>::from_ne_bytes(row[i * sz..(i + 1) * sz].try_into().unwrap());
                row[i * sz..(i + 1) * sz].copy_from_slice(&a.wrapping_add(b).to_ne_bytes());
            }
        }
    }};
}

macro_rules! hor_diff {
    ($data:expr, $t:ty, $stride:expr, $row_vals:expr) => {{
        let sz = std::mem::size_of::<$t>();
        for row in $data.chunks_exact_mut($row_vals * sz) {
            for i in ($stride..$row_vals).rev() {
                let a = <$t>::from_ne_bytes(row[(i - $stride) * sz..(i - $stride + 1) * sz].try_into().unwrap());
                let b = <$t>::from_ne_bytes(row[i * sz..(i + 1) * sz].try_into().unwrap());
                row[i * sz..(i + 1) * sz].copy_from_slice(&b.wrapping_sub(a).to_ne_bytes());
            }
        }
    }};
}

/// Undo horizontal differencing on native-order samples of `bytes` bytes,
/// rows of `width` pixels of `spp` samples.
pub fn horizontal_undo(data: &mut [u8], bytes: usize, width: usize, spp: usize) {
    let row_vals = width * spp;
    if row_vals == 0 {
        return;
    }
    match bytes {
        1 => {
            for row in data.chunks_exact_mut(row_vals) {
                for i in spp..row_vals {
                    row[i] = row[i].wrapping_add(row[i - spp]);
                }
            }
        }
        2 => {
            // The hot path for 16-bit images: work on u16 values directly.
            for row in data.chunks_exact_mut(row_vals * 2) {
                if let Ok(v) = bytemuck::try_cast_slice_mut::<u8, u16>(row) {
                    for i in spp..row_vals {
                        v[i] = v[i].wrapping_add(v[i - spp]);
                    }
                } else {
                    hor_acc!(row, u16, spp, row_vals);
                }
            }
        }
        4 => hor_acc!(data, u32, spp, row_vals),
        8 => hor_acc!(data, u64, spp, row_vals),
        _ => {}
    }
}

/// Apply horizontal differencing (the writer's predictor 2).
pub fn horizontal_apply(data: &mut [u8], bytes: usize, width: usize, spp: usize) {
    let row_vals = width * spp;
    if row_vals == 0 {
        return;
    }
    match bytes {
        1 => {
            for row in data.chunks_exact_mut(row_vals) {
                for i in (spp..row_vals).rev() {
                    row[i] = row[i].wrapping_sub(row[i - spp]);
                }
            }
        }
        2 => {
            for row in data.chunks_exact_mut(row_vals * 2) {
                if let Ok(v) = bytemuck::try_cast_slice_mut::<u8, u16>(row) {
                    for i in (spp..row_vals).rev() {
                        v[i] = v[i].wrapping_sub(v[i - spp]);
                    }
                } else {
                    hor_diff!(row, u16, spp, row_vals);
                }
            }
        }
        4 => hor_diff!(data, u32, spp, row_vals),
        8 => hor_diff!(data, u64, spp, row_vals),
        _ => {}
    }
}

/// Undo the floating-point predictor (3): per row, byte-wise accumulation
/// then reassembly of the byte planes (most significant first) into native
/// order values of `bytes` bytes.
pub fn float_undo(data: &mut [u8], bytes: usize, width: usize, spp: usize) {
    let wc = width * spp;
    let row_len = wc * bytes;
    if row_len == 0 {
        return;
    }
    let mut tmp = vec![0u8; row_len];
    for row in data.chunks_exact_mut(row_len) {
        for i in spp..row_len {
            row[i] = row[i].wrapping_add(row[i - spp]);
        }
        tmp.copy_from_slice(row);
        for count in 0..wc {
            for b in 0..bytes {
                let plane = if cfg!(target_endian = "little") {
                    bytes - b - 1
                } else {
                    b
                };
                row[bytes * count + b] = tmp[plane * wc + count];
            }
        }
    }
}

/// Apply the floating-point predictor (the inverse of [`float_undo`]).
pub fn float_apply(data: &mut [u8], bytes: usize, width: usize, spp: usize) {
    let wc = width * spp;
    let row_len = wc * bytes;
    if row_len == 0 {
        return;
    }
    let mut tmp = vec![0u8; row_len];
    for row in data.chunks_exact_mut(row_len) {
        tmp.copy_from_slice(row);
        for count in 0..wc {
            for b in 0..bytes {
                let plane = if cfg!(target_endian = "little") {
                    bytes - b - 1
                } else {
                    b
                };
                row[plane * wc + count] = tmp[bytes * count + b];
            }
        }
        for i in (spp..row_len).rev() {
            row[i] = row[i].wrapping_sub(row[i - spp]);
        }
    }
}

/// Unpack `n` big-endian bit-packed values of `inbits` bits from `inp`
/// and rescale them to the full range of `outbits` (8, 16 or 32) as OIIO's
/// reader does (`val * max_out / max_in`, truncating).
pub fn bit_convert(n: usize, inp: &[u8], inbits: u32, out: &mut [u8], outbits: u32) {
    let highest: u64 = (1u64 << inbits) - 1;
    let mut bitpos: u64 = 0;
    for i in 0..n {
        // Gather inbits bits starting at bitpos.
        let mut val: u64 = 0;
        let mut need = inbits;
        while need > 0 {
            let byte = (bitpos / 8) as usize;
            let off = (bitpos % 8) as u32;
            let avail = 8 - off;
            let take = avail.min(need);
            let b = inp.get(byte).copied().unwrap_or(0) as u64;
            let bits = (b >> (avail - take)) & ((1u64 << take) - 1);
            val = (val << take) | bits;
            need -= take;
            bitpos += take as u64;
        }
        match outbits {
            8 => out[i] = ((val * 0xff) / highest) as u8,
            16 => {
                let v = ((val * 0xffff) / highest) as u16;
                out[2 * i..2 * i + 2].copy_from_slice(&v.to_ne_bytes());
            }
            _ => {
                let v = ((val * 0xffff_ffff) / highest) as u32;
                out[4 * i..4 * i + 4].copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
}

/// Pack `vals` (already reduced to `bits` bits) MSB-first into bytes, as
/// OIIO's `bit_pack` does for one row.
pub fn bit_pack(vals: impl Iterator<Item = u32>, bits: u32, out: &mut Vec<u8>) {
    let mut acc: u64 = 0;
    let mut nacc: u32 = 0;
    for v in vals {
        acc = (acc << bits) | (v as u64 & ((1u64 << bits) - 1));
        nacc += bits;
        while nacc >= 8 {
            nacc -= 8;
            out.push((acc >> nacc) as u8);
        }
        acc &= (1u64 << nacc) - 1;
    }
    if nacc > 0 {
        out.push((acc << (8 - nacc)) as u8);
    }
}

/// OIIO's `bit_range_convert<FROM, TO>`: widen by replicating the high
/// bits into the new low ones, narrow by dropping low bits.
pub fn bit_range_convert(v: u32, from: u32, to: u32) -> u32 {
    let mut out = 0u32;
    let mut shift = to as i32 - from as i32;
    while shift > 0 {
        out |= v << shift;
        shift -= from as i32;
    }
    out | (v >> (-shift) as u32)
}

/// Decode SGI LogL / LogLuv (compression 34676) rows as libtiff's RGBA
/// reader delivers them (8-bit, gamma 2 from linear luminance / XYZ).
/// `comps` is 1 (LogL, grey out) or 3 (32-bit LogLuv, RGB out); each row
/// is byte-plane run-length coded.
pub fn sgilog_decode(raw: &[u8], width: usize, rows: usize, comps: usize, out: &mut [u8]) -> Result<(), String> {
    let planes = if comps == 1 { 2 } else { 4 };
    let mut vals = vec![0u32; width];
    let mut bp = 0usize;
    for y in 0..rows {
        vals.fill(0);
        for plane in 0..planes {
            let shift = 8 * (planes - 1 - plane);
            let mut i = 0;
            while i < width && bp < raw.len() {
                let c = raw[bp];
                if c >= 128 {
                    if raw.len() - bp < 2 {
                        bp = raw.len();
                        break;
                    }
                    let n = c as usize + 2 - 128;
                    let b = (raw[bp + 1] as u32) << shift;
                    bp += 2;
                    for v in vals.iter_mut().skip(i).take(n.min(width - i)) {
                        *v |= b;
                    }
                    i = (i + n).min(width);
                } else {
                    let n = c as usize;
                    bp += 1;
                    let take = n.min(width - i).min(raw.len() - bp);
                    for k in 0..take {
                        vals[i + k] |= (raw[bp + k] as u32) << shift;
                    }
                    i += take;
                    bp += take;
                }
            }
            if i != width {
                return Err(format!(
                    "SGILog: Not enough data at row {y} (short {} pixels)",
                    width - i
                ));
            }
        }
        let row = &mut out[y * width * comps..(y + 1) * width * comps];
        let gamma = |v: f64| -> u8 {
            if v <= 0.0 {
                0
            } else if v >= 1.0 {
                255
            } else {
                (256.0 * v.sqrt()) as u8
            }
        };
        for (x, &p) in vals.iter().enumerate() {
            if comps == 1 {
                row[x] = gamma(logl16_to_y(p as u16 as i16 as i32));
            } else {
                let [xx, yy, zz] = logluv32_to_xyz(p);
                let r = 2.690 * xx + -1.276 * yy + -0.414 * zz;
                let g = -1.022 * xx + 1.978 * yy + 0.044 * zz;
                let b = 0.061 * xx + -0.224 * yy + 1.163 * zz;
                row[3 * x] = gamma(r);
                row[3 * x + 1] = gamma(g);
                row[3 * x + 2] = gamma(b);
            }
        }
    }
    Ok(())
}

/// Luminance of a 16-bit LogL code.
fn logl16_to_y(p16: i32) -> f64 {
    let le = p16 & 0x7fff;
    if le == 0 {
        return 0.0;
    }
    let y = (std::f64::consts::LN_2 / 256.0 * (le as f64 + 0.5) - std::f64::consts::LN_2 * 64.0).exp();
    if p16 & 0x8000 != 0 {
        -y
    } else {
        y
    }
}

/// XYZ of a 32-bit LogLuv value (stored as f32 like libtiff does).
fn logluv32_to_xyz(p: u32) -> [f64; 3] {
    let l = logl16_to_y((p as i32) >> 16);
    if l <= 0.0 {
        return [0.0; 3];
    }
    let u = 1.0 / 410.0 * (((p >> 8) & 0xff) as f64 + 0.5);
    let v = 1.0 / 410.0 * ((p & 0xff) as f64 + 0.5);
    let s = 1.0 / (6.0 * u - 16.0 * v + 12.0);
    let x = 9.0 * u * s;
    let y = 4.0 * v * s;
    [
        (x / y * l) as f32 as f64,
        l as f32 as f64,
        ((1.0 - x - y) / y * l) as f32 as f64,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packbits_round_trip() {
        let rows: Vec<u8> = (0..300u32)
            .map(|i| if i % 50 < 20 { 7 } else { (i * 37 % 251) as u8 })
            .collect();
        let enc = packbits_encode(&rows, 100);
        let mut out = vec![0u8; rows.len()];
        packbits_decode(&enc, &mut out).unwrap();
        assert_eq!(out, rows);
        assert!(packbits_decode(&enc[..enc.len() / 2], &mut out).is_err());
    }

    #[test]
    fn lzw_and_deflate_round_trip() {
        let data: Vec<u8> = (0..10000u32).map(|i| (i * i % 97) as u8).collect();
        let mut out = vec![0u8; data.len()];
        lzw_decode(&lzw_encode(&data).unwrap(), &mut out).unwrap();
        assert_eq!(out, data);
        out.fill(0);
        inflate(&deflate(&data, 6).unwrap(), &mut out).unwrap();
        assert_eq!(out, data);
        let z = deflate(&data, 6).unwrap();
        assert!(inflate(&z[..z.len() / 2], &mut out).is_err());
        assert!(lzw_decode(&[1, 2, 3], &mut out).is_err());
    }

    #[test]
    fn predictors_round_trip() {
        let orig: Vec<u8> = (0..8 * 3 * 4 * 2).map(|i| (i * 13 % 255) as u8).collect();
        for bytes in [1usize, 2, 4, 8] {
            let width = orig.len() / bytes / 3 / 2;
            let mut d = orig.clone();
            horizontal_apply(&mut d, bytes, width, 3);
            horizontal_undo(&mut d, bytes, width, 3);
            assert_eq!(d, orig);
            let mut d = orig.clone();
            float_apply(&mut d, bytes, width, 3);
            float_undo(&mut d, bytes, width, 3);
            assert_eq!(d, orig);
        }
    }

    #[test]
    fn bits_pack_and_unpack() {
        let vals = [0u32, 1023, 512, 7, 1000];
        let mut packed = Vec::new();
        bit_pack(vals.iter().copied(), 10, &mut packed);
        let mut out = vec![0u8; vals.len() * 2];
        bit_convert(vals.len(), &packed, 10, &mut out, 16);
        let got: Vec<u16> = out.chunks(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect();
        let want: Vec<u16> = vals.iter().map(|&v| ((v as u64 * 65535) / 1023) as u16).collect();
        assert_eq!(got, want);
        assert_eq!(bit_range_convert(65535, 16, 10), 1023);
        assert_eq!(bit_range_convert(255, 8, 1), 1);
        assert_eq!(bit_range_convert(100, 8, 1), 0);
        assert_eq!(bit_range_convert(1023, 10, 16), 65535);
    }
}
