//! When `agenda serve` rebuilds: every `--every`, and after content changes once they have
//! settled for the debounce delay. One rebuild at a time, off the request path; changes
//! reported during a rebuild cause one more.

use std::future::Future;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::{sleep, sleep_until, Instant};

/// Why a rebuild runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// `--every` elapsed since the last rebuild.
    Timer,
    /// The watcher reported changes, and none for the debounce delay since.
    Change,
}

#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// Rebuild this long after the last rebuild (None: only on changes).
    pub every: Option<Duration>,
    /// Quiet time after the last reported change before rebuilding.
    pub debounce: Duration,
}

/// Run `rebuild` as `schedule` says until `shutdown` turns true (or its sender is gone).
/// `changes` receives one message per change the watcher reports.
pub async fn run<F, Fut>(
    schedule: Schedule,
    mut changes: mpsc::Receiver<()>,
    mut shutdown: watch::Receiver<bool>,
    mut rebuild: F,
) where
    F: FnMut(Trigger) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut last = Instant::now();
    let mut watching = true;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let next = schedule.every.map(|every| last + every);
        let trigger = tokio::select! {
            _ = async { sleep_until(next.unwrap_or(last)).await }, if next.is_some() => Trigger::Timer,
            change = changes.recv(), if watching => match change {
                Some(()) => {
                    // Wait until the changes settle.
                    loop {
                        tokio::select! {
                            _ = sleep(schedule.debounce) => break,
                            more = changes.recv() => if more.is_none() { watching = false; break },
                            r = shutdown.changed() => if r.is_err() || *shutdown.borrow() { return },
                        }
                    }
                    Trigger::Change
                }
                None => { watching = false; continue }
            },
            r = shutdown.changed() => if r.is_err() { return } else { continue },
        };
        rebuild(trigger).await;
        last = Instant::now();
    }
}

/// A duration as `--every` takes it: a number and a unit (`ms`, `s`, `m`, `h`, `d`), such
/// as `15m` or `90s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{s:?}: expected a number and a unit, such as 15m"))?;
    let ms = match unit.trim() {
        "ms" => 1,
        "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        other => return Err(format!("{s:?}: unknown unit {other:?} (ms, s, m, h or d)")),
    };
    let d = Duration::from_millis(n.saturating_mul(ms));
    if d.is_zero() {
        return Err(format!("{s:?}: must be more than zero"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    type Log = Arc<Mutex<Vec<(Duration, Trigger)>>>;

    /// A scheduler whose rebuilds take `took` and record when they started.
    fn start(
        schedule: Schedule,
        took: Duration,
    ) -> (
        mpsc::Sender<()>,
        watch::Sender<bool>,
        Log,
        tokio::task::JoinHandle<()>,
    ) {
        let (tx, rx) = mpsc::channel(1);
        let (stop, stop_rx) = watch::channel(false);
        let log: Log = Arc::default();
        let origin = Instant::now();
        let l = Arc::clone(&log);
        let task = tokio::spawn(run(schedule, rx, stop_rx, move |t| {
            let l = Arc::clone(&l);
            async move {
                l.lock().unwrap().push((origin.elapsed(), t));
                sleep(took).await;
            }
        }));
        (tx, stop, log, task)
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[tokio::test(start_paused = true)]
    async fn every_fifteen_minutes_without_changes() {
        let every = Schedule {
            every: Some(secs(900)),
            debounce: Duration::from_millis(500),
        };
        let (_tx, stop, log, task) = start(every, secs(2));
        sleep(secs(3000)).await;
        stop.send(true).unwrap();
        task.await.unwrap();
        // Counted from the end of the previous rebuild.
        let log = log.lock().unwrap().clone();
        assert_eq!(
            log,
            vec![
                (secs(900), Trigger::Timer),
                (secs(1802), Trigger::Timer),
                (secs(2704), Trigger::Timer)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_changes_gives_one_rebuild_after_the_quiet_time() {
        let schedule = Schedule {
            every: None,
            debounce: Duration::from_millis(500),
        };
        let (tx, stop, log, task) = start(schedule, Duration::from_millis(100));
        sleep(secs(10)).await;
        for _ in 0..5 {
            let _ = tx.try_send(());
            sleep(Duration::from_millis(200)).await;
        }
        // Last change at 10.8 s: rebuilt at 11.3 s, once.
        sleep(secs(5)).await;
        assert_eq!(
            log.lock().unwrap().clone(),
            vec![(Duration::from_millis(11_300), Trigger::Change)]
        );
        // A change during a rebuild gives one more rebuild after it.
        tx.send(()).await.unwrap();
        sleep(Duration::from_millis(550)).await;
        tx.send(()).await.unwrap();
        sleep(secs(5)).await;
        stop.send(true).unwrap();
        task.await.unwrap();
        let log = log.lock().unwrap().clone();
        assert_eq!(
            log[1..],
            [
                (Duration::from_millis(16_500), Trigger::Change),
                (Duration::from_millis(17_100), Trigger::Change)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_change_resets_the_timer() {
        let schedule = Schedule {
            every: Some(secs(60)),
            debounce: secs(1),
        };
        let (tx, stop, log, task) = start(schedule, Duration::ZERO);
        sleep(secs(30)).await;
        tx.send(()).await.unwrap();
        sleep(secs(100)).await;
        stop.send(true).unwrap();
        task.await.unwrap();
        assert_eq!(
            log.lock().unwrap().clone(),
            vec![(secs(31), Trigger::Change), (secs(91), Trigger::Timer)]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn shutdown_stops_a_pending_debounce() {
        let schedule = Schedule {
            every: None,
            debounce: secs(5),
        };
        let (tx, stop, log, task) = start(schedule, Duration::ZERO);
        tx.send(()).await.unwrap();
        sleep(secs(1)).await;
        stop.send(true).unwrap();
        task.await.unwrap();
        assert!(log.lock().unwrap().is_empty());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15m"), Ok(secs(900)));
        assert_eq!(parse_duration("90s"), Ok(secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2h"), Ok(secs(7200)));
        assert!(parse_duration("15").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("m").is_err());
    }
}
