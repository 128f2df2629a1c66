//! CCITT bi-level decoding for TIFF (compressions 2 "CCITT RLE", 3 "T.4 /
//! Group 3" with 1D or 2D coding, and 4 "T.6 / Group 4"), built on the run
//! length and mode code tables of the `fax` crate. Output rows are packed
//! 1-bit, MSB first, white = 0 (libtiff's min-is-white sense).

use fax::maps::{black, mode, white, Mode};
use fax::BitReader;

/// Bits of a strip, most significant first (FillOrder 2 reverses each byte).
struct Bits<'a> {
    data: &'a [u8],
    lsb_first: bool,
    pos: usize,
}

impl Bits<'_> {
    fn byte(&self, i: usize) -> u8 {
        let b = self.data.get(i).copied().unwrap_or(0);
        if self.lsb_first {
            b.reverse_bits()
        } else {
            b
        }
    }
    fn total(&self) -> usize {
        self.data.len() * 8
    }
    fn bit(&self) -> Option<bool> {
        if self.pos >= self.total() {
            return None;
        }
        let v = (self.byte(self.pos / 8) >> (7 - self.pos % 8)) & 1;
        Some(v == 1)
    }
    fn align(&mut self) {
        self.pos = self.pos.div_ceil(8) * 8;
    }
    /// Skip to just after the next EOL (eleven or more zeros then a one).
    fn skip_eol(&mut self) -> bool {
        let mut zeros = 0;
        while let Some(b) = self.bit() {
            self.pos += 1;
            if b {
                if zeros >= 11 {
                    return true;
                }
                zeros = 0;
            } else {
                zeros += 1;
            }
        }
        false
    }
    /// True when the next bits are an EOL (after any fill zeros).
    fn eol_ahead(&self) -> bool {
        let mut p = self.pos;
        let mut zeros = 0;
        while p < self.total() {
            let b = (self.byte(p / 8) >> (7 - p % 8)) & 1;
            if b == 1 {
                return zeros >= 11;
            }
            zeros += 1;
            p += 1;
            if zeros > 64 {
                return false;
            }
        }
        false
    }
}

impl BitReader for Bits<'_> {
    type Error = ();
    fn peek(&self, bits: u8) -> Option<u16> {
        if self.pos >= self.total() {
            return None;
        }
        // Past the end the stream reads as zeros.
        let mut v: u32 = 0;
        for i in 0..bits as usize {
            let p = self.pos + i;
            let b = (self.byte(p / 8) >> (7 - p % 8)) & 1;
            v = (v << 1) | b as u32;
        }
        Some(v as u16)
    }
    fn consume(&mut self, bits: u8) -> Result<(), ()> {
        self.pos += bits as usize;
        if self.pos > self.total() {
            return Err(());
        }
        Ok(())
    }
    fn bits_to_byte_boundary(&self) -> u8 {
        ((8 - self.pos % 8) % 8) as u8
    }
}

/// One run: make-up codes then a terminating code.
fn run(r: &mut Bits, is_white: bool) -> Option<u32> {
    let mut sum = 0u32;
    loop {
        let n = if is_white { white::decode(r) } else { black::decode(r) }?;
        sum = sum.checked_add(n as u32)?;
        if n < 64 {
            return Some(sum);
        }
    }
}

/// Decode a 1D (modified Huffman) row into changing elements.
fn row_1d(r: &mut Bits, width: u32, cur: &mut Vec<u32>) -> Option<()> {
    cur.clear();
    let mut a0 = 0u32;
    let mut is_white = true;
    while a0 < width {
        let n = run(r, is_white)?;
        a0 = (a0 + n).min(width);
        if a0 < width {
            cur.push(a0);
        }
        is_white = !is_white;
    }
    Some(())
}

/// Decode a 2D row against the reference line's changing elements.
fn row_2d(r: &mut Bits, width: u32, refl: &[u32], cur: &mut Vec<u32>) -> Option<()> {
    cur.clear();
    let mut a0: i64 = -1;
    let mut is_white = true;
    let b_of = |a0: i64, is_white: bool| -> (u32, u32) {
        // First changing element right of a0 whose new colour is the
        // opposite of a0's: even indices turn black, odd turn white.
        let mut i = refl.partition_point(|&t| (t as i64) <= a0);
        if (i % 2 == 0) != is_white {
            i += 1;
        }
        let b1 = refl.get(i).copied().unwrap_or(width).min(width);
        let b2 = refl.get(i + 1).copied().unwrap_or(width).min(width);
        (b1, b2)
    };
    while a0 < width as i64 {
        match mode::decode(r)? {
            Mode::Pass => {
                let (_, b2) = b_of(a0, is_white);
                a0 = b2 as i64;
            }
            Mode::Horizontal => {
                let start = a0.max(0) as u32;
                let r1 = run(r, is_white)?;
                let r2 = run(r, !is_white)?;
                let a1 = (start + r1).min(width);
                let a2 = (a1 + r2).min(width);
                cur.push(a1);
                cur.push(a2);
                a0 = a2 as i64;
            }
            Mode::Vertical(d) => {
                let (b1, _) = b_of(a0, is_white);
                let a1 = (b1 as i64 + d as i64).clamp(0, width as i64);
                cur.push(a1 as u32);
                a0 = a1;
                is_white = !is_white;
            }
            Mode::Extension | Mode::EOF => return None,
        }
    }
    // Drop trailing changes at the line end (they change nothing).
    while cur.last().is_some_and(|&t| t >= width) {
        cur.pop();
    }
    Some(())
}

fn paint(cur: &[u32], row: &mut [u8], width: u32) {
    row.fill(0);
    let mut x = 0u32;
    for (i, &t) in cur.iter().enumerate() {
        let t = t.min(width);
        if i % 2 == 1 {
            // Black from x to t.
            for p in x..t {
                row[(p / 8) as usize] |= 0x80 >> (p % 8);
            }
        }
        x = t;
    }
    if cur.len() % 2 == 1 {
        for p in x..width {
            row[(p / 8) as usize] |= 0x80 >> (p % 8);
        }
    }
}

/// Decode one CCITT strip/tile of `rows` rows, `width` pixels wide, into
/// `out` (rows of `(width + 7) / 8` bytes). Damaged data leaves the rest of
/// the strip white, as libtiff does after reporting it.
pub fn decode(
    raw: &[u8],
    out: &mut [u8],
    width: usize,
    rows: usize,
    compression: u16,
    t4opts: u32,
    lsb_first: bool,
) -> Result<(), String> {
    let rb = width.div_ceil(8);
    let w = width as u32;
    let mut r = Bits {
        data: raw,
        lsb_first,
        pos: 0,
    };
    let mut refl: Vec<u32> = Vec::new();
    let mut cur: Vec<u32> = Vec::new();
    out.fill(0);
    for y in 0..rows {
        let ok = match compression {
            2 => {
                if y > 0 {
                    r.align();
                }
                row_1d(&mut r, w, &mut cur)
            }
            3 => {
                if r.eol_ahead() {
                    r.skip_eol();
                }
                let two_d = t4opts & 1 != 0 && !r.bit().inspect(|_| r.pos += 1).unwrap_or(true);
                if two_d {
                    row_2d(&mut r, w, &refl, &mut cur)
                } else {
                    row_1d(&mut r, w, &mut cur)
                }
            }
            _ => row_2d(&mut r, w, &refl, &mut cur),
        };
        if ok.is_none() {
            if y == 0 {
                return Err("Fax decoding failed: bad code word at line 0".into());
            }
            break;
        }
        paint(&cur, &mut out[y * rb..(y + 1) * rb], w);
        std::mem::swap(&mut refl, &mut cur);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group4_round_trip() {
        use fax::{encoder::Encoder, Color, VecWriter};
        let (w, h) = (77usize, 23usize);
        let px = |x: usize, y: usize| (x * x + 3 * y * y + x * y) % 11 < 4 || (x > 30 && x < 40);
        let mut enc = Encoder::new(VecWriter::new());
        for y in 0..h {
            let line = (0..w).map(|x| if px(x, y) { Color::Black } else { Color::White });
            enc.encode_line(line, w as u32).unwrap();
        }
        let data = enc.finish().unwrap().finish();
        let rb = w.div_ceil(8);
        let mut out = vec![0u8; rb * h];
        decode(&data, &mut out, w, h, 4, 0, false).unwrap();
        for y in 0..h {
            for x in 0..w {
                let bit = out[y * rb + x / 8] >> (7 - x % 8) & 1 == 1;
                assert_eq!(bit, px(x, y), "pixel {x},{y}");
            }
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut out = vec![0u8; 4 * 3];
        let _ = decode(&[0xff, 0x00, 0x13, 0x77], &mut out, 30, 3, 4, 0, false);
        let _ = decode(&[], &mut out, 30, 3, 3, 1, true);
        let _ = decode(&[0x00, 0x10, 0xff], &mut out, 30, 3, 2, 0, false);
    }
}
