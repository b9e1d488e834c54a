//! Shards and merge (issue 17, points 2 to 4): `build --shard i/n` makes a deterministic share of
//! the packs into its own folder, `merge` joins all n into an output that is byte for byte a
//! single build's, a wrong set of shards is refused with nothing written, and a release made as
//! shards records what one machine's release records. The GitHub Actions example is run here as
//! its steps say.

use std::fs;
use std::path::Path;

use crate::harness::{Project, tree};

fn assert_same_trees(a: &Path, b: &Path) {
    let (a, b) = (tree(a), tree(b));
    assert!(!a.is_empty(), "nothing was written");
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs");
    }
}

/// The packs a shard's record lists.
fn shard_packs(p: &Project, folder: &str) -> Vec<String> {
    let record: serde_json::Value =
        serde_json::from_str(&p.read(&format!("{folder}/shard.json"))).unwrap();
    (record["packs"].as_array().unwrap().iter())
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

/// The version folder a shard's record names.
fn shard_version(p: &Project, folder: &str) -> String {
    let record: serde_json::Value =
        serde_json::from_str(&p.read(&format!("{folder}/shard.json"))).unwrap();
    record["version"].as_str().unwrap().to_string()
}

#[test]
fn shards_merged_are_the_bytes_of_one_build() {
    let p = Project::minimal_with_areas();
    let single = p.path().join("single");
    let single_arg = single.to_string_lossy().to_string();
    p.run(&["build", "--all-areas", "--no-cache", "--out", &single_arg])
        .expect(0);
    let mut dealt = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let run = p
            .run(&["build", "--all-areas", "--no-cache", "--shard", &shard])
            .expect(0);
        assert!(
            run.stdout
                .contains(&format!("made shard {i}/3: 3 of the 9 packs")),
            "{}",
            run.stdout
        );
        let packs = shard_packs(&p, &format!("shards/{i}-of-3"));
        // No site index in a shard: only its version folder and its record.
        assert!(!p.exists(&format!("shards/{i}-of-3/index.html")));
        dealt.extend(packs);
    }
    dealt.sort();
    assert_eq!(dealt.len(), 9, "every pack in exactly one shard: {dealt:?}");
    dealt.dedup();
    assert_eq!(dealt.len(), 9, "every pack in exactly one shard: {dealt:?}");

    // The same share every time it is asked for.
    let before = shard_packs(&p, "shards/2-of-3");
    p.run(&["build", "--all-areas", "--shard", "2/3", "-q"])
        .expect(0);
    assert_eq!(shard_packs(&p, "shards/2-of-3"), before);

    let shards: Vec<String> = (1..=3)
        .map(|i| {
            p.path()
                .join(format!("shards/{i}-of-3"))
                .to_string_lossy()
                .to_string()
        })
        .collect();
    let mut merge = vec!["merge"];
    merge.extend(shards.iter().map(String::as_str));
    let run = p.run(&merge).expect(0);
    assert!(
        run.stdout.starts_with("merged 3 shards\nbuilt 9 packs"),
        "{}",
        run.stdout
    );
    assert_same_trees(&single, &p.path().join("output"));
}

#[test]
fn a_wrong_set_of_shards_is_refused_and_writes_nothing() {
    let p = Project::minimal_with_areas();
    for shard in ["1/3", "2/3", "3/3"] {
        p.run(&["build", "--all-areas", "--format", "html", "--shard", shard])
            .expect(0);
    }
    p.run(&["build", "--format", "html"]).expect(0);
    let before = p.output_files();
    let merge = |shards: &[&str]| {
        let mut args = vec!["merge"];
        args.extend(shards);
        p.run(&args)
    };
    let (one, two, three) = ("shards/1-of-3", "shards/2-of-3", "shards/3-of-3");
    // The harness runs with --project <dir>: the shard folders are given from there.
    let at = |s: &str| p.path().join(s).to_string_lossy().to_string();
    let (one, two, three) = (at(one), at(two), at(three));

    let run = merge(&[&one, &three]).expect(1);
    assert!(
        run.stderr
            .contains("error: shard 2/3 is missing: a merge needs all 3"),
        "{}",
        run.stderr
    );
    let run = merge(&[&one, &two, &two, &three]).expect(1);
    assert!(
        run.stderr.contains("error: shard 2/3 is given twice"),
        "{}",
        run.stderr
    );
    let run = merge(&[&one, &two, &at("content")]).expect(2);
    assert!(
        run.stderr
            .contains("is not the folder of a finished shard: it has no shard.json"),
        "{}",
        run.stderr
    );

    // A shard of another count.
    p.run(&["build", "--all-areas", "--format", "html", "--shard", "2/2"])
        .expect(0);
    let run = merge(&[&one, &at("shards/2-of-2"), &three]).expect(1);
    assert!(
        run.stderr.contains("one is of 3 shards and the other of 2"),
        "{}",
        run.stderr
    );

    // Shards made from other sources than the project's now.
    let chapter = p.read("content/03-ask.md");
    p.write_bytes(
        "content/03-ask.md",
        chapter.replace("National", "Changed national").as_bytes(),
    );
    let run = merge(&[&one, &two, &three]).expect(1);
    assert!(
        run.stderr
            .contains("the shards were made from other sources than this project's"),
        "{}",
        run.stderr
    );
    // One shard made again from the new sources: the set is of two sources.
    p.run(&["build", "--all-areas", "--format", "html", "--shard", "3/3"])
        .expect(0);
    let run = merge(&[&one, &two, &three]).expect(1);
    assert!(
        run.stderr.contains("they were made from different sources"),
        "{}",
        run.stderr
    );
    p.write_bytes("content/03-ask.md", chapter.as_bytes());
    p.run(&["build", "--all-areas", "--format", "html", "--shard", "3/3"])
        .expect(0);

    // A file of a shard changed after it was made (a damaged download).
    let version = shard_version(&p, "shards/1-of-3");
    let html = p
        .path()
        .join("shards/1-of-3")
        .join(version)
        .join(shard_packs(&p, "shards/1-of-3")[0].clone() + "/index.html");
    let page = fs::read_to_string(&html).unwrap();
    fs::write(&html, page.replace("<main", "<main data-x=\"1\"")).unwrap();
    let run = merge(&[&one, &two, &three]).expect(1);
    assert!(
        run.stderr.contains("cannot be used: its file")
            && run.stderr.contains("is not the one it made"),
        "{}",
        run.stderr
    );

    // A record is only data: records naming a pack outside the project's are refused.
    let first = shard_packs(&p, "shards/2-of-3")[0].clone();
    let mut records = Vec::new();
    for folder in ["shards/1-of-3", "shards/2-of-3", "shards/3-of-3"] {
        let path = p.path().join(folder).join("shard.json");
        let record = fs::read_to_string(&path).unwrap();
        let hostile = record.replace(&format!("\"{first}\""), "\"../../escaped\"");
        fs::write(&path, hostile).unwrap();
        records.push((path, record));
    }
    let run = merge(&[&one, &two, &three]).expect(1);
    assert!(
        run.stderr
            .contains("the shards name a pack this project does not have: `../../escaped`"),
        "{}",
        run.stderr
    );
    for (path, record) in records {
        fs::write(path, record).unwrap();
    }
    assert!(!p.path().join("escaped").exists());

    assert_eq!(p.output_files(), before, "the output is as it was");
    let names: Vec<String> = fs::read_dir(p.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "nothing staged is left: {names:?}");
}

#[test]
fn a_shard_never_empties_a_folder_that_is_not_a_shards() {
    let p = Project::minimal_with_areas().file("notes/keep.txt", "mine");
    let notes = p.path().join("notes").to_string_lossy().to_string();
    let run = p
        .run(&[
            "build", "--format", "html", "--shard", "1/2", "--out", &notes,
        ])
        .expect(2);
    assert!(
        run.stderr
            .contains("already holds files that are not a shard's"),
        "{}",
        run.stderr
    );
    assert_eq!(p.read("notes/keep.txt"), "mine");
    // A shard's folder is replaced whole by the next shard made into it.
    let into = p.path().join("one").to_string_lossy().to_string();
    p.run(&[
        "build", "--format", "html", "--shard", "1/2", "--out", &into,
    ])
    .expect(0);
    let version = shard_version(&p, "one");
    p.write_bytes(&format!("one/{version}/stray.html"), b"old");
    p.run(&[
        "build", "--format", "html", "--shard", "2/2", "--out", &into,
    ])
    .expect(0);
    assert!(!p.exists(&format!("one/{version}/stray.html")));
    assert!(
        !shard_packs(&p, "one").is_empty(),
        "shard 2 of 2 of three packs"
    );
    // Bad counts are the command line's mistake.
    let run = p.run(&["build", "--shard", "4/3"]).expect(2);
    assert!(
        run.stderr.contains("shards are numbered from 1 to 3"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_release_made_as_shards_records_what_one_machine_records() {
    let alone = Project::minimal_with_areas();
    alone.run(&["release", "--no-cache", "-q"]).expect(0);
    let sharded = Project::minimal_with_areas();
    let mut shards = Vec::new();
    for i in 1..=2 {
        let shard = format!("{i}/2");
        let run = sharded
            .run(&["release", "--no-cache", "-q", "--shard", &shard])
            .expect(0);
        assert!(
            run.stdout.contains("(which writes the release)"),
            "{}",
            run.stdout
        );
        shards.push(
            sharded
                .path()
                .join(format!("shards/{i}-of-2"))
                .to_string_lossy()
                .to_string(),
        );
    }
    let version = shard_version(&sharded, "shards/1-of-2");
    assert!(
        !sharded.exists(&format!("releases/{version}")),
        "a shard records no release"
    );
    let mut merge = vec!["merge"];
    merge.extend(shards.iter().map(String::as_str));
    let run = sharded.run(&merge).expect(0);
    assert!(
        run.stdout.contains(&format!("released {version}: 9 packs")),
        "{}",
        run.stdout
    );
    assert_same_trees(&alone.path().join("output"), &sharded.path().join("output"));
    assert_same_trees(
        &alone.path().join("releases"),
        &sharded.path().join("releases"),
    );
    // Merged again, it is refused as a release would be.
    let run = sharded.run(&merge).expect(1);
    assert!(
        run.stderr
            .contains(&format!("version {version} is already released")),
        "{}",
        run.stderr
    );
    // `release --verify` finds the merged release as recorded.
    sharded.run(&["release", "--verify", &version]).expect(0);
}

/// The GitHub Actions example, run as its steps say: each shard job's `guidepack` command with
/// the matrix's values, then the merge job's, in one project; the result is a single build's.
#[test]
fn the_github_actions_example_gives_the_bytes_of_one_build() {
    let example = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/github-actions.yml"),
    )
    .unwrap();
    let matrix: Vec<&str> = example
        .lines()
        .find_map(|l| l.trim().strip_prefix("shard: ["))
        .expect("a matrix of shards")
        .trim_end_matches(']')
        .split(',')
        .map(str::trim)
        .collect();
    let commands: Vec<&str> = example
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: guidepack "))
        .collect();
    assert_eq!(
        commands.len(),
        2,
        "a shard step and a merge step: {commands:?}"
    );
    let (shard_step, merge_step) = (commands[0], commands[1]);
    assert!(shard_step.contains("--shard"), "{shard_step}");

    let p = Project::minimal_with_areas();
    let total = matrix.len().to_string();
    for index in &matrix {
        let line = shard_step
            .replace("${{ matrix.shard }}", index)
            .replace("${{ strategy.job-total }}", &total);
        let args: Vec<&str> = line.split_whitespace().collect();
        p.run(&args).expect(0);
    }
    // The merge job's `shards/*`, as the shell expands it (in the project, where it runs).
    let mut args: Vec<String> = Vec::new();
    for word in merge_step.split_whitespace() {
        match word.strip_suffix("/*") {
            Some(dir) => {
                let mut found: Vec<String> = fs::read_dir(p.path().join(dir))
                    .unwrap()
                    .map(|e| e.unwrap().path().to_string_lossy().to_string())
                    .collect();
                found.sort();
                args.extend(found);
            }
            None => args.push(word.to_string()),
        }
    }
    assert_eq!(args.len(), 1 + matrix.len(), "{args:?}");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    p.run(&args).expect(0);

    let single = p.path().join("single").to_string_lossy().to_string();
    p.run(&["build", "--all-areas", "--out", &single]).expect(0);
    assert_same_trees(&p.path().join("single"), &p.path().join("output"));
}
