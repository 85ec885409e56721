//! `suara catalog import` and `suara catalog export` (the command keeps its
//! published spelling).

use anyhow::Context;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Adds and updates agencies, units and services by code from FILE
    /// (`.csv` or `.xlsx`; columns agency_code, agency_name, unit_code,
    /// unit_name, unit_yearly_volume, service_code, service_name,
    /// questionnaire, and optionally agency_name_en, unit_name_en,
    /// service_name_en, unit_time_zone (Asia/Jakarta, Asia/Makassar or
    /// Asia/Jayapura) and unit_opening_hours (08.00-16.00)). Prints what it adds, renames and moves, every
    /// refused row with its line, and the services the file does not name
    /// (never removed); applies it all in one audited transaction, or
    /// nothing when a row is refused (exits non-zero).
    Import {
        file: std::path::PathBuf,
        /// Print what the import would do and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes the whole catalogue to FILE (`.csv` or `.xlsx`) in the
    /// columns an import reads.
    Export { file: std::path::PathBuf },
}

impl CatalogCommand {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let store = super::open(database_url).await?;
        match self {
            Self::Import { file, dry_run } => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let name = file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let import =
                    crate::catalogue::import(&store, "cli", &name, &bytes, !dry_run).await?;
                print!("{}", crate::catalogue::report(&import, &name));
                if !import.plan.refused.is_empty() {
                    anyhow::bail!("{} rows refused", import.plan.refused.len());
                }
            }
            Self::Export { file } => {
                let format = crate::catalogue::file::Format::of(&file.to_string_lossy())?;
                let bytes = crate::catalogue::export(&store, format).await?;
                std::fs::write(&file, bytes)
                    .with_context(|| format!("cannot write {}", file.display()))?;
                println!("catalogue written to {}", file.display());
            }
        }
        Ok(())
    }
}
