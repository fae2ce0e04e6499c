//! Scores the extractor on the labelled corpora `../shared/corpus/dev` (one site) and
//! `../shared/corpus/dev2` (17 other French sites) the way
//! `score.py` does (match on start day; ignore predictions on deadline dates and
//! strictly inside a gold event; gold events inside another are optional), and fails
//! below the floor reached. Skips with a message when the corpus is absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use agenda::report::event_json;
use serde_json::Value;

/// (event F1, strict) floors of `dev`, as in `.ci/score-floor`.
const DEV_FLOORS: (f64, f64) = (0.98, 0.93);
/// (event F1, strict) floors of `dev2`, as in `.ci/score-floor-dev2`.
const DEV2_FLOORS: (f64, f64) = (0.90, 0.70);

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k)
        .and_then(|x| x.as_str())
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
}

fn norm_time(v: Option<String>) -> Option<String> {
    let v = v?;
    let digits: Vec<&str> = v.split([':', 'h', 'H']).collect();
    let h: u32 = digits.first()?.trim().parse().ok()?;
    let m = digits
        .get(1)
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .unwrap_or("00");
    Some(format!("{h:02}:{}", &m[..m.len().min(2)]))
}

fn words(t: &str) -> std::collections::HashSet<String> {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = t
        .to_lowercase()
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let all: Vec<String> = folded.split_whitespace().map(String::from).collect();
    let long: std::collections::HashSet<String> = all
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .cloned()
        .collect();
    if long.is_empty() {
        all.into_iter().collect()
    } else {
        long
    }
}

#[derive(Debug, Clone)]
struct Ev {
    start: String,
    end: String,
    st: Option<String>,
    et: Option<String>,
    loc: Option<String>,
    stand: Option<String>,
    online: bool,
}

fn ev(v: &Value) -> Ev {
    let start = s(v, "start").unwrap_or_default();
    Ev {
        end: s(v, "end").unwrap_or_else(|| start.clone()),
        start,
        st: norm_time(s(v, "start_time")),
        et: norm_time(s(v, "end_time")),
        loc: s(v, "location"),
        stand: s(v, "stand"),
        online: v.get("online") == Some(&Value::Bool(true)),
    }
}

fn strict_ok(g: &Ev, p: &Ev) -> bool {
    let loc_ok = match &g.loc {
        None => true,
        Some(gl) => {
            let gw = words(gl);
            match &p.loc {
                _ if gw.is_empty() => true,
                None => false,
                Some(pl) => {
                    let pw = words(pl);
                    let hits = gw.intersection(&pw).count();
                    !pw.is_empty() && 2 * hits >= gw.len() && pw.len() <= 3 * gw.len() + 2
                }
            }
        }
    };
    let stand_ok = match &g.stand {
        None => true,
        Some(gs) => p
            .stand
            .as_ref()
            .is_some_and(|ps| ps.to_lowercase() == gs.to_lowercase()),
    };
    g.end == p.end && g.st == p.st && g.et == p.et && loc_ok && stand_ok && g.online == p.online
}

fn within(a: &Ev, b: &Ev) -> bool {
    b.start <= a.start
        && a.end <= b.end
        && (a.start.as_str(), a.end.as_str()) != (b.start.as_str(), b.end.as_str())
}

#[test]
fn dev_corpus_score_stays_above_the_floor() {
    score_stays_above("dev", DEV_FLOORS);
}

#[test]
fn dev2_corpus_of_other_sites_score_stays_above_the_floor() {
    score_stays_above("dev2", DEV2_FLOORS);
}

fn score_stays_above(corpus: &str, (f1_floor, strict_floor): (f64, f64)) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(corpus);
    let gold_path = root.join("gold.json");
    let Ok(gold_text) = std::fs::read_to_string(&gold_path) else {
        println!("skipped: {} is absent", gold_path.display());
        return;
    };
    let gold: Vec<Value> = serde_json::from_str(&gold_text).expect("gold.json is a JSON array");
    let (docs, _) = agenda::content::load_all(&[PathBuf::from(&root)]);
    let mut preds: HashMap<String, Vec<Ev>> = HashMap::new();
    for d in &docs {
        let x = agenda::extract::extract(d);
        preds.insert(
            d.rel.clone(),
            x.events.iter().map(|e| ev(&event_json(e))).collect(),
        );
    }
    let (mut tp, mut fp, mut fnn, mut strict) = (0usize, 0usize, 0usize, 0usize);
    let mut gold_total = 0usize;
    for rec in &gold {
        let doc = s(rec, "doc").unwrap_or_default();
        let g: Vec<Ev> = rec["events"]
            .as_array()
            .map(|a| a.iter().map(ev).collect())
            .unwrap_or_default();
        let deadlines: Vec<String> = rec["other_dates"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|o| o["kind"] == "deadline")
                    .filter_map(|o| s(o, "date"))
                    .collect()
            })
            .unwrap_or_default();
        let p = preds.get(&doc).cloned().unwrap_or_default();
        // candidates: same start; prefer same end, then more agreeing fields
        let mut cands = Vec::new();
        for (gi, ge) in g.iter().enumerate() {
            for (pi, pe) in p.iter().enumerate() {
                if ge.start == pe.start {
                    let agree = [ge.st == pe.st, ge.et == pe.et, ge.online == pe.online]
                        .iter()
                        .filter(|b| **b)
                        .count();
                    cands.push((
                        (
                            ge.end == pe.end,
                            agree,
                            std::cmp::Reverse(pi),
                            std::cmp::Reverse(gi),
                        ),
                        gi,
                        pi,
                    ));
                }
            }
        }
        cands.sort_by_key(|c| std::cmp::Reverse(c.0));
        let (mut used_g, mut used_p) = (vec![false; g.len()], vec![false; p.len()]);
        for (_, gi, pi) in cands {
            if used_g[gi] || used_p[pi] {
                continue;
            }
            used_g[gi] = true;
            used_p[pi] = true;
            tp += 1;
            if strict_ok(&g[gi], &p[pi]) {
                strict += 1;
            }
        }
        for (pi, pe) in p.iter().enumerate() {
            if !used_p[pi] && !deadlines.contains(&pe.start) && !g.iter().any(|ge| within(pe, ge)) {
                fp += 1;
            }
        }
        for (gi, ge) in g.iter().enumerate() {
            let optional = g.iter().enumerate().any(|(j, o)| j != gi && within(ge, o));
            if !used_g[gi] && !optional {
                fnn += 1;
            }
        }
        gold_total += g.len();
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fnn).max(1) as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let _ = gold_total;
    let strict_share = strict as f64 / (tp + fnn).max(1) as f64;
    println!("{corpus} corpus: TP {tp} FP {fp} FN {fnn}; P {precision:.3} R {recall:.3} F1 {f1:.3} strict {strict_share:.3}");
    assert!(
        f1 >= f1_floor,
        "{corpus}: event F1 {f1:.3} is below the floor {f1_floor}"
    );
    assert!(
        strict_share >= strict_floor,
        "{corpus}: strict {strict_share:.3} is below the floor {strict_floor}"
    );
}
