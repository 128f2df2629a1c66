//! `ROI`: a region of interest (pixels x/y/z and channels), as OIIO's.

use std::fmt;

/// Half-open ranges in x, y, z and channel. `xbegin == i32::MIN` means
/// "undefined" (OIIO's `ROI::All`): operations then use the whole image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Roi {
    pub xbegin: i32,
    pub xend: i32,
    pub ybegin: i32,
    pub yend: i32,
    pub zbegin: i32,
    pub zend: i32,
    pub chbegin: i32,
    pub chend: i32,
}

impl Default for Roi {
    fn default() -> Self {
        Roi::ALL
    }
}

impl Roi {
    /// The undefined ROI.
    pub const ALL: Roi = Roi {
        xbegin: i32::MIN,
        xend: 0,
        ybegin: 0,
        yend: 0,
        zbegin: 0,
        zend: 0,
        chbegin: 0,
        chend: 0,
    };

    /// Channel end used when none is given: "all channels".
    pub const CH_ALL: i32 = 10000;

    #[allow(clippy::too_many_arguments)]
    pub const fn new(
        xbegin: i32,
        xend: i32,
        ybegin: i32,
        yend: i32,
        zbegin: i32,
        zend: i32,
        chbegin: i32,
        chend: i32,
    ) -> Roi {
        Roi {
            xbegin,
            xend,
            ybegin,
            yend,
            zbegin,
            zend,
            chbegin,
            chend,
        }
    }

    pub const fn new2d(xbegin: i32, xend: i32, ybegin: i32, yend: i32) -> Roi {
        Roi::new(xbegin, xend, ybegin, yend, 0, 1, 0, Self::CH_ALL)
    }

    pub fn defined(&self) -> bool {
        self.xbegin != i32::MIN
    }
    // Widths use wrapping arithmetic: OIIO computes them in `int`, and the
    // undefined ROI reports INT_MIN-based values that scripts can observe.
    pub fn width(&self) -> i32 {
        self.xend.wrapping_sub(self.xbegin)
    }
    pub fn height(&self) -> i32 {
        self.yend.wrapping_sub(self.ybegin)
    }
    pub fn depth(&self) -> i32 {
        self.zend.wrapping_sub(self.zbegin)
    }
    pub fn nchannels(&self) -> i32 {
        self.chend.wrapping_sub(self.chbegin)
    }
    /// Number of pixels (0 when undefined), as OIIO's unsigned 64-bit count.
    pub fn npixels(&self) -> u64 {
        if !self.defined() {
            return 0;
        }
        (self.width() as i64)
            .wrapping_mul(self.height() as i64)
            .wrapping_mul(self.depth() as i64) as u64
    }
    pub fn contains(&self, x: i32, y: i32, z: i32, ch: i32) -> bool {
        x >= self.xbegin
            && x < self.xend
            && y >= self.ybegin
            && y < self.yend
            && z >= self.zbegin
            && z < self.zend
            && ch >= self.chbegin
            && ch < self.chend
    }
    pub fn contains_roi(&self, o: &Roi) -> bool {
        o.xbegin >= self.xbegin
            && o.xend <= self.xend
            && o.ybegin >= self.ybegin
            && o.yend <= self.yend
            && o.zbegin >= self.zbegin
            && o.zend <= self.zend
            && o.chbegin >= self.chbegin
            && o.chend <= self.chend
    }
    /// Bounding box of both; an undefined operand yields the other.
    pub fn union(&self, b: &Roi) -> Roi {
        if !self.defined() {
            return *b;
        }
        if !b.defined() {
            return *self;
        }
        Roi::new(
            self.xbegin.min(b.xbegin),
            self.xend.max(b.xend),
            self.ybegin.min(b.ybegin),
            self.yend.max(b.yend),
            self.zbegin.min(b.zbegin),
            self.zend.max(b.zend),
            self.chbegin.min(b.chbegin),
            self.chend.max(b.chend),
        )
    }
    /// Overlap of both (not clamped to empty); an undefined operand yields the other.
    pub fn intersection(&self, b: &Roi) -> Roi {
        if !self.defined() {
            return *b;
        }
        if !b.defined() {
            return *self;
        }
        Roi::new(
            self.xbegin.max(b.xbegin),
            self.xend.min(b.xend),
            self.ybegin.max(b.ybegin),
            self.yend.min(b.yend),
            self.zbegin.max(b.zbegin),
            self.zend.min(b.zend),
            self.chbegin.max(b.chbegin),
            self.chend.min(b.chend),
        )
    }
}

impl fmt::Display for Roi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {} {} {}",
            self.xbegin, self.xend, self.ybegin, self.yend, self.zbegin, self.zend, self.chbegin, self.chend
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn basics() {
        let a = Roi::new2d(0, 10, 0, 10);
        assert_eq!(a.to_string(), "0 10 0 10 0 1 0 10000");
        assert_eq!(a.npixels(), 100);
        assert_eq!(Roi::ALL.npixels(), 0);
        assert_eq!(Roi::ALL.width(), i32::MIN);
        let b = Roi::new(5, 20, 5, 20, 0, 1, 0, 3);
        assert_eq!(a.union(&b).to_string(), "0 20 0 20 0 1 0 10000");
        assert_eq!(a.intersection(&b).to_string(), "5 10 5 10 0 1 0 3");
        assert_eq!(a.union(&Roi::ALL), a);
        assert!(a.contains(3, 3, 0, 0) && !a.contains(3, 3, 0, 20000));
    }
}
