//! `suara rollups rebuild`.

use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum RollupsCommand {
    /// Recomputes every roll-up from the stored responses (they are kept up
    /// to date on every accepted response; this is for repair and checking).
    Rebuild,
}

impl RollupsCommand {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let Self::Rebuild = self;
        let store = super::open(database_url).await?;
        // Rebuilt only from rows that follow from verified content.
        let audit = crate::verify::database::audit_database(&store, false).await?;
        if let Some(p) = audit.problem {
            anyhow::bail!(
                "not rebuilt: the rows the roll-ups are counted from disagree with what the \
                 chain proves: {p}"
            );
        }
        let (_, before) = store.rollup_digest().await?;
        let counted = store.rebuild_rollups().await?;
        let (rows, after) = store.rollup_digest().await?;
        // Unchanged is the normal outcome: ingest keeps them in step.
        let changed = if before == after {
            "unchanged"
        } else {
            "CHANGED: they had been out of step"
        };
        println!("roll-ups rebuilt from {counted} responses: {rows} rows, {changed}");
        Ok(())
    }
}
