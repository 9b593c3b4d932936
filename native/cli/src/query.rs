//! `sluice query`: connect, run one SQL batch, print the results as a table or JSON.

use crate::output::{print_json, print_table};
use clap::Args;
use sluice_client::Connection;

#[derive(Args, Debug)]
pub struct QueryArgs {
    /// ADO.NET connection string (or set SLUICE_CONNECTION, which keeps the password out of
    /// the process list).
    #[arg(long, short = 'c', env = "SLUICE_CONNECTION", hide_env_values = true)]
    connection: String,
    /// The SQL batch to run.
    sql: String,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
}

pub async fn run(a: QueryArgs) -> i32 {
    let mut conn = match Connection::connect_str(&a.connection).await {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let result = conn.execute(&a.sql).await;
    let _ = conn.close().await;
    match result {
        Ok(r) => {
            if a.json {
                print_json(&r);
            } else {
                print_table(&r);
            }
            0
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &sluice_client::Error) -> i32 {
    match e.server_message() {
        Some(m) => eprintln!(
            "error {} (Msg {}, Level {}, State {}, Line {}): {}",
            e.code(),
            m.number,
            m.class,
            m.state,
            m.line,
            m.message
        ),
        None => eprintln!("error {}: {e}", e.code()),
    }
    1
}
