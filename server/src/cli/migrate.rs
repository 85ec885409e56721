//! `suara migrate`.

pub async fn run(database_url: &str) -> anyhow::Result<()> {
    super::open(database_url).await?;
    println!("database is up to date");
    Ok(())
}
