//! Where a user-pool domain is reached on this server. Cognito serves a domain at
//! `https://<prefix>.auth.<region>.amazoncognito.com` or at the custom name; Cognate serves
//! a prefix domain under `<public-url>/domains/<prefix>` and a custom domain at the root paths
//! of requests whose `Host` is that name (with the public URL's scheme and port).

use cognate_core::service::pools::domains::is_custom;

/// `scheme`, `host[:port]` and path of the public URL (`http://127.0.0.1:9229/x` gives
/// `("http", "127.0.0.1:9229", "/x")`).
fn split(public_url: &str) -> (&str, &str, &str) {
    let (scheme, rest) = public_url.split_once("://").unwrap_or(("http", public_url));
    match rest.find('/') {
        Some(k) => (scheme, &rest[..k], rest[k..].trim_end_matches('/')),
        None => (scheme, rest, ""),
    }
}

/// The public URL's `host[:port]`: what a custom domain's DNS name should point at
/// (DescribeUserPoolDomain's `CloudFrontDistribution`).
pub fn public_host(public_url: &str) -> String {
    split(public_url).1.to_owned()
}

/// The port of a `host[:port]`, if it names one.
fn port_of(authority: &str) -> Option<&str> {
    let after_ipv6 = authority.rsplit_once(']').map_or(authority, |(_, a)| a);
    after_ipv6.rsplit_once(':').map(|(_, p)| p)
}

/// The base URL of the domain's endpoints (`<base>/oauth2/authorize`, `<base>/login`, ...).
pub fn domain_base_url(public_url: &str, domain: &str) -> String {
    let (scheme, authority, path) = split(public_url);
    if is_custom(domain) {
        match port_of(authority) {
            Some(port) => format!("{scheme}://{domain}:{port}"),
            None => format!("{scheme}://{domain}"),
        }
    } else {
        format!("{scheme}://{authority}{path}/domains/{domain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_custom_domains() {
        let p = "http://127.0.0.1:9229";
        assert_eq!(
            domain_base_url(p, "myapp"),
            "http://127.0.0.1:9229/domains/myapp"
        );
        assert_eq!(
            domain_base_url(p, "auth.example.com"),
            "http://auth.example.com:9229"
        );
        assert_eq!(
            domain_base_url("https://idp.example.org/base/", "myapp"),
            "https://idp.example.org/base/domains/myapp"
        );
        assert_eq!(
            domain_base_url("https://idp.example.org", "auth.example.com"),
            "https://auth.example.com"
        );
        assert_eq!(
            public_host("https://idp.example.org/base"),
            "idp.example.org"
        );
    }
}
