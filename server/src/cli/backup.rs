//! `suara backup`.

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// A new file.
    file: std::path::PathBuf,
}

impl BackupArgs {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let held = crate::backup::backup(database_url, &self.file).await?;
        println!("backup written to {}: {held}", self.file.display());
        Ok(())
    }
}
