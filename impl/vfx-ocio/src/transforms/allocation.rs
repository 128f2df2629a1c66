//! `AllocationTransform`: the uniform or log2 mapping used to fit a range
//! into [0, 1] (for GPU LUT allocation); `vars` are single-precision.

use std::fmt;

use super::common::g;
use super::TransformData;
use crate::enums::{Allocation, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct AllocationTransform {
    pub allocation: Allocation,
    pub vars: Vec<f32>,
    pub direction: TransformDirection,
}

impl Default for AllocationTransform {
    fn default() -> Self {
        AllocationTransform {
            allocation: Allocation::Uniform,
            vars: Vec::new(),
            direction: TransformDirection::Forward,
        }
    }
}

impl AllocationTransform {
    /// The binding only accepts two or three values.
    pub fn set_vars(&mut self, vars: Vec<f32>) -> Result<()> {
        if !(2..=3).contains(&vars.len()) {
            return Err(OcioError::msg("vars must be a float array, size 2 or 3"));
        }
        self.vars = vars;
        Ok(())
    }
}

impl TransformData for AllocationTransform {
    const KIND: TransformType = TransformType::Allocation;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    /// Uniform takes 0 or 2 values, log2 0, 2 or 3.
    fn validate(&self) -> Result<()> {
        let n = self.vars.len();
        match self.allocation {
            Allocation::Uniform if n != 2 && n != 0 => Err(OcioError::msg(
                "AllocationTransform: wrong number of values for the uniform allocation",
            )),
            Allocation::Lg2 if n != 3 && n != 2 && n != 0 => Err(OcioError::msg(
                "AllocationTransform: wrong number of values for the logarithmic allocation",
            )),
            Allocation::Unknown => Err(OcioError::msg("AllocationTransform: invalid allocation type")),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for AllocationTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<AllocationTransform direction={}", self.direction.as_str())?;
        if !self.vars.is_empty() {
            let vars: Vec<String> = self.vars.iter().map(|v| g(*v as f64)).collect();
            write!(f, ", allocation={}, vars={}", self.allocation.as_str(), vars.join(" "))?;
        }
        write!(f, ">")
    }
}
