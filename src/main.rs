use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = jiebang::cli::Cli::parse();
    match jiebang::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jiebang: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
