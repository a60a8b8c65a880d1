;; A minimal core module that imports wasi_ephemeral_crypto_symmetric and exports `sha256_abc`:
;; it hashes "abc" (symmetric_state_open, _absorb, _squeeze, _close) and returns the address of
;; the 32-byte digest, or -1 on an error. Written by hand so that the crate's documentation
;; example runs without a wasm toolchain.
(module
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_open"
    (func $open (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_absorb"
    (func $absorb (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_squeeze"
    (func $squeeze (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_crypto_symmetric" "symmetric_state_close"
    (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "SHA-256")
  (data (i32.const 16) "abc")
  ;; No key and no options: `opt_symmetric_key` and `opt_options` with tag 1 (none).
  (data (i32.const 24) "\01")
  (data (i32.const 32) "\01")
  ;; The state handle goes to 40, the digest to 64.
  (func (export "sha256_abc") (result i32)
    (if (call $open (i32.const 0) (i32.const 7) (i32.const 24) (i32.const 32) (i32.const 40))
      (then (return (i32.const -1))))
    (if (call $absorb (i32.load (i32.const 40)) (i32.const 16) (i32.const 3))
      (then (return (i32.const -1))))
    (if (call $squeeze (i32.load (i32.const 40)) (i32.const 64) (i32.const 32))
      (then (return (i32.const -1))))
    (if (call $close (i32.load (i32.const 40)))
      (then (return (i32.const -1))))
    (i32.const 64)))
