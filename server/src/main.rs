//! `plaza`: the server and its administrative commands.

use clap::{Parser, Subcommand};
use plaza_server::{tasks, Config};

#[derive(Parser)]
#[command(name = "plaza", version, about = "Plaza: one membership, one card and one points pool for a shopping mall")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default): migrates the database first.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Seed the demo mall into an empty database and print the demo accounts.
    SeedDemo,
    /// Create an operator administrator (password from PLAZA_OPERATOR_PASSWORD or a prompt).
    CreateOperator {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// The hash-chained audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Durable jobs.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Receipt photos.
    Receipts {
        #[command(subcommand)]
        command: ReceiptsCommand,
    },
}

#[derive(Subcommand)]
enum ReceiptsCommand {
    /// Read receipt photos (no database write): one JSON object per file on stdout.
    Ocr {
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Add the milliseconds each photo took ("ms").
        #[arg(long)]
        timings: bool,
        /// Read this many photos at once, each on one core (as the server does); by default
        /// one at a time on every core.
        #[arg(long)]
        workers: Option<usize>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Seal what has committed, check every link of the chain against its head and the signed
    /// checkpoints; report the first thing that does not hold (exit code 1).
    Verify {
        /// A checkpoint line kept from `plaza audit checkpoint` (repeatable).
        #[arg(long = "checkpoint")]
        checkpoints: Vec<String>,
    },
    /// Sign and store the chain's head; print the line to keep outside the database.
    Checkpoint,
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Queue the periodic jobs and run everything due now, then exit.
    Run,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => tasks::serve(config).await,
        Command::Migrate => tasks::migrate(config).await,
        Command::SeedDemo => tasks::seed_demo(config).await,
        Command::CreateOperator { username, display_name } => {
            tasks::create_operator(config, username, display_name).await
        }
        Command::Audit { command: AuditCommand::Verify { checkpoints } } => {
            tasks::audit_verify(config, checkpoints).await
        }
        Command::Audit { command: AuditCommand::Checkpoint } => tasks::audit_checkpoint(config).await,
        Command::Jobs { command: JobsCommand::Run } => tasks::jobs_run(config).await,
        Command::Receipts { command: ReceiptsCommand::Ocr { files, timings, workers } } => {
            plaza_server::receipt_ocr::ocr_files(config, files, timings, workers).await
        }
    }
}
