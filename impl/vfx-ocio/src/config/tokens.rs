//! Category lists: tokens compared without case or surrounding spaces,
//! stored trimmed (OCIO's TokensManager).

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tokens(pub Vec<String>);

fn key(s: &str) -> String {
    s.to_lowercase().trim().to_string()
}

impl Tokens {
    pub fn has(&self, token: &str) -> bool {
        let k = key(token);
        self.0.iter().any(|t| key(t) == k)
    }

    /// Adds a token unless it is empty or already there.
    pub fn add(&mut self, token: &str) {
        if !token.is_empty() && !self.has(token) {
            self.0.push(token.trim().to_string());
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
