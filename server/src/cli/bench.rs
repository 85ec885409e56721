//! `suara bench summary`, `views` and `ingest`.

use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// p50/p95 of the unit overview's summary (last 365 days) from the
    /// roll-ups, against a GROUP BY over raw responses, in the same run.
    Summary {
        /// A unit's code (default: the unit with the most responses).
        #[arg(long)]
        unit: Option<String>,
        /// Runs of the roll-up summary.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Runs of the raw GROUP BY (default: as many); it takes seconds a
        /// run at ten million responses.
        #[arg(long)]
        raw_iterations: Option<usize>,
    },
    /// p50/p95 of every view a unit head opens (summary API with series,
    /// breakdowns and change; dashboard tabs; SKM report) over HTTP, against
    /// the server's floor (`GET /healthz`) in the same rounds. Prints a
    /// Markdown table.
    Views {
        /// A unit's code (default: the unit with the most responses).
        #[arg(long)]
        unit: Option<String>,
        /// Rounds (every view once a round).
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// The built site (for the pages' asset links).
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
    },
    /// Responses a second through the sync API (batches of 500 over HTTP,
    /// one client, a fresh SQLite file) against raw inserts of the same rows
    /// in the same run.
    Ingest {
        /// How many responses each side stores.
        #[arg(long, default_value_t = 50_000)]
        responses: u64,
        /// Where the two temporary database files go.
        #[arg(long, default_value_os_t = std::env::temp_dir())]
        dir: std::path::PathBuf,
    },
}

impl BenchCommand {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        match self {
            Self::Summary {
                unit,
                iterations,
                raw_iterations,
            } => {
                let store = super::open(database_url).await?;
                let raw = raw_iterations.unwrap_or(iterations);
                crate::bench::summary(&store, unit, iterations, raw).await
            }
            Self::Views {
                unit,
                iterations,
                site_root,
            } => {
                let store = super::open(database_url).await?;
                let f = crate::bench::views(&store, &site_root, unit, iterations).await?;
                println!(
                    "{} engine, {} scored responses; unit {} ({} of them); {iterations} rounds\n",
                    match store.engine() {
                        crate::store::Engine::Sqlite => "SQLite",
                        crate::store::Engine::Postgres => "PostgreSQL",
                    },
                    f.responses,
                    f.unit,
                    f.unit_responses,
                );
                print!("{}", f.table());
                Ok(())
            }
            Self::Ingest { responses, dir } => {
                let f = crate::bench::ingest(&dir, responses).await?;
                println!(
                    "ingest of {} responses, batches of 500: Suara over HTTP {:.0}/s, raw SQLite inserts {:.0}/s, ratio {:.2} (target ≥ 0.5)",
                    f.responses,
                    f.suara_per_second,
                    f.raw_per_second,
                    f.ratio()
                );
                Ok(())
            }
        }
    }
}
