//! The `agenda` command line: a thin layer over the library. The only place that reads the
//! clock, with `agenda serve` (today at each rebuild, times of `/healthz`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The system allocator spends a quarter of a build in malloc/free on many small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's runtime options (`mi_option_t` in mimalloc.h: the same numbers in its v2 and v3).
mod allocator {
    use std::os::raw::{c_int, c_long};

    const MI_OPTION_ARENA_EAGER_COMMIT: c_int = 4;
    const MI_OPTION_PURGE_DELAY: c_int = 15;

    extern "C" {
        fn mi_option_set(option: c_int, value: c_long);
    }

    /// Give freed memory back to the system at once and commit arena memory only when used:
    /// a build of 100,000 releases then peaks about 80 MB lower, for about 5% more CPU.
    /// Only `agenda build`, whose peak memory matters, asks for it: `extract` and `check`
    /// keep mimalloc's short purge delay, which spares them re-faulting freed pages.
    /// `MIMALLOC_PURGE_DELAY` / `MIMALLOC_ARENA_EAGER_COMMIT` in the environment still win.
    pub fn configure() {
        let unset = |name: &str| std::env::var_os(name).is_none();
        // SAFETY: mi_option_set only stores an integer in mimalloc's option table; both
        // options are read afresh when memory is next committed or purged.
        unsafe {
            if unset("MIMALLOC_PURGE_DELAY") {
                mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            }
            if unset("MIMALLOC_ARENA_EAGER_COMMIT") {
                mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
            }
        }
    }

    /// Keep freed memory for the next use: `agenda serve` makes new calendars and
    /// `events.json` (tens of MB) at every rebuild, and pages given back to the system
    /// between rebuilds were faulted in and zeroed again each time (about a third of a
    /// one-edit rebuild). Its resident size stays at its peak, that of the first build.
    pub fn configure_server() {
        // SAFETY: as in `configure`.
        unsafe {
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                mi_option_set(MI_OPTION_PURGE_DELAY, -1);
            }
        }
    }
}

#[derive(Parser)]
#[command(
    name = "agenda",
    version,
    about = "French press releases in, agenda feeds out"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

#[derive(Subcommand)]
enum Command {
    /// Read the content folder, extract the agenda, write every feed into the output folder.
    Build {
        /// Content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output folder.
        #[arg(long, default_value = "feeds")]
        out: PathBuf,
        /// Configuration file (default: agenda.toml when present).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The day that decides what is "upcoming" (YYYY-MM-DD, default: today in the site's zone).
        #[arg(long)]
        today: Option<String>,
        /// Extract every document again, without reading or writing the extraction cache
        /// (`.agenda-cache` in the output folder).
        #[arg(long)]
        no_cache: bool,
    },
    /// Build as `build` does, then serve the output over HTTP from memory, rebuilding on a
    /// timer and when the content changes.
    Serve {
        /// Content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output folder (written as `build` writes it).
        #[arg(long, default_value = "feeds")]
        out: PathBuf,
        /// Configuration file (default: agenda.toml when present).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Also rebuild this long after the last rebuild (such as 15m, 1h).
        #[arg(long, value_parser = agenda::serve::schedule::parse_duration)]
        every: Option<std::time::Duration>,
        /// Do not watch the content folder and configuration file for changes.
        #[arg(long)]
        no_watch: bool,
        /// Quiet time after the last content change before rebuilding.
        #[arg(long, default_value = "300ms", value_parser = agenda::serve::schedule::parse_duration)]
        debounce: std::time::Duration,
        /// Cache-Control max-age of every file, in seconds.
        #[arg(long, default_value_t = 300)]
        max_age: u32,
        /// Extract every document at each rebuild (no extraction cache).
        #[arg(long)]
        no_cache: bool,
        /// A fixed day deciding what is "upcoming" (YYYY-MM-DD, default: today in the
        /// site's zone at each rebuild).
        #[arg(long)]
        today: Option<jiff::civil::Date>,
    },
    /// Print the events found in each document, with the evidence for each field.
    Extract {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Files or folders (recursive).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Report every problem an editor must look at; exit 1 when there is one.
    Check {
        /// Content folder or files.
        #[arg(default_value = "content")]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { .. } => allocator::configure(),
        Command::Serve { .. } => allocator::configure_server(),
        _ => {}
    }
    let code = match cli.command {
        Command::Build {
            content,
            out,
            config,
            today,
            no_cache,
        } => {
            let today = match today {
                Some(s) => match s.parse::<jiff::civil::Date>() {
                    Ok(d) => d,
                    Err(e) => {
                        eprintln!("agenda: --today {s:?}: {e}");
                        return ExitCode::from(2);
                    }
                },
                None => jiff::Zoned::now()
                    .with_time_zone(
                        jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC),
                    )
                    .date(),
            };
            agenda::build::run(&agenda::build::BuildArgs {
                content,
                out,
                config,
                today,
                cache: !no_cache,
            })
        }
        Command::Serve {
            content,
            out,
            config,
            addr,
            every,
            no_watch,
            debounce,
            max_age,
            no_cache,
            today,
        } => agenda::serve::run(agenda::serve::ServeArgs {
            content,
            out,
            config,
            today,
            cache: !no_cache,
            addr,
            max_age,
            schedule: agenda::serve::schedule::Schedule { every, debounce },
            watch: !no_watch,
        }),
        Command::Extract { format, paths } => agenda::report::run_extract(
            &paths,
            match format {
                Format::Text => agenda::report::Format::Text,
                Format::Jsonl => agenda::report::Format::Jsonl,
            },
        ),
        Command::Check { paths } => agenda::check::run(&paths),
    };
    ExitCode::from(code)
}
