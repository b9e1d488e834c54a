//! Tries one web address: `HEAD` (then `GET` when the site refuses `HEAD`), redirects followed
//! by hand so that a loop or a redirect to something that is not a web page can be named, and
//! every failure put in plain words. The only code in guidepack that goes online.

use std::time::Duration;

use rustls::CertificateError;
use url::Url;

/// The most redirects followed before an address counts as broken.
pub const MAX_REDIRECTS: usize = 5;

/// A client for trying addresses: one request at a time per call, each bounded by `timeout`
/// from the name look-up to the answer's headers (the body is never read).
pub struct Prober {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Prober {
    pub fn new(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            // Only the address itself is tried: no proxy from the environment in between.
            .proxy(None)
            .user_agent(concat!(
                "guidepack/",
                env!("CARGO_PKG_VERSION"),
                " (link check)"
            ))
            .build()
            .into();
        Prober { agent, timeout }
    }

    /// `Ok(())` when the address leads to a page, or what is wrong with it in plain words
    /// (to follow "does not work: ").
    pub fn probe(&self, address: &str) -> Result<(), Failure> {
        let mut current = Url::parse(address).map_err(|e| {
            Failure::from(format!("it is not a web address that can be read ({e})"))
        })?;
        current.set_fragment(None);
        let mut seen = vec![current.clone()];
        loop {
            let (status, location) = self.ask(&current)?;
            match status {
                200..=299 => return Ok(()),
                300..=399 if status != 304 => {
                    let Some(location) = location else {
                        return Err(format!(
                            "the site sends it elsewhere without saying where ({})",
                            status_name(status)
                        )
                        .into());
                    };
                    let mut next = current.join(&location).map_err(|_| {
                        Failure::from(format!(
                            "the site sends it to `{location}`, which is not a web address"
                        ))
                    })?;
                    next.set_fragment(None);
                    if !matches!(next.scheme(), "https" | "http") {
                        return Err(format!(
                            "the site sends it to `{next}`, which is not a web page"
                        )
                        .into());
                    }
                    if let Some(first) = seen.iter().position(|u| *u == next) {
                        let circle: Vec<&str> = seen[first..].iter().map(Url::as_str).collect();
                        return Err(format!(
                            "its redirects go round in a loop ({} → {next}), so the page never arrives",
                            circle.join(" → ")
                        ).into());
                    }
                    if seen.len() > MAX_REDIRECTS {
                        return Err(format!(
                            "it redirects more than {MAX_REDIRECTS} times (last to `{next}`), so the page never arrives"
                        ).into());
                    }
                    seen.push(next.clone());
                    current = next;
                }
                _ => return Err(status_words(status).into()),
            }
        }
    }

    /// The status and `Location` of one address: `HEAD`, and `GET` when `HEAD` gets an error
    /// status (many sites refuse `HEAD` with 405 or 501, some with 403 or 404).
    fn ask(&self, url: &Url) -> Result<(u16, Option<String>), Failure> {
        let head = self.agent.head(url.as_str()).call();
        let answer = match head {
            Ok(r) if r.status().as_u16() < 400 => r,
            // No site there, or no answer: asking again with `GET` would only wait twice.
            Err(e) if unreachable(&e) => return Err(self.failure_words(url, e)),
            _ => self
                .agent
                .get(url.as_str())
                .call()
                .map_err(|e| self.failure_words(url, e))?,
        };
        let location = answer
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        // The body is dropped unread: only whether the page is there matters.
        Ok((answer.status().as_u16(), location))
    }

    fn failure_words(&self, url: &Url, err: ureq::Error) -> Failure {
        let host = url.host_str().unwrap_or("the site");
        if let ureq::Error::Io(io) = &err
            && let Some(ours) = our_side(host, io)
        {
            return ours;
        }
        // The secure connection's errors mostly arrive wrapped in an I/O error.
        let err = match err {
            ureq::Error::Io(io) => {
                match io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                    Some(tls) => ureq::Error::Rustls(tls.clone()),
                    None => ureq::Error::Io(io),
                }
            }
            other => other,
        };
        match err {
            ureq::Error::Timeout(_) => format!(
                "no answer from `{host}` within {} (timeout)",
                seconds(self.timeout)
            ),
            ureq::Error::HostNotFound => format!(
                "there is no site called `{host}` (DNS failure: the name was not found); check its spelling"
            ),
            ureq::Error::Rustls(rustls::Error::InvalidCertificate(cert)) => {
                format!(
                    "`{host}` is not safe to visit: {}",
                    certificate_words(&cert)
                )
            }
            ureq::Error::Rustls(other) => format!(
                "a secure (https) connection to `{host}` could not be made (TLS error: {other})"
            ),
            ureq::Error::Tls(what) => format!(
                "a secure (https) connection to `{host}` could not be made (TLS error: {what})"
            ),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                format!("`{host}` refused the connection (no web server answers there)")
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => format!(
                "no answer from `{host}` within {} (timeout)",
                seconds(self.timeout)
            ),
            ureq::Error::Io(io) => format!("the connection to `{host}` failed ({io})"),
            ureq::Error::ConnectionFailed => {
                format!("no connection to `{host}` could be made")
            }
            other => format!("the answer from `{host}` could not be read ({other})"),
        }
        .into()
    }
}

/// Why an address does not work, in words that follow "does not work: ".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub words: String,
    /// The fault may be this computer's (no name server, no network), not the site's: such a
    /// result is not kept, so the address is tried again next time.
    pub ours: bool,
}

impl From<String> for Failure {
    fn from(words: String) -> Self {
        Failure { words, ours: false }
    }
}

/// A failure to look a name up or to reach a network: a name that does not exist is the
/// address's fault; a name server or network that cannot be reached is this computer's.
fn our_side(host: &str, io: &std::io::Error) -> Option<Failure> {
    use std::io::ErrorKind;
    let text = io.to_string();
    if let Some(why) = text.strip_prefix("failed to lookup address information: ") {
        let gone = [
            "Name or service not known",
            "No address associated",
            "nodename nor servname",
        ];
        if gone.iter().any(|g| why.contains(g)) {
            let words = format!(
                "there is no site called `{host}` (DNS failure: the name was not found); check its spelling"
            );
            return Some(words.into());
        }
        return Some(Failure {
            words: format!(
                "the name `{host}` could not be looked up (DNS failure: {why}); is this computer online?"
            ),
            ours: true,
        });
    }
    matches!(
        io.kind(),
        ErrorKind::NetworkUnreachable | ErrorKind::NetworkDown | ErrorKind::HostUnreachable
    )
    .then(|| Failure {
        words: format!("`{host}` cannot be reached from this computer ({io}); is it online?"),
        ours: true,
    })
}

/// Whether a failed request means the site cannot be reached at all (whatever the method).
fn unreachable(err: &ureq::Error) -> bool {
    matches!(
        err,
        ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::Io(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::Rustls(_)
            | ureq::Error::Tls(_)
    )
}

/// A certificate problem in a writer's words.
fn certificate_words(cert: &CertificateError) -> String {
    match cert {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "its security certificate has expired (TLS error)".to_string()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "its security certificate is for another site (TLS error)".to_string()
        }
        CertificateError::UnknownIssuer => {
            "its security certificate is not from a known authority (TLS error)".to_string()
        }
        other => format!("its security certificate was refused (TLS error: {other})"),
    }
}

fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        let s = ms / 1000;
        format!("{s} second{}", if s == 1 { "" } else { "s" })
    } else {
        format!("{ms} ms")
    }
}

/// An error status in plain words, with its number and name.
fn status_words(status: u16) -> String {
    let name = status_name(status);
    match status {
        404 => format!("the page is not there ({name})"),
        410 => format!("the page has been removed ({name})"),
        401 | 403 => format!("the site refuses to show the page ({name})"),
        429 => format!("the site asked to be tried less often ({name}); try again later"),
        500..=599 => format!("the site has a fault ({name}); it may work again later"),
        _ => format!("the site answered {name}"),
    }
}

/// `404 Not Found`: a status with its usual name.
fn status_name(status: u16) -> String {
    let name = match status {
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    if name.is_empty() {
        format!("status {status}")
    } else {
        format!("{status} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_in_plain_words() {
        assert_eq!(status_words(404), "the page is not there (404 Not Found)");
        assert_eq!(
            status_words(599),
            "the site has a fault (status 599); it may work again later"
        );
        assert_eq!(status_words(418), "the site answered status 418");
    }

    #[test]
    fn a_missing_name_is_the_address_fault_an_unreachable_network_ours() {
        let lookup = |why: &str| {
            std::io::Error::other(format!("failed to lookup address information: {why}"))
        };
        let gone = our_side("nhs.example", &lookup("Name or service not known")).unwrap();
        assert!(!gone.ours);
        assert!(
            gone.words
                .starts_with("there is no site called `nhs.example` (DNS failure")
        );
        let offline = our_side(
            "nhs.example",
            &lookup("Temporary failure in name resolution"),
        );
        assert!(offline.unwrap().ours);
        let unreachable = std::io::Error::from(std::io::ErrorKind::NetworkUnreachable);
        assert!(our_side("nhs.example", &unreachable).unwrap().ours);
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(our_side("nhs.example", &reset), None);
    }

    #[test]
    fn timeouts_read_naturally() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 seconds");
        assert_eq!(seconds(Duration::from_millis(300)), "300 ms");
    }
}
