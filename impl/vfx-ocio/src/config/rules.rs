//! File rules (which colour space a file path gets) and viewing rules
//! (which views suit which colour spaces), with OCIO's editing rules and
//! messages.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::{OcioError, Result};

/// Name of the rule every file-rule list ends with.
pub const DEFAULT_RULE_NAME: &str = "Default";
/// Name of the rule that looks for colour-space names in the path.
pub const PATH_SEARCH_RULE_NAME: &str = "ColorSpaceNamePathSearch";

/// One file rule. The `Default` rule has only a colour space; the
/// `ColorSpaceNamePathSearch` rule has nothing but its name. Custom keys
/// are kept sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileRule {
    pub name: String,
    pub colorspace: String,
    pub pattern: String,
    pub extension: String,
    pub regex: String,
    pub custom_keys: BTreeMap<String, String>,
}

impl FileRule {
    /// The rule every list ends with.
    pub fn default_rule(colorspace: &str) -> Self {
        FileRule {
            name: DEFAULT_RULE_NAME.to_string(),
            colorspace: colorspace.to_string(),
            ..Default::default()
        }
    }

    fn is_default(&self) -> bool {
        self.name.eq_ignore_ascii_case(DEFAULT_RULE_NAME)
    }

    pub(crate) fn is_path_search(&self) -> bool {
        self.name.eq_ignore_ascii_case(PATH_SEARCH_RULE_NAME)
    }
}

impl fmt::Display for FileRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<FileRule name={}", self.name)?;
        for (k, v) in [
            ("colorspace", &self.colorspace),
            ("regex", &self.regex),
            ("pattern", &self.pattern),
            ("extension", &self.extension),
        ] {
            if !v.is_empty() {
                write!(f, ", {k}={v}")?;
            }
        }
        if !self.custom_keys.is_empty() {
            let kv: Vec<String> = self.custom_keys.iter().map(|(k, v)| format!("({k}, {v})")).collect();
            write!(f, ", customKeys=[{}]", kv.join(", "))?;
        }
        write!(f, ">")
    }
}

fn err(msg: impl fmt::Display) -> OcioError {
    OcioError::msg(format!("File rules: {msg}"))
}

/// A glob is valid when every `[` opens a non-empty class that closes.
fn check_glob(glob: &str) -> Result<()> {
    let bytes = glob.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'[' {
            let close = glob[i + 1..].find(']').map(|p| p + i + 1);
            match close {
                Some(c) if c > i + 1 => i = c,
                _ => {
                    return Err(err(format!(
                        "invalid regular expression '{glob}' with '{}'.",
                        &glob[i..]
                    )))
                }
            }
        }
        i += 1;
    }
    Ok(())
}

fn check_regex(re: &str) -> Result<()> {
    regex::Regex::new(re)
        .map(|_| ())
        .map_err(|e| err(format!("invalid regular expression '{re}': '{e}'.")))
}

/// The ordered file rules of a config, always ending with `Default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRules {
    pub rules: Vec<FileRule>,
}

impl Default for FileRules {
    fn default() -> Self {
        FileRules {
            rules: vec![FileRule::default_rule("default")],
        }
    }
}

impl FileRules {
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Only the default rule, mapping to `default`.
    pub fn is_default(&self) -> bool {
        *self == FileRules::default()
    }

    fn check_index(&self, i: usize) -> Result<()> {
        if i >= self.rules.len() {
            return Err(err(format!(
                "rule index '{i}' invalid. There are only '{}' rules.",
                self.rules.len()
            )));
        }
        Ok(())
    }

    /// A rule that may be edited: not the Default one.
    fn editable(&mut self, i: usize) -> Result<&mut FileRule> {
        self.check_index(i)?;
        if self.rules[i].is_default() {
            return Err(err(format!("rule index '{i}' is the default rule.")));
        }
        Ok(&mut self.rules[i])
    }

    pub fn rule(&self, i: usize) -> Result<&FileRule> {
        self.check_index(i)?;
        Ok(&self.rules[i])
    }

    pub fn index_of(&self, name: &str) -> Result<usize> {
        self.rules
            .iter()
            .position(|r| r.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| err(format!("rule name '{name}' not found.")))
    }

    pub fn set_pattern(&mut self, i: usize, pattern: &str) -> Result<()> {
        let r = self.editable(i)?;
        if r.is_path_search() {
            return Err(err(
                "Default and ColorSpaceNamePathSearch rules do not accept any pattern.",
            ));
        }
        if pattern.is_empty() {
            return Err(err("The file name pattern is empty."));
        }
        check_glob(pattern)?;
        r.pattern = pattern.to_string();
        r.regex.clear();
        Ok(())
    }

    pub fn set_extension(&mut self, i: usize, ext: &str) -> Result<()> {
        let r = self.editable(i)?;
        if r.is_path_search() {
            return Err(err(
                "Default and ColorSpaceNamePathSearch rules do not accept any extension.",
            ));
        }
        if ext.is_empty() {
            return Err(err("The file extension pattern is empty."));
        }
        check_glob(ext)?;
        r.extension = ext.to_string();
        r.regex.clear();
        Ok(())
    }

    pub fn set_regex(&mut self, i: usize, re: &str) -> Result<()> {
        let r = self.editable(i)?;
        if r.is_path_search() {
            return Err(err(
                "Default and ColorSpaceNamePathSearch rules do not accept any regex.",
            ));
        }
        if re.is_empty() {
            return Err(err("regex is empty."));
        }
        check_regex(re)?;
        r.regex = re.to_string();
        r.pattern.clear();
        r.extension.clear();
        Ok(())
    }

    pub fn set_colorspace(&mut self, i: usize, cs: &str) -> Result<()> {
        self.check_index(i)?;
        let r = &mut self.rules[i];
        if r.is_path_search() {
            return Err(err("ColorSpaceNamePathSearch rule does not accept any color space."));
        }
        if cs.is_empty() {
            return Err(err("color space name can't be empty."));
        }
        r.colorspace = cs.to_string();
        Ok(())
    }

    pub fn set_default_colorspace(&mut self, cs: &str) -> Result<()> {
        let last = self.rules.len() - 1;
        self.set_colorspace(last, cs)
    }

    /// Where a new rule may go (before the Default rule), with a unique name.
    fn check_insert(&self, i: usize, name: &str) -> Result<()> {
        if i >= self.rules.len() {
            return Err(err(format!(
                "rule index '{i}' invalid. There are only '{}' rules.",
                self.rules.len()
            )));
        }
        if name.is_empty() {
            return Err(err("rule should have a non-empty name."));
        }
        if self.rules.iter().any(|r| r.name.eq_ignore_ascii_case(name)) {
            return Err(err(format!("A rule named '{name}' already exists.")));
        }
        Ok(())
    }

    /// Inserting under the path-search name makes that rule; it takes no
    /// colour space, pattern, extension or regex.
    fn insert_named_path_search(&mut self, i: usize, cs: &str, pattern: &str, ext: &str, re: &str) -> Result<()> {
        if !cs.is_empty() {
            return Err(err("ColorSpaceNamePathSearch rule does not accept any color space."));
        }
        if !re.is_empty() {
            return Err(err(
                "Default and ColorSpaceNamePathSearch rules do not accept any regex.",
            ));
        }
        if !pattern.is_empty() {
            return Err(err(
                "Default and ColorSpaceNamePathSearch rules do not accept any pattern.",
            ));
        }
        if !ext.is_empty() {
            return Err(err(
                "Default and ColorSpaceNamePathSearch rules do not accept any extension.",
            ));
        }
        self.insert_path_search(i)
    }

    /// A glob rule (pattern and extension).
    pub fn insert_glob(&mut self, i: usize, name: &str, cs: &str, pattern: &str, ext: &str) -> Result<()> {
        if name.eq_ignore_ascii_case(PATH_SEARCH_RULE_NAME) {
            return self.insert_named_path_search(i, cs, pattern, ext, "");
        }
        self.check_insert(i, name)?;
        if cs.is_empty() {
            return Err(err("color space name can't be empty."));
        }
        if pattern.is_empty() {
            return Err(err("The file name pattern is empty."));
        }
        if ext.is_empty() {
            return Err(err("The file extension pattern is empty."));
        }
        check_glob(pattern)?;
        check_glob(ext)?;
        self.rules.insert(
            i,
            FileRule {
                name: name.to_string(),
                colorspace: cs.to_string(),
                pattern: pattern.to_string(),
                extension: ext.to_string(),
                ..Default::default()
            },
        );
        Ok(())
    }

    /// A regex rule.
    pub fn insert_regex(&mut self, i: usize, name: &str, cs: &str, re: &str) -> Result<()> {
        if name.eq_ignore_ascii_case(PATH_SEARCH_RULE_NAME) {
            return self.insert_named_path_search(i, cs, "", "", re);
        }
        self.check_insert(i, name)?;
        if cs.is_empty() {
            return Err(err("color space name can't be empty."));
        }
        if re.is_empty() {
            return Err(err("regex is empty."));
        }
        check_regex(re)?;
        self.rules.insert(
            i,
            FileRule {
                name: name.to_string(),
                colorspace: cs.to_string(),
                regex: re.to_string(),
                ..Default::default()
            },
        );
        Ok(())
    }

    pub fn insert_path_search(&mut self, i: usize) -> Result<()> {
        self.check_insert(i, PATH_SEARCH_RULE_NAME)?;
        self.rules.insert(
            i,
            FileRule {
                name: PATH_SEARCH_RULE_NAME.to_string(),
                ..Default::default()
            },
        );
        Ok(())
    }

    pub fn remove(&mut self, i: usize) -> Result<()> {
        self.editable(i)?;
        self.rules.remove(i);
        Ok(())
    }

    /// Moves rule `i` one place up.
    pub fn increase_priority(&mut self, i: usize) -> Result<()> {
        self.editable(i)?;
        if i == 0 {
            return Err(err(format!("rule at index '{i}' may not be moved to index '-1'.")));
        }
        self.rules.swap(i, i - 1);
        Ok(())
    }

    /// Moves rule `i` one place down (never below the Default rule).
    pub fn decrease_priority(&mut self, i: usize) -> Result<()> {
        self.editable(i)?;
        if i + 1 >= self.rules.len() - 1 {
            return Err(err(format!(
                "rule at index '{i}' may not be moved to index '{}'.",
                i + 1
            )));
        }
        self.rules.swap(i, i + 1);
        Ok(())
    }

    fn key_error(&self, i: usize, k: usize) -> OcioError {
        let r = &self.rules[i];
        err(format!(
            "the custom key access for file rule '{}' failed: Key index '{k}' is invalid, there are '{}' custom keys.",
            r.name,
            r.custom_keys.len()
        ))
    }

    pub fn custom_key(&self, i: usize, k: usize) -> Result<(&str, &str)> {
        self.check_index(i)?;
        self.rules[i]
            .custom_keys
            .iter()
            .nth(k)
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .ok_or_else(|| self.key_error(i, k))
    }

    /// An empty value removes the key.
    pub fn set_custom_key(&mut self, i: usize, key: &str, value: &str) -> Result<()> {
        self.check_index(i)?;
        let r = &mut self.rules[i];
        if key.is_empty() {
            return Err(err(format!(
                "rule named '{}' error: Key has to be a non-empty string.",
                r.name
            )));
        }
        if value.is_empty() {
            r.custom_keys.remove(key);
        } else {
            r.custom_keys.insert(key.to_string(), value.to_string());
        }
        Ok(())
    }
}

/// A glob as a regular expression: `*` any run, `?` one character,
/// `[...]` classes kept, everything else literal.
fn glob_to_regex(glob: &str) -> String {
    let mut out = String::new();
    let mut in_class = false;
    for ch in glob.chars() {
        match ch {
            '[' if !in_class => {
                in_class = true;
                out.push('[');
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c if in_class => out.push(c),
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out
}

fn full_match(re: &str, text: &str) -> bool {
    regex::Regex::new(&format!("^(?:{re})$")).is_ok_and(|r| r.is_match(text))
}

impl FileRules {
    /// The colour space a path gets, and the index of the rule that gave
    /// it (OCIO's `getColorSpaceFromFilepath`). `path_search` finds a
    /// colour-space name in the path.
    pub fn match_path(&self, path: &str, path_search: impl Fn(&str) -> Option<String>) -> (String, usize) {
        for (i, r) in self.rules.iter().enumerate() {
            if r.is_default() {
                return (r.colorspace.clone(), i);
            }
            if r.is_path_search() {
                if let Some(cs) = path_search(path) {
                    return (cs, i);
                }
                continue;
            }
            let hit = if !r.regex.is_empty() {
                full_match(&r.regex, path)
            } else {
                let re = format!("{}\\.{}", glob_to_regex(&r.pattern), glob_to_regex(&r.extension));
                full_match(&re, path)
            };
            if hit {
                return (r.colorspace.clone(), i);
            }
        }
        (String::new(), self.rules.len())
    }
}

impl fmt::Display for FileRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.rules.iter().map(|r| r.to_string()).collect();
        write!(f, "{}", lines.join("\n"))
    }
}

/// One viewing rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewingRule {
    pub name: String,
    pub colorspaces: Vec<String>,
    pub encodings: Vec<String>,
    pub custom_keys: BTreeMap<String, String>,
}

impl fmt::Display for ViewingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<ViewingRule name={}", self.name)?;
        if !self.colorspaces.is_empty() {
            write!(f, ", colorspaces=[{}]", self.colorspaces.join(", "))?;
        }
        if !self.encodings.is_empty() {
            write!(f, ", encodings=[{}]", self.encodings.join(", "))?;
        }
        if !self.custom_keys.is_empty() {
            let kv: Vec<String> = self.custom_keys.iter().map(|(k, v)| format!("({k}, {v})")).collect();
            write!(f, ", customKeys=[{}]", kv.join(", "))?;
        }
        write!(f, ">")
    }
}

fn verr(msg: impl fmt::Display) -> OcioError {
    OcioError::msg(format!("Viewing rules: {msg}"))
}

/// The viewing rules of a config. A rule lists colour spaces or
/// encodings, never both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewingRules {
    pub rules: Vec<ViewingRule>,
}

/// Which list of a viewing rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewingList {
    ColorSpaces,
    Encodings,
}

impl ViewingRules {
    fn check_index(&self, i: usize) -> Result<()> {
        if i >= self.rules.len() {
            return Err(verr(format!(
                "rule index '{i}' invalid. There are only '{}' rules.",
                self.rules.len()
            )));
        }
        Ok(())
    }

    pub fn rule(&self, i: usize) -> Result<&ViewingRule> {
        self.check_index(i)?;
        Ok(&self.rules[i])
    }

    pub fn index_of(&self, name: &str) -> Result<usize> {
        self.rules
            .iter()
            .position(|r| r.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| verr(format!("rule name '{name}' not found.")))
    }

    pub fn insert(&mut self, i: usize, name: &str) -> Result<()> {
        if i > self.rules.len() {
            return Err(verr(format!(
                "rule index '{i}' invalid. There are only '{}' rules.",
                self.rules.len()
            )));
        }
        if name.is_empty() {
            return Err(verr("rule must have a non-empty name."));
        }
        if self.rules.iter().any(|r| r.name.eq_ignore_ascii_case(name)) {
            return Err(verr(format!("A rule named '{name}' already exists.")));
        }
        self.rules.insert(
            i,
            ViewingRule {
                name: name.to_string(),
                ..Default::default()
            },
        );
        Ok(())
    }

    pub fn remove(&mut self, i: usize) -> Result<()> {
        self.check_index(i)?;
        self.rules.remove(i);
        Ok(())
    }

    /// Adds a colour space or an encoding (ignored when already listed).
    pub fn add(&mut self, i: usize, list: ViewingList, name: &str) -> Result<()> {
        self.check_index(i)?;
        let r = &mut self.rules[i];
        let (what, other_empty) = match list {
            ViewingList::ColorSpaces => ("colorspace", r.encodings.is_empty()),
            ViewingList::Encodings => ("encoding", r.colorspaces.is_empty()),
        };
        let prefix = format!("rule '{}' at index '{i}'", r.name);
        if name.is_empty() {
            return Err(verr(format!("{prefix}: {what} should have a non-empty name.")));
        }
        if !other_empty {
            let other = if list == ViewingList::ColorSpaces {
                "encodings"
            } else {
                "colorspaces"
            };
            return Err(verr(format!("{prefix}: {what} can't be added if there are {other}.")));
        }
        let v = match list {
            ViewingList::ColorSpaces => &mut r.colorspaces,
            ViewingList::Encodings => &mut r.encodings,
        };
        if !v.iter().any(|x| x.eq_ignore_ascii_case(name)) {
            v.push(name.to_string());
        }
        Ok(())
    }

    pub fn remove_from(&mut self, i: usize, list: ViewingList, index: usize) -> Result<()> {
        self.check_index(i)?;
        let r = &mut self.rules[i];
        let prefix = format!("rule '{}' at index '{i}'", r.name);
        let (what, v) = match list {
            ViewingList::ColorSpaces => ("colorspace", &mut r.colorspaces),
            ViewingList::Encodings => ("encoding", &mut r.encodings),
        };
        if index >= v.len() {
            return Err(verr(format!(
                "{prefix}: {what} index '{index}' is invalid. There are only '{}' {what}s.",
                v.len()
            )));
        }
        v.remove(index);
        Ok(())
    }

    pub fn custom_key(&self, i: usize, k: usize) -> Result<(&str, &str)> {
        self.check_index(i)?;
        let r = &self.rules[i];
        r.custom_keys
            .iter()
            .nth(k)
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .ok_or_else(|| {
                verr(format!(
                    "rule named '{}' error: Key index '{k}' is invalid, there are '{}' custom keys.",
                    r.name,
                    r.custom_keys.len()
                ))
            })
    }

    pub fn set_custom_key(&mut self, i: usize, key: &str, value: &str) -> Result<()> {
        self.check_index(i)?;
        let r = &mut self.rules[i];
        if key.is_empty() {
            return Err(verr(format!(
                "rule named '{}' error: Key has to be a non-empty string.",
                r.name
            )));
        }
        if value.is_empty() {
            r.custom_keys.remove(key);
        } else {
            r.custom_keys.insert(key.to_string(), value.to_string());
        }
        Ok(())
    }
}

impl fmt::Display for ViewingRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.rules.iter().map(|r| r.to_string()).collect();
        write!(f, "{}", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_rules() {
        let mut r = FileRules::default();
        assert!(r.is_default());
        r.insert_glob(0, "a", "cs", "*", "exr").unwrap();
        assert!(r.insert_glob(0, "A", "cs", "*", "exr").is_err());
        assert!(r.set_pattern(0, "[]").is_err());
        assert!(r.set_pattern(0, "[a-b").is_err());
        r.set_pattern(0, "x[ab]").unwrap();
        assert!(r.set_pattern(1, "x").is_err());
        assert!(r.increase_priority(0).is_err());
        assert!(r.decrease_priority(0).is_err());
        r.insert_path_search(0).unwrap();
        r.decrease_priority(0).unwrap();
        assert_eq!(r.rules[1].name, PATH_SEARCH_RULE_NAME);
        assert!(r.set_regex(0, "(a").is_err());
    }
}
