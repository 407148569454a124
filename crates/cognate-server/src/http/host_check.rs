//! The `Host` check against DNS rebinding: a web page whose name an attacker re-points at
//! 127.0.0.1 reaches the port with its own name in `Host`. Requests are answered only when
//! `Host` names the listen address, the public URL's host, a loopback name with the listen port
//! (when listening on loopback or on every address), or an `--allowed-hosts` entry; others get
//! 403 `ForbiddenException`. `/health` is not checked (see `http::router`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use super::envelope::{new_request_id, respond, WireError};
use crate::state::AppState;

/// Which ports an allowed host may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    Any,
    Exact(u16),
    /// This port, or none in `Host` (it is the URL scheme's default).
    ExactOrNone(u16),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    host: String,
    port: Port,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHosts(Vec<Rule>);

impl AllowedHosts {
    /// `listen` is the bound address; `public_url` the configured one, if any; `extra` the
    /// `--allowed-hosts` entries (`host` or `host:port`; a host alone allows every port).
    pub fn new(
        listen: SocketAddr,
        public_url: Option<&str>,
        extra: &[String],
    ) -> anyhow::Result<Self> {
        let mut rules = Vec::new();
        let listen_port = match listen.port() {
            80 => Port::ExactOrNone(80),
            p => Port::Exact(p),
        };
        let ip = listen.ip();
        if !ip.is_unspecified() {
            rules.push(Rule {
                host: ip_host(ip),
                port: listen_port,
            });
        }
        if ip.is_loopback() || ip.is_unspecified() {
            for host in ["localhost", "127.0.0.1", "[::1]"] {
                rules.push(Rule {
                    host: host.to_owned(),
                    port: listen_port,
                });
            }
        }
        if let Some(url) = public_url {
            rules.push(url_rule(url)?);
        }
        for entry in extra.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let rule = split_host_port(entry)
                .filter(|(host, _)| is_host_name(host))
                .map(|(host, port)| Rule {
                    host,
                    port: port.map_or(Port::Any, Port::Exact),
                })
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--allowed-hosts entries are host or host:port (no scheme, no path), \
                         got {entry:?}"
                    )
                })?;
            rules.push(rule);
        }
        Ok(Self(rules))
    }

    /// Whether a `Host` header value is one this server answers to.
    pub fn allows(&self, host_header: &str) -> bool {
        let Some((host, port)) = split_host_port(host_header) else {
            return false;
        };
        self.0.iter().any(|rule| {
            rule.host == host
                && match (rule.port, port) {
                    (Port::Any, _) => true,
                    (Port::Exact(p) | Port::ExactOrNone(p), Some(q)) => p == q,
                    (Port::ExactOrNone(_), None) => true,
                    (Port::Exact(_), None) => false,
                }
        })
    }
}

/// The middleware: refuses requests whose `Host` (or HTTP/2 `:authority`) is not allowed.
pub async fn check(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let host = match request.headers().get("host") {
        Some(v) => Some(String::from_utf8_lossy(v.as_bytes()).into_owned()),
        None => request.uri().authority().map(|a| a.as_str().to_owned()),
    };
    let allowed = match &host {
        Some(h) => state.allowed_hosts.allows(h) || is_custom_domain(&state, h).await,
        None => false,
    };
    match host {
        Some(_) if allowed => next.run(request).await,
        host => {
            tracing::warn!(host = ?host, "request refused: Host is not an allowed name");
            let message = match host {
                Some(h) => format!(
                    "Host '{}' is not allowed. Add it to --allowed-hosts (COGNATE_ALLOWED_HOSTS) \
                     if this server should answer to it.",
                    h.chars().take(255).collect::<String>()
                ),
                None => "Missing Host header.".to_owned(),
            };
            respond(
                &new_request_id(),
                Err(WireError::new(
                    StatusCode::FORBIDDEN,
                    "ForbiddenException",
                    message,
                )),
            )
        }
    }
}

/// Whether `Host` names a custom domain some pool registered (CreateUserPoolDomain with
/// CustomDomainConfig): such a name is served at the root paths (see `domain_urls`).
async fn is_custom_domain(state: &AppState, host_header: &str) -> bool {
    let Some((host, _)) = split_host_port(host_header) else {
        return false;
    };
    if !cognate_core::service::pools::domains::is_custom(&host) || host.starts_with('[') {
        return false;
    }
    match state.store.find_domain(&host).await {
        Ok(found) => found.is_some(),
        Err(e) => {
            tracing::error!(detail = %e, "looking up a custom domain");
            false
        }
    }
}

/// The custom domain a `Host` header names, if a pool registered it.
pub async fn custom_domain_of(state: &AppState, host_header: Option<&str>) -> Option<String> {
    let (host, _) = split_host_port(host_header?)?;
    if !cognate_core::service::pools::domains::is_custom(&host) || host.starts_with('[') {
        return None;
    }
    match state.store.find_domain(&host).await {
        Ok(Some(_)) => Some(host),
        _ => None,
    }
}

/// The public URL's host and port (the scheme's default port may be left out of `Host`).
fn url_rule(url: &str) -> anyhow::Result<Rule> {
    let bad = || anyhow::anyhow!("--public-url must be http(s)://host[:port][/path], got {url:?}");
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err(bad()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = split_host_port(authority)
        .filter(|(h, _)| is_host_name(h))
        .ok_or_else(bad)?;
    let port = match port {
        None => Port::ExactOrNone(default_port),
        Some(p) if p == default_port => Port::ExactOrNone(p),
        Some(p) => Port::Exact(p),
    };
    Ok(Rule { host, port })
}

/// `host[:port]` lowercased, IP literals in their canonical form (`[::1]` for IPv6) and a
/// trailing dot dropped. `None` if the port is not a number.
fn split_host_port(value: &str) -> Option<(String, Option<u16>)> {
    let value = value.trim();
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        let ip: IpAddr = inner.parse().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (ip_host(ip), port)
    } else {
        let (host, port) = match value.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (value, None),
        };
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        let host = match host.parse::<IpAddr>() {
            Ok(ip) => ip_host(ip),
            Err(_) => host,
        };
        (host, port)
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    if host.is_empty() {
        return None;
    }
    Some((host, port))
}

fn ip_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// A DNS name or IP literal as `split_host_port` returns it.
fn is_host_name(host: &str) -> bool {
    host.starts_with('[')
        || host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(listen: &str, public_url: Option<&str>, extra: &[&str]) -> AllowedHosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        AllowedHosts::new(listen.parse().expect("addr"), public_url, &extra).expect("hosts")
    }

    #[test]
    fn loopback_listen_allows_loopback_names_with_its_port() {
        let h = hosts("127.0.0.1:9229", None, &[]);
        for ok in [
            "127.0.0.1:9229",
            "localhost:9229",
            "LOCALHOST:9229",
            "[::1]:9229",
            "localhost.:9229",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:9229",
            "127.0.0.1",
            "127.0.0.1:80",
            "localhost:9230",
            "127.0.0.1:9229x",
            "",
            ":9229",
            "[::1",
            "127.0.0.1:9229:1",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
    }

    #[test]
    fn public_url_and_allow_list() {
        let h = hosts(
            "10.0.0.5:9229",
            Some("https://Auth.Example.com/base"),
            &["cognate", "api.internal:8443", "[fd00::1]:9229"],
        );
        for ok in [
            "10.0.0.5:9229",
            "auth.example.com",
            "auth.example.com:443",
            "cognate:1234",
            "cognate",
            "api.internal:8443",
            "[fd00:0::1]:9229",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "localhost:9229",
            "127.0.0.1:9229",
            "auth.example.com:9229",
            "api.internal",
            "api.internal:443",
            "10.0.0.5",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
    }

    #[test]
    fn every_address_listen_allows_loopback_names_but_not_the_wildcard() {
        let h = hosts("0.0.0.0:9229", Some("http://cognate:9229"), &[]);
        assert!(h.allows("localhost:9229"));
        assert!(h.allows("cognate:9229"));
        assert!(!h.allows("0.0.0.0:9229"));
        assert!(!h.allows("cognate"));
        let h = hosts("127.0.0.1:80", Some("http://localhost"), &[]);
        assert!(h.allows("localhost") && h.allows("127.0.0.1") && h.allows("127.0.0.1:80"));
    }

    #[test]
    fn bad_configuration_is_an_error() {
        let listen: SocketAddr = "127.0.0.1:1".parse().expect("addr");
        for url in ["auth.example.com", "ftp://x", "http://", "http://a b/"] {
            assert!(AllowedHosts::new(listen, Some(url), &[]).is_err(), "{url}");
        }
        for entry in ["http://x", "x/y", "x:port", "*"] {
            assert!(
                AllowedHosts::new(listen, None, &[entry.to_owned()]).is_err(),
                "{entry}"
            );
        }
    }
}
