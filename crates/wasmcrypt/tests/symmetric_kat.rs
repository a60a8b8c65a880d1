//! Published known answers through the public `CryptoCtx` API: FIPS 180-4 examples, RFC 4231,
//! RFC 5869, RFC 8439 §2.8.2 and the GCM specification's test cases.

use wasmcrypt::{AlgorithmType, CryptoCtx, InOut};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn digest(alg: &str, msg: &[u8], len: usize) -> Vec<u8> {
    let mut ctx = CryptoCtx::new();
    let s = ctx.symmetric_state_open(alg, None, None).unwrap();
    ctx.symmetric_state_absorb(s, msg).unwrap();
    let mut out = vec![0u8; len];
    ctx.symmetric_state_squeeze(s, &mut out).unwrap();
    out
}

const M448: &[u8] = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const M896: &[u8] =
    b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

#[test]
fn fips_180_4_examples() {
    assert_eq!(digest("SHA-256", b"abc", 32), hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    assert_eq!(digest("SHA-256", b"", 32), hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assert_eq!(digest("SHA-256", M448, 32), hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    assert_eq!(
        digest("SHA-384", b"abc", 48),
        hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
    );
    assert_eq!(
        digest("SHA-384", M896, 48),
        hex("09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039")
    );
    assert_eq!(
        digest("SHA-512", b"abc", 64),
        hex(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
    );
    assert_eq!(
        digest("SHA-512", M896, 64),
        hex(
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        )
    );
    assert_eq!(
        digest("SHA-512/256", b"abc", 32),
        hex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
    );
    // Squeezing truncates the digest.
    assert_eq!(digest("SHA-512", b"abc", 16), hex("ddaf35a193617abacc417349ae204131"));
}

fn hmac(alg: &str, key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import(alg, key).unwrap();
    let s = ctx.symmetric_state_open(alg, Some(k), None).unwrap();
    ctx.symmetric_state_absorb(s, msg).unwrap();
    let tag = ctx.symmetric_state_squeeze_tag(s).unwrap();
    let mut out = vec![0u8; ctx.symmetric_tag_len(tag).unwrap()];
    ctx.symmetric_tag_pull(tag, &mut out).unwrap();
    out
}

#[test]
fn rfc_4231() {
    let k1 = [0x0b; 20];
    assert_eq!(
        hmac("HMAC/SHA-256", &k1, b"Hi There"),
        hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    );
    assert_eq!(
        hmac("HMAC/SHA-512", &k1, b"Hi There"),
        hex(
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
        )
    );
    assert_eq!(
        hmac("HMAC/SHA-256", b"Jefe", b"what do ya want for nothing?"),
        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    );
    assert_eq!(
        hmac("HMAC/SHA-256", &[0xaa; 20], &[0xdd; 50]),
        hex("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    );
    assert_eq!(
        hmac("HMAC/SHA-256", &[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First"),
        hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    );
}

fn hkdf(hash: &str, ikm: &[u8], salt: &[u8], info: &[u8], len: usize) -> (Vec<u8>, Vec<u8>) {
    let mut ctx = CryptoCtx::new();
    let (extract, expand) = (format!("HKDF-EXTRACT/{hash}"), format!("HKDF-EXPAND/{hash}"));
    let k = ctx.symmetric_key_import(&extract, ikm).unwrap();
    let s = ctx.symmetric_state_open(&extract, Some(k), None).unwrap();
    ctx.symmetric_state_absorb(s, salt).unwrap();
    let prk = ctx.symmetric_state_squeeze_key(s, &expand).unwrap();
    let exported = ctx.symmetric_key_export(prk).unwrap();
    let mut prk_bytes = vec![0u8; ctx.array_output_len(exported).unwrap()];
    ctx.array_output_pull(exported, &mut prk_bytes).unwrap();
    let s = ctx.symmetric_state_open(&expand, Some(prk), None).unwrap();
    ctx.symmetric_state_absorb(s, info).unwrap();
    let mut okm = vec![0u8; len];
    ctx.symmetric_state_squeeze(s, &mut okm).unwrap();
    (prk_bytes, okm)
}

#[test]
fn rfc_5869() {
    let (prk, okm) = hkdf("SHA-256", &[0x0b; 22], &hex("000102030405060708090a0b0c"), &hex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assert_eq!(prk, hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
    assert_eq!(okm, hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
    let range = |a: u8, b: u8| (a..=b).collect::<Vec<u8>>();
    let (prk, okm) = hkdf("SHA-256", &range(0x00, 0x4f), &range(0x60, 0xaf), &range(0xb0, 0xff), 82);
    assert_eq!(prk, hex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244"));
    assert_eq!(
        okm,
        hex(
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"
        )
    );
    let (prk, okm) = hkdf("SHA-256", &[0x0b; 22], b"", b"", 42);
    assert_eq!(prk, hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
    assert_eq!(okm, hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
}

fn seal(alg: &str, key: &[u8], nonce: &[u8], aad: &[u8], pt: &[u8]) -> Vec<u8> {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import(alg, key).unwrap();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "nonce", nonce).unwrap();
    let s = ctx.symmetric_state_open(alg, Some(k), Some(o)).unwrap();
    ctx.symmetric_state_absorb(s, aad).unwrap();
    let mut out = vec![0u8; pt.len() + 16];
    ctx.symmetric_state_encrypt(s, InOut::separate(pt, &mut out)).unwrap();
    // Decrypting gives the plaintext back, in place.
    let s = ctx.symmetric_state_open(alg, Some(k), Some(o)).unwrap();
    ctx.symmetric_state_absorb(s, aad).unwrap();
    let mut buf = out.clone();
    let n = ctx.symmetric_state_decrypt(s, InOut::within(&mut buf, 0..out.len(), 0..pt.len()).unwrap()).unwrap();
    assert_eq!(&buf[..n], pt);
    out
}

#[test]
fn gcm_specification_test_cases() {
    let zero = [0u8; 32];
    assert_eq!(seal("AES-128-GCM", &zero[..16], &zero[..12], b"", b""), hex("58e2fccefa7e3061367f1d57a4e7455a"));
    assert_eq!(
        seal("AES-128-GCM", &zero[..16], &zero[..12], b"", &zero[..16]),
        hex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf")
    );
    let key = hex("feffe9928665731c6d6a8f9467308308");
    let iv = hex("cafebabefacedbaddecaf888");
    let p = hex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
    );
    let c = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
    assert_eq!(seal("AES-128-GCM", &key, &iv, b"", &p), hex(&format!("{c}4d5c2af327cd64a62cf35abd2ba6fab4")));
    let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    assert_eq!(
        seal("AES-128-GCM", &key, &iv, &aad, &p[..60]),
        hex(&format!("{}5bc94fbc3221a5db94fae95ae7121a47", &c[..120]))
    );
    assert_eq!(seal("AES-256-GCM", &zero, &zero[..12], b"", b""), hex("530f8afbc74536b9a963b4f1c4cb738b"));
    assert_eq!(
        seal("AES-256-GCM", &zero, &zero[..12], b"", &zero[..16]),
        hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919")
    );
}

#[test]
fn rfc_8439_aead() {
    let key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    let nonce = hex("070000004041424344454647");
    let aad = hex("50515253c0c1c2c3c4c5c6c7");
    let pt = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    let expected = hex(concat!(
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b",
        "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc",
        "3ff4def08e4b7a9de576d26586cec64b6116",
        "1ae10b594f09e26a7e902ecbd0600691"
    ));
    assert_eq!(seal("CHACHA20-POLY1305", &key, &nonce, &aad, pt), expected);
}
