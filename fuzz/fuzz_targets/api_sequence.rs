//! libFuzzer entry of the `api_sequence` target (see `crates/wasmcrypt-fuzz`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wasmcrypt_fuzz::api_sequence(data));
