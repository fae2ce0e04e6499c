//! Where a build spends its time and memory: with `AGENDA_PHASES` set in the environment,
//! each phase prints its end time and the peak resident memory so far on standard error
//! ("phase digest: 1.187 s, CPU 2.05 s, peak 98 MB"). Nothing is printed otherwise.

use std::time::Instant;

/// A clock started with the build; prints only when `AGENDA_PHASES` is set.
pub struct Phases {
    start: Instant,
    on: bool,
}

impl Phases {
    pub fn start() -> Phases {
        Phases {
            start: Instant::now(),
            on: std::env::var_os("AGENDA_PHASES").is_some(),
        }
    }

    /// Report the end of phase `name`.
    pub fn mark(&self, name: &str) {
        if !self.on {
            return;
        }
        let peak = peak_kb().map_or_else(String::new, |kb| format!(", peak {} MB", kb / 1024));
        let cpu = cpu_seconds().map_or_else(String::new, |s| format!(", CPU {s:.2} s"));
        eprintln!(
            "phase {name}: {:.3} s{cpu}{peak}",
            self.start.elapsed().as_secs_f64()
        );
    }
}

/// CPU time of this process so far (user and system, every thread), in seconds, where the
/// system says it (`/proc/self/stat`, in ticks of 1/100 s).
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces:
    // utime and stime are the 12th and 13th.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The peak resident set size of this process in KiB (`VmHWM`), where the system says it.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
