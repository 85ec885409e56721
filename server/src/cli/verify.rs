//! `suara verify`.

use anyhow::Context;

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// The exported file.
    file: std::path::PathBuf,
    /// The export's manifest (JSON, from the export's `Link` header or
    /// `GET /api/v1/export/manifest`); needed for a filtered export.
    #[arg(long)]
    manifest: Option<std::path::PathBuf>,
    /// Also compare every row with the live server at this address
    /// (`https://suara.example`): altered, dropped or inserted rows are
    /// found even when every hash in the file was recomputed.
    #[arg(long, requires = "token")]
    against: Option<String>,
    /// An API token for `--against` (`suara token create`); the
    /// exporting account's, or an auditor's.
    #[arg(long, env = "SUARA_TOKEN")]
    token: Option<String>,
}

impl VerifyArgs {
    pub async fn run(self) -> anyhow::Result<()> {
        let file = &self.file;
        let manifest = self
            .manifest
            .map(|m| -> anyhow::Result<crate::export::Manifest> {
                let text = std::fs::read_to_string(&m)
                    .with_context(|| format!("cannot read {}", m.display()))?;
                serde_json::from_str(&text)
                    .with_context(|| format!("{} is not an export manifest", m.display()))
            })
            .transpose()?;
        let mut report = crate::verify::verify_path(file, manifest.as_ref())?;
        if let (None, Some(base), Some(token)) = (&report.problem, &self.against, &self.token) {
            let own = crate::verify::package_manifest(file)?;
            let m = manifest.as_ref().or(own.as_ref());
            report.problem = crate::verify::against(file, m, report.last_seq, base, token).await?;
            report
                .notes
                .push(format!("every row is the same as on the server at {base}"));
        }
        if let Some(problem) = &report.problem {
            anyhow::bail!("NOT VERIFIED {}: {problem}", file.display());
        }
        println!("VERIFIED {}", file.display());
        for note in &report.notes {
            println!("  {note}");
        }
        Ok(())
    }
}
