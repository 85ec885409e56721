//! `suara audit-db`.

pub async fn run(database_url: &str) -> anyhow::Result<()> {
    let store = super::open(database_url).await?;
    let audit = crate::verify::database::audit_database(&store, true).await?;
    if let Some(p) = audit.problem {
        anyhow::bail!("the database does not hold together: {p}");
    }
    println!(
        "the database is whole: {} responses follow from the chain, and their \
         columns, scores and the roll-ups from their content",
        audit.responses
    );
    Ok(())
}
