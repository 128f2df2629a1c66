//! POSIX basic regular expressions (what OIIO's `erase_attribute` takes),
//! translated to the `regex` crate's syntax and matched against whole names.

use regex::{Regex, RegexBuilder};

/// Compile `pattern` as a BRE anchored at both ends; `None` if invalid
/// (OIIO then erases nothing).
pub fn compile(pattern: &str, casesensitive: bool) -> Option<Regex> {
    translate(pattern, casesensitive, true)
}

/// Compile `pattern` as a BRE that may match anywhere (`regex_search`).
pub fn compile_search(pattern: &str) -> Option<Regex> {
    translate(pattern, true, false)
}

fn translate(pattern: &str, casesensitive: bool, anchored: bool) -> Option<Regex> {
    let mut out = String::from(if anchored { "^(?:" } else { "(?:" });
    let mut chars = pattern.chars().peekable();
    let mut in_bracket = false;
    while let Some(c) = chars.next() {
        if in_bracket {
            if c == ']' {
                in_bracket = false;
            }
            if c == '\\' || c == '[' && chars.peek() != Some(&':') {
                out.push('\\');
            }
            out.push(c);
            continue;
        }
        match c {
            '\\' => match chars.next() {
                // In a BRE, \( \) \{ \} are the grouping and interval operators.
                Some(g @ ('(' | ')' | '{' | '}')) => out.push(g),
                Some(d) if d.is_ascii_digit() => return None, // back-references: unsupported by regex
                Some(other) => out.push_str(&regex::escape(&other.to_string())),
                None => return None,
            },
            // Literal in a BRE, special in the regex crate.
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => out.push_str(&regex::escape(&c.to_string())),
            '[' => {
                in_bracket = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap());
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            _ => out.push(c),
        }
    }
    if in_bracket {
        return None;
    }
    out.push_str(if anchored { ")$" } else { ")" });
    RegexBuilder::new(&out).case_insensitive(!casesensitive).build().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bre() {
        let r = super::compile("foo.*", false).unwrap();
        assert!(r.is_match("FOO_bar") && !r.is_match("xfoo"));
        let r = super::compile("a+b", true).unwrap();
        assert!(r.is_match("a+b") && !r.is_match("aab"));
        let r = super::compile("Exif:.*", true).unwrap();
        assert!(r.is_match("Exif:Flash") && !r.is_match("exif:Flash"));
    }
}
