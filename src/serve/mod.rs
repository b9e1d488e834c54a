//! The preview server of `guidepack serve` (the command is `commands::serve`): live reload and the
//! build's errors shown in the page. The server lives on whatever the content does (a failed build
//! leaves the last good pages served and shows its errors over them) and whatever its clients do
//! (limits on connections, time and size; see `slots.rs` and `conn.rs`).

mod conn;
mod http;
mod hub;
mod live;
mod request;
mod response;
mod server;
mod slots;

use std::io;
use std::net::{IpAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

pub use conn::{HEAD_TIMEOUT, MAX_HEAD};
pub use http::{content_type, safe_relative};
pub use hub::{BuildState, Hub};
pub use live::{EVENTS_PATH, STATUS_PATH};
pub use slots::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};

/// The port the preview listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4000;

/// The preview server, serving an output folder until stopped.
pub struct Preview {
    server: server::Server,
}

impl Preview {
    /// Serves `out` on `listener` (bound to `bind`), with the build state of `hub`, reading
    /// the output only while `output_lock` is not held for writing.
    pub fn start(
        listener: TcpListener,
        bind: IpAddr,
        out: PathBuf,
        hub: Arc<Hub>,
        output_lock: Arc<RwLock<()>>,
    ) -> io::Result<Preview> {
        let port = listener.local_addr()?.port();
        let cx = conn::Context {
            site: http::Site {
                out,
                hub,
                output_lock,
            },
            hosts: request::Hosts::new(bind, port),
            slots: Arc::default(),
        };
        Ok(Preview {
            server: server::Server::start(listener, cx)?,
        })
    }

    pub fn stop(self) {
        self.server.stop();
    }
}
