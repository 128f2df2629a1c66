//! Test helpers shared by the format modules (compiled for tests only).

use crate::{IoError, Reader};
use std::path::Path;
use vfx_core::ImageSpec;

/// A format's `open` function (the `Format::open` shape).
pub type OpenFn = fn(&Path, Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError>;

/// Damaged copies of a valid file: truncations every 97 bytes and 300
/// copies with 1-4 bytes overwritten (a fixed xorshift sequence, so runs
/// are repeatable).
pub fn damaged_copies(good: &[u8]) -> Vec<Vec<u8>> {
    let mut seed = 0x2545_f491_u32;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let mut cases: Vec<Vec<u8>> = (0..good.len()).step_by(97).map(|n| good[..n].to_vec()).collect();
    for _ in 0..300 {
        let mut b = good.to_vec();
        for _ in 0..1 + next() % 4 {
            let i = next() as usize % b.len();
            b[i] = next() as u8;
        }
        cases.push(b);
    }
    cases
}

/// Write each damaged copy of `good` to `path`, open it with `open` and read
/// the first four subimages: errors are expected, panics fail the test.
pub fn read_damaged_copies(good: &[u8], path: &Path, open: OpenFn) {
    for b in damaged_copies(good) {
        std::fs::write(path, &b).unwrap();
        if let Ok(mut r) = open(path, None) {
            for s in 0..4 {
                if r.spec(s, 0).is_some() {
                    let _ = r.read_image(s, 0);
                }
            }
        }
    }
}
