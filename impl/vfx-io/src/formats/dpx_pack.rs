//! Bit packing shared by the DPX and Cineon codecs: 10-bit "filled" words
//! (three datums per 32-bit word), 10/12-bit "packed" bit streams, the
//! promotions of 10/12-bit codes to 16 bits, and the byte swaps a file of the
//! other byte order needs.
//!
//! The rules are those of the libdpx/libcineon code bundled with OpenImageIO
//! 3.2.2 (reimplemented here): datum 0 of a filled word sits in its most
//! significant bits; packed streams fill each 32-bit word from its least
//! significant bit; a 10-bit code `v` becomes `v << 6 | v >> 4` and a 12-bit
//! code `v << 4 | v >> 8`.

/// Fill `buf` from `file` at `offset` without moving the file position,
/// so several threads can read one file at once.
pub fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// The unit in which a file's data words are byte swapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swap {
    None,
    U16,
    U32,
    U64,
}

impl Swap {
    /// Swap every whole unit of `buf` in place (a trailing partial unit is
    /// left alone).
    pub fn apply(self, buf: &mut [u8]) {
        match self {
            Swap::None => {}
            Swap::U16 => buf.chunks_exact_mut(2).for_each(|c| c.swap(0, 1)),
            Swap::U32 => buf.chunks_exact_mut(4).for_each(|c| c.reverse()),
            Swap::U64 => buf.chunks_exact_mut(8).for_each(|c| c.reverse()),
        }
    }
}

/// A 10-bit code scaled to 16 bits (its high bits repeated at the bottom).
#[inline]
pub fn widen10(v: u16) -> u16 {
    (v << 6) | (v >> 4)
}

/// A 12-bit code scaled to 16 bits. Bits above the 12 are not masked off
/// (libdpx does not either): they shift out of the 16-bit result.
#[inline]
pub fn widen12(v: u16) -> u16 {
    (v << 4) | (v >> 8)
}

/// Native-endian u32 at word `i` of `bytes` (already in native order), 0
/// past the end.
#[inline]
fn word_at(bytes: &[u8], i: usize) -> u32 {
    match bytes.get(i * 4..i * 4 + 4) {
        Some(b) => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        None => 0,
    }
}

/// Decode `out.len()` datums of a 10-bit filled line: datum `k` is in word
/// `k / 3` at bit `(2 - k % 3) * 10 + pad` (pad 2 for method A, 0 for B).
/// Words missing from `bytes` read as 0. With `swap_triplets` (libdpx's
/// one-channel quirk) every complete group of three datums is reversed.
pub fn unfill10(bytes: &[u8], pad: u32, swap_triplets: bool, out: &mut [u16]) {
    let full = out.len() / 3;
    let (head, tail) = out.split_at_mut(full * 3);
    for (w, chunk) in head.chunks_exact_mut(3).enumerate() {
        let word = word_at(bytes, w);
        let v = |j: u32| widen10(((word >> ((2 - j) * 10 + pad)) & 0x3ff) as u16);
        if swap_triplets {
            chunk.copy_from_slice(&[v(2), v(1), v(0)]);
        } else {
            chunk.copy_from_slice(&[v(0), v(1), v(2)]);
        }
    }
    let word = word_at(bytes, full);
    for (j, o) in tail.iter_mut().enumerate() {
        *o = widen10(((word >> ((2 - j as u32) * 10 + pad)) & 0x3ff) as u16);
    }
}

/// Decode `out.len()` datums of a 10- or 12-bit packed line whose words are
/// in native order in `bytes`: datum `i` starts at bit `i * bits`, counted
/// from the least significant bit of the first word. Bytes past the end read
/// as 0.
pub fn unpack_bits(bytes: &[u8], bits: u32, out: &mut [u16]) {
    // The stream is little endian bit order within native words, so the
    // bytes can be consumed in order. Whole groups of 8 datums (10 or 12
    // bytes) are unpacked from one u128.
    let mask = (1u128 << bits) - 1;
    let widen: fn(u16) -> u16 = if bits == 10 { widen10 } else { widen12 };
    let (gbytes, gvals) = (bits as usize, 8usize);
    let groups = (out.len() / gvals).min(bytes.len() / gbytes);
    let (head, tail) = out.split_at_mut(groups * gvals);
    for (o, src) in head.chunks_exact_mut(gvals).zip(bytes.chunks_exact(gbytes)) {
        let mut b = [0u8; 16];
        b[..gbytes].copy_from_slice(src);
        let v = u128::from_le_bytes(b);
        for (i, x) in o.iter_mut().enumerate() {
            *x = widen(((v >> (i as u32 * bits)) & mask) as u16);
        }
    }
    let mask = (1u64 << bits) - 1;
    let mut acc: u64 = 0;
    let mut nacc = 0u32;
    let mut src = bytes[groups * gbytes..].chunks(4);
    for o in tail.iter_mut() {
        while nacc < bits {
            let word = match src.next() {
                Some(c) if c.len() == 4 => u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                Some(c) => c.iter().rev().fold(0u32, |a, &b| (a << 8) | u32::from(b)),
                None => 0,
            };
            acc |= u64::from(word) << nacc;
            nacc += 32;
        }
        *o = widen((acc & mask) as u16);
        acc >>= bits;
        nacc -= bits;
    }
}

/// Encode 16-bit values as a 10-bit filled line: three datums per word, the
/// first (or with `reverse` the last of the three) in the high bits, shifted
/// up by 2 for method A. Appends native-order words to `out`.
pub fn fill10(src: &[u16], method_a: bool, reverse: bool, out: &mut Vec<u8>) {
    let shift = if method_a { 2 } else { 0 };
    for chunk in src.chunks(3) {
        let mut word = 0u32;
        for (j, &v) in chunk.iter().enumerate() {
            let slot = if reverse { 2 - j as u32 } else { j as u32 };
            word |= (u32::from(v >> 6) & 0x3ff) << (slot * 10 + shift);
        }
        out.extend_from_slice(&word.to_ne_bytes());
    }
}

/// Encode 16-bit values as a packed 10- or 12-bit stream (each value's top
/// `bits` bits, least significant bit first), appending native-order words
/// to `out`. libdpx packs in place over the line's 16-bit values, so the
/// unused top bits of the last word keep the bits of those values that were
/// there (`src` extended by one zero); they are reproduced here.
pub fn pack_bits(src: &[u16], bits: u32, out: &mut Vec<u8>) {
    let total = src.len() as u64 * u64::from(bits);
    let nwords = total.div_ceil(32) as usize;
    let start = out.len();
    out.resize(start + nwords * 4, 0);
    let words = &mut out[start..];
    let mask = (1u64 << bits) - 1;
    let mut acc: u64 = 0;
    let mut nacc = 0u32;
    let mut w = 0usize;
    for &v in src {
        acc |= (u64::from(v >> (16 - bits)) & mask) << nacc;
        nacc += bits;
        while nacc >= 32 {
            words[w * 4..w * 4 + 4].copy_from_slice(&(acc as u32).to_ne_bytes());
            w += 1;
            acc >>= 32;
            nacc -= 32;
        }
    }
    if nacc > 0 {
        let at = |i: usize| u32::from(src.get(i).copied().unwrap_or(0));
        let orig = at(2 * w) | (at(2 * w + 1) << 16);
        let keep = !((1u32 << nacc) - 1);
        let word = (acc as u32 & !keep) | (orig & keep);
        words[w * 4..w * 4 + 4].copy_from_slice(&word.to_ne_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ne_words(w: &[u32]) -> Vec<u8> {
        w.iter().flat_map(|x| x.to_ne_bytes()).collect()
    }

    #[test]
    fn widening() {
        assert_eq!(widen10(0x3ff), 0xffff);
        assert_eq!(widen10(0x200), 0x8020);
        assert_eq!(widen12(0xfff), 0xffff);
        assert_eq!(widen12(0x800), 0x8008);
        // Bits above 12 shift out of the low part but not the high one.
        assert_eq!(widen12(0xf001), 0x00f0);
    }

    #[test]
    fn filled_round_trip_and_layout() {
        let vals: Vec<u16> = [1u16, 2, 3, 1023, 512].iter().map(|v| widen10(*v)).collect();
        let mut out = Vec::new();
        fill10(&vals, true, true, &mut out);
        // Reverse puts the first datum in the high bits.
        assert_eq!(
            out,
            ne_words(&[(1 << 22) | (2 << 12) | (3 << 2), (1023 << 22) | (512 << 12)])
        );
        let mut back = vec![0u16; 5];
        unfill10(&out, 2, false, &mut back);
        assert_eq!(back, vals);
        let mut b = Vec::new();
        fill10(&vals, false, true, &mut b);
        let mut back = vec![0u16; 5];
        unfill10(&b, 0, false, &mut back);
        assert_eq!(back, vals);
        // One-channel quirk: complete triplets reversed, the tail not.
        let mut back = vec![0u16; 5];
        unfill10(&out, 2, true, &mut back);
        assert_eq!(back, [vals[2], vals[1], vals[0], vals[3], vals[4]]);
        // Missing words read as zero.
        let mut back = vec![7u16; 5];
        unfill10(&out[..4], 2, false, &mut back);
        assert_eq!(&back[3..], &[0, 0]);
    }

    #[test]
    fn packed_round_trip() {
        for bits in [10u32, 12] {
            let max = (1u16 << bits) - 1;
            let codes: Vec<u16> = (0..37u16).map(|i| (i * 97 + 5) & max).collect();
            let vals: Vec<u16> = codes
                .iter()
                .map(|&c| if bits == 10 { widen10(c) } else { widen12(c) })
                .collect();
            let mut out = Vec::new();
            pack_bits(&vals, bits, &mut out);
            assert_eq!(out.len(), (37 * bits as usize).div_ceil(32) * 4);
            let mut back = vec![0u16; 37];
            unpack_bits(&out, bits, &mut back);
            assert_eq!(back, vals);
        }
        // LSB first: datum 1 of a 10-bit stream starts at bit 10.
        let mut out = Vec::new();
        pack_bits(&[widen10(1), widen10(2), widen10(3)], 10, &mut out);
        let w = u32::from_ne_bytes([out[0], out[1], out[2], out[3]]);
        assert_eq!(w & 0x3fff_ffff, 1 | (2 << 10) | (3 << 20));
    }

    #[test]
    fn swaps() {
        let mut b = [1u8, 2, 3, 4, 5, 6, 7, 8, 9];
        Swap::U16.apply(&mut b);
        assert_eq!(b, [2, 1, 4, 3, 6, 5, 8, 7, 9]);
        let mut b = [1u8, 2, 3, 4, 5, 6, 7, 8];
        Swap::U32.apply(&mut b);
        assert_eq!(b, [4, 3, 2, 1, 8, 7, 6, 5]);
        let mut b = [1u8, 2, 3, 4, 5, 6, 7, 8];
        Swap::U64.apply(&mut b);
        assert_eq!(b, [8, 7, 6, 5, 4, 3, 2, 1]);
    }
}
