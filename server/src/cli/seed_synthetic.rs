//! `suara seed-synthetic`.

#[derive(clap::Args, Debug)]
pub struct SeedSyntheticArgs {
    /// How many responses.
    #[arg(long)]
    responses: u64,
    /// Over how many days before today.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// The same seed gives the same responses.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
}

impl SeedSyntheticArgs {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let store = super::open(database_url).await?;
        let started = std::time::Instant::now();
        let now = time::OffsetDateTime::now_utc();
        let days = self.days.max(1);
        let accepted = crate::synthetic::seed(&store, self.responses, days, self.seed, now).await?;
        println!(
            "{accepted} responses accepted in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}
