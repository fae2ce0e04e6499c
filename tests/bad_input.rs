//! Bad input: each broken file gives one clear line naming the file (and the line when
//! known), the other documents are still read, and nothing panics.
//!
//! Every test writes a small content folder with one good release and one bad file, then
//! runs the real `agenda check` on it.

use std::path::Path;
use std::process::Command;

const GOOD: &str = "---\ntitle: Un communiqué sans histoire\ndate: 2023-11-20 17:43:00 +01:00\nagenda: false\n---\n\nLa direction publie son rapport annuel.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The output lines about `content/communiques/bad.md`.
    fn bad_lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| l.starts_with("content/communiques/bad.md"))
            .collect()
    }

    /// The single line about the bad file; fails unless there is exactly one.
    /// The one line about bad.md that says `what` (a front matter that does not parse is
    /// reported, and the rest of the file is still read, with its own remarks).
    fn line_with(&self, what: &str) -> &str {
        let lines: Vec<&str> = self
            .bad_lines()
            .into_iter()
            .filter(|l| l.contains(what))
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "expected one line with {what:?}:\n{}",
            self.stdout
        );
        lines[0]
    }

    fn one_bad_line(&self) -> &str {
        let lines = self.bad_lines();
        assert_eq!(
            lines.len(),
            1,
            "expected one line about bad.md:\n{}",
            self.stdout
        );
        lines[0]
    }
}

fn check_with(name: &str, bytes: &[u8]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("content/communiques");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("good.md"), GOOD).unwrap();
    std::fs::write(folder.join(name), bytes).unwrap();
    run_check(dir.path())
}

fn check_bad(bytes: &[u8]) -> Run {
    check_with("bad.md", bytes)
}

fn run_check(cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .arg("check")
        .current_dir(cwd)
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "panic:\n{}", run.stderr);
    assert!(
        !run.stdout.contains("good.md"),
        "the good document has problems:\n{}",
        run.stdout
    );
    run
}

/// The bad file was refused, the good one read.
fn assert_refused(run: &Run) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 document read, 1 not read"),
        "the good document must still be read:\n{}",
        run.stderr
    );
}

/// Both files were read, the bad one with a warning.
fn assert_read_with_warning(run: &Run) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("2 documents read"),
        "both documents must be read:\n{}",
        run.stderr
    );
}

#[test]
fn non_utf8_bytes_are_read_as_windows_1252_with_a_warning() {
    let run = check_bad(
        b"---\ntitle: Caf\xe9 Transfo\ndate: 2023-11-20\nagenda: false\n---\n\nLe caf\xe9 \x93num\xe9rique\x94.\n",
    );
    assert_read_with_warning(&run);
    assert_eq!(
        run.one_bad_line(),
        "content/communiques/bad.md:2: not valid UTF-8 (byte 0xE9); read as Windows-1252, save the file as UTF-8"
    );
}

#[test]
fn nul_bytes_are_refused() {
    let run = check_bad(b"---\ntitle: x\ndate: 2023-11-20\n---\n\nTexte\0\0\0binaire\n");
    assert_refused(&run);
    assert_eq!(
        run.one_bad_line(),
        "content/communiques/bad.md:6: contains NUL bytes: not a text file; not read"
    );
}

#[test]
fn a_binary_file_named_md_is_refused() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8; 64]);
    let run = check_bad(&png);
    assert_refused(&run);
    assert!(
        run.one_bad_line().contains("not a text file"),
        "{}",
        run.stdout
    );
}

#[test]
fn empty_file_is_refused() {
    for bytes in [&b""[..], b"\n\n  \n", b"\xef\xbb\xbf"] {
        let run = check_bad(bytes);
        assert_refused(&run);
        assert_eq!(
            run.one_bad_line(),
            "content/communiques/bad.md: empty file; not read"
        );
    }
}

#[test]
fn file_without_front_matter_is_read_and_reported() {
    let run = check_bad(b"# Salon des maires\n\nNos \xc3\xa9quipes seront pr\xc3\xa9sentes.\n");
    assert_read_with_warning(&run);
    let lines = run.bad_lines();
    assert!(
        lines.contains(&"content/communiques/bad.md:1: no front matter (the file should start with a `---` line, then `title:` and `date:`)"),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().any(|l| l.contains("no publication date")),
        "{}",
        run.stdout
    );
}

#[test]
fn file_without_front_matter_takes_its_date_from_the_file_name() {
    let run = check_with("2023-10-19-bad.md", b"Un texte sans en-t\xc3\xaate.\n");
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("2023-10-19-bad.md"))
        .collect();
    assert_eq!(
        lines,
        vec!["content/communiques/2023-10-19-bad.md:1: no front matter (the file should start with a `---` line, then `title:` and `date:`)"],
        "{}",
        run.stdout
    );
}

#[test]
fn unterminated_front_matter_is_refused() {
    let run = check_bad(
        b"---\ntitle: x\ndate: 2023-11-20\n\nLe texte commence sans fermer l'en-t\xc3\xaate.\n",
    );
    assert_refused(&run);
    assert_eq!(
        run.one_bad_line(),
        "content/communiques/bad.md:1: front matter opened with `---` is never closed (add a `---` line after it)"
    );
}

#[test]
fn malformed_yaml_is_reported_and_the_rest_read_with_file_line_and_column() {
    // The quote opened on the 4th line of the file is never closed.
    let run = check_bad(b"---\ntitle: x\ndate: 2023-11-20\nlieu: \"Paris\n---\n\nTexte\n");
    assert_read_with_warning(&run);
    let line = run.line_with("invalid front matter");
    assert!(
        line.starts_with("content/communiques/bad.md:4:7: invalid front matter"),
        "{line}"
    );
    assert!(line.ends_with("(a quote is not closed)"), "{line}");

    // The most common mistake: an unquoted ": " in a value.
    let run =
        check_bad(b"---\ntitle: Salon : les dates: 12 mars\ndate: 2023-11-20\n---\n\nTexte\n");
    assert_read_with_warning(&run);
    let line = run.line_with("invalid front matter");
    assert!(line.starts_with("content/communiques/bad.md:2:"), "{line}");
    assert!(
        line.ends_with("(a value that contains \": \" must be put in quotes)"),
        "{line}"
    );

    let run = check_bad(b"---\ntitle: x\ndate: 2023-11-20\n  lieu: Paris\n---\n\nTexte\n");
    assert_read_with_warning(&run);
    let line = run.line_with("invalid front matter");
    assert!(line.starts_with("content/communiques/bad.md:4:"), "{line}");
    assert!(
        line.contains("invalid front matter: mapping values are not allowed"),
        "{line}"
    );
}

#[test]
fn a_repeated_key_keeps_its_last_value_with_a_warning() {
    // Jekyll reads such files (the last value wins): so does agenda, and says so.
    let run =
        check_bad(b"---\ntitle: x\ndate: 2023-11-20\ntitle: y\nagenda: false\n---\n\nTexte\n");
    assert_read_with_warning(&run);
    assert_eq!(
        run.one_bad_line(),
        "content/communiques/bad.md:4: `title` is written twice in the front matter; the last value is used"
    );
}

#[test]
fn a_repeated_key_inside_a_list_is_reported_and_the_rest_read() {
    let run = check_bad(b"---\ntitle: x\ndate: 2023-11-20\nagenda:\n- start: 2023-12-01\n  start: 2023-12-02\n---\n\nTexte\n");
    assert_read_with_warning(&run);
    let line = run.line_with("invalid front matter");
    assert!(line.starts_with("content/communiques/bad.md:5:"), "{line}");
    assert!(
        line.contains("duplicate entry with key \"start\""),
        "{line}"
    );
}

#[test]
fn yaml_alias_bomb_is_reported_and_the_rest_read() {
    let mut y = String::from("---\ntitle: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for c in 'b'..='m' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        y.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    y.push_str("---\n\nTexte\n");
    let run = check_bad(y.as_bytes());
    assert_read_with_warning(&run);
    let line = run.line_with("invalid front matter");
    assert!(line.contains("invalid front matter"), "{line}");
    assert!(line.contains("repetition limit exceeded"), "{line}");
}

#[test]
fn deeply_nested_yaml_is_reported_and_the_rest_read() {
    let depth = 10_000;
    let y = format!(
        "---\ntitle: x\nn: {}{}\n---\n\nTexte\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let run = check_bad(y.as_bytes());
    assert_read_with_warning(&run);
    assert!(
        run.line_with("invalid front matter")
            .contains("recursion limit exceeded"),
        "{}",
        run.stdout
    );
}

#[test]
fn front_matter_that_is_a_list_or_a_scalar_is_reported_and_the_rest_read() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"---\n- title: x\n- date: 2023-11-20\n---\n\nTexte\n",
            "found a list",
        ),
        (
            b"---\nUn communiqu\xc3\xa9\n---\n\nTexte\n",
            "found a string",
        ),
        (b"---\n42\n---\n\nTexte\n", "found a number"),
    ];
    for (bytes, what) in cases {
        let run = check_bad(bytes);
        assert_read_with_warning(&run);
        assert_eq!(
            run.line_with("invalid front matter"),
            format!("content/communiques/bad.md:2: invalid front matter: expected a mapping of keys to values, {what}")
        );
    }
}

#[test]
fn a_10_mb_file_is_refused() {
    let mut big = b"---\ntitle: x\ndate: 2023-11-20\n---\n\n".to_vec();
    let para = "Le salon se tient du 21 au 23 novembre \u{e0} Paris.\n\n".as_bytes();
    while big.len() < 10 * 1024 * 1024 {
        big.extend_from_slice(para);
    }
    let run = check_bad(&big);
    assert_refused(&run);
    assert_eq!(
        run.one_bad_line(),
        "content/communiques/bad.md: file is larger than the 5 MB limit; not read"
    );
}

#[test]
fn impossible_dates_in_front_matter_are_reported() {
    let run = check_bad(
        b"---\ntitle: x\ndate: 2023-02-31\nevent_start_date: 2023-11-20 25:70:00 +01:00\nagenda: false\n---\n\nTexte\n",
    );
    assert_read_with_warning(&run);
    let lines = run.bad_lines();
    assert!(
        lines.contains(&"content/communiques/bad.md:3: `date`: impossible date \"2023-02-31\": 2023-02-31 is not a calendar date"),
        "{}",
        run.stdout
    );
    assert!(
        lines.contains(&"content/communiques/bad.md:4: `event_start_date`: impossible date \"2023-11-20 25:70:00 +01:00\": 25:70 is not a time of day"),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().any(|l| l.contains("no publication date")),
        "{}",
        run.stdout
    );
}

#[test]
fn impossible_dates_in_the_text_do_not_stop_the_check() {
    let run = check_bad(
        "---\ntitle: x\ndate: 2023-11-20\n---\n\nRendez-vous le 31 février 2024 à 25h70 à Lille, puis le 30/02/2024.\n".as_bytes(),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(run.stderr.contains("2 documents read"), "{}", run.stderr);
}

#[test]
fn a_bad_agenda_override_is_reported_with_its_line() {
    let run = check_bad(b"---\ntitle: x\ndate: 2023-11-20\nagenda:\n- start: 2023-12-01\n  start_time: 25h70\n---\n\nTexte\n");
    assert_read_with_warning(&run);
    assert!(
        run.bad_lines().iter().any(|l| l.starts_with(
            "content/communiques/bad.md:6: `agenda: start_time`: cannot read \"25h70\" as a time of day"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn utf16_and_odd_line_ends_are_read() {
    let text = "---\r\ntitle: Café\r\ndate: 2023-11-20\r\nagenda: false\r\n---\r\n\r\nTexte.\r\n";
    let mut bytes = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let run = check_bad(&bytes);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let run = check_bad(b"---\rtitle: x\rdate: 2023-11-20\ragenda: false\r---\r\rTexte.\r");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn a_line_break_in_a_file_name_keeps_messages_on_one_line() {
    let run = check_with("bad\nname.md", b"---\ntitle: x\n---\n\nTexte\n");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        vec!["content/communiques/bad?name.md:1: no publication date (front matter `date:` or a YYYY-MM-DD- file name prefix); left out of the agenda"],
        "{}",
        run.stdout
    );
}
