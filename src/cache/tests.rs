use super::store::{decode, encode};
use super::*;

fn files() -> Files {
    vec![
        ("index.html".to_string(), b"<p>Hello</p>".to_vec()),
        ("pack.pdf".to_string(), vec![0, 1, 2, 255]),
        ("images/chart.svg".to_string(), Vec::new()),
    ]
}

fn key(n: u8) -> Key {
    Key([n; 32])
}

#[test]
fn an_entry_reads_back_as_written() {
    assert_eq!(decode(&encode(&files())), Some(files()));
    assert_eq!(decode(&encode(&Vec::new())), Some(Vec::new()));
}

#[test]
fn a_damaged_or_cut_short_entry_is_never_read() {
    let whole = encode(&files());
    for at in 0..whole.len() {
        let mut damaged = whole.clone();
        damaged[at] ^= 0x40;
        assert_eq!(decode(&damaged), None, "a changed byte at {at} was read");
        assert_eq!(decode(&whole[..at]), None, "cut at {at} was read");
    }
}

#[test]
fn an_entry_naming_a_file_outside_the_pack_is_refused() {
    for name in ["../x.html", "/etc/passwd", "a/../../b", "", "a\\b", "./a"] {
        let entry = encode(&vec![(name.to_string(), b"x".to_vec())]);
        assert_eq!(decode(&entry), None, "{name:?} was read");
    }
}

#[test]
fn what_is_put_is_got_and_a_damaged_entry_is_a_miss_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let cache = PackCache::new(dir.path().join("c"), DEFAULT_LIMIT);
    assert_eq!(cache.get(&key(1)), None);
    cache.put(&key(1), &files());
    assert_eq!(cache.get(&key(1)), Some(files()));
    assert_eq!(cache.used(), Used { hits: 1, misses: 1 });
    assert!(dir.path().join("c/CACHEDIR.TAG").is_file());

    let path = cache.store.path(&key(1).hex());
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    assert_eq!(cache.get(&key(1)), None);
    assert!(!path.exists(), "the damaged entry is gone");
}

#[test]
fn a_folder_that_cannot_be_written_leaves_the_cache_empty_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, "not a folder").unwrap();
    let cache = PackCache::new(blocked, DEFAULT_LIMIT);
    cache.put(&key(2), &files());
    assert_eq!(cache.get(&key(2)), None);
    cache.trim();
}

#[test]
fn trimming_keeps_the_cache_under_its_limit_dropping_the_least_recently_used() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![("a".to_string(), vec![7u8; 1000])];
    let cache = PackCache::new(dir.path().to_path_buf(), 2500);
    for n in 1..=3 {
        cache.put(&key(n), &big);
        let path = cache.store.path(&key(n).hex());
        let when = SystemTimeAt::seconds(1_000 + u64::from(n));
        std::fs::File::options()
            .append(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    cache.trim();
    let sum = cache.store.path(&key(1).hex()).with_extension("sum");
    assert!(!sum.exists(), "its summary with it");
    assert_eq!(cache.get(&key(1)), None, "the oldest went");
    assert!(cache.get(&key(2)).is_some());
    assert!(cache.get(&key(3)).is_some());
}

struct SystemTimeAt;

impl SystemTimeAt {
    fn seconds(s: u64) -> std::time::SystemTime {
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(s)
    }
}

#[test]
fn only_files_a_renderer_may_read_are_render_inputs() {
    assert!(read_by_renderers("templates/html/page.html"));
    assert!(read_by_renderers("content/images/chart.png"));
    assert!(read_by_renderers(
        "content/areas/kent/templates/pdf/pack.typ"
    ));
    assert!(read_by_renderers("fonts/NotoSansBengali-Regular.ttf"));
    assert!(!read_by_renderers("content/01-intro.md"));
    assert!(!read_by_renderers("content/framework/roles.toml"));
    assert!(!read_by_renderers("content/areas/kent/area.toml"));
    assert!(!read_by_renderers("releases/1.0.0/record.json"));
}

#[test]
fn a_summary_lists_an_entry_and_a_damaged_one_is_never_read() {
    use super::store::{read_summary, summary};
    let text = String::from_utf8(summary(&files())).unwrap();
    let held = read_summary(&text).unwrap();
    let names: Vec<(&str, u64)> = held.iter().map(|h| (h.name.as_str(), h.bytes)).collect();
    assert_eq!(
        names,
        vec![("index.html", 12), ("pack.pdf", 4), ("images/chart.svg", 0)]
    );
    assert_eq!(held[0].sha256, crate::hash::sha256_hex(b"<p>Hello</p>"));
    let bytes = text.as_bytes();
    for at in 0..bytes.len() {
        let mut damaged = bytes.to_vec();
        damaged[at] ^= 0x01;
        if let Ok(damaged) = String::from_utf8(damaged) {
            assert_eq!(
                read_summary(&damaged),
                None,
                "a changed byte at {at} was read"
            );
        }
        assert_eq!(
            read_summary(std::str::from_utf8(&bytes[..at]).unwrap()),
            None,
            "cut at {at} was read"
        );
    }
    // A name that cannot be one line: no summary, so the entry itself is read.
    assert!(summary(&vec![("a\nb".to_string(), b"x".to_vec())]).is_empty());
    assert_eq!(read_summary(""), None);
}

#[test]
fn held_files_are_offered_only_when_the_output_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let cache = PackCache::new(dir.path().to_path_buf(), DEFAULT_LIMIT);
    assert_eq!(cache.held(&key(1), |_| true), None, "nothing stored");
    cache.put(&key(1), &files());
    assert_eq!(cache.held(&key(1), |_| false), None, "not in the output");
    assert_eq!(cache.used().hits, 0);
    let held = cache.held(&key(1), |held| held.len() == 3).unwrap();
    assert_eq!(held.len(), 3);
    assert_eq!(cache.used().hits, 1);
    // An entry written before summaries were: its summary is written when it is read.
    let sum = dir
        .path()
        .join("v1/01")
        .join(format!("{}.sum", key(1).hex()));
    std::fs::remove_file(&sum).unwrap();
    assert_eq!(cache.held(&key(1), |_| true), None);
    assert_eq!(cache.get(&key(1)), Some(files()));
    assert!(cache.held(&key(1), |_| true).is_some());
}
