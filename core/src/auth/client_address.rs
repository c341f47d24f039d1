//! The client's address behind our own proxies. `X-Forwarded-For` is a list each proxy appends
//! to: everything left of our proxies' entries was written by whoever sent the request, so only
//! the right-most entry that is *not* one of our proxies can be believed (`PLAZA_TRUST_PROXY`).

use std::net::IpAddr;

/// Which peers are our own proxies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// No proxy: the socket's peer is the client and `X-Forwarded-For` is ignored.
    #[default]
    None,
    /// `PLAZA_TRUST_PROXY=1`: the peer is our one proxy (nginx on the same machine).
    Peer,
    /// `PLAZA_TRUST_PROXY=10.0.0.0/8,192.168.1.5`: these addresses are our proxies, any number
    /// of hops deep.
    Networks(Vec<Network>),
}

/// An address with a prefix length (`10.0.0.0/8`; a bare address is a /32 or /128).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Option<Network> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let base: IpAddr = address.parse().ok()?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Network { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, canonical(ip)) {
            (IpAddr::V4(base), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(base) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(base), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(base) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// `::ffff:10.0.0.1` is `10.0.0.1`.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

impl TrustedProxies {
    /// `PLAZA_TRUST_PROXY`: off (`0`, `false`, `off`), one proxy in front (`1`, `true`, `on`),
    /// or a comma-separated list of proxy addresses and networks.
    pub fn parse(value: &str) -> Result<TrustedProxies, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" | "off" => Ok(TrustedProxies::None),
            "1" | "true" | "yes" | "on" => Ok(TrustedProxies::Peer),
            list => list
                .split(',')
                .map(|item| {
                    Network::parse(item).ok_or_else(|| format!("`{}` is not an address or network", item.trim()))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(TrustedProxies::Networks),
        }
    }

    /// One of the listed proxies (with `Peer`, only the peer itself is known to be ours).
    fn is_listed_proxy(&self, ip: IpAddr) -> bool {
        match self {
            TrustedProxies::Networks(networks) => networks.iter().any(|n| n.contains(ip)),
            _ => false,
        }
    }

    /// The client's address: the peer unless it is our proxy; then, walking `X-Forwarded-For`
    /// (every header line, in order) from the right, the first entry that is not our proxy.
    pub fn client_address(&self, peer: Option<IpAddr>, forwarded_for: &[&str]) -> Option<String> {
        let peer_is_proxy = match (self, peer) {
            (TrustedProxies::None, _) => false,
            (TrustedProxies::Peer, _) => true,
            (TrustedProxies::Networks(_), Some(peer)) => self.is_listed_proxy(peer),
            (TrustedProxies::Networks(_), None) => false,
        };
        if !peer_is_proxy {
            return peer.map(|ip| canonical(ip).to_string());
        }
        let hops: Vec<&str> =
            forwarded_for.iter().flat_map(|line| line.split(',')).map(str::trim).filter(|h| !h.is_empty()).collect();
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.is_listed_proxy(ip) => continue,
                Ok(ip) => return Some(canonical(ip).to_string()),
                // Not an address: written by someone we do not trust, and so the client's own word.
                Err(_) => return Some(hop.chars().take(64).collect()),
            }
        }
        // Our proxy sent no header (or only our own hops): the peer is all we know.
        peer.map(|ip| canonical(ip).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    /// Finding 10 of issue 14: the first entry was taken, and the client writes that one.
    #[test]
    fn behind_one_proxy_the_right_most_entry_is_the_client() {
        let one = TrustedProxies::parse("1").unwrap();
        // nginx appends the real peer to whatever the client sent.
        let header = ["6.6.6.6, 1.2.3.4"];
        assert_eq!(one.client_address(ip("127.0.0.1"), &header).as_deref(), Some("1.2.3.4"));
        assert_eq!(one.client_address(ip("127.0.0.1"), &["6.6.6.6", "1.2.3.4"]).as_deref(), Some("1.2.3.4"));
        assert_eq!(one.client_address(ip("127.0.0.1"), &[]).as_deref(), Some("127.0.0.1"));
        // Off: the header means nothing.
        let off = TrustedProxies::parse("off").unwrap();
        assert_eq!(off.client_address(ip("198.51.100.7"), &header).as_deref(), Some("198.51.100.7"));
    }

    #[test]
    fn with_a_list_our_proxies_are_skipped_from_the_right() {
        let ours = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5").unwrap();
        let header = ["6.6.6.6, 1.2.3.4, 10.1.2.3"];
        assert_eq!(ours.client_address(ip("192.168.1.5"), &header).as_deref(), Some("1.2.3.4"));
        // A peer that is not ours is the client, whatever it claims.
        assert_eq!(ours.client_address(ip("203.0.113.5"), &header).as_deref(), Some("203.0.113.5"));
        // Only our hops: the left-most known address is our own proxy; the peer is kept.
        assert_eq!(ours.client_address(ip("10.9.9.9"), &["10.1.1.1"]).as_deref(), Some("10.9.9.9"));
        // Garbage to the right of our hops is the client's own word, not a way past the limit.
        assert_eq!(ours.client_address(ip("10.9.9.9"), &["1.2.3.4, garbage"]).as_deref(), Some("garbage"));
        assert_eq!(ours.client_address(ip("::ffff:10.9.9.9"), &["1.2.3.4"]).as_deref(), Some("1.2.3.4"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("nginx").is_err());
        let v6 = TrustedProxies::parse("fd00::/8").unwrap();
        assert_eq!(v6.client_address(ip("fd12::1"), &["2001:db8::7"]).as_deref(), Some("2001:db8::7"));
    }
}
