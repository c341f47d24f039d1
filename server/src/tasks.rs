//! The command-line tasks: serve, migrate, seed the demo mall, create the first operator.

use crate::config::{Config, Mode};
use crate::payment_config::PaymentSettings;
use anyhow::{bail, Context, Result};
use axum::serve::ListenerExt;
use plaza_app::server::AppContext;
use plaza_core::auth::staff::{self, NewStaff};
use plaza_core::payments::sandbox::Delivery;
use plaza_core::payments::Gateway;
use plaza_core::receipts::{ReceiptServices, SharedReader};
use plaza_core::scheduled::JobContext;
use plaza_core::sms::SharedSms;
use plaza_core::storage::{Purpose, SharedStorage, Storage, StorageError};
use plaza_core::{demo, Db, Timestamp};
use plaza_types::StaffRole;
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn open_database(config: &Config) -> Result<Db> {
    // What each payment purpose does when paid, refunded or closed (see plaza_core::purposes).
    plaza_core::purposes::install();
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("opening {}", redact(&config.database_url)))?;
    db.migrate().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(db)
}

/// Hides the password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The payment provider and what comes with it: WeChat Pay or Alipay as configured, or the
/// sandbox. `site` is where this server listens: the sandbox delivers its notifications there
/// unless `PLAZA_NOTIFY_URL` says otherwise.
pub async fn gateway(config: &Config, db: &Db, site: SocketAddr) -> Result<Gateway> {
    match &config.payments {
        PaymentSettings::Sandbox => {}
        PaymentSettings::Wechat(wechat) => {
            tracing::info!(mchid = %wechat.mchid, api = %wechat.base_url, "payments: WeChat Pay");
            let (client, api_v3_key) = (wechat.client_config()?, wechat.api_v3_key()?);
            let gateway = match wechat.download_certificates {
                true => Gateway::wechat_with_certificates(client, api_v3_key).await,
                false => Gateway::wechat(client, api_v3_key),
            };
            return gateway.map_err(|e| anyhow::anyhow!("{e}"));
        }
        PaymentSettings::Alipay(alipay) => {
            tracing::info!(app_id = %alipay.app_id, api = %alipay.gateway_url, "payments: Alipay");
            return Gateway::alipay(alipay.client_config()?).map_err(|e| anyhow::anyhow!("{e}"));
        }
    }
    let notify_url = config.notify_url.clone().unwrap_or_else(|| {
        let host = if site.ip().is_unspecified() { "127.0.0.1".to_string() } else { site.ip().to_string() };
        format!("http://{host}:{}/notify/wechat", site.port())
    });
    let delivery = match config.sandbox_chaos {
        Some(copies) => Delivery::Chaos { copies },
        None => Delivery::Normal,
    };
    Gateway::sandbox(db, &config.secrets, notify_url, delivery).await.map_err(|e| anyhow::anyhow!("{e}"))
}

/// The storage service: the S3-compatible bucket when `PLAZA_S3_*` is set, else the folder.
pub fn storage(config: &Config) -> Result<Storage> {
    let storage = match &config.s3 {
        Some(s3) => {
            // The keys are never logged.
            tracing::info!(
                endpoint = %s3.endpoint,
                bucket = %s3.bucket,
                region = %s3.region,
                "photo storage: S3-compatible bucket"
            );
            Storage::s3(s3).context("PLAZA_S3_*")?
        }
        None => {
            tracing::info!(folder = %config.photos_dir.display(), "photo storage: local folder");
            Storage::local(&config.photos_dir).context("PLAZA_PHOTOS_DIR")?
        }
    };
    Ok(storage)
}

/// Asks the storage for a photo that is never there: a missing bucket or refused keys stop
/// start-up (every upload would fail); a store that cannot be reached right now only warns.
async fn check_storage(storage: &Storage) -> Result<()> {
    match storage.check(Purpose::Receipts).await {
        Ok(()) => Ok(()),
        Err(error @ (StorageError::NoBucket { .. } | StorageError::Refused { .. })) => {
            bail!("photo storage: {error} (PLAZA_S3_*)")
        }
        Err(error) => {
            tracing::warn!(%error, "photo storage cannot be reached now: uploads fail until it can");
            Ok(())
        }
    }
}

/// The storage service and the OCR pool, created once. Without the models the server still
/// starts: receipts then wait for an operator, and this says why.
pub fn receipt_services(config: &Config) -> Result<ReceiptServices> {
    let store: SharedStorage = Arc::new(storage(config)?);
    let reader: Option<SharedReader> = match plaza_ocr::Ocr::load(&config.ocr_models) {
        Ok(ocr) => {
            tracing::info!(models = %config.ocr_models.display(), workers = config.ocr_workers, "receipt OCR ready");
            Some(Arc::new(plaza_ocr::OcrPool::new(Arc::new(ocr), config.ocr_workers)))
        }
        Err(error) => {
            tracing::warn!(%error, "receipt OCR unavailable: uploaded receipts go to the operators' review queue");
            None
        }
    };
    Ok(ReceiptServices { store, reader })
}

/// `site` is where this server listens: in demo mode, without `PLAZA_PUBLIC_URL`, the address in
/// shared links (never a request's `Host`, which the client writes).
pub fn app_context(
    config: &Config,
    db: Db,
    payments: Gateway,
    receipts: ReceiptServices,
    sms: SharedSms,
    site: SocketAddr,
) -> AppContext {
    AppContext {
        receipts,
        payments,
        db,
        secrets: config.secrets.clone(),
        sms,
        dev_mode: config.mode == Mode::Demo,
        secure_cookies: config.secure_cookies,
        trust_proxy: config.trust_proxy.clone(),
        public_url: config.public_url.clone().unwrap_or_else(|| format!("http://{site}")),
    }
}

/// Demo mode answers anyone who can reach it with any phone's sign-in code: it listens on this
/// machine only.
fn check_listen_address(mode: Mode, addr: SocketAddr) -> Result<()> {
    if mode == Mode::Demo && !addr.ip().is_loopback() {
        bail!(
            "demo mode listens on this machine only (127.0.0.1 or ::1), not {addr}: it shows every phone's \
             sign-in code and takes sandbox payments. Serve others with PLAZA_ENV=production"
        );
    }
    Ok(())
}

pub async fn serve(config: Config) -> Result<()> {
    let db = open_database(&config).await?;
    if !staff::operator_admin_exists(&db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        tracing::warn!("no operator account yet: run `plaza seed-demo` or `plaza create-operator`");
    }
    let options = leptos::config::get_configuration(None).context("reading the LEPTOS_* settings")?.leptos_options;
    let bundle = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir).join("plaza.js");
    if !bundle.exists() {
        tracing::warn!(
            "{} is missing: pages will have no styles or islands; build the site with `cargo xtask site --release`",
            bundle.display()
        );
    }
    let addr: SocketAddr = options.site_addr;
    check_listen_address(config.mode, addr)?;
    let payments = gateway(&config, &db, addr).await?;
    let sms = config.sms.provider()?;
    tracing::info!(provider = config.sms.name(), "SMS");
    let worker = crate::worker::spawn(db.clone(), JobContext::new(&payments, sms.clone()), config.worker_tick);
    let receipts = receipt_services(&config)?;
    check_storage(&receipts.store).await?;
    let sweeper = spawn_receipt_sweeper(db.clone(), receipts.clone());
    let sealer = crate::audit_sealer::spawn(db.clone(), config.secrets.clone());
    let app = crate::http::router(app_context(&config, db.clone(), payments, receipts, sms, addr), options);
    // Without TCP_NODELAY a response written in two parts waits on the client's delayed ACK
    // (~40 ms per request on Linux); measured in bench/run.
    let listener =
        tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    tracing::info!(%addr, mode = ?config.mode, "Plaza is listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    worker.abort();
    sweeper.abort();
    sealer.abort();
    // What was audited just before stopping is chained now rather than by the next start.
    let _ = plaza_core::audit::settle(&db, std::time::Duration::from_secs(5)).await;
    db.close().await;
    Ok(())
}

/// Reads receipts left `recognising` (a restart between upload and reading, a failed read).
fn spawn_receipt_sweeper(db: Db, receipts: ReceiptServices) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            ticker.tick().await;
            let reader = receipts.reader.as_deref();
            match plaza_core::receipts::recognise_stale(&db, receipts.store.as_ref(), reader, Timestamp::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(receipts = n, "read receipts left waiting"),
                Err(error) => tracing::warn!(%error, "reading waiting receipts failed"),
            }
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

pub async fn migrate(config: Config) -> Result<()> {
    let db = open_database(&config).await?;
    println!("database is up to date ({})", redact(&config.database_url));
    db.close().await;
    Ok(())
}

pub async fn seed_demo(config: Config) -> Result<()> {
    if config.mode == Mode::Production {
        bail!("the demo mall is for demo mode only (PLAZA_ENV=demo)");
    }
    let db = open_database(&config).await?;
    let seeded = demo::seed(&db, Timestamp::now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // The demo dishes' photos, drawn and stored where the server will serve them from.
    let drawn =
        demo::draw_photos(&db, &storage(&config)?, Timestamp::now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if drawn > 0 {
        println!("Drew {drawn} photos.");
    }
    if seeded {
        println!("Seeded the demo mall 星汇广场 / Star Plaza.");
    } else {
        println!("The database already has a mall; the demo was not seeded again.");
    }
    print_demo_accounts();
    db.close().await;
    Ok(())
}

/// `plaza seed-scale`: the demo mall at a million members (plaza_core::scale_seed), with a line
/// of progress per chunk.
pub async fn seed_scale(config: Config, counts: plaza_core::scale_seed::Counts, seed: u64) -> Result<()> {
    use plaza_core::scale_seed::{self, Outcome};
    if config.mode == Mode::Production {
        bail!("seed-scale is for measuring, in demo mode only (PLAZA_ENV=demo)");
    }
    let db = open_database(&config).await?;
    println!(
        "Seeding {} members, about {} ledger lines, {} coupons, {} payments (seed {seed})...",
        counts.members, counts.ledger, counts.coupons, counts.payments
    );
    let mut report = |p: scale_seed::Progress| {
        println!(
            "  {:>9}/{} members  {:>11} rows  {:>7.1} s  {:>9.0} rows/s",
            p.members_done,
            p.members,
            p.rows,
            p.elapsed_secs,
            p.rows_per_sec()
        );
    };
    let outcome = scale_seed::seed(&db, &config.database_url, counts, seed, Timestamp::now(), &mut report)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    db.close().await;
    match outcome {
        Outcome::Seeded(s) => {
            println!(
                "Seeded in {:.1} s ({} rows, {:.0} rows/s). The mall now has {} members, {} ledger lines, {} lots, {} payments, {} coupons.",
                s.millis as f64 / 1000.0,
                s.rows,
                s.rows as f64 * 1000.0 / s.millis.max(1) as f64,
                s.members,
                s.ledger,
                s.lots,
                s.payments,
                s.coupons
            );
            Ok(())
        }
        Outcome::Refused(why) => bail!("seed-scale refused: {why}"),
    }
}

pub fn print_demo_accounts() {
    println!();
    println!("Demo accounts (staff password: {}):", demo::DEMO_PASSWORD);
    for shopper in &demo::DEMO_SHOPPERS {
        println!(
            "  shopper   {}  {} — sign in at /login; the code is shown on screen in development",
            shopper.phone, shopper.name
        );
    }
    for account in demo::accounts() {
        let tenant = account.tenant.map(|t| format!(" ({t})")).unwrap_or_default();
        println!("  staff     {:<22} {}{tenant}", account.username, account.role.as_str());
    }
    println!("  staff sign-in at /staff/login");
}

pub async fn create_operator(config: Config, username: String, display_name: Option<String>) -> Result<()> {
    let db = open_database(&config).await?;
    let password = match std::env::var("PLAZA_OPERATOR_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => {
            let first = rpassword::prompt_password("Password for the new operator: ")?;
            let second = rpassword::prompt_password("Repeat the password: ")?;
            if first != second {
                bail!("the passwords differ");
            }
            first
        }
    };
    let display_name = display_name.unwrap_or_else(|| username.clone());
    let mut tx = db.begin_write().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let new = NewStaff {
        username: &username,
        display_name: &display_name,
        password: &password,
        role: StaffRole::OperatorAdmin,
        tenant_id: None,
    };
    let id = staff::create(&mut tx, new, Timestamp::now()).await.map_err(|e| match e {
        plaza_core::Error::User(e) => anyhow::anyhow!("refused: {e}"),
        other => anyhow::anyhow!("{other}"),
    })?;
    tx.commit().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Created operator administrator `{username}` (id {id}). Sign in at /staff/login.");
    db.close().await;
    Ok(())
}

/// `plaza audit verify [--checkpoint LINE]...`: seals what has committed, walks the hash chain and
/// holds it against its head, the stored checkpoints (their signatures too) and any exported ones
/// given; exits non-zero at the first thing that does not hold.
pub async fn audit_verify(config: Config, exported: Vec<String>) -> Result<()> {
    use plaza_core::audit::{self, Checkpoint};
    let db = open_database(&config).await?;
    let result = audit::verify(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut problems = Vec::new();
    if let Some((seq, why)) = &result.first_broken {
        problems.push(format!("BROKEN at entry {seq}: {why} ({} entries before it verify)", result.entries));
    }
    let stored = audit::stored_checkpoints(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(bad) = stored.iter().find(|c| !c.is_signed_by(&config.secrets)) {
        problems.push(format!("the stored checkpoint at entry {} is not signed with this deployment's key", bad.seq));
    }
    for line in &exported {
        let Some(checkpoint) = Checkpoint::parse(line) else {
            problems.push(format!("not a checkpoint: {line}"));
            continue;
        };
        match audit::verify_against(&db, &config.secrets, &checkpoint).await.map_err(|e| anyhow::anyhow!("{e}"))? {
            Ok(()) => println!("checkpoint at entry {} holds", checkpoint.seq),
            Err(why) => problems.push(why),
        }
    }
    db.close().await;
    if problems.is_empty() {
        println!(
            "audit log intact: {} entries, every link verified, {} stored checkpoints hold{}",
            result.entries,
            stored.len(),
            if result.unsealed > 0 {
                format!(" ({} entries of running transactions not yet sealed)", result.unsealed)
            } else {
                String::new()
            }
        );
        Ok(())
    } else {
        for problem in problems {
            println!("audit log: {problem}");
        }
        std::process::exit(1);
    }
}

/// `plaza audit checkpoint`: seals, signs and stores the chain's head, and prints the line to keep
/// outside the database (`plaza audit verify --checkpoint '<line>'` later proves nothing was cut).
pub async fn audit_checkpoint(config: Config) -> Result<()> {
    let db = open_database(&config).await?;
    let checkpoint = plaza_core::audit::checkpoint(&db, &config.secrets, Timestamp::now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    db.close().await;
    println!("{}", checkpoint.text());
    Ok(())
}

/// `plaza jobs run`: queues the periodic jobs and runs everything due now, then exits.
pub async fn jobs_run(config: Config) -> Result<()> {
    let db = open_database(&config).await?;
    let options = leptos::config::get_configuration(None).context("reading the LEPTOS_* settings")?.leptos_options;
    let payments = gateway(&config, &db, options.site_addr).await?;
    let jobs = JobContext::new(&payments, config.sms.provider()?);
    let now = Timestamp::now();
    plaza_core::scheduled::schedule_due(&db, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let ran = plaza_core::scheduled::run_due(&db, &jobs, &format!("cli-{}", std::process::id()), now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("ran {ran} jobs");
    db.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    /// Finding 1 of issue 14: demo mode (codes on screen) served whoever could reach it.
    #[test]
    fn demo_mode_listens_on_loopback_only() {
        use super::{check_listen_address, Mode};
        assert!(check_listen_address(Mode::Demo, "127.0.0.1:3000".parse().unwrap()).is_ok());
        assert!(check_listen_address(Mode::Demo, "[::1]:3000".parse().unwrap()).is_ok());
        let err = check_listen_address(Mode::Demo, "0.0.0.0:3000".parse().unwrap()).unwrap_err();
        assert!(err.to_string().contains("PLAZA_ENV=production"), "{err}");
        assert!(check_listen_address(Mode::Demo, "192.168.1.20:3000".parse().unwrap()).is_err());
        assert!(check_listen_address(Mode::Production, "0.0.0.0:3000".parse().unwrap()).is_ok());
    }

    #[test]
    fn hides_database_passwords() {
        assert_eq!(redact("postgres://plaza:secret@db:5432/plaza"), "postgres://plaza:***@db:5432/plaza");
        assert_eq!(redact("sqlite://data/plaza.db"), "sqlite://data/plaza.db");
    }
}
