//! OCIO's cache-id hash: XXH3 128-bit, printed as 32 hex digits (low
//! 64 bits first).

/// OCIO's `CacheIDHash`.
pub fn cache_id_hash(text: &str) -> String {
    let h = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    format!("{:016x}{:016x}", h as u64, (h >> 64) as u64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_layout() {
        assert_eq!(super::cache_id_hash("").len(), 32);
    }
}
