//! What each command of the `suara` command line does.

use super::*;
use crate::store::accounts::NewAccount;
use crate::store::Store;
use anyhow::Context;
use std::io::BufRead;

async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    Ok(store)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let config = args.config(&cli.database_url)?;
            let store = open(&config.database_url).await?;
            crate::seed::builtin_questionnaires(&store).await?;
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .with_context(|| format!("cannot listen on {}", config.addr))?;
            let addr = listener.local_addr()?;
            println!(
                "Suara is serving at http://{addr}  (database: {})",
                crate::store::redact(&cli.database_url)
            );
            crate::serve(listener, store, &config).await
        }
        Command::Migrate => {
            open(&cli.database_url).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::SeedDemo {
            empty,
            responses,
            catalogue,
        } => {
            let store = open(&cli.database_url).await?;
            let created = crate::seed::demo(&store).await?;
            println!("demo catalogue loaded");
            if catalogue == DemoCatalogue::National {
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
            if !empty && responses > 0 {
                if store.chain_head_seq().await? == 0 {
                    let accepted = crate::synthetic::seed(
                        &store,
                        responses,
                        365,
                        2017,
                        time::OffsetDateTime::now_utc(),
                    )
                    .await?;
                    println!("demo responses loaded: {accepted} over the last year");
                    let now = time::OffsetDateTime::now_utc();
                    let period = crate::seed::demo_publication(&store, now).await?;
                    println!(
                        "demo publication: {} published {period} (see /publik/{})",
                        crate::seed::DEMO_PUBLISHING_UNIT,
                        crate::seed::DEMO_PUBLISHING_UNIT
                    );
                } else {
                    println!("demo responses: the database has responses already; none added");
                }
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::Add { account },
        } => {
            let store = open(&cli.database_url).await?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let (email, role) = (&account.email, account.role.into());
            let new = NewAccount::parse(email, role, password, &account.units)?;
            store.create_account(Some("cli"), new).await?;
            println!("account {email} added");
            Ok(())
        }
        Command::User {
            command: UserCommand::Invite { account, base },
        } => {
            let store = open(&cli.database_url).await?;
            let new = NewAccount::invited(&account.email, account.role.into(), &account.units)?;
            print_link(&base, &store.invite("cli", new).await?);
            Ok(())
        }
        Command::User {
            command: UserCommand::Link { email, base },
        } => {
            let store = open(&cli.database_url).await?;
            print_link(&base, &store.new_link("cli", &email).await?);
            Ok(())
        }
        Command::Catalog {
            command: CatalogCommand::Import { file, dry_run },
        } => {
            let store = open(&cli.database_url).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let import = crate::catalogue::import(&store, "cli", &name, &bytes, !dry_run).await?;
            print!("{}", crate::catalogue::report(&import, &name));
            if !import.plan.refused.is_empty() {
                anyhow::bail!("{} rows refused", import.plan.refused.len());
            }
            Ok(())
        }
        Command::Catalog {
            command: CatalogCommand::Export { file },
        } => {
            let store = open(&cli.database_url).await?;
            let format = crate::catalogue::file::Format::of(&file.to_string_lossy())?;
            let bytes = crate::catalogue::export(&store, format).await?;
            std::fs::write(&file, bytes)
                .with_context(|| format!("cannot write {}", file.display()))?;
            println!("catalogue written to {}", file.display());
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email },
        } => {
            let store = open(&cli.database_url).await?;
            println!("{}", store.create_api_token(&email).await?);
            Ok(())
        }
        Command::SeedSynthetic {
            responses,
            days,
            seed,
        } => {
            let store = open(&cli.database_url).await?;
            let started = std::time::Instant::now();
            let accepted = crate::synthetic::seed(
                &store,
                responses,
                days.max(1),
                seed,
                time::OffsetDateTime::now_utc(),
            )
            .await?;
            println!(
                "{accepted} responses accepted in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::VerifyPublication {
            url,
            publication,
            token,
        } => {
            let check = crate::verify::publication::verify_publication(
                &url,
                publication.as_deref(),
                token.as_deref(),
            )
            .await?;
            let p = &check.publication;
            match (&check.problem, check.rows) {
                (None, Some(rows)) => {
                    println!(
                        "publication {} of {} for {}: the figures match the {rows} responses up to sequence number {} (chain hash {})",
                        p.id, p.unit.code, p.period, p.up_to_seq, p.chain_hash
                    );
                    Ok(())
                }
                (None, None) => {
                    println!(
                        "publication {} of {} for {}: the figures follow from the published aggregate of {} respondents (chain position {}, hash {}); with --token, the responses themselves are checked too",
                        p.id, p.unit.code, p.period, check.respondents, p.up_to_seq, p.chain_hash
                    );
                    Ok(())
                }
                (Some(problem), _) => anyhow::bail!(
                    "publication {} of {} for {} does not match: {problem}",
                    p.id,
                    p.unit.code,
                    p.period
                ),
            }
        }
        Command::Verify {
            file,
            manifest,
            against,
            token,
        } => {
            let manifest = manifest
                .map(|m| -> anyhow::Result<crate::export::Manifest> {
                    let text = std::fs::read_to_string(&m)
                        .with_context(|| format!("cannot read {}", m.display()))?;
                    serde_json::from_str(&text)
                        .with_context(|| format!("{} is not an export manifest", m.display()))
                })
                .transpose()?;
            let mut report = crate::verify::verify_path(&file, manifest.as_ref())?;
            if let (None, Some(base), Some(token)) = (&report.problem, &against, &token) {
                let own = crate::verify::package_manifest(&file)?;
                let m = manifest.as_ref().or(own.as_ref());
                report.problem =
                    crate::verify::against(&file, m, report.last_seq, base, token).await?;
                report
                    .notes
                    .push(format!("every row is the same as on the server at {base}"));
            }
            match &report.problem {
                None => {
                    println!("VERIFIED {}", file.display());
                    for note in &report.notes {
                        println!("  {note}");
                    }
                    Ok(())
                }
                Some(problem) => anyhow::bail!("NOT VERIFIED {}: {problem}", file.display()),
            }
        }
        Command::Bench {
            command:
                BenchCommand::Summary {
                    unit,
                    iterations,
                    raw_iterations,
                },
        } => {
            let store = open(&cli.database_url).await?;
            let raw = raw_iterations.unwrap_or(iterations);
            crate::bench::summary(&store, unit, iterations, raw).await
        }
        Command::Bench {
            command:
                BenchCommand::Views {
                    unit,
                    iterations,
                    site_root,
                },
        } => {
            let store = open(&cli.database_url).await?;
            let f = crate::bench::views(&store, &site_root, unit, iterations).await?;
            println!(
                "{} engine, {} scored responses; unit {} ({} of them); {iterations} rounds\n",
                match store.engine() {
                    crate::store::Engine::Sqlite => "SQLite",
                    crate::store::Engine::Postgres => "PostgreSQL",
                },
                f.responses,
                f.unit,
                f.unit_responses,
            );
            print!("{}", f.table());
            Ok(())
        }
        Command::Bench {
            command: BenchCommand::Ingest { responses, dir },
        } => {
            let f = crate::bench::ingest(&dir, responses).await?;
            println!(
                "ingest of {} responses, batches of 500: Suara over HTTP {:.0}/s, raw SQLite inserts {:.0}/s, ratio {:.2} (target ≥ 0.5)",
                f.responses,
                f.suara_per_second,
                f.raw_per_second,
                f.ratio()
            );
            Ok(())
        }
        Command::Backup { file } => {
            let held = crate::backup::backup(&cli.database_url, &file).await?;
            println!("backup written to {}: {held}", file.display());
            Ok(())
        }
        Command::Restore { file, replace } => {
            let held = crate::backup::restore(&cli.database_url, &file, replace).await?;
            println!(
                "restored {} into {}: {held}",
                file.display(),
                crate::store::redact(&cli.database_url)
            );
            Ok(())
        }
        Command::AuditDb => {
            let store = open(&cli.database_url).await?;
            let audit = crate::verify::database::audit_database(&store, true).await?;
            match audit.problem {
                None => {
                    println!(
                        "the database is whole: {} responses follow from the chain, and their \
                         columns, scores and the roll-ups from their content",
                        audit.responses
                    );
                    Ok(())
                }
                Some(p) => anyhow::bail!("the database does not hold together: {p}"),
            }
        }
        Command::Rollups {
            command: RollupsCommand::Rebuild,
        } => {
            let store = open(&cli.database_url).await?;
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
}

/// A link on its own line (for scripts: `tail -n1`), after what it is.
fn print_link(base: &super::LinkBase, link: &crate::store::account_links::NewLink) {
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
