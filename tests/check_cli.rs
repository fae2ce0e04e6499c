//! `agenda check`: exit codes, default folder, file arguments, stable output.

use std::path::Path;
use std::process::{Command, Output};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn agenda(cwd: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_agenda"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CLEAN: &str = "---\ntitle: Rapport annuel\ndate: 2023-11-20 17:43:00 +01:00\n---\n\nLa direction publie son rapport annuel.\n";

#[test]
fn clean_content_exits_0_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/communiques/rapport.md", CLEAN);
    write(
        dir.path(),
        "content/_actualites/2023-11-21-note.md",
        "---\ntitle: Note\n---\n\nUne note.\n",
    );
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "agenda check: 2 documents read, no problem\n");
}

#[test]
fn a_problem_exits_1_with_one_line_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/communiques/rapport.md", CLEAN);
    write(
        dir.path(),
        "content/communiques/sans-date.md",
        "---\ntitle: Sans date\n---\n\nTexte.\n",
    );
    let out = agenda(dir.path(), &["check", "content"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "content/communiques/sans-date.md:1: no publication date (front matter `date:` or a YYYY-MM-DD- file name prefix); left out of the agenda\n"
    );
    assert_eq!(
        stderr(&out),
        "agenda check: 2 documents read, 1 problem to look at\n"
    );
}

#[test]
fn a_missing_path_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    // No `content` folder here: the default path is missing.
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("content: no such file or folder"),
        "{}",
        stderr(&out)
    );

    write(dir.path(), "content/communiques/rapport.md", CLEAN);
    let out = agenda(dir.path(), &["check", "content", "ailleurs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ailleurs: no such file or folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_without_documents_needs_a_look() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/README.txt", "rien");
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "content: no Markdown document (*.md, *.markdown) found\n"
    );
}

#[test]
fn files_can_be_checked_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/communiques/rapport.md", CLEAN);
    write(
        dir.path(),
        "content/communiques/sans-date.md",
        "---\ntitle: Sans date\n---\n\nTexte.\n",
    );
    let out = agenda(dir.path(), &["check", "content/communiques/rapport.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = agenda(dir.path(), &["check", "content/communiques/sans-date.md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("content/communiques/sans-date.md:1: no publication date"));
}

#[test]
fn output_is_sorted_by_file_then_line_and_stable() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/b/z.md",
        "---\ntitle: Z\n---\n\nTexte.\n",
    );
    write(
        dir.path(),
        "content/a/y.md",
        "---\ntitle: Y\ndate: 2023-11-20\nevent_start_date: 2023-02-30\nagenda: maybe\n---\n\nTexte.\n",
    );
    write(dir.path(), "content/a/x.md", "---\ntitle: [\n---\n");
    write(dir.path(), "content/c/w.md", "");
    let first = agenda(dir.path(), &["check"]);
    assert_eq!(first.status.code(), Some(1));
    let lines: Vec<String> = stdout(&first).lines().map(str::to_string).collect();
    let files: Vec<&str> = lines.iter().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(
        files,
        vec![
            // the front matter error, and a file left without a date
            "content/a/x.md",
            "content/a/x.md",
            "content/a/y.md",
            "content/a/y.md",
            "content/b/z.md",
            "content/c/w.md"
        ],
        "{lines:#?}"
    );
    assert!(
        lines[2].starts_with("content/a/y.md:4: `event_start_date`: impossible date"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("content/a/y.md:5: `agenda`: expected false or a list"),
        "{}",
        lines[3]
    );
    assert_eq!(
        stderr(&first),
        "agenda check: 3 documents read, 1 not read, 6 problems to look at\n"
    );
    for _ in 0..3 {
        let again = agenda(dir.path(), &["check"]);
        assert_eq!(stdout(&again), stdout(&first));
    }
}

#[test]
fn an_event_without_a_place_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/communiques/sans-lieu.md",
        "---\ntitle: Atelier\ndate: 2030-01-10\nagenda:\n- start: 2030-03-12\n  start_time: '14:00'\n---\n\nTexte.\n",
    );
    write(
        dir.path(),
        "content/communiques/en-ligne.md",
        "---\ntitle: Webinaire\ndate: 2030-01-10\nagenda:\n- start: 2030-03-13\n  online: true\n---\n\nTexte.\n",
    );
    write(
        dir.path(),
        "content/communiques/a-lille.md",
        "---\ntitle: Forum\ndate: 2030-01-10\nagenda:\n- start: 2030-03-14\n  location: Lille Grand Palais\n---\n\nTexte.\n",
    );
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with("content/communiques/sans-lieu.md:"),
        "{text}"
    );
    assert!(
        lines[0].contains("event on 2030-03-12 has no place"),
        "{text}"
    );
}

#[test]
fn extraction_warnings_are_reported_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    // 12 March 2030 is a Tuesday, not a Monday.
    write(
        dir.path(),
        "content/communiques/forum.md",
        "---\ntitle: Forum\ndate: 2030-01-10\n---\n\nIntroduction.\n\nLe forum se tiendra le lundi 12 mars 2030 à Lille Grand Palais.\n",
    );
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(
            |l| l.starts_with("content/communiques/forum.md:8:") && l.contains("lundi 12 mars")
        ),
        "{text}"
    );
}

#[test]
fn the_size_limit_of_agenda_toml_applies() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/communiques/rapport.md", CLEAN);
    let big = format!("{CLEAN}{}", "Un paragraphe de plus.\n\n".repeat(200));
    write(dir.path(), "content/communiques/long.md", &big);
    write(dir.path(), "agenda.toml", "max_document_size = 2000\n");
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "content/communiques/long.md: file is larger than the 2 kB limit; not read\n"
    );
    write(
        dir.path(),
        "agenda.toml",
        "max_document_size = \"beaucoup\"\n",
    );
    let out = agenda(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("agenda.toml"), "{}", stderr(&out));
}

#[test]
fn sources_of_one_event_that_disagree_on_its_hours_are_reported_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/evenements/meetup-design.md",
        "---\ntitle: Meetup design public\ndate: 2027-01-09 10:00:00 +01:00\n\
         event_start_date: 2027-01-20 18:30:00 +01:00\nevent_end_date: 2027-01-20 21:30:00 +01:00\n\
         lieu: Lieu de la transformation publique\nadresse: 4 rue de la Paix, 75002 Paris\n---\n\n\
         Le meetup se tiendra le mercredi 20 janvier 2027 de 18h30 à 21h30 au Lieu de la transformation publique.\n",
    );
    write(
        dir.path(),
        "content/communiques/meetup.md",
        "---\ntitle: Un meetup sur le design des services publics\ndate: 2027-01-10 10:00:00 +01:00\n---\n\n\
         Le meetup aura lieu le mercredi 20 janvier 2027 à 14h au Lieu de la transformation publique. \
         [Inscription](/agenda/meetup-design/)\n",
    );
    let out = agenda(dir.path(), &["check"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("same event as"))
        .unwrap_or_else(|| panic!("no conflict reported:\n{text}{}", stderr(&out)));
    assert!(
        line.contains("meetup-design.md") && line.contains("meetup.md"),
        "{line}"
    );
    assert!(line.contains("14:00") && line.contains("18:30"), "{line}");
    assert_eq!(out.status.code(), Some(1));
}
