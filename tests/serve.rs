//! `watch` and `serve`, end to end: the real binary on a fixture copy, pages fetched over
//! HTTP, files changed the ways editors and git change them. Every wait is bounded; the child
//! process is killed when a test ends, however it ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::{Project, stderr_snapshot};

/// The longest any one wait lasts.
pub(crate) const WAIT: Duration = Duration::from_secs(10);
/// The first build of a fixture, in a debug build on a busy machine, may take longer.
const FIRST_BUILD: Duration = Duration::from_secs(60);

/// A running `guidepack watch` or `serve`, killed on drop.
pub(crate) struct Running {
    child: Child,
    pub(crate) port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects a pipe's text in the background.
fn collect(pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut sink = sink.lock().unwrap();
            sink.push_str(&line);
            sink.push('\n');
        }
    });
    text
}

/// Polls `f` every 30 ms until it is true or `limit` passes.
pub(crate) fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if f() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

impl Running {
    /// Starts `guidepack --project <p> <command> <args>`; for `serve`, on a free port, and
    /// waits for the first build to be over.
    pub(crate) fn start(p: &Project, command: &str, args: &[&str]) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_guidepack"));
        cmd.arg("--project").arg(p.path()).arg(command).args(args);
        if command == "serve" {
            cmd.args(["--port", "0"]);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut running = Running {
            child,
            port: 0,
            stdout,
            stderr,
        };
        let started = wait_until(FIRST_BUILD, || {
            let out = running.stdout();
            if let Some(rest) = out.split("serving the preview at http://127.0.0.1:").nth(1) {
                running.port = rest.split('/').next().unwrap().parse().unwrap();
            }
            out.contains("watching ")
        });
        assert!(started, "{command} did not start:\n{}", running.output());
        running
    }

    pub(crate) fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub(crate) fn output(&self) -> String {
        format!(
            "--- stdout\n{}--- stderr\n{}",
            self.stdout(),
            self.stderr.lock().unwrap()
        )
    }

    pub(crate) fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Waits until the page at `path` has `text` in it.
    pub(crate) fn wait_for_text(&self, path: &str, text: &str) {
        let mut last = String::new();
        let found = wait_until(WAIT, || {
            last = self.get(path).body;
            last.contains(text)
        });
        assert!(
            found,
            "{path} never showed {text:?}; last:\n{last}\n{}",
            self.output()
        );
    }

    pub(crate) fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__guidepack/status").body).unwrap()
    }

    /// Waits until the status reports a build newer than `generation`, and returns it. A page
    /// can show new text a moment before the status moves on, so tests wait on the status.
    pub(crate) fn status_after(&self, generation: u64) -> serde_json::Value {
        let mut last = serde_json::Value::Null;
        let moved = wait_until(WAIT, || {
            last = self.status();
            last["generation"].as_u64().is_some_and(|g| g > generation)
        });
        assert!(
            moved,
            "the status never moved past generation {generation}; last: {last}\n{}",
            self.output()
        );
        last
    }

    pub(crate) fn assert_alive(&mut self) {
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the server died:\n{}",
            self.output()
        );
    }
}

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

/// A GET over a plain TCP connection.
fn get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

pub(crate) fn write(p: &Project, path: &str, text: &str) {
    let path = p.path().join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Saves as many editors do: a temporary file, renamed over the real one.
fn save_atomically(p: &Project, path: &str, text: &str) {
    let target = p.path().join(path);
    let temp = target.with_file_name(".01-intro.md.tmp-save");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &target).unwrap();
}

const PAGE: &str = "/2.0.0/providers/intro.html";

#[test]
fn saves_errors_and_fixes_reach_the_served_page() {
    let p = Project::minimal();
    let mut server = Running::start(&p, "serve", &["--format", "html"]);
    let page = server.get(PAGE);
    assert_eq!(page.status, 200, "{}", server.output());
    assert!(page.head.contains("content-type: text/html; charset=utf-8"));
    assert!(page.body.contains("Intro text for everyone."));
    assert!(
        page.body.contains("<script data-guidepack-preview>"),
        "the server injects the live-reload script"
    );
    let on_disk = p.read("output/2.0.0/providers/intro.html");
    assert!(
        !on_disk.contains("<script data-guidepack-preview") && !on_disk.contains("<script>"),
        "the published HTML stays free of the preview's script"
    );

    write(
        &p,
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\nPlain write works.\n",
    );
    server.wait_for_text(PAGE, "Plain write works.");

    save_atomically(
        &p,
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\nAtomic save works.\n",
    );
    server.wait_for_text(PAGE, "Atomic save works.");

    write(
        &p,
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\n::: audience providers\nBroken text.\n",
    );
    let mut status = serde_json::Value::Null;
    let failed = wait_until(WAIT, || {
        status = server.status();
        status["ok"] == false
    });
    assert!(
        failed,
        "the error never showed: {status}\n{}",
        server.output()
    );
    let text = status["text"].as_str().unwrap();
    assert!(
        text.contains("error: this audience block is never closed\n --> content/01-intro.md:5:1"),
        "{text}"
    );
    assert_eq!(status["errors"][0]["line"], 5);
    server.assert_alive();
    let page = server.get(PAGE);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Atomic save works."),
        "the last good page stays"
    );
    let events = first_event(server.port);
    assert!(
        events.contains("event: failed") && events.contains("never closed"),
        "a page opened now hears of the error at once: {events}"
    );
    assert!(
        server
            .stdout()
            .contains("changed: content/01-intro.md (chapter)"),
        "{}",
        server.output()
    );
    // The terminal prints the error just after the preview hears of it.
    let printed = wait_until(WAIT, || {
        let stderr = server.stderr.lock().unwrap();
        stderr.contains("error: this audience block is never closed")
    });
    assert!(printed, "{}", server.output());

    write(
        &p,
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\n::: audience providers\nFixed text.\n:::\n",
    );
    server.wait_for_text(PAGE, "Fixed text.");
    assert_eq!(server.status()["ok"], true);
    server.assert_alive();
}

/// The first event (or comment) an event stream sends.
pub(crate) fn first_event(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET /__guidepack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let mut buffer = [0u8; 4096];
    let start = Instant::now();
    while !text.contains("event:") && start.elapsed() < WAIT {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => text.push_str(&String::from_utf8_lossy(&buffer[..n])),
        }
    }
    // Wait for the end of the event's data line too.
    if let Some(at) = text.find("event:")
        && !text[at..].contains("\n\n")
        && let Ok(n) = stream.read(&mut buffer)
    {
        text.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    text
}

#[test]
fn a_burst_of_new_files_is_served() {
    let p = Project::minimal();
    let mut server = Running::start(&p, "serve", &["--format", "html"]);
    for i in 0..50 {
        write(
            &p,
            &format!("content/{:02}-burst-{i}.md", i + 10),
            &format!("---\ntitle: Burst {i}\n---\n\nBurst text {i}.\n"),
        );
    }
    for i in [0, 17, 49] {
        server.wait_for_text(
            &format!("/2.0.0/providers/burst-{i}.html"),
            &format!("Burst text {i}."),
        );
    }
    for i in 0..50 {
        let page = server.get(&format!("/2.0.0/commissioners/burst-{i}.html"));
        assert_eq!(page.status, 200, "burst-{i}");
    }
    server.assert_alive();
    // A deleted and re-created file.
    std::fs::remove_file(p.path().join("content/10-burst-0.md")).unwrap();
    write(
        &p,
        "content/10-burst-0.md",
        "---\ntitle: Burst 0\n---\n\nBorn again.\n",
    );
    server.wait_for_text("/2.0.0/providers/burst-0.html", "Born again.");
    server.assert_alive();
}

#[test]
fn the_output_is_served_with_its_types_and_nothing_else() {
    let p = Project::minimal()
        .chapter("02-pic.md", "title: Picture", "![A dot](assets/dot.png)\n")
        .file("secret.txt", "not for the web");
    let server = Running::start(&p, "serve", &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("2.0.0/providers/index.html"),
        "{}",
        home.body
    );
    assert!(home.body.contains("<script data-guidepack-preview>"));

    let pdf = server.get("/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    assert_eq!(pdf.status, 200, "{}", server.output());
    assert!(pdf.head.contains("content-type: application/pdf"));
    assert!(pdf.body.starts_with("%PDF-"));
    assert!(
        !pdf.body.contains("guidepack-preview"),
        "PDFs are served as they are"
    );

    let css = server.get("/2.0.0/providers/style.css");
    assert!(css.head.contains("content-type: text/css"));
    let png = server.get("/2.0.0/providers/assets/dot.png");
    assert_eq!(png.status, 200);
    assert!(png.head.contains("content-type: image/png"));

    let folder = server.get("/2.0.0/providers");
    assert_eq!(folder.status, 301);
    assert!(folder.head.contains("location: /2.0.0/providers/"));
    assert!(server.get("/2.0.0/providers/").body.contains("<h1"));

    for outside in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/2.0.0/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
    ] {
        let response = server.get(outside);
        assert_eq!(response.status, 404, "{outside}");
        assert!(!response.body.contains("not for the web"), "{outside}");
    }
    assert_eq!(server.get("/no-such-page.html").status, 404);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let p = Project::minimal();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut run = p.run(&["serve", "--port", &port]).expect(2);
    run.stderr = run.stderr.replace(&port, "[PORT]");
    stderr_snapshot!(run);
}

#[test]
fn watch_rebuilds_on_a_change_and_stops_on_ctrl_c() {
    let p = Project::minimal();
    let mut watch = Running::start(&p, "watch", &["--format", "html"]);
    assert!(
        p.read("output/2.0.0/providers/intro.html")
            .contains("Intro text")
    );
    write(
        &p,
        "content/01-intro.md",
        "---\ntitle: Introduction\naudiences: [providers]\n---\n\nWatched text.\n",
    );
    let rebuilt = wait_until(WAIT, || {
        std::fs::read_to_string(p.path().join("output/2.0.0/providers/intro.html"))
            .is_ok_and(|t| t.contains("Watched text."))
    });
    assert!(rebuilt, "{}", watch.output());
    assert!(
        wait_until(WAIT, || watch.stdout().contains("rebuilt ")),
        "the terminal says what was rebuilt: {}",
        watch.output()
    );
    // An area's file rebuilds that area's packs only: here, none is selected.
    write(&p, "content/areas/north/area.toml", "name = \"North\"\n");
    assert!(
        wait_until(WAIT, || watch.stdout().contains("no pack needed a rebuild")),
        "{}",
        watch.output()
    );

    let pid = watch.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let mut code = None;
    wait_until(WAIT, || {
        code = watch.child.try_wait().unwrap().map(|s| s.code());
        code.is_some()
    });
    assert_eq!(
        code,
        Some(Some(0)),
        "Ctrl-C ends watch cleanly\n{}",
        watch.output()
    );
    assert!(watch.stdout().contains("stopped watching"));
}

#[test]
fn drafts_are_marked_in_the_preview_and_the_pdf() {
    let p =
        Project::minimal().chapter("02-new.md", "title: New part\ndraft: true", "Draft text.\n");
    let server = Running::start(&p, "serve", &[]);
    let page = server.get("/2.0.0/providers/new.html");
    assert!(page.body.contains("DRAFT"), "{}", page.body);
    let pdf = p
        .path()
        .join("output/2.0.0/providers/test-pack-providers-2.0.0.pdf");
    let run = Command::new("pdftotext").arg(&pdf).arg("-").output();
    if crate::harness::required_tool(run.is_ok(), "pdftotext", "poppler-utils") {
        let out = run.unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("DRAFT"), "{text}");
    }
}

/// A page open in a real browser reloads by itself after a save: the page's own JavaScript
/// state is gone (a new document) and the new text is there, without the test navigating.
#[test]
fn an_open_page_reloads_itself_in_a_real_browser() {
    let chromium = Path::new("/usr/bin/chromium");
    if !crate::harness::required_tool(chromium.exists(), "/usr/bin/chromium", "chromium") {
        return;
    }
    let p = Project::minimal();
    let server = Running::start(&p, "serve", &["--format", "html"]);
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(chromium, profile.path());
    let mut page = browser.page();
    let url = format!("http://127.0.0.1:{}{PAGE}", server.port);
    page.call("Page.navigate", serde_json::json!({ "url": url }));
    assert!(
        page.wait_for(
            "document.readyState === 'complete' && document.body.innerText.includes('Intro text')"
        ),
        "the page never loaded\n{}",
        server.output()
    );
    // Set before the save: only a new document can lose it. (A page whose event stream
    // connects after the save reloads too: it tells the server which build it came from.)
    page.eval("window.guidepackTestMarker = 'still the first document'; true");

    write(
        &p,
        "content/01-intro.md",
        "---\ntitle: Introduction\n---\n\nReloaded by itself.\n",
    );
    let reloaded = page.wait_for(
        "typeof window.guidepackTestMarker === 'undefined' && document.body.innerText.includes('Reloaded by itself.')",
    );
    assert!(
        reloaded,
        "the open page did not reload\n{}",
        server.output()
    );
}

/// Headless Chromium, killed on drop.
pub(crate) struct Browser {
    child: Child,
    port: u16,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    pub(crate) fn start(chromium: &Path, profile: &Path) -> Browser {
        let child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut browser = Browser { child, port: 0 };
        let file = profile.join("DevToolsActivePort");
        let started = wait_until(Duration::from_secs(30), || {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            browser.port = text
                .lines()
                .next()
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            browser.port != 0
        });
        assert!(started, "Chromium did not start its DevTools server");
        browser
    }

    /// The DevTools connection to the browser's page.
    pub(crate) fn page(&self) -> DevTools {
        let mut url = String::new();
        let found = wait_until(WAIT, || {
            let list: serde_json::Value =
                serde_json::from_str(&get(self.port, "/json/list").body).unwrap_or_default();
            let pages = list.as_array().cloned().unwrap_or_default();
            if let Some(page) = pages.iter().find(|t| t["type"] == "page") {
                url = page["webSocketDebuggerUrl"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
            }
            !url.is_empty()
        });
        assert!(found, "Chromium has no page");
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let (socket, _) = tungstenite::client(url.as_str(), stream).unwrap();
        DevTools { socket, next: 0 }
    }
}

/// A DevTools protocol session with one page.
pub(crate) struct DevTools {
    socket: tungstenite::WebSocket<TcpStream>,
    next: u64,
}

impl DevTools {
    /// Calls a method and returns its result.
    pub(crate) fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next += 1;
        let id = self.next;
        let message = serde_json::json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .unwrap();
        let start = Instant::now();
        while start.elapsed() < WAIT {
            let Ok(reply) = self.socket.read() else {
                break;
            };
            let Ok(text) = reply.to_text() else { continue };
            let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            if value["id"] == id {
                return value["result"].clone();
            }
        }
        panic!("no answer from Chromium to {method}");
    }

    /// Evaluates a JavaScript expression in the page.
    pub(crate) fn eval(&mut self, expression: &str) -> serde_json::Value {
        let result = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true }),
        );
        result["result"]["value"].clone()
    }

    /// Waits until a JavaScript expression is true in the page.
    pub(crate) fn wait_for(&mut self, expression: &str) -> bool {
        wait_until(WAIT, || self.eval(expression) == true)
    }
}
