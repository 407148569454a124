use clap::{Parser, Subcommand};
use cognate_server::config::ServeConfig;

#[derive(Parser)]
#[command(
    name = "cognate",
    version,
    about = "A self-hosted Amazon Cognito User Pools server"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve(Box<ServeConfig>),
    /// Apply pending database migrations and exit (`serve` also applies them at start).
    Migrate(cognate_server::database::StoreArgs),
    /// A full integrity check of the database; exit status 1 if it is damaged.
    Check(cognate_server::database::StoreArgs),
    /// Import users from a CSV file (the user import job format) straight into the database.
    Import(cognate_server::import_cli::ImportArgs),
    /// Print the otpauth:// URI and a QR code for a TOTP secret (enrol an authenticator app).
    TotpUri(cognate_server::totp_uri::TotpUriArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COGNATE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let config = match cli.command {
        Some(Command::Serve(c)) => c,
        Some(Command::Migrate(args)) => return cognate_server::database::migrate(&args).await,
        Some(Command::Check(args)) => return cognate_server::database::check(&args).await,
        Some(Command::Import(args)) => return cognate_server::import_cli::run(&args).await,
        Some(Command::TotpUri(args)) => {
            let text = cognate_server::totp_uri::render(&args).map_err(|e| anyhow::anyhow!(e))?;
            print!("{text}");
            return Ok(());
        }
        None => {
            // `cognate` alone behaves like `cognate serve` with its defaults and environment.
            let Cli {
                command: Some(Command::Serve(c)),
            } = Cli::parse_from(["cognate", "serve"])
            else {
                anyhow::bail!("could not build the default serve configuration");
            };
            c
        }
    };
    let app = cognate_server::app::App::build((*config).with_env_access_key()?).await?;
    println!("cognate listening on http://{}", app.addr);
    app.run(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
