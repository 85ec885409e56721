use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = suara::cli::Cli::parse();
    cli.start_logging();
    match suara::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
