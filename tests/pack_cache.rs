//! The pack cache (issue 17, point 1): a pack whose inputs have not changed is taken from
//! `.guidepack-cache/` instead of rendered, and the output is byte for byte what a build
//! without the cache makes, after every kind of change.

use std::fs;
use std::path::Path;

use crate::harness::{Project, Run, tree};

/// How many renderings the build took from the cache, of how many (0 of 0 when it says
/// nothing of the cache: none were taken).
fn taken(run: &Run) -> (usize, usize) {
    let Some(line) = run
        .stdout
        .lines()
        .find(|l| l.contains("taken from the cache"))
    else {
        return (0, 0);
    };
    let mut words = line.split(' ');
    let hits = words.next().unwrap().parse().unwrap();
    assert_eq!(words.next(), Some("of"), "{line}");
    let all = words.next().unwrap().parse().unwrap();
    (hits, all)
}

const BUILD: [&str; 4] = ["build", "--all-areas", "--format", "html"];

/// Builds with the cache, then without it into another folder, and asserts both outputs are
/// the same bytes. Returns the cached build's run.
fn build_and_compare(p: &Project, args: &[&str]) -> Run {
    let cached = p.run(args).expect(0);
    let fresh_out = p.path().join("fresh");
    let _ = fs::remove_dir_all(&fresh_out);
    let fresh_out_arg = fresh_out.to_string_lossy().to_string();
    let mut fresh: Vec<&str> = args.to_vec();
    fresh.extend(["--no-cache", "--out", &fresh_out_arg]);
    p.run(&fresh).expect(0);
    let (with, without) = (tree(&p.path().join("output")), tree(&fresh_out));
    assert_eq!(
        with.keys().collect::<Vec<_>>(),
        without.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &with {
        assert!(
            without[path] == *bytes,
            "{path} differs from a build without the cache\n{}",
            cached.stdout
        );
    }
    cached
}

#[test]
fn an_unchanged_pack_is_taken_from_the_cache_with_the_same_bytes() {
    let p = Project::minimal_with_areas();
    let args = [
        "build",
        "--all-areas",
        "--format",
        "html",
        "--format",
        "pdf",
    ];
    let first = p.run(&args).expect(0);
    assert_eq!(taken(&first), (0, 0), "{}", first.stdout);
    assert!(p.path().join(".guidepack-cache/CACHEDIR.TAG").is_file());
    let before = p.output_files();
    let second = build_and_compare(&p, &args);
    assert_eq!(taken(&second), (18, 18), "{}", second.stdout);
    assert_eq!(p.output_files(), before);
}

#[test]
fn each_kind_of_input_renders_again_the_packs_it_reaches_and_only_those() {
    let p = Project::minimal_with_areas();
    p.run(&BUILD).expect(0);
    // (what changes, the file and its new text, how many of the nine packs it reaches)
    let changes: [(&str, &str, &str, usize); 6] = [
        (
            "an area's area.toml",
            "content/areas/kent/area.toml",
            "name = \"Kent\"\n[vars]\nnurse = \"the new Kent nurse\"\n",
            3,
        ),
        (
            "a chapter every pack shows",
            "content/01-intro.md",
            "---\ntitle: Introduction\n---\n\nNew intro text for everyone.\n",
            9,
        ),
        (
            "the framework (a duty of the commissioners' role)",
            "content/framework/data.toml",
            &fs::read_to_string(p.path().join("content/framework/data.toml"))
                .unwrap()
                .replace("Assure the safety", "Assure the quality and safety"),
            3,
        ),
        (
            "a template",
            "templates/html/style.css",
            &(fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/html/style.css"),
            )
            .unwrap()
                + "\n.gp-footer { border-top-width: 3px; }\n"),
            9,
        ),
        ("an image", "content/assets/dot.png", "", 9),
        (
            "guidepack.toml",
            "guidepack.toml",
            &fs::read_to_string(p.path().join("guidepack.toml"))
                .unwrap()
                .replace("Test publisher", "Another publisher"),
            9,
        ),
    ];
    for (what, path, text, reached) in changes {
        if path.ends_with(".png") {
            let mut bytes = fs::read(p.path().join(path)).unwrap();
            bytes.extend_from_slice(b"\0");
            p.write_bytes(path, &bytes);
        } else {
            p.write_bytes(path, text.as_bytes());
        }
        let run = build_and_compare(&p, &BUILD);
        let (hits, all) = taken(&run);
        let rendered = if all == 0 { 9 } else { all - hits };
        assert_eq!(rendered, reached, "after changing {what}:\n{}", run.stdout);
    }
}

#[test]
fn a_damaged_cache_is_never_read_and_can_be_deleted_at_any_time() {
    let p = Project::minimal_with_areas();
    p.run(&BUILD).expect(0);
    let before = p.output_files();
    let cache = p.path().join(".guidepack-cache");
    for (path, mut bytes) in tree(&cache) {
        if path.starts_with("v1/") && !bytes.is_empty() {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x20;
            fs::write(cache.join(&path), bytes).unwrap();
        }
    }
    let run = p.run(&BUILD).expect(0);
    assert_eq!(taken(&run), (0, 0), "{}", run.stdout);
    assert_eq!(p.output_files(), before);
    fs::remove_dir_all(&cache).unwrap();
    p.run(&BUILD).expect(0);
    assert_eq!(p.output_files(), before);
}

#[test]
fn no_cache_and_another_cache_folder() {
    let p = Project::minimal_with_areas();
    p.run(&["build", "--format", "html", "--no-cache"])
        .expect(0);
    assert!(!p.path().join(".guidepack-cache").exists());
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = elsewhere.path().join("shared-cache");
    let dir_arg = dir.to_string_lossy().to_string();
    p.run(&["build", "--format", "html", "--cache", &dir_arg])
        .expect(0);
    assert!(dir.join("CACHEDIR.TAG").is_file());
    let again = p
        .run(&["build", "--format", "html", "--cache", &dir_arg])
        .expect(0);
    assert_eq!(taken(&again), (3, 3), "{}", again.stdout);
    assert!(!p.path().join(".guidepack-cache").exists());

    let in_content = p.path().join("content/cache").to_string_lossy().to_string();
    let inside = p.run(&["build", "--cache", &in_content]);
    assert_eq!(inside.code, 2, "{}", inside.stderr);
    assert!(
        (inside.stderr)
            .contains("is inside the project's `content/` folder, which guidepack reads"),
        "{}",
        inside.stderr
    );
}

/// Writes an entry as the cache stores it (see `src/cache/store.rs`): the test's own encoder,
/// so that a changed format is noticed here.
fn entry(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use sha2::Digest;
    let mut out = b"GPCACHE1".to_vec();
    out.extend((files.len() as u32).to_le_bytes());
    for (name, bytes) in files {
        out.extend((name.len() as u32).to_le_bytes());
        out.extend(name.as_bytes());
        out.extend((bytes.len() as u64).to_le_bytes());
        out.extend(bytes);
    }
    let sum = sha2::Sha256::digest(&out);
    out.extend(sum);
    out
}

#[test]
fn release_uses_the_cache_and_verify_never_does() {
    let p = Project::minimal_with_areas();
    let release = p.run(&["release"]).expect(0);
    let cache = p.path().join(".guidepack-cache");
    assert!(cache.join("CACHEDIR.TAG").is_file(), "{}", release.stdout);
    // Every entry made to say something else, in a well-made entry: a build would take it.
    for (path, _) in tree(&cache) {
        if path.starts_with("v1/") {
            let poisoned = vec![("index.html".to_string(), b"poisoned".to_vec())];
            fs::write(cache.join(&path), entry(&poisoned)).unwrap();
        }
    }
    let verified = p.run(&["release", "--verify", "2.0.0"]);
    verified.expect(0);
}

#[test]
fn two_builds_sharing_the_cache_at_once_both_make_the_same_bytes() {
    let p = Project::minimal_with_areas();
    let outs: Vec<String> = ["one", "two"]
        .iter()
        .map(|n| p.path().join(n).to_string_lossy().to_string())
        .collect();
    for _ in 0..2 {
        std::thread::scope(|s| {
            for out in &outs {
                let p = &p;
                s.spawn(move || {
                    p.run(&["build", "--all-areas", "--format", "html", "--out", out])
                        .expect(0)
                });
            }
        });
        let (one, two) = (tree(Path::new(&outs[0])), tree(Path::new(&outs[1])));
        assert_eq!(one, two);
    }
    let leftovers: Vec<String> = tree(&p.path().join(".guidepack-cache"))
        .into_keys()
        .filter(|path| {
            path.rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with('.'))
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// A build in which nothing changed links the output's own files (the cache's summary says
/// they are what each key made) without reading them; a file changed by hand in the output,
/// even to the same size, is still written again from the cache.
#[test]
fn an_output_file_changed_by_hand_is_made_again_from_the_cache() {
    let p = Project::minimal_with_areas();
    let args = ["build", "--all-areas", "--format", "html"];
    p.run(&args).expect(0);
    let before = p.output_files();
    let page = (before.keys())
        .find(|path| path.ends_with("/areas/kent/providers/index.html"))
        .unwrap()
        .clone();
    let original = before[&page].clone();
    // Same size, other bytes; then another length.
    let mut edited = original.clone();
    let at = edited.len() / 2;
    edited[at] = if edited[at] == b'x' { b'y' } else { b'x' };
    for changed in [edited, b"<p>mine</p>".to_vec()] {
        // Later than the manifest, as any edit after a build is.
        std::thread::sleep(std::time::Duration::from_millis(20));
        p.write_bytes(&format!("output/{page}"), &changed);
        let run = p.run(&args).expect(0);
        assert_eq!(taken(&run), (9, 9), "{}", run.stdout);
        assert!(
            p.output_files()[&page] == original,
            "the page is made again"
        );
        assert_eq!(p.output_files(), before);
    }
    // Nothing changed: every pack's files are the same files (linked, not written again).
    let inode = |path: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p.path().join("output").join(path))
            .unwrap()
            .ino()
    };
    let was = inode(&page);
    p.run(&args).expect(0);
    assert_eq!(inode(&page), was);

    // A pack folder with a file the manifest does not list is made whole again (the stray
    // file goes), as are the packs whose folders hold only their own files.
    let folder = page.trim_end_matches("index.html");
    p.write_bytes(&format!("output/{folder}stray.html"), b"not ours");
    std::os::unix::fs::symlink(
        "/etc/hostname",
        p.path().join(format!("output/{folder}link.html")),
    )
    .unwrap();
    let run = p.run(&args).expect(0);
    assert_eq!(taken(&run), (9, 9), "{}", run.stdout);
    assert_eq!(p.output_files(), before);

    // Such a build reads only the summaries: with the entries' bytes gone, nothing is made.
    let entries = p.path().join(".guidepack-cache/v1");
    for folder in std::fs::read_dir(&entries).unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "sum") {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    let run = p.run(&args).expect(0);
    assert_eq!(taken(&run), (9, 9), "{}", run.stdout);
    assert_eq!(p.output_files(), before);
}
