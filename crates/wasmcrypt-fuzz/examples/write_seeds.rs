//! Writes the generated seeds to `fuzz/corpus/<target>/seed-<name>` (run from anywhere:
//! `cargo run -p wasmcrypt-fuzz --example write_seeds`).

use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let seeds = wasmcrypt_fuzz::seeds::seeds();
    for seed in &seeds {
        let dir = root.join(seed.target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("seed-{}", seed.name)), &seed.data)?;
    }
    println!("wrote {} seeds under {}", seeds.len(), root.display());
    Ok(())
}
