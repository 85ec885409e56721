//! `suara verify-publication`.

#[derive(clap::Args, Debug)]
pub struct VerifyPublicationArgs {
    /// The unit's public page (`https://suara.example/publik/UNIT`).
    url: String,
    /// Which publication (its id; default: the one in force).
    #[arg(long)]
    publication: Option<String>,
    /// An API token that may export the unit's responses (an auditor's,
    /// or the unit head's; `suara token create`): checks the responses
    /// themselves, not only the published aggregate.
    #[arg(long, env = "SUARA_TOKEN")]
    token: Option<String>,
}

impl VerifyPublicationArgs {
    pub async fn run(self) -> anyhow::Result<()> {
        let check = crate::verify::publication::verify_publication(
            &self.url,
            self.publication.as_deref(),
            self.token.as_deref(),
        )
        .await?;
        let p = &check.publication;
        match (&check.problem, check.rows) {
            (None, Some(rows)) => println!(
                "publication {} of {} for {}: the figures match the {rows} responses up to sequence number {} (chain hash {})",
                p.id, p.unit.code, p.period, p.up_to_seq, p.chain_hash
            ),
            (None, None) => println!(
                "publication {} of {} for {}: the figures follow from the published aggregate of {} respondents (chain position {}, hash {}); with --token, the responses themselves are checked too",
                p.id, p.unit.code, p.period, check.respondents, p.up_to_seq, p.chain_hash
            ),
            (Some(problem), _) => anyhow::bail!(
                "publication {} of {} for {} does not match: {problem}",
                p.id,
                p.unit.code,
                p.period
            ),
        }
        Ok(())
    }
}
