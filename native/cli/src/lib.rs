//! The `sluice` command line, shared by the Node entry point (`npx sluice`, through the native
//! binding) and any future standalone binary. Commands: `serve` (the TDS test server),
//! `query` (run SQL against any SQL Server, Azure SQL or the test server), `inspect` (a file's
//! format, dialect and inferred schema) and `load` (files into a table).

mod inspect;
mod inspect_template;
mod load;
mod output;
mod query;
mod serve;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "sluice",
    version,
    about = "Load files into SQL Server and Azure SQL, fast."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the TDS test server (a stand-in for SQL Server; data lives in memory).
    Serve(Box<serve::ServeArgs>),
    /// Run a SQL batch and print what it returns.
    Query(query::QueryArgs),
    /// Detect a file's format, encoding and dialect and infer its schema over the whole file.
    Inspect(inspect::InspectArgs),
    /// Load files into a table (create, append or truncate), fast.
    Load(Box<load::LoadArgs>),
}

/// Runs the command line `args` (without the program name) and returns the exit code.
/// Usage errors print clap's message and return 2.
pub async fn run(args: Vec<String>) -> i32 {
    let argv = std::iter::once("sluice".to_string()).chain(args);
    let cli = match Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Serve(a) => serve::run(*a).await,
        Command::Query(a) => query::run(a).await,
        Command::Inspect(a) => inspect::run(a).await,
        Command::Load(a) => load::run(*a).await,
    }
}
