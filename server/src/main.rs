//! `plaza`: the server and its administrative commands.

use clap::{Parser, Subcommand};
use plaza_server::{tasks, Config};

/// mimalloc rather than glibc's malloc: rendering a page allocates and frees many small
/// strings on both worker threads, and glibc's allocator was a fifth of a signed-in `/card`'s
/// time (docs/decisions/0026-server-rendering-costs.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Add a million members with three years of history to the demo mall (run seed-demo first),
    /// for measuring at scale; refused on a mall seeded before.
    SeedScale {
        #[arg(long, default_value_t = 1_000_000)]
        members: u64,
        /// Points-ledger lines (about: check-ins fill up what payments leave, expiries add some).
        #[arg(long, default_value_t = 10_000_000)]
        ledger: u64,
        /// Coupons (at most one per member).
        #[arg(long, default_value_t = 200_000)]
        coupons: u64,
        #[arg(long, default_value_t = 2_000_000)]
        payments: u64,
        /// The same seed gives the same members, numbers and histories.
        #[arg(long, default_value_t = 20_261_203)]
        seed: u64,
    },
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

/// Worker threads get 8 MiB of stack rather than tokio's 2 MiB: rendering a page nests deeply
/// (Leptos views), and an unoptimised build's frames are large (a promotion's product page
/// overflowed 2 MiB in the debug server, which aborts the whole process).
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
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
        Command::SeedScale { members, ledger, coupons, payments, seed } => {
            let counts = plaza_core::scale_seed::Counts { members, ledger, coupons, payments };
            tasks::seed_scale(config, counts, seed).await
        }
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
