//! The scalar formatting of yaml-cpp's emitter, as OCIO configs use it:
//! plain when yaml-cpp considers the text a valid plain scalar, double
//! quoted (with its escapes) otherwise.

/// Where the scalar is written: inside `[...]`/`{...}` or in block style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Block,
    Flow,
}

fn blank_or_break(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t' | '\n' | '\r'))
}

fn blank(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t'))
}

fn not_printable(c: char) -> bool {
    let u = c as u32;
    u == 0 || matches!(u, 0x01..=0x08 | 0x0B | 0x0C | 0x7F | 0x0E..=0x1F | 0x80..=0x84 | 0x86..=0x9F)
}

/// yaml-cpp's `IsValidPlainScalar`.
pub fn is_plain(s: &str, ctx: Context) -> bool {
    if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let first = chars[0];
    let second = chars.get(1).copied();
    // The start.
    if blank_or_break(Some(first)) {
        return false;
    }
    match ctx {
        Context::Block => {
            if ",[]{}#&*!|>'\"%@`".contains(first) {
                return false;
            }
            if "-?:".contains(first) && (blank_or_break(second) || second.is_none()) {
                return false;
            }
        }
        Context::Flow => {
            if "?,[]{}#&*!|>'\"%@`".contains(first) {
                return false;
            }
            if "-:".contains(first) && (blank(second) || second.is_none()) {
                return false;
            }
        }
    }
    if s.ends_with(' ') {
        return false;
    }
    // Nothing disallowed anywhere.
    for i in 0..chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end_scalar = match ctx {
            Context::Block => c == ':' && (blank_or_break(next) || next.is_none()),
            Context::Flow => {
                (c == ':' && (blank_or_break(next) || next.is_none() || matches!(next, Some(',' | ']' | '}'))))
                    || ",?[]{}".contains(c)
            }
        };
        let comment = blank_or_break(Some(c)) && next == Some('#');
        if end_scalar
            || comment
            || not_printable(c)
            || c == '\u{FEFF}'
            || c == '\n'
            || c == '\r'
            || c == '\t'
            || c == '&'
        {
            return false;
        }
    }
    true
}

/// yaml-cpp's double-quoted form.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{C}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (0x80..=0xA0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            '\u{FEFF}' => out.push_str("\\ufeff"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string scalar as yaml-cpp writes it with the default (Auto) format.
pub fn scalar(s: &str, ctx: Context) -> String {
    if is_plain(s, ctx) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// `[a, b, c]` with each item formatted for flow context.
pub fn flow_seq<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| scalar(s.as_ref(), Context::Flow)).collect();
    format!("[{}]", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_or_quoted_like_yaml_cpp() {
        assert_eq!(scalar("", Context::Block), "\"\"");
        assert_eq!(scalar("*", Context::Flow), "\"*\"");
        assert_eq!(scalar("Raw", Context::Flow), "Raw");
        assert_eq!(scalar("sRGB - Display", Context::Flow), "sRGB - Display");
        assert_eq!(scalar("<USE_DISPLAY_NAME>", Context::Flow), "<USE_DISPLAY_NAME>");
        assert_eq!(scalar("a: b", Context::Block), "\"a: b\"");
        assert_eq!(scalar("a,b", Context::Flow), "\"a,b\"");
        assert_eq!(scalar("a,b", Context::Block), "a,b");
        assert_eq!(scalar("null", Context::Block), "\"null\"");
        assert_eq!(
            scalar(".*\\.([mM][pP]4|[mM][oO][vV]|[mM][xX][fF])$", Context::Flow),
            "\".*\\\\.([mM][pP]4|[mM][oO][vV]|[mM][xX][fF])$\""
        );
        assert_eq!(scalar("The \"Raw\" one.", Context::Block), "The \"Raw\" one.");
    }
}
