//! `suara token create`.

use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Prints a new bearer token for the account with this email.
    Create {
        #[arg(long)]
        email: String,
    },
}

impl TokenCommand {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let Self::Create { email } = self;
        let store = super::open(database_url).await?;
        println!("{}", store.create_api_token(&email).await?);
        Ok(())
    }
}
