//! The keys WeChat signs with, looked up by the serial in `Wechatpay-Serial`.
//!
//! WeChat names its key two ways: a platform certificate's serial (the older mode, certificates
//! rotate and overlap, so several can be live at once) or a `PUB_KEY_ID_…` identifier (public-key
//! mode). Both end up here. The sandbox registers its own key the same way; production
//! configuration must never register the sandbox's key.
//!
//! Clones share one set: the client that downloads WeChat's certificates and the verifier of its
//! notifications see the same keys, so a refresh reaches both at once.

use crate::payment_providers::keys::{certificate_facts, CertificateFacts, KeyError, RsaVerifyingKey};
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

#[derive(Clone, Debug, Default)]
pub struct PlatformKeys {
    by_serial: Arc<RwLock<BTreeMap<String, Entry>>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    key: RsaVerifyingKey,
    /// A certificate's validity in Unix seconds, both ends included; `None` for a public key
    /// (public-key mode, the sandbox), which WeChat publishes without an end.
    validity: Option<(i64, i64)>,
}

/// Why the key under a serial cannot check a signature now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unusable {
    Unknown,
    /// A certificate outside its validity: expired, or not yet valid.
    OutOfValidity,
}

impl PlatformKeys {
    pub fn new() -> PlatformKeys {
        PlatformKeys::default()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Entry>> {
        self.by_serial.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Entry>> {
        self.by_serial.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `key` under `serial`, replacing any key already there.
    pub fn insert(&mut self, serial: impl Into<String>, key: RsaVerifyingKey) {
        self.write().insert(serial.into(), Entry { key, validity: None });
    }

    /// Public-key mode: the `pub_key.pem` downloaded from the merchant platform and the
    /// `PUB_KEY_ID_…` shown next to it.
    pub fn insert_public_key_pem(&mut self, key_id: &str, pem: &str) -> Result<(), KeyError> {
        self.insert(key_id, RsaVerifyingKey::from_pem(pem)?);
        Ok(())
    }

    /// Certificate mode: a platform certificate, registered under its own serial number with its
    /// validity, which is returned so the caller can log which certificates are live.
    pub fn insert_certificate_pem(&mut self, pem: &str) -> Result<String, KeyError> {
        let facts = certificate_facts(pem)?;
        let serial = facts.serial.clone();
        self.insert_certificate(facts);
        Ok(serial)
    }

    pub(super) fn insert_certificate(&self, facts: CertificateFacts) {
        let entry = Entry { key: facts.key, validity: Some((facts.not_before, facts.not_after)) };
        self.write().insert(facts.serial, entry);
    }

    /// After a download of WeChat's certificates: these are the certificates from now on (one
    /// WeChat no longer lists is gone, however long it had to run); public keys stay.
    pub fn replace_certificates(&self, certificates: impl IntoIterator<Item = CertificateFacts>) {
        let mut fresh: BTreeMap<String, Entry> =
            self.read().iter().filter(|(_, e)| e.validity.is_none()).map(|(s, e)| (s.clone(), e.clone())).collect();
        for facts in certificates {
            fresh.insert(facts.serial, Entry { key: facts.key, validity: Some((facts.not_before, facts.not_after)) });
        }
        *self.write() = fresh;
    }

    pub fn remove(&mut self, serial: &str) -> Option<RsaVerifyingKey> {
        self.write().remove(serial).map(|e| e.key)
    }

    /// The key under `serial`, whatever its validity. Serials are matched exactly: WeChat sends
    /// them as it issued them.
    pub fn get(&self, serial: &str) -> Option<RsaVerifyingKey> {
        self.read().get(serial).map(|e| e.key.clone())
    }

    /// The key under `serial` if it may check a signature made at `at_secs`: a certificate only
    /// within its validity.
    pub fn usable(&self, serial: &str, at_secs: i64) -> Result<RsaVerifyingKey, Unusable> {
        let keys = self.read();
        let entry = keys.get(serial).ok_or(Unusable::Unknown)?;
        match entry.validity {
            Some((from, to)) if at_secs < from || at_secs > to => Err(Unusable::OutOfValidity),
            _ => Ok(entry.key.clone()),
        }
    }

    /// The key to encrypt for WeChat with (and to name in our `Wechatpay-Serial` header) at
    /// `now_secs`: the public key in public-key mode, else the valid certificate that took
    /// effect last (WeChat overlaps a new certificate with the old one, and wants the new one used
    /// as soon as it is there).
    pub fn newest_usable(&self, now_secs: i64) -> Option<(String, RsaVerifyingKey)> {
        let keys = self.read();
        let rank = |e: &Entry| match e.validity {
            None => Some(i64::MAX),
            Some((from, to)) if (from..=to).contains(&now_secs) => Some(from),
            Some(_) => None,
        };
        keys.iter()
            .filter_map(|(serial, e)| rank(e).map(|r| (r, serial, e)))
            .max_by_key(|(r, serial, _)| (*r, (*serial).clone()))
            .map(|(_, serial, e)| (serial.clone(), e.key.clone()))
    }

    pub fn serials(&self) -> impl Iterator<Item = String> {
        self.read().keys().cloned().collect::<Vec<_>>().into_iter()
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment_providers::test_keys::{key_a, key_b};

    const CERT: &str = include_str!("testdata/platform_cert.pem");
    const CERT_PUBLIC_KEY: &str = include_str!("testdata/platform_cert_public_key.pem");
    /// The fixture's notBefore and notAfter (2026-11-22 and 2036-11-19, 04:10:42 UTC).
    const CERT_FROM: i64 = 1_795_320_642;
    const CERT_TO: i64 = 2_110_680_642;

    #[test]
    fn a_certificate_registers_under_its_serial_as_openssl_prints_it() {
        // The fixture's serial has its top bit set, so DER stores it with a leading zero byte that
        // `openssl x509 -serial` (and WeChat) leave out.
        let mut keys = PlatformKeys::new();
        let serial = keys.insert_certificate_pem(CERT).unwrap();
        assert_eq!(serial, "8157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        assert_eq!(keys.get(&serial), Some(RsaVerifyingKey::from_pem(CERT_PUBLIC_KEY).unwrap()));
        assert_eq!(keys.serials().collect::<Vec<_>>(), vec![serial.clone()]);
    }

    #[test]
    fn a_certificate_checks_signatures_only_within_its_validity() {
        let mut keys = PlatformKeys::new();
        let serial = keys.insert_certificate_pem(CERT).unwrap();
        assert!(keys.usable(&serial, CERT_FROM).is_ok());
        assert!(keys.usable(&serial, CERT_TO).is_ok());
        assert_eq!(keys.usable(&serial, CERT_FROM - 1), Err(Unusable::OutOfValidity));
        assert_eq!(keys.usable(&serial, CERT_TO + 1), Err(Unusable::OutOfValidity));
        assert_eq!(keys.usable("5157F09EFDC096DE15EBE81A47057A7232F1B8E1", CERT_FROM), Err(Unusable::Unknown));
        assert_eq!(keys.newest_usable(CERT_TO + 1), None, "an expired certificate is never chosen");
    }

    #[test]
    fn the_newest_valid_certificate_is_chosen_and_a_refresh_replaces_certificates_only() {
        let mut keys = PlatformKeys::new();
        keys.insert_public_key_pem("PUB_KEY_ID_01", CERT_PUBLIC_KEY).unwrap();
        let old =
            CertificateFacts { serial: "01".into(), not_before: 100, not_after: 1_000, key: key_a().verifying_key() };
        let new =
            CertificateFacts { serial: "02".into(), not_before: 900, not_after: 2_000, key: key_b().verifying_key() };
        keys.replace_certificates([old.clone(), new.clone()]);
        let shared = keys.clone();
        keys.remove("PUB_KEY_ID_01");
        assert!(shared.get("PUB_KEY_ID_01").is_none(), "clones share one set");
        assert_eq!(shared.newest_usable(950).map(|(s, _)| s), Some("02".into()), "both valid: the newer");
        assert_eq!(shared.newest_usable(500).map(|(s, _)| s), Some("01".into()), "the new one not yet valid");
        assert_eq!(shared.newest_usable(1_500).map(|(s, _)| s), Some("02".into()));
        keys.insert_public_key_pem("PUB_KEY_ID_01", CERT_PUBLIC_KEY).unwrap();
        assert_eq!(keys.newest_usable(950).map(|(s, _)| s), Some("PUB_KEY_ID_01".into()), "public-key mode first");
        keys.replace_certificates([new]);
        assert_eq!(keys.serials().collect::<Vec<_>>(), vec!["02".to_string(), "PUB_KEY_ID_01".to_string()]);
    }

    #[test]
    fn public_key_mode_registers_under_the_key_id() {
        let mut keys = PlatformKeys::new();
        keys.insert_public_key_pem("PUB_KEY_ID_0000000000000024101100397200000006", CERT_PUBLIC_KEY).unwrap();
        assert!(keys.get("PUB_KEY_ID_0000000000000024101100397200000006").is_some());
        assert!(keys.get("pub_key_id_0000000000000024101100397200000006").is_none());
        assert!(keys.usable("PUB_KEY_ID_0000000000000024101100397200000006", 0).is_ok(), "a public key has no end");
        assert!(keys.insert_public_key_pem("PUB_KEY_ID_1", CERT).is_ok(), "a certificate PEM carries a key too");
        assert!(keys.insert_public_key_pem("PUB_KEY_ID_2", "garbage").is_err());
    }
}
