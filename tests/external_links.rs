//! `check --external`: every web address in the text and data tried against a small web server
//! that the test runs on 127.0.0.1; nothing else goes online.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::{Project, Run, stderr_snapshot};

/// A web server on loopback that answers by path and records every request it gets.
struct Site {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Site {
    fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || answer(stream, port, &seen));
            }
        });
        Site { port, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every request so far, as `METHOD /path`.
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn requests_for(&self, path: &str) -> Vec<String> {
        let suffix = format!(" {path}");
        self.requests()
            .into_iter()
            .filter(|r| r.ends_with(&suffix))
            .collect()
    }
}

fn answer(mut stream: TcpStream, port: u16, seen: &Mutex<Vec<String>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16_384 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
        if head == [0x16] {
            // The start of a TLS handshake: this site speaks only plain http.
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut first = head.split_whitespace();
    let (method, path) = (
        first.next().unwrap_or("").to_string(),
        first.next().unwrap_or("").to_string(),
    );
    seen.lock().unwrap().push(format!("{method} {path}"));
    let (status, location) = match path.as_str() {
        "/ok" | "/statute-ok" => ("200 OK", None),
        "/moved" => ("301 Moved Permanently", Some("/ok".to_string())),
        "/loop-a" => ("302 Found", Some(format!("http://127.0.0.1:{port}/loop-b"))),
        "/loop-b" => ("302 Found", Some("/loop-a".to_string())),
        "/no-head" if method == "HEAD" => ("405 Method Not Allowed", None),
        "/no-head" => ("200 OK", None),
        "/slow" => {
            // No answer: wait until the client gives up and closes the connection.
            let _ = stream.read(&mut byte);
            return;
        }
        _ => ("404 Not Found", None),
    };
    let location = location.map_or(String::new(), |l| format!("Location: {l}\r\n"));
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{location}Content-Length: 2\r\nConnection: close\r\n\r\n"
    );
    if method != "HEAD" {
        let _ = stream.write_all(b"ok");
    }
}

/// The minimal project with links to the site in a chapter and in the statute data.
fn project(site: &Site) -> Project {
    let body = format!(
        "\nSee [the gone page]({gone}) and [a moved page]({moved}).\n\n\
         A [loop]({looping}), a [slow site]({slow}),\n\
         a [site that refuses the short question]({no_head}) and [mail](mailto:someone@example.org).\n\n\
         Again: [gone]({gone}#part). The [secure page]({secure}).\n",
        gone = site.url("/gone"),
        moved = site.url("/moved"),
        looping = site.url("/loop-a"),
        slow = site.url("/slow"),
        no_head = site.url("/no-head"),
        secure = site.url("/ok").replace("http:", "https:"),
    );
    let data = Project::minimal().read("content/framework/data.toml");
    let data = data.replace(
        "https://www.legislation.gov.uk/ukpga/2004/31/section/11",
        &site.url("/statute-gone"),
    ) + &format!(
        "\n[[statute]]\nid = \"ok-act\"\ntitle = \"An act that is there\"\nurl = \"{}\"\n",
        site.url("/statute-ok")
    );
    Project::minimal()
        .chapter("02-links.md", "title: Links", &body)
        .file("content/framework/data.toml", &data)
}

/// Runs the binary with a short timeout for each request, so the slow site costs little.
fn run(project: &Project, args: &[&str]) -> Run {
    project.run_with(&[("GUIDEPACK_EXTERNAL_TIMEOUT_MS", "1500")], args)
}

#[test]
fn each_broken_address_is_a_warning_where_it_is_written() {
    let site = Site::start();
    let project = project(&site);
    let run = run(&project, &["check", "--external"]).expect(0);
    // Each broken address where it is written, with the other places of the same address: a
    // 404, a redirect loop, a timeout (at its column after the loop's address, whose length
    // depends on the port), a statute's `url`, and an https address where the site does not
    // speak https (a TLS error, in words).
    let run = stderr_snapshot!(run);
    // The redirect was followed to a page that is there; a site that refuses HEAD is asked
    // with GET; neither is reported.
    assert_eq!(site.requests_for("/moved"), ["HEAD /moved"]);
    assert_eq!(site.requests_for("/ok"), ["HEAD /ok"]);
    assert_eq!(
        site.requests_for("/no-head"),
        ["HEAD /no-head", "GET /no-head"]
    );
    assert!(!run.stderr.contains("/moved`"), "{}", run.stderr);
    assert!(!run.stderr.contains("/no-head`"), "{}", run.stderr);
    assert!(!run.stderr.contains("/statute-ok`"), "{}", run.stderr);
    // Each address is tried once, however many places use it (HEAD, then GET when HEAD is
    // refused); the statute that is there was tried too; `mailto:` was not.
    assert_eq!(site.requests_for("/gone"), ["HEAD /gone", "GET /gone"]);
    assert_eq!(site.requests_for("/statute-ok"), ["HEAD /statute-ok"]);
    assert!(!run.stderr.contains("`mailto:"), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("external links: 8 addresses tried, 0 from the last day's results, 5 broken"),
        "{}",
        run.stdout
    );
}

#[test]
fn strict_makes_broken_addresses_errors() {
    let site = Site::start();
    let project = project(&site);
    stderr_snapshot!(run(&project, &["check", "--external", "--strict"]).expect(1));
    let json = run(
        &project,
        &["check", "--external", "--strict", "--format", "json"],
    )
    .expect(1);
    let statute = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|d| d["file"] == "content/framework/data.toml")
        .unwrap_or_else(|| panic!("no statute finding in\n{}", json.stdout));
    assert_eq!(statute["severity"], "error");
    assert_eq!(statute["line"], 41);
    assert_eq!(statute["column"], 7);
}

#[test]
fn a_second_run_within_a_day_asks_no_site_again() {
    let site = Site::start();
    let project = project(&site);
    project.build_html();
    let built = project.output_files();
    run(&project, &["check", "--external"]).expect(0);
    let asked = site.requests().len();
    assert!(asked >= 8, "{:?}", site.requests());
    let again = run(&project, &["check", "--external"]).expect(0);
    assert_eq!(site.requests().len(), asked, "{:?}", site.requests());
    let again = stderr_snapshot!(again);
    assert!(
        again
            .stdout
            .contains("external links: 0 addresses tried, 8 from the last day's results, 5 broken"),
        "{}",
        again.stdout
    );
    // The output is as the build left it, with the results beside it.
    let mut after = project.output_files();
    assert!(after.remove(".cache/external-links.json").is_some());
    assert_eq!(after, built);
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let site = Site::start();
    let project = project(&site).file("output/.cache/external-links.json", "{\"links\": [oops");
    stderr_snapshot!(run(&project, &["check", "--external"]).expect(0));
    assert_eq!(site.requests_for("/gone"), ["HEAD /gone", "GET /gone"]);
    let kept = project.read("output/.cache/external-links.json");
    assert!(kept.contains(&site.url("/gone")), "{kept}");
}

#[test]
fn without_external_no_site_is_asked() {
    let site = Site::start();
    let project = project(&site);
    let plain = run(&project, &["check"]).expect(0);
    assert!(!plain.stderr.contains("does not work"), "{}", plain.stderr);
    run(&project, &["check", "--strict"]).expect(0);
    project.build_html();
    assert!(site.requests().is_empty(), "{:?}", site.requests());
    assert!(!project.exists("output/.cache"));
}

#[test]
fn a_project_without_web_addresses_gets_no_cache() {
    let project = Project::minimal().file(
        "content/framework/data.toml",
        &Project::minimal()
            .read("content/framework/data.toml")
            .replace(
                "url = \"https://www.legislation.gov.uk/ukpga/2004/31/section/11\"\n",
                "",
            ),
    );
    let run = run(&project, &["check", "--external"]).expect(0);
    assert!(
        run.stdout.contains("external links: 0 addresses tried"),
        "{}",
        run.stdout
    );
    assert!(!project.exists("output"));
}

#[test]
fn strict_counts_every_warning_as_an_error() {
    let project = Project::minimal().chapter(
        "02-relative.md",
        "title: Relative",
        "\nSee [the form](form.pdf).\n",
    );
    run(&project, &["check"]).expect(0);
    run(&project, &["check", "--strict"]).expect(1);
}
