//! The preview server under hostile and unlucky clients, end to end: the real binary on a
//! fixture copy, driven from loopback. Floods of idle connections (also with few file
//! handles), huge and slow request heads, wrong host names, too many event streams. Counts
//! are bounded, every wait is bounded, and the server is killed when a test ends.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use guidepack::serve::{HEAD_TIMEOUT, MAX_CONNECTIONS, MAX_EVENT_STREAMS, MAX_HEAD};

use crate::harness::Project;

/// The longest any one wait for an answer lasts.
const WAIT: Duration = Duration::from_secs(10);
const PAGE: &str = "/2.0.0/providers/intro.html";
const PAGE_TEXT: &str = "Intro text for everyone.";

/// A running `guidepack serve --port 0`, killed on drop.
struct Server {
    child: Child,
    address: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    _project: Project,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    text
}

impl Server {
    /// Starts the preview of the minimal fixture (HTML only), with at most `handles` open files
    /// if given, and waits for its first build.
    fn start(handles: Option<u32>) -> Server {
        let project = Project::minimal();
        let bin = env!("CARGO_BIN_EXE_guidepack");
        let args = ["serve", "--port", "0", "--format", "html"];
        let mut command = match handles {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                    .arg(bin);
                c
            }
            None => Command::new(bin),
        };
        command.arg("--project").arg(project.path()).args(args);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let start = Instant::now();
        let mut port = None;
        while start.elapsed() < Duration::from_secs(60) {
            let out = stdout.lock().unwrap().clone();
            if let Some(rest) = out.split("serving the preview at http://127.0.0.1:").nth(1) {
                port = rest.split('/').next().and_then(|p| p.parse().ok());
            }
            if out.contains("watching ") && port.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let mut server = Server {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port.unwrap_or(0))),
            stdout,
            stderr,
            _project: project,
        };
        assert!(
            server.stdout().contains("watching ") && port.is_some(),
            "serve did not start\n{}",
            server.output()
        );
        server.assert_alive();
        server
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn output(&self) -> String {
        format!(
            "--- stdout\n{}--- stderr\n{}",
            self.stdout(),
            self.stderr.lock().unwrap()
        )
    }

    fn assert_alive(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the server died:\n{}",
            self.output()
        );
    }

    /// A field of `/proc/<pid>/status`, as a number (kB for sizes).
    fn proc_status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    fn connect(&self) -> std::io::Result<TcpStream> {
        let stream = TcpStream::connect_timeout(&self.address, WAIT)?;
        stream.set_read_timeout(Some(WAIT))?;
        stream.set_write_timeout(Some(WAIT))?;
        Ok(stream)
    }

    /// Sends `head` on a new connection and reads the answer to its end.
    fn ask(&self, head: &str) -> Answer {
        match self.connect() {
            Ok(mut stream) => {
                let _ = stream.write_all(head.as_bytes());
                read_answer(&mut stream)
            }
            Err(err) => Answer::failed(&err.to_string()),
        }
    }

    /// A GET of `path` with this `Host`.
    fn get_as(&self, path: &str, host: &str) -> Answer {
        self.ask(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    fn get(&self, path: &str) -> Answer {
        self.get_as(path, &self.address.to_string())
    }
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// The status, the head and the start of the body: enough to see what went wrong.
impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start: String = self.body.chars().take(200).collect();
        write!(f, "{} {:?} {start:?}", self.status, self.head)
    }
}

impl Answer {
    fn failed(why: &str) -> Answer {
        Answer {
            status: 0,
            head: why.to_string(),
            body: String::new(),
        }
    }

    fn from_bytes(bytes: &[u8]) -> Answer {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3)?.parse().ok())
            .unwrap_or(0);
        Answer {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }
}

/// Reads until the server closes the connection (or [`WAIT`] passes, or it breaks).
fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
        }
    }
    bytes
}

fn read_answer(stream: &mut TcpStream) -> Answer {
    Answer::from_bytes(&read_all(stream))
}

/// Opens up to `count` connections that send nothing; stops at the first that fails.
fn idle_connections(server: &Server, count: usize) -> Vec<TcpStream> {
    let mut open = Vec::new();
    for _ in 0..count {
        match server.connect() {
            Ok(stream) => open.push(stream),
            Err(_) => break,
        }
    }
    open
}

/// Opens `count` event streams: those that were answered, and how many were refused.
fn event_streams(server: &Server, count: usize) -> (Vec<TcpStream>, usize) {
    let mut streams = Vec::new();
    let mut refused = 0;
    for _ in 0..count {
        let mut stream = server.connect().unwrap();
        let host = server.address;
        write!(
            stream,
            "GET /__guidepack/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
        )
        .unwrap();
        let mut first = [0u8; 12];
        stream.read_exact(&mut first).unwrap();
        match &first {
            b"HTTP/1.1 200" => streams.push(stream),
            b"HTTP/1.1 503" => refused += 1,
            other => panic!("{}", String::from_utf8_lossy(other)),
        }
    }
    (streams, refused)
}

fn assert_page_served(server: &Server, when: &str) {
    let page = server.get(PAGE);
    assert_eq!(page.status, 200, "{when}: {page:?}\n{}", server.output());
    assert!(page.body.contains(PAGE_TEXT), "{when}: {}", page.body);
}

/// Twice as many idle connections as the preview holds, and more open pages than it streams
/// to: a browser's request is still answered, threads stay bounded, Ctrl-C still ends it.
#[test]
fn a_flood_of_idle_connections_neither_crashes_nor_locks_out_the_preview() {
    let mut server = Server::start(None);
    // The build's and the watcher's threads; the most the connections may add.
    let most = server.proc_status("Threads") + MAX_CONNECTIONS as u64 + 8;
    let idle = idle_connections(&server, 2 * MAX_CONNECTIONS + 44);
    assert_eq!(idle.len(), 2 * MAX_CONNECTIONS + 44, "{}", server.output());
    assert_page_served(&server, "with the idle connections open");

    // Threads: one per open connection at most.
    let threads = server.proc_status("Threads");
    assert!(
        threads > 0 && threads <= most,
        "{threads} threads for {} idle connections",
        idle.len()
    );

    // More event streams than the preview keeps: the rest are told so at once.
    let (streams, refused) = event_streams(&server, MAX_EVENT_STREAMS + 4);
    assert_eq!(streams.len(), MAX_EVENT_STREAMS);
    assert_eq!(refused, 4);
    assert_page_served(&server, "with every event stream taken");
    let threads = server.proc_status("Threads");
    assert!(threads <= most, "{threads} threads");
    // Closed pages give their streams back (within a second, long before the next heartbeat).
    drop(streams);
    let start = Instant::now();
    let mut refused = 1;
    while refused > 0 && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(1500));
        refused = event_streams(&server, MAX_EVENT_STREAMS).1;
    }
    assert_eq!(
        refused, 0,
        "the streams of closed pages were not given back"
    );
    drop(idle);
    assert_page_served(&server, "after the flood");
    server.assert_alive();

    // Ctrl-C ends the preview, open connections or not.
    let _still_open = idle_connections(&server, 10);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let mut code = None;
    while code.is_none() && start.elapsed() < WAIT {
        code = server.child.try_wait().unwrap().map(|s| s.code());
        std::thread::sleep(Duration::from_millis(30));
    }
    assert_eq!(code, Some(Some(0)), "{}", server.output());
}

/// With few file handles, a flood of connections uses them all: the preview says so once,
/// keeps fewer connections, and goes on serving (it used to lose its listening socket).
#[test]
fn running_out_of_file_handles_does_not_stop_the_preview() {
    let mut server = Server::start(Some(96));
    let idle = idle_connections(&server, 300);
    assert_page_served(&server, "with the file handles used up");
    server.assert_alive();
    drop(idle);
    assert_page_served(&server, "after the flood");
    let stderr = server.stderr.lock().unwrap().clone();
    assert_eq!(
        stderr.matches("ran out of file handles").count(),
        1,
        "said once: {stderr}"
    );
    server.assert_alive();
}

/// A request head longer than the limit is refused without being kept in memory.
#[test]
fn a_huge_request_head_is_refused_without_using_memory() {
    let mut server = Server::start(None);
    let before = server.proc_status("VmRSS");
    assert!(before > 0, "no /proc/<pid>/status");

    // 64 MiB of one header line, sent while the answer is read.
    let mut stream = server.connect().unwrap();
    let mut writer = stream.try_clone().unwrap();
    let host = server.address;
    let sending = std::thread::spawn(move || {
        let start = format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: ");
        let _ = writer.write_all(start.as_bytes());
        let piece = vec![b'a'; 1 << 20];
        for _ in 0..64 {
            if writer.write_all(&piece).is_err() {
                return;
            }
        }
        let _ = writer.write_all(b"\r\n\r\n");
    });
    let answer = read_answer(&mut stream);
    sending.join().unwrap();
    assert_eq!(answer.status, 431, "{answer:?}");
    assert!(answer.body.contains("too large"), "{}", answer.body);
    let after = server.proc_status("VmRSS");
    assert!(
        after < before + 32 * 1024,
        "resident size grew from {before} kB to {after} kB"
    );

    // A long address, and many headers.
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "a".repeat(MAX_HEAD)
    );
    assert_eq!(server.ask(&long).status, 414);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\n{}\r\n",
        "A: b\r\n".repeat(100)
    );
    assert_eq!(server.ask(&many).status, 431);
    server.assert_alive();
    assert_page_served(&server, "after the huge heads");
}

/// A client that sends its request a byte at a time, or nothing, is dropped after the time
/// limit (slowloris); the server goes on.
#[test]
fn slow_and_silent_clients_are_dropped() {
    let mut server = Server::start(None);
    let mut silent = server.connect().unwrap();
    let mut slow = server.connect().unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    // The limit twelve times over: the test's bound, not a measure.
    let bound = HEAD_TIMEOUT * 12;
    let start = Instant::now();
    let mut answer = Vec::new();
    let mut closed = false;
    while !closed && start.elapsed() < bound {
        if slow.write_all(b"a").is_err() {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 1024];
        match slow.read(&mut buffer) {
            Ok(0) => closed = true,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => closed = true,
        }
    }
    assert!(closed, "a client trickling its headers was never dropped");
    if !answer.is_empty() {
        let answer = Answer::from_bytes(&answer);
        assert_eq!(answer.status, 408, "{answer:?}");
    }
    // The silent one was dropped too, without a word.
    silent.set_read_timeout(Some(bound)).unwrap();
    let mut buffer = [0u8; 64];
    let read = silent.read(&mut buffer);
    assert!(
        matches!(&read, Ok(0)) || matches!(&read, Err(e) if e.kind() == ErrorKind::ConnectionReset),
        "a silent client was never dropped: {read:?}"
    );
    server.assert_alive();
    assert_page_served(&server, "after the slow clients");
}

/// Only the names the preview was started with are answered: a page of another site that
/// points its own name at 127.0.0.1 (DNS rebinding) cannot read the preview.
#[test]
fn only_the_servers_own_host_names_are_answered() {
    let server = Server::start(None);
    let port = server.address.port();
    for good in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let page = server.get_as(PAGE, &good);
        assert_eq!(page.status, 200, "{good}: {page:?}");
        assert!(page.body.contains(PAGE_TEXT));
    }
    for bad in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in [PAGE, "/__guidepack/status", "/__guidepack/events"] {
            let refused = server.get_as(path, &bad);
            assert_eq!(refused.status, 403, "{bad}{path}: {refused:?}");
            assert!(refused.head.contains("content-type: text/plain"));
            assert!(
                refused.body.contains(&format!(
                    "This preview answers only at http://127.0.0.1:{port}/ or http://localhost:{port}/"
                )),
                "{}",
                refused.body
            );
            assert!(!refused.body.contains(PAGE_TEXT));
        }
    }
    let nameless = server.ask(&format!("GET {PAGE} HTTP/1.1\r\n\r\n"));
    assert_eq!(nameless.status, 400, "{nameless:?}");
}

/// Requests the preview does not serve are refused plainly; several requests share one
/// connection as browsers send them.
#[test]
fn one_connection_carries_several_requests_and_refusals_are_plain() {
    let server = Server::start(None);
    let host = server.address;
    let mut stream = server.connect().unwrap();
    write!(
        stream,
        "GET {PAGE} HTTP/1.1\r\nHost: {host}\r\n\r\nHEAD {PAGE} HTTP/1.1\r\nHost: {host}\r\n\r\n\
         GET /__guidepack/status HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let text = String::from_utf8_lossy(&read_all(&mut stream)).into_owned();
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
    assert_eq!(
        text.matches(PAGE_TEXT).count(),
        1,
        "HEAD sends no body: {text}"
    );
    assert!(text.contains("\"generation\""), "{text}");

    let post = server.ask(&format!(
        "POST {PAGE} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\n\r\nhello"
    ));
    assert_eq!(post.status, 405, "{post:?}");
    assert!(post.head.contains("allow: get, head"));
    let body = server.ask(&format!(
        "GET {PAGE} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    ));
    assert_eq!(body.status, 413, "{body:?}");
    assert_eq!(server.ask("G(T / HTTP/1.1\r\n\r\n").status, 400);
    assert_eq!(server.ask("GET / HTTP/2.0\r\n\r\n").status, 505);
}
