//! Staff passwords: argon2id with a random salt, in the PHC string format.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use plaza_types::error::Field;
use plaza_types::AppError;

pub const MIN_PASSWORD_LEN: usize = 8;

pub fn validate(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_LEN || password.len() > 256 {
        return Err(AppError::invalid(Field::Password));
    }
    Ok(())
}

pub fn hash(password: &str) -> Result<String, crate::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| crate::Error::internal(format!("password hashing failed: {e}")))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when the username does not exist, so both cases take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy-password-never-matches").expect("hashing a constant works"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let stored = hash("correct horse").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", &stored));
        assert!(!verify("correct horsE", &stored));
        assert!(!verify("x", "not a hash"));
        assert!(validate("short").is_err());
        assert!(validate("long enough").is_ok());
    }
}
