//! `suara restore`.

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// A file written by `suara backup`.
    file: std::path::PathBuf,
    /// Restore even when the database holds responses (they are lost).
    #[arg(long)]
    replace: bool,
}

impl RestoreArgs {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let held = crate::backup::restore(database_url, &self.file, self.replace).await?;
        println!(
            "restored {} into {}: {held}",
            self.file.display(),
            crate::store::redact(database_url)
        );
        Ok(())
    }
}
