//! File rules (which colour space a file path gets) and viewing rules
//! (which views suit which colour spaces), as the config stores them.

/// One file rule. The `Default` rule has only a colour space; the
/// `ColorSpaceNamePathSearch` rule has neither pattern nor regex.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileRule {
    pub name: String,
    pub colorspace: String,
    pub pattern: String,
    pub extension: String,
    pub regex: String,
    pub custom_keys: Vec<(String, String)>,
}

impl FileRule {
    /// The rule every config ends with.
    pub fn default_rule(colorspace: &str) -> Self {
        FileRule {
            name: crate::config::DEFAULT_RULE_NAME.to_string(),
            colorspace: colorspace.to_string(),
            ..Default::default()
        }
    }
}

/// One viewing rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewingRule {
    pub name: String,
    pub colorspaces: Vec<String>,
    pub encodings: Vec<String>,
    pub custom_keys: Vec<(String, String)>,
}
