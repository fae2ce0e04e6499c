//! The content watcher: one message per reported change of the content folder or the
//! configuration file (changes inside the output folder are left out), and the paths
//! changed recorded for the next rebuild.

use std::path::{Path, PathBuf};

use notify::{RecursiveMode, Watcher};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::Pending;

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Watch `content` (recursively) and the file `config`; returns the watcher, which stops
/// when dropped.
pub fn start(
    content: &Path,
    config: Option<&Path>,
    out: &Path,
    changes: mpsc::Sender<()>,
    pending: Arc<Mutex<Pending>>,
) -> Result<notify::RecommendedWatcher, String> {
    let content = absolute(content);
    let out = absolute(out);
    // The configuration's folder is watched, so that a file replaced by a rename is still
    // followed; only events naming the file count.
    let config = config.map(|c| {
        let dir = match c.parent() {
            Some(p) if !p.as_os_str().is_empty() => absolute(p),
            _ => absolute(Path::new(".")),
        };
        let name = c.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        (dir.join(&name), dir)
    });
    let (content_in, config_file) = (content.clone(), config.as_ref().map(|c| c.0.clone()));
    let handler = move |event: notify::Result<notify::Event>| {
        let mut pending = pending.lock().unwrap_or_else(|e| e.into_inner());
        let event = match event {
            Ok(e) => e,
            Err(_) => {
                // Events may have been lost: every document is looked at.
                pending.rescan();
                let _ = changes.try_send(());
                return;
            }
        };
        if event.kind.is_access() {
            return;
        }
        if event.need_rescan() {
            pending.rescan();
        }
        let mut relevant = event.need_rescan();
        for p in &event.paths {
            if p.starts_with(&content_in) && !p.starts_with(&out) {
                pending.add(p.clone());
                relevant = true;
            } else if Some(p) == config_file.as_ref() {
                relevant = true;
            }
        }
        drop(pending);
        if relevant {
            // A full channel already holds a pending change: nothing is lost.
            let _ = changes.try_send(());
        }
    };
    let cannot = |p: &Path, e: notify::Error| format!("cannot watch {}: {e}", p.display());
    let mut watcher = notify::recommended_watcher(handler).map_err(|e| cannot(&content, e))?;
    watcher
        .watch(&content, RecursiveMode::Recursive)
        .map_err(|e| cannot(&content, e))?;
    if let Some((_, dir)) = config.filter(|(_, dir)| !dir.starts_with(&content)) {
        watcher
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|e| cannot(&dir, e))?;
    }
    Ok(watcher)
}
