//! `suara seed-demo`.

use clap::ValueEnum;

#[derive(clap::Args, Debug)]
pub struct SeedDemoArgs {
    /// The catalogue and accounts only, no responses.
    #[arg(long)]
    empty: bool,
    /// How many responses the demo year holds.
    #[arg(long, default_value_t = 20_000)]
    responses: u64,
    /// `national`: also a whole regency's catalogue, 15 agencies and 240
    /// services (`server/seed/katalog-sukamaju.csv`), through the same
    /// import as `suara catalog import`.
    #[arg(long, value_enum, default_value_t = DemoCatalogue::Demo)]
    catalogue: DemoCatalogue,
}

/// Which catalogue `seed-demo` loads.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoCatalogue {
    /// The few services the demo accounts and tests use.
    Demo,
    /// Those and a regency's 240 services of 15 agencies.
    National,
}

impl SeedDemoArgs {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let store = super::open(database_url).await?;
        let created = crate::seed::demo(&store).await?;
        println!("demo catalogue loaded");
        if self.catalogue == DemoCatalogue::National {
            let i = crate::seed::national_catalogue(&store).await?;
            let c = i.plan.counts();
            println!(
                "national catalogue ({}): {} services new, {} unchanged",
                crate::seed::NATIONAL_CATALOGUE_FILE,
                c.services_added,
                c.services_unchanged
            );
        }
        for email in created {
            println!("demo account created: {email}");
        }
        if self.empty || self.responses == 0 {
            return Ok(());
        }
        if store.chain_head_seq().await? != 0 {
            println!("demo responses: the database has responses already; none added");
            return Ok(());
        }
        let now = time::OffsetDateTime::now_utc();
        let accepted = crate::synthetic::seed(&store, self.responses, 365, 2017, now).await?;
        println!("demo responses loaded: {accepted} over the last year");
        let now = time::OffsetDateTime::now_utc();
        let period = crate::seed::demo_publication(&store, now).await?;
        println!(
            "demo publication: {} published {period} (see /publik/{})",
            crate::seed::DEMO_PUBLISHING_UNIT,
            crate::seed::DEMO_PUBLISHING_UNIT
        );
        Ok(())
    }
}
