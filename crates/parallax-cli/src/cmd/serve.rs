//! `parallax serve --db corpus.db`: the HTTP API and the web app.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The corpus database (created if absent). The server touches no other file.
    #[arg(long)]
    pub db: PathBuf,
    /// Address to listen on; loopback by default. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Token required for writes (`Authorization: Bearer TOKEN`); without
    /// one, writes are refused on a non-loopback address.
    #[arg(long, env = "PARALLAX_TOKEN")]
    pub token: Option<String>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Seconds a request may wait for a slot plus seconds it may run.
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
    /// Requests handled at once.
    #[arg(long, default_value_t = 64)]
    pub max_concurrent: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.max_concurrent > 0,
        "--max-concurrent must be at least 1"
    );
    anyhow::ensure!(args.timeout_secs > 0, "--timeout-secs must be at least 1");
    parallax_server::serve(parallax_server::ServerConfig {
        db: args.db,
        addr: args.addr,
        token: args.token.filter(|t| !t.is_empty()),
        max_body_bytes: args.max_body_bytes,
        timeout: std::time::Duration::from_secs(args.timeout_secs),
        max_concurrent: args.max_concurrent,
    })
    .map_err(|e| anyhow::anyhow!(e))?;
    Ok(ExitCode::SUCCESS)
}
