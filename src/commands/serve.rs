//! `guidepack serve`: watch mode plus the preview server (`crate::serve`) with live reload and
//! the build's errors shown in the page.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;

use super::Status;
use super::watch;
use crate::build::BuildOptions;
use crate::serve::{Hub, Preview};
use crate::watch::Control;

/// The port the preview listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = crate::serve::DEFAULT_PORT;

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
    let out = options
        .build
        .out
        .clone()
        .unwrap_or_else(|| root.join("output"));
    let preview = Preview::start(
        listener,
        options.bind,
        out,
        hub.clone(),
        control.output_lock.clone(),
    );
    let preview = match preview {
        Ok(preview) => preview,
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
    preview.stop();
    status
}
