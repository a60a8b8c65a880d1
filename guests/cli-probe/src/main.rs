//! Prints its arguments and the `PROBE` environment variable, reads `/data/probe.txt` if it
//! exists, and exits with the code given by `--exit=N` (default 0).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("args={args:?}");
    println!("env={:?}", std::env::var("PROBE").ok());
    if let Ok(text) = std::fs::read_to_string("/data/probe.txt") {
        println!("file={}", text.trim());
    }
    let code = args.iter().find_map(|a| a.strip_prefix("--exit=")).and_then(|c| c.parse().ok()).unwrap_or(0);
    std::process::exit(code);
}
