//! Gives the program an identity of its own code: the sha256 of `src/`, `templates/`,
//! `Cargo.toml` and `Cargo.lock` (paths and bytes, in path order), as `GUIDEPACK_BUILD_ID`. The
//! pack cache keys on it, so a guidepack built from other code never reuses another's packs,
//! even at the same version number.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    let inputs = ["src", "templates", "Cargo.toml", "Cargo.lock"];
    let mut files = Vec::new();
    for input in inputs {
        println!("cargo:rerun-if-changed={input}");
        collect(Path::new(input), &mut files);
    }
    files.sort();
    let mut hasher = Sha256::new();
    for path in &files {
        let Ok(bytes) = fs::read(path) else { continue };
        let name = path.to_string_lossy().replace('\\', "/");
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let id: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo:rustc-env=GUIDEPACK_BUILD_ID={id}");
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    if meta.is_file() {
        files.push(path.to_path_buf());
    } else if meta.is_dir()
        && let Ok(entries) = fs::read_dir(path)
    {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
