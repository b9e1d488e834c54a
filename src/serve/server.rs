//! The preview's listening socket: accepts connections for as long as the preview runs,
//! whatever happens (out of file handles, out of threads), and gives each admitted connection
//! a thread of its own; connections beyond the limit are evicted or refused at once.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::conn::{self, Context};
use super::response::{Response, send};

/// How long a new connection waits for an evicted one to give its slot back.
const PATIENCE: Duration = Duration::from_secs(1);
/// How long the preview waits before accepting again after an error.
const PAUSE: Duration = Duration::from_millis(50);
/// Each connection's thread's stack: requests are answered from the heap.
const STACK: usize = 256 * 1024;

pub struct Server {
    stopping: Arc<AtomicBool>,
    /// Where to connect to wake the accepting thread.
    wake: SocketAddr,
    accepting: JoinHandle<()>,
}

impl Server {
    /// Starts accepting on `listener`.
    pub fn start(listener: TcpListener, cx: Context) -> io::Result<Server> {
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let accepting = {
            let stopping = stopping.clone();
            std::thread::Builder::new()
                .name("guidepack-accept".into())
                .spawn(move || accept(&listener, &Arc::new(cx), &stopping))?
        };
        Ok(Server {
            stopping,
            wake: SocketAddr::new(reachable(address.ip()), address.port()),
            accepting,
        })
    }

    /// Stops accepting (open connections end by themselves, or with the process).
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.wake, PATIENCE);
        let start = Instant::now();
        while !self.accepting.is_finished() && start.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// An address to reach a socket bound to `ip` at: a loopback one for "every address".
fn reachable(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

/// Which troubles have been reported: each only once, so a flood cannot fill the terminal.
#[derive(Default)]
struct Reported {
    handles: bool,
    threads: bool,
    other: bool,
}

fn accept(listener: &TcpListener, cx: &Arc<Context>, stopping: &AtomicBool) {
    let mut reported = Reported::default();
    loop {
        let accepted = listener.accept();
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        match accepted {
            Ok((stream, _)) => admit(stream, cx, &mut reported),
            Err(err) => trouble(&err, cx, &mut reported),
        }
    }
}

/// Gives a new connection a slot and a thread, or refuses it at once.
fn admit(stream: TcpStream, cx: &Arc<Context>, reported: &mut Reported) {
    let Some(ticket) = cx.slots.admit(PATIENCE) else {
        let response = Response::text(
            503,
            "the preview is busy with other connections; reload in a moment",
        )
        .with("Retry-After", "1");
        let _ = send(&stream, response, false, true);
        return;
    };
    let connection = cx.clone();
    let spawned = std::thread::Builder::new()
        .name("guidepack-http".into())
        .stack_size(STACK)
        .spawn(move || conn::serve(stream, ticket, &connection));
    if let Err(err) = spawned {
        // The stream and its ticket went with the closure: the connection is closed.
        if !std::mem::replace(&mut reported.threads, true) {
            eprintln!(
                "warning: the preview could not start a thread for a connection ({err}); it \
                 closes such connections and goes on"
            );
        }
        // Threads of idle connections are the ones to give back.
        cx.slots.evict_one();
    }
}

/// An error accepting a connection: reported once, then accepting goes on after a pause.
fn trouble(err: &io::Error, cx: &Context, reported: &mut Reported) {
    use io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionReset | Interrupted
    ) {
        return;
    }
    // EMFILE and ENFILE (the same numbers on Linux and macOS): out of file handles.
    if matches!(err.raw_os_error(), Some(23 | 24)) {
        let most = cx.slots.shrink();
        if !std::mem::replace(&mut reported.handles, true) {
            eprintln!(
                "warning: the preview ran out of file handles ({err}); it now keeps at most \
                 {most} connections open and goes on"
            );
        }
    } else if !std::mem::replace(&mut reported.other, true) {
        eprintln!("warning: the preview could not accept a connection ({err}); it goes on");
    }
    std::thread::sleep(PAUSE);
}
