//! Application helpers built on configs and processors (OCIO's
//! apphelpers/): the legacy viewing pipeline.

pub mod legacy_viewing_pipeline;

pub use legacy_viewing_pipeline::LegacyViewingPipeline;
