//! `GradingRGBMSW` and `GradingTone`: the values of a tonal grade.

use std::fmt;

use super::fmt_g;
use crate::enums::GradingStyle;
use crate::error::{OcioError, Result};

/// Red, green, blue and master amounts plus the start and width of the
/// tonal range they act on (centre and pivot for some controls).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradingRGBMSW {
    pub red: f64,
    pub green: f64,
    pub blue: f64,
    pub master: f64,
    pub start: f64,
    pub width: f64,
}

impl Default for GradingRGBMSW {
    fn default() -> Self {
        GradingRGBMSW::range(0.0, 1.0)
    }
}

impl GradingRGBMSW {
    pub const fn new(red: f64, green: f64, blue: f64, master: f64, start: f64, width: f64) -> Self {
        GradingRGBMSW {
            red,
            green,
            blue,
            master,
            start,
            width,
        }
    }

    /// Neutral amounts (1) over the given range.
    pub const fn range(start: f64, width: f64) -> Self {
        GradingRGBMSW::new(1.0, 1.0, 1.0, 1.0, start, width)
    }

    fn any_below(&self, min: f64) -> bool {
        self.red < min || self.green < min || self.blue < min || self.master < min
    }

    fn any_above(&self, max: f64) -> bool {
        self.red > max || self.green > max || self.blue > max || self.master > max
    }
}

impl fmt::Display for GradingRGBMSW {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<red={} green={} blue={} master={} start={} width={}>",
            fmt_g(self.red),
            fmt_g(self.green),
            fmt_g(self.blue),
            fmt_g(self.master),
            fmt_g(self.start),
            fmt_g(self.width)
        )
    }
}

/// Blacks, shadows, midtones, highlights, whites and s-contrast.
#[derive(Debug, Clone, PartialEq)]
pub struct GradingTone {
    pub blacks: GradingRGBMSW,
    pub shadows: GradingRGBMSW,
    pub midtones: GradingRGBMSW,
    pub highlights: GradingRGBMSW,
    pub whites: GradingRGBMSW,
    pub scontrast: f64,
}

// Bounds a client is expected to keep to, widened by a small tolerance.
const MIN_BMW: f64 = 0.1; // blacks, midtones, whites
const MAX_BMW: f64 = 1.9;
const MIN_SH: f64 = 0.2; // shadows, highlights
const MAX_SH: f64 = 1.8;
const MIN_WSC: f64 = 0.01; // widths and s-contrast
const MAX_SC: f64 = 1.99;
const TOLERANCE: f64 = 0.000001;

impl GradingTone {
    /// The identity tone grade of a style: neutral amounts over the
    /// style's default ranges.
    pub fn new(style: GradingStyle) -> Self {
        let r = GradingRGBMSW::range;
        match style {
            GradingStyle::Lin => GradingTone {
                blacks: r(0.0, 4.0),
                shadows: r(2.0, -7.0),
                midtones: r(0.0, 8.0),
                highlights: r(-2.0, 9.0),
                whites: r(0.0, 8.0),
                scontrast: 1.0,
            },
            GradingStyle::Log => GradingTone {
                blacks: r(0.4, 0.4),
                shadows: r(0.5, 0.0),
                midtones: r(0.4, 0.6),
                highlights: r(0.3, 1.0),
                whites: r(0.4, 0.5),
                scontrast: 1.0,
            },
            GradingStyle::Video => GradingTone {
                blacks: r(0.4, 0.4),
                shadows: r(0.6, 0.0),
                midtones: r(0.4, 0.7),
                highlights: r(0.2, 1.0),
                whites: r(0.5, 0.5),
                scontrast: 1.0,
            },
        }
    }

    /// OCIO's `GradingTone::validate()`: amounts within their bounds, widths
    /// above the minimum, pivots apart from starts, s-contrast in range.
    pub fn validate(&self) -> Result<()> {
        let err = |m: String| Err(OcioError::msg(m));
        // Blacks, midtones and whites share the same bounds (note the
        // reference's singular "white" in the upper-bound message).
        for (name, upper_name, v) in [
            ("blacks", "blacks", &self.blacks),
            ("midtones", "midtones", &self.midtones),
            ("whites", "white", &self.whites),
        ] {
            if v.any_below(MIN_BMW - TOLERANCE) {
                return err(format!(
                    "GradingTone {name} '{v}' are below lower bound ({}).",
                    fmt_g(MIN_BMW)
                ));
            }
            if v.width < MIN_WSC - TOLERANCE {
                return err(format!(
                    "GradingTone {name} width '{}' is below lower bound ({}).",
                    fmt_g(v.width),
                    fmt_g(MIN_WSC)
                ));
            }
            if v.any_above(MAX_BMW + TOLERANCE) {
                return err(format!(
                    "GradingTone {upper_name} '{v}' are above upper bound ({}).",
                    fmt_g(MAX_BMW)
                ));
            }
        }
        let s = &self.shadows;
        if s.any_below(MIN_SH - TOLERANCE) {
            return err(format!(
                "GradingTone shadows '{s}' are below lower bound ({}).",
                fmt_g(MIN_SH)
            ));
        }
        if s.start < s.width + (MIN_WSC - TOLERANCE) {
            return err(format!(
                "GradingTone shadows start '{}' is less than pivot ('{}' + {}).",
                fmt_g(s.start),
                fmt_g(s.width),
                fmt_g(MIN_WSC)
            ));
        }
        if s.any_above(MAX_SH + TOLERANCE) {
            return err(format!(
                "GradingTone shadows '{s}' are above upper bound ({}).",
                fmt_g(MAX_SH)
            ));
        }
        let h = &self.highlights;
        if h.any_below(MIN_SH - TOLERANCE) {
            return err(format!(
                "GradingTone highlights '{h}' are below lower bound ({}).",
                fmt_g(MIN_SH)
            ));
        }
        if h.start > h.width - (MIN_WSC - TOLERANCE) {
            return err(format!(
                "GradingTone highlights start '{}' is greater than pivot ('{}' - {}).",
                fmt_g(h.start),
                fmt_g(h.width),
                fmt_g(MIN_WSC)
            ));
        }
        if h.any_above(MAX_SH + TOLERANCE) {
            return err(format!(
                "GradingTone highlights '{h}' are above upper bound ({}).",
                fmt_g(MAX_SH)
            ));
        }
        if self.scontrast < MIN_WSC - TOLERANCE {
            return err(format!(
                "GradingTone s-contrast '{}' is below lower bound ({}).",
                fmt_g(self.scontrast),
                fmt_g(MIN_WSC)
            ));
        }
        if self.scontrast > MAX_SC + TOLERANCE {
            return err(format!(
                "GradingTone s-contrast '{}' is above upper bound ({}).",
                fmt_g(self.scontrast),
                fmt_g(MAX_SC)
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
            fmt_g(self.scontrast)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_print() {
        let t = GradingTone::new(GradingStyle::Log);
        assert_eq!(
            t.to_string(),
            "<blacks=<red=1 green=1 blue=1 master=1 start=0.4 width=0.4> \
             shadows=<red=1 green=1 blue=1 master=1 start=0.5 width=0> \
             midtones=<red=1 green=1 blue=1 master=1 start=0.4 width=0.6> \
             highlights=<red=1 green=1 blue=1 master=1 start=0.3 width=1> \
             whites=<red=1 green=1 blue=1 master=1 start=0.4 width=0.5> s_contrast=1>"
        );
        for s in [GradingStyle::Log, GradingStyle::Lin, GradingStyle::Video] {
            assert!(GradingTone::new(s).validate().is_ok());
        }
        assert_eq!(
            GradingRGBMSW::default(),
            GradingRGBMSW::new(1.0, 1.0, 1.0, 1.0, 0.0, 1.0)
        );
    }

    #[test]
    fn validation_messages() {
        let mut t = GradingTone::new(GradingStyle::Log);
        t.whites.red = 2.1;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "GradingTone white '<red=2.1 green=1 blue=1 master=1 start=0.4 width=0.5>' are above upper bound (1.9)."
        );
        let mut t = GradingTone::new(GradingStyle::Log);
        t.highlights.start = 2.0;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "GradingTone highlights start '2' is greater than pivot ('1' - 0.01)."
        );
        let mut t = GradingTone::new(GradingStyle::Log);
        t.scontrast = 0.0;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "GradingTone s-contrast '0' is below lower bound (0.01)."
        );
        let mut t = GradingTone::new(GradingStyle::Log);
        t.blacks.width = 0.0001;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "GradingTone blacks width '0.0001' is below lower bound (0.01)."
        );
    }
}
