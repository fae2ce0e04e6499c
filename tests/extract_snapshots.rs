//! Snapshots of `agenda extract` on the sample releases shipped in `content/`: what an
//! editor sees (text) and what tools read (JSON Lines), field by field with evidence.
//! A change in what the extractor finds shows up here as a reviewable diff.

use std::process::Command;

fn extract(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["extract", "--format", format, "content"])
        .output()
        .expect("run agenda extract");
    assert!(
        out.status.success(),
        "agenda extract failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("extract prints UTF-8")
}

#[test]
fn extract_text_of_the_sample_site() {
    insta::assert_snapshot!("extract_text_content", extract("text"));
}

#[test]
fn extract_jsonl_of_the_sample_site() {
    let text = extract("jsonl");
    // One valid JSON object per document, pretty-printed so the snapshot diffs line by line.
    let docs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(docs.len() >= 12, "the sample site has at least 12 releases");
    let pretty = serde_json::to_string_pretty(&docs).expect("serialize");
    insta::assert_snapshot!("extract_jsonl_content", pretty);
}
