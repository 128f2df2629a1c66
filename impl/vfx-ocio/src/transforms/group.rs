//! `GroupTransform`: an ordered list of transforms applied in turn.

use std::fmt;

use super::{validate_direction, Transform, TransformData};
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::Result;
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupTransform {
    pub children: Vec<Transform>,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl TransformData for GroupTransform {
    const KIND: TransformType = TransformType::Group;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        validate_direction(self.direction)?;
        self.children.iter().try_for_each(Transform::validate)
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for GroupTransform {
    /// Each child on its own line, indented by eight spaces (nested groups
    /// are not indented further, as in the reference).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<GroupTransform direction={}, transforms=", self.direction.as_str())?;
        for c in &self.children {
            write!(f, "\n        {c}")?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::MatrixTransform;

    #[test]
    fn printed_like_the_reference() {
        let mut g = GroupTransform::default();
        assert_eq!(g.to_string(), "<GroupTransform direction=forward, transforms=>");
        g.children.push(MatrixTransform::default().into());
        assert!(g
            .to_string()
            .starts_with("<GroupTransform direction=forward, transforms=\n        <MatrixTransform"));
    }
}
