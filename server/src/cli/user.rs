//! `suara user add`, `invite` and `link`.

use crate::auth::Role;
use crate::store::accounts::NewAccount;
use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use std::io::BufRead;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Adds an account; reads its password from standard input.
    Add {
        #[command(flatten)]
        account: NewAccountArgs,
    },
    /// Creates an account without a password and prints a one-time link,
    /// valid for 72 hours, that its holder opens to choose one.
    Invite {
        #[command(flatten)]
        account: NewAccountArgs,
        #[command(flatten)]
        base: LinkBase,
    },
    /// Prints a one-time link, valid for 72 hours, with which the holder of
    /// an account chooses a new password (a forgotten one); the account's
    /// earlier open links stop working.
    Link {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        base: LinkBase,
    },
}

/// Who a new account is for.
#[derive(clap::Args, Debug)]
pub struct NewAccountArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// A unit (by code) a unit head is responsible for; repeat for several.
    #[arg(long = "unit", value_name = "CODE")]
    pub units: Vec<String>,
    /// An agency (by code) a leadership account reads; repeat for several.
    #[arg(long = "agency", value_name = "CODE")]
    pub agencies: Vec<String>,
}

impl NewAccountArgs {
    /// The codes of the account's scope: agencies for leadership, else units.
    fn scope(&self) -> &[String] {
        match self.role {
            RoleArg::Leadership => &self.agencies,
            _ => &self.units,
        }
    }
}

/// Where the links `suara user invite` and `suara user link` print point.
#[derive(clap::Args, Debug)]
pub struct LinkBase {
    /// The public URL people open (as `serve --public-url`).
    #[arg(
        long,
        env = "SUARA_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RoleArg {
    Admin,
    UnitHead,
    Auditor,
    Leadership,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::UnitHead => Role::UnitHead,
            RoleArg::Auditor => Role::Auditor,
            RoleArg::Leadership => Role::Leadership,
        }
    }
}

impl UserCommand {
    pub async fn run(self, database_url: &str) -> anyhow::Result<()> {
        let store = super::open(database_url).await?;
        match self {
            Self::Add { account } => {
                let mut password = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut password)
                    .context("cannot read the password from standard input")?;
                let password = password.trim_end_matches(['\r', '\n']);
                let (email, role) = (&account.email, account.role.into());
                let new = NewAccount::parse(email, role, password, account.scope())?;
                store.create_account(Some("cli"), new).await?;
                println!("account {email} added");
            }
            Self::Invite { account, base } => {
                let new =
                    NewAccount::invited(&account.email, account.role.into(), account.scope())?;
                print_link(&base, &store.invite("cli", new, false).await?);
            }
            Self::Link { email, base } => {
                print_link(&base, &store.new_link("cli", &email, false).await?);
            }
        }
        Ok(())
    }
}

/// A link on its own line (for scripts: `tail -n1`), after what it is.
fn print_link(base: &LinkBase, link: &crate::store::account_links::NewLink) {
    let until = time::OffsetDateTime::from_unix_timestamp(link.expires_at_ms / 1000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    println!("{} link, valid once until {until}:", link.purpose.as_str());
    println!("{}{}", base.public_url.trim_end_matches('/'), link.path());
}
