//! Counts the tokens of stdin with cargo-parseltongue's tokenizer (cl100k_base, or o200k
//! with `--o200k`): what `context` budgets and what the MCP server's `max_tokens` counts.
//! Used by `benches/mcp_bench.py`.
//!
//! `cargo run --release --example count_tokens < answer.json`

use cargo_parseltongue::query::context::Tokenizer;
use std::io::Read;

fn main() -> std::io::Result<()> {
    let tokenizer = if std::env::args().any(|a| a == "--o200k") {
        Tokenizer::O200k
    } else {
        Tokenizer::Cl100k
    };
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    #[allow(clippy::print_stdout)]
    {
        println!("{}", tokenizer.count(&text));
    }
    Ok(())
}
