//! Who is calling, from what the service trusts, and what they may see.
//!
//! A user name is taken from the header the site's authenticating reverse proxy sets
//! (`--trusted-user-header`), and only when the connection comes from a trusted proxy address:
//! from anyone else the header is ignored, as if absent, so a client cannot name itself.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, RwLock};

use axum::http::{HeaderMap, HeaderName};
use impacts_store::Scope;

use crate::error::ApiError;

/// The longest user name accepted (Slurm's are at most 255 bytes, like POSIX login names).
pub const MAX_USER_LEN: usize = 256;

/// Who may see what.
#[derive(Clone, Debug)]
pub struct Access {
    /// The header a trusted proxy sets to the authenticated user (None: no proxy).
    pub user_header: Option<HeaderName>,
    /// Addresses whose user header is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Users who see everything.
    pub admins: HashSet<String>,
    /// Accounts each manager sees, besides their own jobs.
    pub managers: Managers,
    /// A secret the proxy sends in [`PROXY_SECRET_HEADER`]: when set, a request is trusted only
    /// if it carries it (on a shared host every local process can connect from loopback).
    pub proxy_secret: Option<String>,
}

/// The accounts each manager sees: shared by the service's handlers and whatever refreshes them
/// (Slurm's coordinators are read again every few minutes).
#[derive(Clone, Debug, Default)]
pub struct Managers(Arc<RwLock<HashMap<String, Vec<String>>>>);

impl Managers {
    /// Managers of these accounts.
    pub fn new(accounts: HashMap<String, Vec<String>>) -> Managers {
        Managers(Arc::new(RwLock::new(accounts)))
    }

    /// Replaces the accounts of every manager (a refresh).
    pub fn replace(&self, accounts: HashMap<String, Vec<String>>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = accounts;
    }

    /// The accounts a user manages (none for most users).
    pub fn accounts(&self, user: &str) -> Vec<String> {
        let map = self.0.read().unwrap_or_else(|p| p.into_inner());
        map.get(user).cloned().unwrap_or_default()
    }
}

/// The header in which the trusted proxy sends the shared secret.
pub const PROXY_SECRET_HEADER: &str = "x-impacts-proxy-secret";

impl Default for Access {
    fn default() -> Access {
        Access {
            user_header: None,
            trusted_proxies: vec![
                IpAddr::from([127, 0, 0, 1]),
                IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1]),
            ],
            admins: HashSet::new(),
            managers: Managers::default(),
            proxy_secret: None,
        }
    }
}

/// An identified caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The user.
    pub user: String,
    /// What they see.
    pub scope: Scope,
}

impl Caller {
    /// True for an administrator.
    pub fn is_admin(&self) -> bool {
        self.scope == Scope::All
    }
}

impl Access {
    /// True when the request comes from a trusted proxy: its address is one (an IPv4 address
    /// mapped in IPv6 counts as itself) and, when a secret is set, it carries the secret.
    pub fn trusts(&self, peer: &SocketAddr, headers: &HeaderMap) -> bool {
        let ip = match peer.ip() {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            ip => ip,
        };
        if !self.trusted_proxies.contains(&ip) {
            return false;
        }
        match &self.proxy_secret {
            None => true,
            Some(secret) => headers
                .get(PROXY_SECRET_HEADER)
                .is_some_and(|v| same(v.as_bytes(), secret.as_bytes())),
        }
    }

    /// The user a trusted proxy names, if any: None when the peer is not trusted or sets no
    /// header; an error for a header that is not a plausible user name.
    pub fn user(&self, peer: &SocketAddr, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
        let Some(h) = &self.user_header else {
            return Ok(None);
        };
        if !self.trusts(peer, headers) {
            return Ok(None);
        }
        let mut values = headers.get_all(h).iter();
        let Some(v) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            return Err(ApiError::invalid(
                h.as_str(),
                "the user header is given more than once",
            ));
        }
        let name = v
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= MAX_USER_LEN)
            .filter(|s| s.chars().all(|c| !c.is_control()))
            .ok_or_else(|| {
                ApiError::invalid(
                    h.as_str(),
                    format!("the user header must be a name of 1 to {MAX_USER_LEN} printable characters"),
                )
            })?;
        Ok(Some(name.to_string()))
    }

    /// The caller a trusted proxy names, or 401.
    pub fn caller(&self, peer: &SocketAddr, headers: &HeaderMap) -> Result<Caller, ApiError> {
        let user = self
            .user(peer, headers)?
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(self.for_user(&user, false))
    }

    /// What a user sees: everything for an administrator (`--admin`, or a token of role admin),
    /// else their jobs and those of the accounts they manage.
    pub fn for_user(&self, user: &str, admin: bool) -> Caller {
        let scope = if admin || self.admins.contains(user) {
            Scope::All
        } else {
            Scope::Own {
                accounts: self.managers.accounts(user),
                user: user.to_string(),
            }
        };
        Caller {
            user: user.to_string(),
            scope,
        }
    }
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// The bearer token of a request, if it carries one. Other schemes (a proxy passing Basic
/// credentials through) are not ours: ignored. A Bearer header that cannot be a token is 401.
pub fn bearer(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || ApiError {
        field: Some("Authorization".into()),
        ..ApiError::unauthenticated()
    };
    let Ok(text) = v.to_str() else {
        return Ok(None);
    };
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            let token = token.trim();
            if token.is_empty() || token.len() > 256 {
                return Err(bad());
            }
            Ok(Some(token.to_string()))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> Access {
        Access {
            user_header: Some(HeaderName::from_static("x-remote-user")),
            admins: ["root".to_string()].into(),
            ..Access::default()
        }
    }

    fn headers(user: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-remote-user", user.parse().unwrap());
        h
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_address() {
        let a = access();
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:5000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.7:5000".parse().unwrap();
        assert_eq!(a.caller(&local, &headers("alice")).unwrap().user, "alice");
        assert_eq!(a.caller(&mapped, &headers("alice")).unwrap().user, "alice");
        let e = a.caller(&remote, &headers("alice")).unwrap_err();
        assert_eq!(e.status, 401);
        assert!(a.caller(&local, &HeaderMap::new()).is_err());
    }

    #[test]
    fn admins_see_everything_users_their_own() {
        let a = access();
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert!(a.caller(&local, &headers("root")).unwrap().is_admin());
        assert_eq!(
            a.caller(&local, &headers("alice")).unwrap().scope,
            Scope::Own {
                user: "alice".into(),
                accounts: vec![]
            }
        );
    }

    #[test]
    fn with_a_secret_the_address_is_not_enough() {
        let a = Access {
            proxy_secret: Some("s3cret".into()),
            ..access()
        };
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(a.caller(&local, &headers("root")).unwrap_err().status, 401);
        let mut h = headers("root");
        h.insert(PROXY_SECRET_HEADER, "s3cret".parse().unwrap());
        assert!(a.caller(&local, &h).unwrap().is_admin());
        h.insert(PROXY_SECRET_HEADER, "s3creT".parse().unwrap());
        assert_eq!(a.caller(&local, &h).unwrap_err().status, 401);
    }

    #[test]
    fn only_bearer_authorization_is_ours() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Basic YWxpY2U6cHc=".parse().unwrap());
        assert_eq!(bearer(&h).unwrap(), None);
        h.insert("authorization", "Bearer impacts_ab12".parse().unwrap());
        assert_eq!(bearer(&h).unwrap().as_deref(), Some("impacts_ab12"));
        h.insert("authorization", "Bearer ".parse().unwrap());
        assert!(bearer(&h).is_err());
    }

    #[test]
    fn implausible_user_names_are_refused() {
        let a = access();
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let long = "a".repeat(MAX_USER_LEN + 1);
        assert_eq!(a.caller(&local, &headers(&long)).unwrap_err().status, 400);
        assert_eq!(a.caller(&local, &headers("  ")).unwrap_err().status, 400);
        let mut twice = headers("alice");
        twice.append("x-remote-user", "root".parse().unwrap());
        assert_eq!(a.caller(&local, &twice).unwrap_err().status, 400);
    }
}
