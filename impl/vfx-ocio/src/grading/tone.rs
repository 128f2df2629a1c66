//! `GradingTone`: blacks, shadows, midtones, highlights and whites (each
//! RGB/master with a start and width) and an s-contrast.

use std::fmt;

use super::primary::GradingRgbm;
use crate::enums::GradingStyle;
use crate::error::{OcioError, Result};
use crate::transforms::common::g;

/// RGB and master values with a start and a width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradingRgbmsw {
    pub rgbm: GradingRgbm,
    pub start: f64,
    pub width: f64,
}

impl Default for GradingRgbmsw {
    fn default() -> Self {
        GradingRgbmsw::neutral(0.0, 1.0)
    }
}

impl GradingRgbmsw {
    /// Neutral values (1) with the given start and width.
    pub const fn neutral(start: f64, width: f64) -> Self {
        GradingRgbmsw {
            rgbm: GradingRgbm::new(1.0, 1.0, 1.0, 1.0),
            start,
            width,
        }
    }

    fn any(&self, f: impl Fn(f64) -> bool) -> bool {
        f(self.rgbm.red) || f(self.rgbm.green) || f(self.rgbm.blue) || f(self.rgbm.master)
    }
}

impl fmt::Display for GradingRgbmsw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<red={} green={} blue={} master={} start={} width={}>",
            g(self.rgbm.red),
            g(self.rgbm.green),
            g(self.rgbm.blue),
            g(self.rgbm.master),
            g(self.start),
            g(self.width)
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradingTone {
    pub blacks: GradingRgbmsw,
    pub shadows: GradingRgbmsw,
    pub midtones: GradingRgbmsw,
    pub highlights: GradingRgbmsw,
    pub whites: GradingRgbmsw,
    pub s_contrast: f64,
}

impl GradingTone {
    /// The neutral values of a style (starts and widths differ per style).
    pub fn new(style: GradingStyle) -> Self {
        let n = GradingRgbmsw::neutral;
        let (b, s, m, h, w) = match style {
            GradingStyle::Log => (n(0.4, 0.4), n(0.5, 0.0), n(0.4, 0.6), n(0.3, 1.0), n(0.4, 0.5)),
            GradingStyle::Lin => (n(0.0, 4.0), n(2.0, -7.0), n(0.0, 8.0), n(-2.0, 9.0), n(0.0, 8.0)),
            GradingStyle::Video => (n(0.4, 0.4), n(0.6, 0.0), n(0.4, 0.7), n(0.2, 1.0), n(0.5, 0.5)),
        };
        GradingTone {
            blacks: b,
            shadows: s,
            midtones: m,
            highlights: h,
            whites: w,
            s_contrast: 1.0,
        }
    }

    /// The bounds OCIO enforces (with a small tolerance): blacks, midtones
    /// and whites in [0.1, 1.9]; shadows and highlights in [0.2, 1.8] with
    /// their start on the right side of their pivot; widths >= 0.01;
    /// s-contrast in [0.01, 1.99].
    pub fn validate(&self) -> Result<()> {
        const E: f64 = 0.000001;
        let err = |m: String| Err(OcioError::msg(m));
        for (name, upper_name, v) in [
            ("blacks", "blacks", &self.blacks),
            ("midtones", "midtones", &self.midtones),
            ("whites", "white", &self.whites),
        ] {
            if v.any(|x| x < 0.1 - E) {
                return err(format!("GradingTone {name} '{v}' are below lower bound (0.1)."));
            }
            if v.width < 0.01 - E {
                return err(format!(
                    "GradingTone {name} width '{}' is below lower bound (0.01).",
                    g(v.width)
                ));
            }
            if v.any(|x| x > 1.9 + E) {
                return err(format!("GradingTone {upper_name} '{v}' are above upper bound (1.9)."));
            }
        }
        let s = &self.shadows;
        if s.any(|x| x < 0.2 - E) {
            return err(format!("GradingTone shadows '{s}' are below lower bound (0.2)."));
        }
        if s.start < s.width + 0.01 - E {
            return err(format!(
                "GradingTone shadows start '{}' is less than pivot ('{}' + 0.01).",
                g(s.start),
                g(s.width)
            ));
        }
        if s.any(|x| x > 1.8 + E) {
            return err(format!("GradingTone shadows '{s}' are above upper bound (1.8)."));
        }
        let h = &self.highlights;
        if h.any(|x| x < 0.2 - E) {
            return err(format!("GradingTone highlights '{h}' are below lower bound (0.2)."));
        }
        if h.start > h.width - (0.01 - E) {
            return err(format!(
                "GradingTone highlights start '{}' is greater than pivot ('{}' - 0.01).",
                g(h.start),
                g(h.width)
            ));
        }
        if h.any(|x| x > 1.8 + E) {
            return err(format!("GradingTone highlights '{h}' are above upper bound (1.8)."));
        }
        if self.s_contrast < 0.01 - E {
            return err(format!(
                "GradingTone s-contrast '{}' is below lower bound (0.01).",
                g(self.s_contrast)
            ));
        }
        if self.s_contrast > 1.99 + E {
            return err(format!(
                "GradingTone s-contrast '{}' is above upper bound (1.99).",
                g(self.s_contrast)
            ));
        }
        Ok(())
    }
}

impl fmt::Display for GradingTone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<blacks={} shadows={} midtones={} highlights={} whites={} s_contrast={}>",
            self.blacks,
            self.shadows,
            self.midtones,
            self.highlights,
            self.whites,
            g(self.s_contrast)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_printed() {
        for s in [GradingStyle::Log, GradingStyle::Lin, GradingStyle::Video] {
            GradingTone::new(s).validate().unwrap();
        }
        assert!(GradingTone::new(GradingStyle::Log)
            .to_string()
            .starts_with("<blacks=<red=1 green=1 blue=1 master=1 start=0.4 width=0.4> shadows="));
        let mut t = GradingTone::new(GradingStyle::Log);
        t.whites.rgbm.red = 2.1;
        assert!(t.validate().is_err());
    }
}
