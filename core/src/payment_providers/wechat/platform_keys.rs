//! The keys WeChat signs with, looked up by the serial in `Wechatpay-Serial`.
//!
//! WeChat names its key two ways: a platform certificate's serial (the older mode, certificates
//! rotate and overlap, so several can be live at once) or a `PUB_KEY_ID_…` identifier (public-key
//! mode). Both end up here. The sandbox registers its own key the same way; production
//! configuration must never register the sandbox's key.

use crate::payment_providers::keys::{certificate_serial, KeyError, RsaVerifyingKey};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlatformKeys {
    by_serial: BTreeMap<String, RsaVerifyingKey>,
}

impl PlatformKeys {
    pub fn new() -> PlatformKeys {
        PlatformKeys::default()
    }

    /// Registers `key` under `serial`, replacing any key already there.
    pub fn insert(&mut self, serial: impl Into<String>, key: RsaVerifyingKey) {
        self.by_serial.insert(serial.into(), key);
    }

    /// Public-key mode: the `pub_key.pem` downloaded from the merchant platform and the
    /// `PUB_KEY_ID_…` shown next to it.
    pub fn insert_public_key_pem(&mut self, key_id: &str, pem: &str) -> Result<(), KeyError> {
        self.insert(key_id, RsaVerifyingKey::from_pem(pem)?);
        Ok(())
    }

    /// Certificate mode: a platform certificate, registered under its own serial number, which is
    /// returned so the caller can log which certificates are live.
    pub fn insert_certificate_pem(&mut self, pem: &str) -> Result<String, KeyError> {
        let serial = certificate_serial(pem)?;
        self.insert(serial.clone(), RsaVerifyingKey::from_pem(pem)?);
        Ok(serial)
    }

    pub fn remove(&mut self, serial: &str) -> Option<RsaVerifyingKey> {
        self.by_serial.remove(serial)
    }

    /// Serials are matched exactly: WeChat sends them as it issued them.
    pub fn get(&self, serial: &str) -> Option<&RsaVerifyingKey> {
        self.by_serial.get(serial)
    }

    pub fn serials(&self) -> impl Iterator<Item = &str> {
        self.by_serial.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.by_serial.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = include_str!("testdata/platform_cert.pem");
    const CERT_PUBLIC_KEY: &str = include_str!("testdata/platform_cert_public_key.pem");

    #[test]
    fn a_certificate_registers_under_its_serial_as_openssl_prints_it() {
        // The fixture's serial has its top bit set, so DER stores it with a leading zero byte that
        // `openssl x509 -serial` (and WeChat) leave out.
        let mut keys = PlatformKeys::new();
        let serial = keys.insert_certificate_pem(CERT).unwrap();
        assert_eq!(serial, "8157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        assert_eq!(keys.get(&serial), Some(&RsaVerifyingKey::from_pem(CERT_PUBLIC_KEY).unwrap()));
        assert_eq!(keys.serials().collect::<Vec<_>>(), vec![serial.as_str()]);
    }

    #[test]
    fn public_key_mode_registers_under_the_key_id() {
        let mut keys = PlatformKeys::new();
        keys.insert_public_key_pem("PUB_KEY_ID_0000000000000024101100397200000006", CERT_PUBLIC_KEY).unwrap();
        assert!(keys.get("PUB_KEY_ID_0000000000000024101100397200000006").is_some());
        assert!(keys.get("pub_key_id_0000000000000024101100397200000006").is_none());
        assert!(keys.insert_public_key_pem("PUB_KEY_ID_1", CERT).is_ok(), "a certificate PEM carries a key too");
        assert!(keys.insert_public_key_pem("PUB_KEY_ID_2", "garbage").is_err());
    }
}
