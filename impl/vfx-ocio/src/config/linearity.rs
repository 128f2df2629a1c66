//! `Config::isColorSpaceLinear`: a colour space is linear for a reference
//! type if its encoding says so, or if its transform to (else from) the
//! reference maps a dark and a bright value 64 times apart to outputs 64
//! times apart, on the neutral axis and on each primary.

use super::Config;
use crate::enums::{BitDepth, ReferenceSpaceType, TransformDirection};
use crate::error::{OcioError, Result};
use crate::transforms::Transform;

/// Dark/bright pairs: neutral, red, green, blue.
const PROBES: [f32; 24] = [
    0.0625, 0.0625, 0.0625, 4.0, 4.0, 4.0, 0.0625, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 0.0625, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0,
    0.0625, 0.0, 0.0, 4.0,
];

impl Config {
    /// OCIO's `isColorSpaceLinear`.
    pub fn is_colorspace_linear(&self, name: &str, reference: ReferenceSpaceType) -> Result<bool> {
        let cs = self.find_colorspace(name).ok_or_else(|| {
            OcioError::msg(format!(
                "Could not test colorspace linearity. Colorspace {name} does not exist."
            ))
        })?;
        if cs.is_data || cs.reference_space != reference {
            return Ok(false);
        }
        if !cs.encoding.is_empty() {
            let linear = match reference {
                ReferenceSpaceType::Scene => "scene-linear",
                ReferenceSpaceType::Display => "display-linear",
            };
            return Ok(cs.encoding.eq_ignore_ascii_case(linear));
        }
        let Some(t) = cs.to_reference.as_ref().or(cs.from_reference.as_ref()) else {
            return Ok(true);
        };
        self.maps_linearly(t)
    }

    fn maps_linearly(&self, t: &Transform) -> Result<bool> {
        let cpu =
            self.processor_for_transform(t, TransformDirection::Forward)?
                .cpu_with(BitDepth::F32, BitDepth::F32, false);
        let mut px = PROBES;
        cpu.apply_in_place(&mut px, 3)?;
        Ok(px
            .chunks_exact(6)
            .all(|pair| (0..3).all(|c| (pair[c] * 64.0 - pair[c + 3]).abs() <= 1e-5)))
    }
}
