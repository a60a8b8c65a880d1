//! `wasmcrypt`: runs WASI preview1 modules and WASI 0.2 components with WASI-crypto enabled.

mod codegen_options;
mod component_run;
mod invoke;
mod keys;
mod keystore_args;
mod run;
mod wasm_options;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Runs WebAssembly modules with the WASI-crypto API.
#[derive(Parser)]
#[command(name = "wasmcrypt", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a WASI preview1 module or a WASI 0.2 component with WASI-crypto enabled.
    Run(run::RunArgs),
    /// Lists the supported algorithms per family.
    Algorithms,
    /// Manages a keystore (SQLite file or PostgreSQL): generate, import, list, rotate, revoke,
    /// export-public, status, purge, copy-namespace, rotate-master.
    Keys(keys::KeysArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Keys(args) => keys::keys(args),
        Command::Algorithms => {
            print_algorithms();
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code & 0xff).unwrap_or(1)),
        Err(e) => {
            // One line, no backtrace.
            let message = format!("{e:#}").replace('\n', " ");
            eprintln!("wasmcrypt: error: {message}");
            ExitCode::from(1)
        }
    }
}

fn print_algorithms() {
    for (family, names) in wasmcrypt::supported_algorithms() {
        println!("{family}:");
        if names.is_empty() {
            println!("  (none yet)");
        }
        for (name, tier) in names {
            println!("  {name:<24} {}", tier.name());
        }
    }
}
