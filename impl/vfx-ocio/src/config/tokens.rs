//! Category lists: tokens compared without case or surrounding spaces,
//! stored trimmed (OCIO's TokensManager).

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tokens(pub Vec<String>);

/// OCIO's trimming: every character up to and including space (controls
/// too) counts as white space; nothing beyond ASCII does.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Tokens compare with ASCII-only lowering (no locale), trimmed.
fn key(s: &str) -> String {
    trim(s).to_ascii_lowercase()
}

impl Tokens {
    pub fn has(&self, token: &str) -> bool {
        let k = key(token);
        self.0.iter().any(|t| key(t) == k)
    }

    /// Adds a token unless it is empty or already there.
    pub fn add(&mut self, token: &str) {
        if !token.is_empty() && !self.has(token) {
            self.0.push(trim(token).to_string());
        }
    }

    pub fn remove(&mut self, token: &str) {
        let k = key(token);
        if let Some(i) = self.0.iter().position(|t| key(t) == k) {
            self.0.remove(i);
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compared_like_ocio() {
        let mut t = Tokens::default();
        for tok in ["\u{1}a\u{2}", "É", "é", "\u{a0}b\u{a0}", "A", ""] {
            t.add(tok);
        }
        assert_eq!(t.0, ["a", "É", "é", "\u{a0}b\u{a0}"]);
        assert!(t.has(" \u{3}A"));
        assert!(!t.has("b"));
        t.remove("\tÉ ");
        assert_eq!(t.0, ["a", "é", "\u{a0}b\u{a0}"]);
    }
}
