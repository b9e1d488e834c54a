//! `guidepack serve`: watch mode plus a preview server with live reload and the build's
//! errors shown in the page. The server lives on whatever the content does (a failed build
//! leaves the last good pages served and shows its errors over them) and whatever its clients
//! do (limits on connections, time and size; see `slots.rs` and `conn.rs`).

mod conn;
mod http;
mod hub;
mod live;
mod request;
mod response;
mod server;
mod slots;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;

use crate::pipeline::{BuildOptions, Status};
use crate::watch::{self, Control};

pub use conn::{HEAD_TIMEOUT, MAX_HEAD};
pub use http::{content_type, safe_relative};
pub use hub::{BuildState, Hub};
pub use live::{EVENTS_PATH, STATUS_PATH};
pub use slots::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};

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
    // Nothing is served, nor said to be, for a folder that is not a project.
    if !root.join(crate::sources::CONFIG_FILE).is_file() {
        let d = crate::sources::not_a_project(root);
        eprint!(
            "{}",
            crate::diagnostic::render_human(&[d], &Default::default())
        );
        return Status::ProjectErrors;
    }
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
    let hub = Arc::new(Hub::default());
    let cx = conn::Context {
        site: http::Site {
            out: options
                .build
                .out
                .clone()
                .unwrap_or_else(|| root.join("output")),
            hub: hub.clone(),
            output_lock: control.output_lock.clone(),
        },
        hosts: request::Hosts::new(options.bind, address.port()),
        slots: Arc::default(),
    };
    let server = match server::Server::start(listener, cx) {
        Ok(server) => server,
        Err(err) => {
            eprintln!("error: cannot start the preview server on {address}: {err}");
            return Status::Usage;
        }
    };
    println!("serving the preview at http://{address}/ (live reload on; press Ctrl-C to stop)");
    let status = watch::run(root, &options.build, control, &mut |update| {
        hub.update(update)
    });
    hub.stop();
    server.stop();
    status
}
