//! The preview's HTTP side: the output folder as it is laid out (`/<version>/<audience>/…`)
//! with the right content types and no way out of the folder, the live-reload script put into
//! HTML responses, the build events as server-sent events, and the build state as JSON.
//! (Connections, their limits and refusals are `conn.rs`'s.)

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::hub::{Hub, event_for};
use super::live::{self, EVENTS_PATH, STATUS_PATH};
use super::request::Request;
use super::response::{Response, write_within};

/// How often an idle event stream sends a comment (which keeps proxies from closing it).
const HEARTBEAT: Duration = Duration::from_secs(10);
/// How often an idle event stream looks whether its page has gone.
const LOOK: Duration = Duration::from_secs(1);

/// What every request handler shares.
pub struct Site {
    pub out: PathBuf,
    pub hub: Arc<Hub>,
    pub output_lock: Arc<RwLock<()>>,
}

/// What a request gets.
pub enum Reply {
    Response(Response),
    /// The build events from the generation after this one (the page's own), as server-sent
    /// events.
    Events(Option<u64>),
}

/// Answers a GET or HEAD request (anything else is refused before).
pub fn handle(request: &Request, site: &Site) -> Reply {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    match path {
        EVENTS_PATH if request.head_only => {
            Reply::Response(Response::new(200, "text/event-stream", Vec::new()))
        }
        EVENTS_PATH => Reply::Events(since(query)),
        STATUS_PATH => {
            let state = site.hub.state();
            let json = serde_json::to_string(&state).unwrap_or_default();
            Reply::Response(Response::new(200, "application/json", json.into_bytes()))
        }
        _ => Reply::Response(file(site, path)),
    }
}

/// `since=N` of the events URL.
fn since(query: &str) -> Option<u64> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .and_then(|n| n.parse().ok())
}

/// A file of the output folder; HTML gets the live-reload script.
fn file(site: &Site, path: &str) -> Response {
    // The generation is read before the file: a build that lands in between makes the page
    // reload once more, never miss a change.
    let state = site.hub.state();
    let generation = state.generation;
    let html = "text/html; charset=utf-8";
    let Some(rel) = safe_relative(path) else {
        let labels = &state.labels;
        let page = live::page(
            labels.get("preview_not_found"),
            labels.get("preview_not_in_preview"),
            generation,
            (labels, state.language()),
        );
        return Response::new(404, html, page);
    };
    let found = {
        let _guard = site
            .output_lock
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        open_output(&site.out, &rel)
    };
    match found {
        Found::Page(bytes) => {
            let notice = live::notice(&state.warnings, &state.labels);
            Response::new(200, html, live::inject(&bytes, generation, false, &notice))
        }
        // Sent from the open file after the lock is let go: a publish in between renames the
        // file away, but the open file keeps its bytes.
        Found::File(name, file, len) => Response::file(content_type(&name), file, len),
        Found::Folder => Response::new(301, html, Vec::new()).with("Location", &format!("{path}/")),
        Found::Unreadable(err) => Response::text(
            503,
            &format!("The preview could not read {path} just now ({err}); reload to try again."),
        )
        .with("Retry-After", "1"),
        Found::Nothing if rel.is_empty() || rel == "index.html" => {
            let labels = &state.labels;
            let page = live::page(
                labels.get("preview_no_build"),
                labels.get("preview_no_build_text"),
                generation,
                (labels, state.language()),
            );
            Response::new(200, html, page)
        }
        Found::Nothing => {
            let labels = &state.labels;
            let page = live::page(
                labels.get("preview_not_found"),
                &labels.fill("preview_no_such_file", &[("path", path)]),
                generation,
                (labels, state.language()),
            );
            Response::new(404, html, page)
        }
    }
}

enum Found {
    /// An HTML page's bytes.
    Page(Vec<u8>),
    /// Another file: its name, the open file and its length.
    File(String, File, u64),
    /// A folder named without a trailing slash.
    Folder,
    /// A file that is there but could not be read (no file handles left, say).
    Unreadable(std::io::Error),
    Nothing,
}

/// Opens `rel` (checked by [`safe_relative`]) under `out`: a file, a folder's `index.html`,
/// never anything outside `out` (symbolic links included). HTML pages are read whole.
fn open_output(out: &Path, rel: &str) -> Found {
    let Ok(root) = out.canonicalize() else {
        return Found::Nothing;
    };
    let trailing = rel.is_empty() || rel.ends_with('/');
    let mut target = root.join(rel.trim_end_matches('/'));
    if target.is_dir() {
        if !trailing {
            return Found::Folder;
        }
        target = target.join("index.html");
    }
    let Ok(real) = target.canonicalize() else {
        return Found::Nothing;
    };
    if !real.starts_with(&root) || !real.is_file() {
        return Found::Nothing;
    }
    let name = real
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let opened = File::open(&real).and_then(|file| {
        let meta = file.metadata()?;
        Ok((file, meta))
    });
    let (mut file, meta) = match opened {
        Ok(opened) => opened,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Found::Nothing,
        Err(err) => return Found::Unreadable(err),
    };
    if !meta.is_file() {
        return Found::Nothing;
    }
    if !content_type(&name).starts_with("text/html") {
        return Found::File(name, file, meta.len());
    }
    let mut bytes = Vec::new();
    match file.read_to_end(&mut bytes) {
        Ok(_) => Found::Page(bytes),
        Err(err) => Found::Unreadable(err),
    }
}

/// The path of a URL, percent-decoded, relative to the output folder, keeping a trailing
/// `/`; `None` when it tries to leave the folder or names hidden files (staging folders).
pub fn safe_relative(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let rest = decoded.strip_prefix('/')?;
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        // Only the last segment may be empty (a trailing `/`): `//x` would be an absolute path.
        let bad = (segment.is_empty() && i + 1 != segments.len())
            || segment == &".."
            || segment.starts_with('.')
            || segment.contains(['\\', '\0', ':']);
        if bad {
            return None;
        }
    }
    Some(rest.to_string())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a file, by its ending.
pub fn content_type(name: &str) -> &'static str {
    let ending = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ending.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "pdf" => "application/pdf",
        "odt" => "application/vnd.oasis.opendocument.text",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// The build events as server-sent events, until the page goes away or the server stops.
pub fn events(stream: &TcpStream, site: &Site, since: Option<u64>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    if write_within(stream, head.as_bytes()).is_err() {
        return;
    }
    let state = site.hub.state();
    let mut seen = since.unwrap_or(state.generation).min(state.generation);
    // A page opened while the build is broken shows the error at once.
    if !state.ok && state.generation > 0 {
        seen = seen.min(state.generation - 1);
    }
    let mut last_write = Instant::now();
    loop {
        let state = site.hub.state();
        let message = match event_for(&state, seen) {
            Some(event) => {
                seen = state.generation;
                format!("event: {}\ndata: {}\n\n", event.name, event.data)
            }
            None => {
                if site.hub.is_stopped() || gone(stream) {
                    return;
                }
                if site.hub.wait_after(seen, LOOK).is_some() || last_write.elapsed() < HEARTBEAT {
                    continue;
                }
                ": still here\n\n".to_string()
            }
        };
        if write_within(stream, message.as_bytes()).is_err() {
            return;
        }
        last_write = Instant::now();
    }
}

/// Whether the page of an event stream has gone (closed its connection): its slot is free
/// within a second, not at the next write.
fn gone(stream: &TcpStream) -> bool {
    if stream
        .set_read_timeout(Some(Duration::from_millis(1)))
        .is_err()
    {
        return true;
    }
    let mut byte = [0u8; 1];
    match stream.peek(&mut byte) {
        Ok(n) => n == 0,
        Err(err) => !matches!(
            err.kind(),
            ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output_folder() {
        assert_eq!(safe_relative("/").as_deref(), Some(""));
        assert_eq!(
            safe_relative("/1.0.0/providers/intro.html").as_deref(),
            Some("1.0.0/providers/intro.html")
        );
        assert_eq!(
            safe_relative("/1.0.0/providers/").as_deref(),
            Some("1.0.0/providers/")
        );
        assert_eq!(safe_relative("/a%20b.html").as_deref(), Some("a b.html"));
        for bad in [
            "/../secret",
            "/1.0.0/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/..%2fetc",
            "/.staging-1.0.0/x.html",
            "/a\\..\\b",
            "//etc/passwd",
            "/x%00.html",
            "/%zz",
            "relative",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types_follow_the_ending() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("pack-providers-1.0.0.pdf"), "application/pdf");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("assets/x.PNG"), "image/png");
        assert_eq!(content_type("manifest.json"), "application/json");
        assert_eq!(content_type("blob"), "application/octet-stream");
    }

    /// The files of the ODT and Govspeak formats: the document, the Govspeak to paste and the
    /// list of files to upload beside it.
    #[test]
    fn content_types_of_the_publishing_formats() {
        assert_eq!(
            content_type("pack-providers-1.0.0.odt"),
            "application/vnd.oasis.opendocument.text"
        );
        assert_eq!(
            content_type("pack-providers-1.0.0.govspeak.md"),
            "text/markdown; charset=utf-8"
        );
        assert_eq!(
            content_type("pack-providers-1.0.0.govspeak-uploads.txt"),
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn folders_and_links_out_are_handled() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir_all(out.join("1.0.0/p")).unwrap();
        std::fs::write(out.join("1.0.0/p/index.html"), "pack").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(out.join("1.0.0/p/a.pdf"), "%PDF").unwrap();
        assert!(matches!(open_output(&out, "1.0.0/p"), Found::Folder));
        assert!(matches!(open_output(&out, "1.0.0/p/"), Found::Page(b) if b == b"pack"));
        assert!(matches!(open_output(&out, "1.0.0/p/a.pdf"), Found::File(n, _, 4) if n == "a.pdf"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            assert!(matches!(open_output(&out, "link.txt"), Found::Nothing));
        }
    }
}
