//! A response of the preview server: its status, headers and body (bytes, or a file streamed
//! from disk), and how it goes on the wire, in pieces that a client must take in time.

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime};

/// How long a client may take to take in each [`PIECE`] of an answer.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes written at a time.
const PIECE: usize = 64 * 1024;

/// What a response carries.
pub enum Body {
    Bytes(Vec<u8>),
    /// An open file and its length: large files (PDFs) go out in pieces, never whole in memory.
    File(File, u64),
}

pub struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    pub body: Body,
}

impl Response {
    /// A response with a body of `content_type`, never cached, never sniffed.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response::with_body(status, content_type, Body::Bytes(body))
    }

    /// A file of `len` bytes.
    pub fn file(content_type: &str, file: File, len: u64) -> Response {
        Response::with_body(200, content_type, Body::File(file, len))
    }

    /// A plain-text message, for refusals and errors.
    pub fn text(status: u16, message: &str) -> Response {
        let mut body = message.to_string();
        if !body.ends_with('\n') {
            body.push('\n');
        }
        Response::new(status, "text/plain; charset=utf-8", body.into_bytes())
    }

    fn with_body(status: u16, content_type: &str, body: Body) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body,
        }
        .with("Content-Type", content_type)
        .with("Cache-Control", "no-store")
        .with("X-Content-Type-Options", "nosniff")
    }

    /// The response with one more header; left out if its value would break the head (only a
    /// strange URL could cause that).
    pub fn with(mut self, name: &'static str, value: &str) -> Response {
        if !value.contains(['\r', '\n', '\0']) {
            self.headers.push((name, value.to_string()));
        }
        self
    }

    /// The length of the body.
    pub fn len(&self) -> u64 {
        match &self.body {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::File(_, len) => *len,
        }
    }

    /// The status line and headers, always with a `Content-Length` (PDF viewers show their
    /// progress), and `Connection: close` when the connection ends after this response.
    pub fn head(&self, close: bool) -> String {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.len()));
        head.push_str(&format!(
            "Date: {}\r\n",
            httpdate::fmt_http_date(SystemTime::now())
        ));
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        head
    }
}

/// The reason phrase of a status code this server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Writes a response; each [`PIECE`] must go out within [`WRITE_TIMEOUT`].
pub fn send(
    stream: &TcpStream,
    response: Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    write_within(stream, response.head(close).as_bytes())?;
    if head_only {
        return Ok(());
    }
    match response.body {
        Body::Bytes(bytes) => {
            for piece in bytes.chunks(PIECE) {
                write_within(stream, piece)?;
            }
        }
        Body::File(mut file, len) => {
            let mut piece = vec![0u8; PIECE];
            let mut left = len;
            while left > 0 {
                let want = piece.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let n = file.read(&mut piece[..want])?;
                if n == 0 {
                    // The file shrank since its length was sent: the client must not take
                    // what it got for the whole.
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                write_within(stream, &piece[..n])?;
                left -= n as u64;
            }
        }
    }
    (&*stream).flush()
}

/// Writes all of `bytes` within [`WRITE_TIMEOUT`], however slowly the client reads.
pub fn write_within(stream: &TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    let deadline = Instant::now() + WRITE_TIMEOUT;
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match (&*stream).write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_has_a_length_and_no_cache() {
        let response = Response::new(200, "text/css; charset=utf-8", b"p{}".to_vec());
        let head = response.head(false);
        assert!(head.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/css; charset=utf-8\r\n"));
        assert!(head.contains("Cache-Control: no-store\r\n"));
        assert!(head.contains("X-Content-Type-Options: nosniff\r\n"));
        assert!(head.contains("Content-Length: 3\r\n"));
        assert!(head.contains("Date: ") && head.contains(" GMT\r\n"));
        assert!(head.ends_with("\r\n\r\n") && !head.contains("Connection"));
        assert!(response.head(true).ends_with("Connection: close\r\n\r\n"));
    }

    #[test]
    fn values_that_would_break_the_head_are_left_out() {
        let response = Response::text(404, "no").with("Location", "/a\r\nSet-Cookie: x");
        assert!(!response.head(false).contains("Set-Cookie"));
        assert_eq!(response.len(), 3);
    }
}
