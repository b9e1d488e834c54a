//! Live reload: the script the server injects into HTML responses while it serves (the files
//! in the output folder stay free of JavaScript), and the pages it makes itself.

/// The URL of the server-sent events.
pub const EVENTS_PATH: &str = "/__guidepack/events";
/// The URL of the build state as JSON.
pub const STATUS_PATH: &str = "/__guidepack/status";

/// The script: listens to the build events; reloads the page when a publish changed it (or
/// when it shows an error), and shows a build failure over the page. `__GENERATION__` is the
/// generation of the build the page was served from; `__ANY__` is `true` for pages that must
/// reload after any publish (the server's own pages).
const SCRIPT: &str = r#"<script data-guidepack-preview>
(function () {
  "use strict";
  var generation = __GENERATION__;
  var any = __ANY__;
  var here = location.pathname;
  if (here.charAt(here.length - 1) === "/") { here += "index.html"; }
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(data) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "guidepack-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.82);" +
      "overflow:auto;padding:2rem 1rem;font:16px/1.5 system-ui,sans-serif;";
    var panel = document.createElement("div");
    panel.style.cssText = "max-width:60rem;margin:0 auto;background:#fff;color:#1a1a1a;" +
      "border-top:8px solid #b00020;padding:1.25rem 1.5rem;box-shadow:0 4px 24px #000;";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 .5rem;font-size:1.4rem;color:#b00020;";
    title.textContent = "The build failed";
    var note = document.createElement("p");
    note.style.cssText = "margin:0 0 1rem;";
    note.textContent = "This page shows the last good build. Fix the error below and save: the page reloads by itself.";
    var text = document.createElement("pre");
    text.style.cssText = "margin:0;padding:1rem;background:#f4f4f4;color:#1a1a1a;white-space:pre-wrap;" +
      "font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;overflow:auto;";
    text.textContent = data.text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide this message";
    close.style.cssText = "margin-top:1rem;font:inherit;padding:.4rem .9rem;";
    close.onclick = function () { overlay.style.display = "none"; };
    panel.appendChild(title); panel.appendChild(note); panel.appendChild(text); panel.appendChild(close);
    overlay.appendChild(panel);
    document.body.appendChild(overlay);
  }
  function listen() {
    if (!window.EventSource) { return; }
    var events = new EventSource("__EVENTS__?since=" + generation);
    events.addEventListener("reload", function (e) {
      var data = JSON.parse(e.data);
      generation = data.generation;
      if (any || overlay || data.all || data.paths.indexOf(here) >= 0) { location.reload(); }
    });
    events.addEventListener("failed", function (e) {
      var data = JSON.parse(e.data);
      generation = data.generation;
      show(data);
    });
  }
  listen();
})();
</script>
"#;

/// The script for a page served from build `generation`.
pub fn script(generation: u64, any: bool) -> String {
    SCRIPT
        .replace("__GENERATION__", &generation.to_string())
        .replace("__ANY__", if any { "true" } else { "false" })
        .replace("__EVENTS__", EVENTS_PATH)
}

/// The HTML with the script put in before `</body>` (or at the end when there is none).
pub fn inject(html: &[u8], generation: u64, any: bool) -> Vec<u8> {
    let script = script(generation, any);
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A page the server makes itself (no build yet, not found), with the script in it.
pub fn page(title: &str, text: &str, generation: u64) -> Vec<u8> {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – guidepack preview</title>\n</head>\n\
         <body style=\"font:18px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a\">\n\
         <main>\n<h1>{title}</h1>\n<p>{text}</p>\n<p><a href=\"/\">Preview home</a></p>\n</main>\n</body>\n</html>\n",
        title = escape(title),
        text = escape(text),
    );
    inject(html.as_bytes(), generation, true)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = b"<html><body><p>Hi</p></BODY></html>";
        let out = String::from_utf8(inject(html, 7, false)).unwrap();
        assert!(out.starts_with("<html><body><p>Hi</p><script data-guidepack-preview>"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
        assert!(out.contains("var generation = 7;") && out.contains("var any = false;"));
        assert!(out.contains("new EventSource(\"/__guidepack/events?since=\""));
    }

    #[test]
    fn pages_without_a_body_get_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>x</p>", 0, true)).unwrap();
        assert!(out.starts_with("<p>x</p><script"));
    }

    #[test]
    fn own_pages_escape_their_text() {
        let out = String::from_utf8(page("No build", "a <b> & c", 0)).unwrap();
        assert!(out.contains("a &lt;b&gt; &amp; c"));
    }
}
