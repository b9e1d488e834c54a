//! `guidepack serve`: watch mode plus a preview server (tiny_http) with live reload and the
//! build's errors shown in the page. The server lives on whatever the content does: a failed
//! build leaves the last good pages served and shows its errors over them.

mod http;
mod hub;
mod live;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::pipeline::{BuildOptions, Status};
use crate::watch::{self, Control};

pub use http::{content_type, safe_relative};
pub use hub::{BuildState, Hub};
pub use live::{EVENTS_PATH, STATUS_PATH};

/// The port the preview listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4000;

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// Serves the preview until `control.stop` is set.
pub fn run(root: &Path, options: &ServeOptions, control: &Control) -> Status {
    let wanted = SocketAddr::new(options.bind, options.port);
    let listener = match TcpListener::bind(wanted) {
        Ok(listener) => listener,
        Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "error: port {} is already in use on {}; pass --port to choose another",
                options.port, options.bind
            );
            return Status::Usage;
        }
        Err(err) => {
            eprintln!("error: cannot listen on {wanted}: {err}");
            eprintln!("help: pass --bind with an address of this machine, such as 127.0.0.1");
            return Status::Usage;
        }
    };
    let address = listener.local_addr().unwrap_or(wanted);
    let server = match tiny_http::Server::from_listener(listener, None) {
        Ok(server) => Arc::new(server),
        Err(err) => {
            eprintln!("error: cannot start the preview server on {address}: {err}");
            return Status::Usage;
        }
    };
    let hub = Arc::new(Hub::default());
    let site = Arc::new(http::Site {
        out: options
            .build
            .out
            .clone()
            .unwrap_or_else(|| root.join("output")),
        hub: hub.clone(),
        output_lock: control.output_lock.clone(),
    });
    let accept = {
        let server = server.clone();
        let stop = control.stop.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let site = site.clone();
                // One thread per request: event streams stay open as long as their page.
                let spawned = std::thread::Builder::new()
                    .name("guidepack-http".into())
                    .spawn(move || http::handle(request, &site));
                if let Err(err) = spawned {
                    eprintln!("warning: the preview could not answer a request: {err}");
                }
            }
            if !stop.load(Ordering::SeqCst) {
                eprintln!("error: the preview server stopped accepting connections");
            }
        })
    };
    println!("serving the preview at http://{address}/ (live reload on; press Ctrl-C to stop)");
    let status = watch::run(root, &options.build, control, &mut |update| {
        hub.update(update)
    });
    hub.stop();
    server.unblock();
    let _ = accept.join();
    status
}
