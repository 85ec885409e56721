//! `suara seed-synthetic`.

#[derive(clap::Args, Debug)]
pub struct SeedSyntheticArgs {
    /// How many responses.
    #[arg(long)]
    responses: u64,
    /// How many complaints, filed and handled over the same days.
    #[arg(long, default_value_t = 0)]
    complaints: u64,
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
        if self.complaints > 0 {
            let started = std::time::Instant::now();
            let progress = indicatif::ProgressBar::new(self.complaints);
            let filed = crate::synthetic::complaints::seed(
                &store,
                self.complaints,
                days,
                self.seed,
                now,
                &progress,
            )
            .await?;
            progress.finish_and_clear();
            println!(
                "{filed} complaints filed and handled in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    }
}
