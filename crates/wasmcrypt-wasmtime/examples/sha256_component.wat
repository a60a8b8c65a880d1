;; A minimal component that imports wasi:crypto@0.11.0 and exports `run: func() -> list<u8>`,
;; the SHA-256 digest of "abc" (symmetric-state-open, -absorb, -squeeze, then a drop), written
;; by hand so that the crate's documentation example runs without a wasm toolchain.
(component
  (import "wasi:crypto/wasi-ephemeral-crypto-common@0.11.0" (instance $common
    (type $errno (variant
      (case "success") (case "guest-error") (case "not-implemented") (case "unsupported-feature") (case "prohibited-operation") (case "unsupported-encoding")
      (case "unsupported-algorithm") (case "unsupported-option") (case "invalid-key") (case "invalid-length") (case "verification-failed") (case "rng-error")
      (case "algorithm-failure") (case "invalid-signature") (case "closed") (case "invalid-handle") (case "overflow") (case "internal-error")
      (case "too-many-handles") (case "key-not-supported") (case "key-required") (case "invalid-tag") (case "invalid-operation") (case "nonce-required")
      (case "invalid-nonce") (case "option-not-set") (case "not-found") (case "parameters-missing") (case "in-progress") (case "incompatible-keys")
      (case "expired")))
    (export "crypto-errno" (type (eq $errno)))
    (export "symmetric-key" (type (sub resource)))
    (export "options" (type (sub resource)))
    (export "symmetric-state" (type (sub resource)))
  ))
  (alias export $common "crypto-errno" (type $errno))
  (alias export $common "symmetric-key" (type $key))
  (alias export $common "options" (type $options))
  (alias export $common "symmetric-state" (type $state))
  (import "wasi:crypto/wasi-ephemeral-crypto-symmetric@0.11.0" (instance $symmetric
    (export "symmetric-state-open" (func
      (param "algorithm" string) (param "key" (option (borrow $key))) (param "options" (option (borrow $options)))
      (result (result (own $state) (error $errno)))))
    (export "symmetric-state-absorb" (func
      (param "state" (borrow $state)) (param "data" (list u8)) (result (result (error $errno)))))
    (export "symmetric-state-squeeze" (func
      (param "state" (borrow $state)) (result (result (list u8) (error $errno)))))
  ))

  ;; Linear memory and a bump allocator for the lists the host returns.
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (global.get $heap)
      (global.set $heap (i32.add (global.get $heap) (local.get 3)))))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))

  (core func $open (canon lower (func $symmetric "symmetric-state-open") (memory $memory)))
  (core func $absorb (canon lower (func $symmetric "symmetric-state-absorb") (memory $memory)))
  (core func $squeeze (canon lower (func $symmetric "symmetric-state-squeeze") (memory $memory) (realloc $realloc)))
  (core func $drop (canon resource.drop $state))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "crypto" "open" (func $open (param i32 i32 i32 i32 i32 i32 i32)))
    (import "crypto" "absorb" (func $absorb (param i32 i32 i32 i32)))
    (import "crypto" "squeeze" (func $squeeze (param i32 i32)))
    (import "crypto" "drop" (func $drop (param i32)))
    (data (i32.const 16) "SHA-256")
    (data (i32.const 32) "abc")
    ;; Results: open at 64 (tag, handle at 68), absorb at 72, squeeze at 80 (tag, list at 84).
    (func (export "run") (result i32)
      (local $state i32)
      (call $open (i32.const 16) (i32.const 7) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 64))
      (if (i32.load8_u (i32.const 64)) (then unreachable))
      (local.set $state (i32.load (i32.const 68)))
      (call $absorb (local.get $state) (i32.const 32) (i32.const 3) (i32.const 72))
      (if (i32.load8_u (i32.const 72)) (then unreachable))
      (call $squeeze (local.get $state) (i32.const 80))
      (if (i32.load8_u (i32.const 80)) (then unreachable))
      (call $drop (local.get $state))
      (i32.const 84)))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "crypto" (instance
      (export "open" (func $open))
      (export "absorb" (func $absorb))
      (export "squeeze" (func $squeeze))
      (export "drop" (func $drop))))))
  (func (export "run") (result (list u8)) (canon lift (core func $main "run") (memory $memory)))
)
