//! One connection of the preview, on its own thread: requests read within a size limit and a
//! time limit, answered (keeping the connection for the next request), or refused and closed.

use std::io::{self, Read};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http::{self, Reply, Site};
use super::request::{self, Hosts, Parsed, Request};
use super::response::{Response, send};
use super::slots::{Slots, Ticket};

/// The most bytes of a request line and its headers.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a connection may take to send a whole request head, counted from when it opens
/// or from the end of the previous answer: idle and slow clients are dropped after it.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a refused request's remaining bytes are read (and thrown away) before closing, so
/// that the client sees the refusal rather than a reset connection.
const LINGER: Duration = Duration::from_secs(1);
/// The most bytes read (and thrown away) after a refusal.
const LINGER_BYTES: usize = 1 << 20;

/// What every connection shares.
pub struct Context {
    pub site: Site,
    pub hosts: Hosts,
    pub slots: Arc<Slots>,
}

/// Serves a connection until it closes, is dropped for taking too long, or is evicted.
pub fn serve(stream: TcpStream, mut ticket: Ticket, cx: &Context) {
    let stream = Arc::new(stream);
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    loop {
        ticket.wait(&stream);
        let head = read_head(&stream, &mut buffer);
        if !ticket.serving() {
            return;
        }
        let request = match head {
            Ok(request) => request,
            Err(Unread::Nothing) => return,
            Err(Unread::Refused(response)) => return refuse(&stream, response),
        };
        if let Some(response) = request.refusal(&cx.hosts) {
            return refuse(&stream, response);
        }
        let keep = match http::handle(&request, &cx.site) {
            Reply::Response(response) => {
                send(&stream, response, request.head_only, request.close).is_ok() && !request.close
            }
            Reply::Events(since) => {
                match ticket.event_stream() {
                    Some(_slot) => http::events(&stream, &cx.site, since),
                    None => {
                        let response = Response::text(
                            503,
                            "too many preview pages are open: close some, then reload this one",
                        );
                        let _ = send(&stream, response, false, true);
                    }
                }
                false
            }
        };
        if !keep {
            return;
        }
    }
}

/// Why no request was read.
enum Unread {
    /// The connection closed or timed out before a request began, or broke: closed quietly.
    Nothing,
    /// A request that is answered with this, then the connection closed.
    Refused(Response),
}

/// Reads one request head into `buffer` (which keeps what follows it, a next request), within
/// [`MAX_HEAD`] bytes and [`HEAD_TIMEOUT`].
fn read_head(stream: &TcpStream, buffer: &mut Vec<u8>) -> Result<Request, Unread> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    // Where to look for the blank line that ends the head next.
    let mut scanned = 0;
    loop {
        if head_end(buffer, scanned).is_some() {
            match request::parse(buffer) {
                Parsed::Request(request, length) => {
                    buffer.drain(..length);
                    return Ok(request);
                }
                Parsed::Invalid(status, why) => {
                    return Err(Unread::Refused(Response::text(status, why)));
                }
                // Blank lines before a request line: read on.
                Parsed::Partial => {}
            }
        }
        if buffer.len() >= MAX_HEAD {
            let (status, what) = if buffer.contains(&b'\n') {
                (431, "its headers are")
            } else {
                (414, "its address is")
            };
            let message = format!(
                "this request is too large: {what} longer than the preview accepts ({} KiB)",
                MAX_HEAD / 1024
            );
            return Err(Unread::Refused(Response::text(status, &message)));
        }
        scanned = buffer.len().saturating_sub(3);
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out(buffer));
        }
        if stream.set_read_timeout(Some(left)).is_err() {
            return Err(Unread::Nothing);
        }
        let mut piece = [0u8; 4096];
        let room = (MAX_HEAD - buffer.len()).min(piece.len());
        match (&*stream).read(&mut piece[..room]) {
            Ok(0) => return Err(Unread::Nothing),
            Ok(n) => buffer.extend_from_slice(&piece[..n]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(timed_out(buffer));
            }
            Err(_) => return Err(Unread::Nothing),
        }
    }
}

/// A connection that ran out of time: a started request is told so, an idle one just closed.
fn timed_out(buffer: &[u8]) -> Unread {
    if buffer.iter().all(|b| b.is_ascii_whitespace()) {
        return Unread::Nothing;
    }
    let message = format!(
        "this request took too long to arrive (the preview waits {} seconds)",
        HEAD_TIMEOUT.as_secs()
    );
    Unread::Refused(Response::text(408, &message))
}

/// The end of the blank line that ends a head, looking from `from`.
fn head_end(buffer: &[u8], from: usize) -> Option<usize> {
    let rest = buffer.get(from..)?;
    let crlf = rest.windows(3).position(|w| w == b"\n\r\n").map(|i| i + 3);
    let lf = rest.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(from + end)
}

/// Answers a refused request and closes the connection, first reading for a moment what the
/// client is still sending, so that it sees the answer rather than a reset.
fn refuse(stream: &TcpStream, response: Response) {
    if send(stream, response, false, true).is_err() {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut piece = [0u8; 4096];
    let mut read = 0;
    while read < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match (&*stream).read(&mut piece) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_head_is_found() {
        assert_eq!(
            head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nnext", 0),
            Some(27)
        );
        assert_eq!(head_end(b"GET / HTTP/1.1\nHost: x\n\n", 0), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n", 0), None);
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 20), Some(27));
        assert_eq!(head_end(b"ab", 5), None);
    }
}
