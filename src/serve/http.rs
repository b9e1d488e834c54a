//! The preview's HTTP side: the output folder as it is laid out (`/<version>/<audience>/…`)
//! with the right content types and no way out of the folder, the live-reload script put into
//! HTML responses, the build events as server-sent events, and the build state as JSON.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::hub::{Hub, event_for};
use super::live::{self, EVENTS_PATH, STATUS_PATH};

/// How often an idle event stream sends a comment, so that closed pages are noticed.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// What every request handler shares.
pub struct Site {
    pub out: PathBuf,
    pub hub: Arc<Hub>,
    pub output_lock: Arc<RwLock<()>>,
}

/// Answers one request. Errors writing to a closed connection are no concern of the server.
pub fn handle(request: Request, site: &Site) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response =
            Response::from_string("only GET and HEAD are served\n").with_status_code(405);
        let response = with(response, "Allow", "GET, HEAD");
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    match path {
        EVENTS_PATH => events(request, site, since(query)),
        STATUS_PATH => {
            let state = site.hub.state();
            let json = serde_json::to_string(&state).unwrap_or_default();
            respond(request, 200, "application/json", json.into_bytes());
        }
        _ => file(request, site, path),
    }
}

/// `since=N` of the events URL.
fn since(query: &str) -> Option<u64> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .and_then(|n| n.parse().ok())
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    // Always a Content-Length (tiny_http would send large files chunked): PDF viewers show
    // their progress.
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_chunked_threshold(usize::MAX);
    let response = with(response, "Content-Type", content_type);
    let response = with(response, "Cache-Control", "no-store");
    let response = with(response, "X-Content-Type-Options", "nosniff");
    let _ = request.respond(response);
}

/// A response with one more header (left out if it is not valid in HTTP, which only a
/// strange URL could cause).
fn with<R: std::io::Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

/// A file of the output folder; HTML gets the live-reload script.
fn file(request: Request, site: &Site, path: &str) {
    // The generation is read before the file: a build that lands in between makes the page
    // reload once more, never miss a change.
    let generation = site.hub.state().generation;
    let Some(rel) = safe_relative(path) else {
        let page = live::page(
            "Not found",
            "This address is not part of the preview.",
            generation,
        );
        return respond(request, 404, "text/html; charset=utf-8", page);
    };
    let read = {
        let _guard = site
            .output_lock
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        read_output(&site.out, &rel)
    };
    match read {
        Found::File(name, bytes) => {
            let content_type = content_type(&name);
            let body = if content_type.starts_with("text/html") {
                live::inject(&bytes, generation, false)
            } else {
                bytes
            };
            respond(request, 200, content_type, body);
        }
        Found::Folder => {
            let response = Response::empty(StatusCode(301));
            let response = with(response, "Location", &format!("{path}/"));
            let response = with(response, "Cache-Control", "no-store");
            let _ = request.respond(response);
        }
        Found::Nothing if rel.is_empty() || rel == "index.html" => {
            let page = live::page(
                "No build yet",
                "The first build has not finished, or it failed. This page reloads when there is something to show.",
                generation,
            );
            respond(request, 200, "text/html; charset=utf-8", page);
        }
        Found::Nothing => {
            let page = live::page(
                "Not found",
                &format!(
                    "There is no {path} in the output (yet). This page reloads after the next build."
                ),
                generation,
            );
            respond(request, 404, "text/html; charset=utf-8", page);
        }
    }
}

enum Found {
    /// The file's name and bytes.
    File(String, Vec<u8>),
    /// A folder named without a trailing slash.
    Folder,
    Nothing,
}

/// Reads `rel` (checked by [`safe_relative`]) under `out`: a file, a folder's `index.html`,
/// never anything outside `out` (symbolic links included).
fn read_output(out: &Path, rel: &str) -> Found {
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
    match std::fs::read(&real) {
        Ok(bytes) => Found::File(name, bytes),
        Err(_) => Found::Nothing,
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
        "pdf" => "application/pdf",
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
fn events(request: Request, site: &Site, since: Option<u64>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    if writer.write_all(head.as_bytes()).is_err() || writer.flush().is_err() {
        return;
    }
    let state = site.hub.state();
    let mut seen = since.unwrap_or(state.generation).min(state.generation);
    // A page opened while the build is broken shows the error at once.
    if !state.ok && state.generation > 0 {
        seen = seen.min(state.generation - 1);
    }
    loop {
        let state = site.hub.state();
        let message = match event_for(&state, seen) {
            Some(event) => {
                seen = state.generation;
                format!("event: {}\ndata: {}\n\n", event.name, event.data)
            }
            None => {
                if site.hub.is_stopped() {
                    return;
                }
                if site.hub.wait_after(seen, HEARTBEAT).is_some() {
                    continue;
                }
                ": still here\n\n".to_string()
            }
        };
        if writer.write_all(message.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
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

    #[test]
    fn folders_and_links_out_are_handled() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir_all(out.join("1.0.0/p")).unwrap();
        std::fs::write(out.join("1.0.0/p/index.html"), "pack").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert!(matches!(read_output(&out, "1.0.0/p"), Found::Folder));
        assert!(matches!(read_output(&out, "1.0.0/p/"), Found::File(n, _) if n == "index.html"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            assert!(matches!(read_output(&out, "link.txt"), Found::Nothing));
        }
    }
}
