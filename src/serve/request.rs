//! A request's head as the preview understands it (parsed by httparse), and what it refuses
//! before looking at the path: other methods, bodies, and host names it was not started with
//! (a web page that renames itself to 127.0.0.1 by DNS must not read the preview).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::response::Response;

/// The most header lines a request may have.
const MAX_HEADERS: usize = 64;

pub struct Request {
    /// HEAD rather than GET (other methods are refused by [`Request::refusal`]).
    pub head_only: bool,
    method: String,
    /// The path and query, as sent.
    pub target: String,
    /// Whether the connection ends after the answer (HTTP/1.0, or `Connection: close`).
    pub close: bool,
    host: Host,
    /// Whether a body follows (which the preview never reads).
    body: bool,
}

enum Host {
    Missing,
    /// Not named by an HTTP/1.0 request, which need not name it.
    Unnamed,
    One(String),
    Many,
}

/// What [`parse`] makes of a complete head.
pub enum Parsed {
    /// The request and the length of its head.
    Request(Request, usize),
    /// More bytes are needed.
    Partial,
    /// Not HTTP/1.x: the status to answer and why.
    Invalid(u16, &'static str),
}

/// Parses a request head from the start of `bytes`.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut raw = httparse::Request::new(&mut headers);
    let length = match raw.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Parsed::Partial,
        Err(httparse::Error::TooManyHeaders) => {
            return Parsed::Invalid(431, "this request has too many header lines");
        }
        Err(httparse::Error::Version) => {
            return Parsed::Invalid(505, "the preview speaks HTTP/1.0 and HTTP/1.1 only");
        }
        Err(_) => return Parsed::Invalid(400, "this is not a valid HTTP request"),
    };
    let old = raw.version == Some(0);
    let mut close = old;
    let mut host = Host::Missing;
    let mut body = false;
    for header in raw.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        let value = value.trim();
        if header.name.eq_ignore_ascii_case("host") {
            host = match host {
                Host::Missing => Host::One(value.to_string()),
                _ => Host::Many,
            };
        } else if header.name.eq_ignore_ascii_case("connection") {
            close |= value
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case("close"));
        } else if header.name.eq_ignore_ascii_case("content-length") {
            body |= value != "0";
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            body = true;
        }
    }
    // Only HTTP/1.1 must name its host.
    if old && matches!(host, Host::Missing) {
        host = Host::Unnamed;
    }
    let request = Request {
        head_only: raw.method == Some("HEAD"),
        method: raw.method.unwrap_or_default().to_string(),
        target: raw.path.unwrap_or_default().to_string(),
        close,
        host,
        body,
    };
    Parsed::Request(request, length)
}

impl Request {
    /// The answer to a request the preview does not serve; `None` when it serves it. After a
    /// refusal the connection is closed (a body may follow that is never read).
    pub fn refusal(&self, hosts: &Hosts) -> Option<Response> {
        if !self.target.starts_with('/') {
            return Some(Response::text(
                400,
                "the preview serves paths that start with /",
            ));
        }
        match &self.host {
            Host::Missing => {
                return Some(Response::text(400, "this request does not name its host"));
            }
            Host::Many => return Some(Response::text(400, "this request names two hosts")),
            Host::One(host) if !hosts.allows(host) => {
                let mut shown: String = host.chars().take(100).collect();
                if shown.is_empty() {
                    shown = "an empty host name".to_string();
                }
                return Some(Response::text(
                    403,
                    &format!(
                        "This preview answers only at {}, not at {shown}. (This keeps other web \
                         sites from reading it.)",
                        hosts.describe()
                    ),
                ));
            }
            Host::One(_) | Host::Unnamed => {}
        }
        if self.method != "GET" && self.method != "HEAD" {
            let response = Response::text(405, "the preview serves GET and HEAD requests only");
            return Some(response.with("Allow", "GET, HEAD"));
        }
        if self.body {
            return Some(Response::text(
                413,
                "the preview does not take request bodies",
            ));
        }
        None
    }
}

/// The host names the preview answers to: its port, at `localhost`, a loopback address or the
/// address it was bound to (any IP address when bound to all of them). A name other than
/// `localhost` could be a DNS name pointed at this machine by someone else's web page.
pub struct Hosts {
    bind: IpAddr,
    port: u16,
}

impl Hosts {
    pub fn new(bind: IpAddr, port: u16) -> Hosts {
        Hosts { bind, port }
    }

    /// Whether a `Host` header's value names this server.
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((inside, after)) if after.is_empty() || after.starts_with(':') => {
                    (inside, after.strip_prefix(':'))
                }
                _ => return false,
            },
            None => match host.split_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (host, None),
            },
        };
        let port_ok = match port {
            None | Some("") => true,
            Some(port) => port.parse::<u16>() == Ok(self.port),
        };
        if !port_ok {
            return false;
        }
        let bracketed = host.starts_with('[');
        let ip = if bracketed {
            name.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
        } else {
            name.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
        };
        match ip {
            Some(ip) => ip.is_loopback() || ip == self.bind || self.bind.is_unspecified(),
            None => {
                let name = name.strip_suffix('.').unwrap_or(name);
                !bracketed && name.eq_ignore_ascii_case("localhost")
            }
        }
    }

    /// The addresses the preview answers at, for a refusal.
    pub fn describe(&self) -> String {
        let port = self.port;
        let local = format!("http://127.0.0.1:{port}/ or http://localhost:{port}/");
        match self.bind {
            ip if ip.is_unspecified() => {
                format!("{local} or an IP address of this machine (not a host name)")
            }
            ip if ip.is_loopback() => local,
            IpAddr::V4(ip) => format!("http://{ip}:{port}/, {local}"),
            IpAddr::V6(ip) => format!("http://[{ip}]:{port}/, {local}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Request {
        match parse(text.as_bytes()) {
            Parsed::Request(request, length) => {
                assert_eq!(length, text.len());
                request
            }
            _ => panic!("not parsed: {text}"),
        }
    }

    fn status(text: &str, hosts: &Hosts) -> Option<u16> {
        request(text).refusal(hosts).map(|r| r.status)
    }

    #[test]
    fn heads_are_parsed() {
        let r = request("GET /a?b=1 HTTP/1.1\r\nHost: localhost:4000\r\n\r\n");
        assert_eq!(r.target, "/a?b=1");
        assert!(!r.close && !r.head_only);
        let r = request("\r\nHEAD / HTTP/1.1\nhost: x\nConnection: keep-alive, Close\n\n");
        assert!(r.close && r.head_only);
        assert!(request("GET / HTTP/1.0\r\n\r\n").close);
        assert!(matches!(
            parse(b"GET / HTTP/1.1\r\nHost: x\r\n"),
            Parsed::Partial
        ));
        assert!(matches!(
            parse(b"GET / HTTP/2.0\r\n\r\n"),
            Parsed::Invalid(505, _)
        ));
        assert!(matches!(
            parse(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"),
            Parsed::Invalid(400, _)
        ));
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "A: b\r\n".repeat(65));
        assert!(matches!(parse(many.as_bytes()), Parsed::Invalid(431, _)));
    }

    #[test]
    fn only_the_servers_own_names_are_answered() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 4000);
        for good in [
            "127.0.0.1:4000",
            "127.0.0.1",
            "localhost:4000",
            "LocalHost.:4000",
            "[::1]:4000",
            "[::1]",
        ] {
            assert!(hosts.allows(good), "{good}");
        }
        for bad in [
            "evil.example:4000",
            "localhost.evil.example:4000",
            "127.0.0.1:4001",
            "localhost:40000",
            "192.168.1.5:4000",
            "[::1:4000",
            "::1",
            "[localhost]:4000",
            "127.0.0.1:4000:4000",
            "",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5".parse().unwrap(), 80);
        assert!(lan.allows("192.168.1.5") && lan.allows("localhost"));
        assert!(!lan.allows("192.168.1.6") && !lan.allows("mybox.local"));
        let all = Hosts::new("0.0.0.0".parse().unwrap(), 4000);
        assert!(all.allows("10.0.0.7:4000") && all.allows("[fe80::1]:4000"));
        assert!(!all.allows("mybox.local:4000"));
        assert!(all.describe().contains("an IP address of this machine"));
    }

    #[test]
    fn what_is_not_served_is_refused() {
        let hosts = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 4000);
        let ok = "GET / HTTP/1.1\r\nHost: 127.0.0.1:4000\r\n\r\n";
        assert_eq!(status(ok, &hosts), None);
        assert_eq!(status("GET / HTTP/1.0\r\n\r\n", &hosts), None);
        assert_eq!(status("GET / HTTP/1.1\r\n\r\n", &hosts), Some(400));
        assert_eq!(status("GET / HTTP/1.1\r\nHost:\r\n\r\n", &hosts), Some(403));
        let two = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n";
        assert_eq!(status(two, &hosts), Some(400));
        let evil = "GET / HTTP/1.1\r\nHost: evil.example:4000\r\n\r\n";
        let refusal = request(evil).refusal(&hosts).unwrap();
        assert_eq!(refusal.status, 403);
        let post = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n";
        assert_eq!(status(post, &hosts), Some(405));
        let body = "GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(status(body, &hosts), Some(413));
        let empty = "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(status(empty, &hosts), None);
        let absolute = "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
        assert_eq!(status(absolute, &hosts), Some(400));
    }
}
