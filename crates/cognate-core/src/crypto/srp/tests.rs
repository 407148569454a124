//! Known answers (cross-checked with amazon-cognito-identity-js and pycognito), edge cases,
//! and client/server agreement.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::random::{RandomExt, SeededRandom};

// The known-answer vector, cross-checked with amazon-cognito-identity-js and pycognito.
const POOL: &str = "ExAmPlE12";
const USER: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
const SALT: &str = "3f1c5a7b9d2e4f60718293a4b5c6d7e8";
const K_HEX: &str = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";
const A_SECRET: &str = "70b739356444a82b7c1758f7a90cf1e71d71df4f9172d744ce11688184d8106f";
const B_SECRET: &str = "73411be833ad3f197ad6b912e2a5e3ae13a61744b79c09deb09b859383c9c90b";
const X_HEX: &str = "53bcc69330242516bea78c467929de09ccf9e6160022c9c59c19036b83062e6e";
const V_HEX: &str = concat!(
    "b8f1e9eebdf2d287b4b487b255f2979e8a0889fa46501af843f7d9166451ec2435518898cbac445af027be971d83a8ed",
    "edf493415e1cf7990248e362c79ff2b5872fab444aed4d6a501c5b9f7353b3d4c01f9dfd1d2c6ed7af35cefe7053fddd",
    "7d3f3f42f5ebbf3fbf7768f08ae2240a81aaf542144940f337ad3795ea283d55a9c4d5e1225bcfab2b0668815cec22e4",
    "602094f5bb946da19201ad86ee43b61b53606e26370a8f1d0dbe2c2747758205326e45674eb3c5a56b62955cfef973d4",
    "ab1ef3177698cb8e2895652db7a226548bbe236af2ba18a7de17a91a3fbd93c29d4a60f1c4ac750546ad64c9ae74f124",
    "2f309082b7e5f9718b477d6a319cd2e3b76bd9a3f6e48d61228a707b9f80ab04d68e9bfc7dc2447713a0edce3c65f32a",
    "c01dd7048be60560e507357783cc5aabd58efc9ca76d94564a46c4cf0843c5722927b85d047fb6fb4eabb66c3bd43116",
    "e611f7db97b0e81253d9689fac27b66a291de630e43db28fc608439388242483c1dd56ead2384b354aaa1599390ca1cc",
);
const SRP_A_HEX: &str = concat!(
    "f052d4eb6f1fc4e68ad05aa1e3f85a889b1120a9d2e3aee4c05054411f5703c86926663fde8a7fc86ea0489f57347ce5",
    "0dc143c7458aa1f2609b8dde893eecb532c8dbba68c497eaa03071828773619a852019707c2413921e28a258fedcbc88",
    "6b444d05cd97646fccb13ccdd5ae325f5b34bcdb46bb2669018dbf743a9ef52fdde3e1f05e02363961d5e8d0c2ca577b",
    "d4182e39fafd6d2269a21b9fb2f52f8a6eaa202bdd785876cedf7809e1ba340d87adca271f23ffe9c4554f2322aa2d53",
    "dfc5257263f3d0df2af5a2618f135c37b89a959dddf4a2ebaba46e73268658235f2304a062c887f586911f024565a4ca",
    "ab1fa9705141604b8b6751f071f624e74a54bf543ee5b338883371ffb659a5a59f8440f25320052075162f86b95db1b0",
    "2f90afb9d46451bc47fcc57eaf5b7a2125cb449edd9107e6570f5c9b38a8a823a757739da6bb5d1c8cafcd73726b52ab",
    "761fd9f1bcf9ec713d499dece45cf265a0b9f35a78fc21db1f6a99fdcd983721c04c25e454f43d40fbf5a828ceb0152e",
);
const SRP_B_HEX: &str = concat!(
    "89407ebda21c99922de7ea564c3a4f168058a8bf6ea395b6413e82c48e1e013043472af5927650de67a2284ede95258b",
    "60894f81fe9035568987eb4e8fb0e4f53d6bf430a52f04177a8bfc9165edbe98757541b9f146deae95dfeb7ec3a0c6bb",
    "8e753a86b616a421540530dc4a35f214e0169ee26bd8972e87dec06ffb4b6506c5ae044656bc973bdf60f76bbe8d8873",
    "37830513e8e6c34dcb4f6c7e1f6688032875ebf50253ba65cf03e1994a7f4ed3c92f7a9901b5845f3819631f88032fb4",
    "b3089529b8c031c1ee1922f4b9069b0c06249a55cde1bfb3d3307cc9694c425916f6341863280d0d6e246db1470e9495",
    "a6bb7bde0f067215c50a67eeff7c4e8976effeb25831176f4a805b6a82282484e4cdc2a5f532e198be5562323532d5b1",
    "e721da44a444304dc5578a25ab58220c0e87a254a5f5064a766beda70cd9cdc56052c2104f09c57d810820aa946a2fdb",
    "9cf7dca918f25c15cbb0305a931794acba85532fd5eb008e81c7c57cdae105feda565065a51b54c8713abd1964562de0",
);
const U_HEX: &str = "aa42ba00ecbf87d0ff221e4b82c99f12204c3500830637172768d2a2f796dcaa";
const S_HEX: &str = concat!(
    "d1b8c960975cd46e92c18a44ab470211fca189d1fe3586fa37d1b0cef7c9e1ba1887a20e989d8e470ce08a9c48f6442b",
    "8b998df617305bce98957b87454499d1008e18afc90d147286dee0be241cb98f03ceaee8c989578aa25a26ede0f2d0e9",
    "a33ee1923475abf841f63d9833c594d66806c00564406d8a92bba283d665664dfa8756eac297faf8b4ea50141e155b6c",
    "8ba7a18af3699f12ba4f39d8b48a667a3f3d2baf27b2201c4cc8a00d84a3d64e7e749219b03337c4d2e0d2ac2871afbe",
    "09444db1aaed07fe132560bf5e7dce4b728d502fbbc24146936f22c48b9ace6c988dff61d17f9f99dccae2e18aac1d6f",
    "0f7556838f93ad86d841d45171ba16b868904dc14874ae74d7689e49909824e264c2cc6fb40084ce782206535cda0b44",
    "a0f97c1fbd9c512a02f50596e5cd8cb4919884968ff6c6babe53836757660e691947f0f535a924d4424a039687b8e755",
    "af0bb8a271fea33a678ab31083918c79dacc824ffa005259881b2a18e42afae958aa9c00442c4f97914de39d9692051d",
);
const K_SESSION_HEX: &str = "fba81e704a44f27fd0372c8c74499ec0";
const SECRET_BLOCK: &str = "b3BhcXVlLXNlY3JldC1ibG9jay1leGFtcGxlLTAxMjM0NTY3ODk=";
const TIMESTAMP: &str = "Tue Jan 2 03:04:05 UTC 2024";
const SIGNATURE: &str = "CXlsdWSKILneGkWOr9El8Xy9JzQ9Of+bWZpJrgppBLI=";

fn x4(h: &str) -> Vec<u8> {
    hex::decode(h.repeat(4)).unwrap()
}

fn block() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(SECRET_BLOCK)
        .unwrap()
}

fn vector_eph() -> ServerEphemeral {
    server_ephemeral(&hex::decode(V_HEX).unwrap(), &x4(B_SECRET)).unwrap()
}

fn n_bytes() -> Vec<u8> {
    hex::decode(N_HEX).unwrap()
}

#[test]
fn known_k_x_v() {
    assert_eq!(hex::encode(k_bytes()), K_HEX);
    let salt = hex::decode(SALT).unwrap();
    assert_eq!(hex::encode(compute_x(POOL, USER, PASSWORD, &salt)), X_HEX);
    assert_eq!(hex::encode(verifier(POOL, USER, PASSWORD, &salt)), V_HEX);
    assert_eq!(salt_hex(&salt), SALT);
}

#[test]
fn known_a_b_u_s_k_signature() {
    assert_eq!(client::a_pub_hex(&x4(A_SECRET)), SRP_A_HEX);
    let eph = vector_eph();
    assert_eq!(eph.b_pub_hex, SRP_B_HEX);
    assert_eq!(eph.b, x4(B_SECRET));

    let a_pub = hex::decode(SRP_A_HEX).unwrap();
    let u = compute_u(&a_pub, &hex::decode(SRP_B_HEX).unwrap());
    assert_eq!(hex::encode(u), U_HEX);

    // Server S and client S.
    let a_red = reduce(&a_pub).unwrap();
    let s = server_s(&hex::decode(V_HEX).unwrap(), &eph.b, &a_red, &u).unwrap();
    assert_eq!(hex::encode(trim(&s)), S_HEX);
    let (cu, cs) = client::session(POOL, USER, PASSWORD, SALT, &x4(A_SECRET), SRP_B_HEX);
    assert_eq!(hex::encode(cu), U_HEX);
    assert_eq!(hex::encode(trim(&cs)), S_HEX);

    let key = derive_key(&s, &u).unwrap();
    assert_eq!(hex::encode(key), K_SESSION_HEX);
    let mac = claim_mac(&key, POOL, USER, &block(), TIMESTAMP).unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD.encode(mac),
        SIGNATURE
    );
    let sig = client::signature(
        POOL,
        USER,
        PASSWORD,
        SALT,
        &x4(A_SECRET),
        SRP_B_HEX,
        &block(),
        TIMESTAMP,
    );
    assert_eq!(sig, SIGNATURE);
}

#[test]
fn verify_known_claim() {
    let v = hex::decode(V_HEX).unwrap();
    let eph = vector_eph();
    let ok = |a: &str, blk: &[u8], ts: &str, sig: &str| {
        verify_password_claim(POOL, USER, &v, &eph, a, blk, ts, sig)
    };
    assert_eq!(ok(SRP_A_HEX, &block(), TIMESTAMP, SIGNATURE), Ok(()));
    // Case and leading zeros of SRP_A do not matter.
    assert_eq!(
        ok(&SRP_A_HEX.to_uppercase(), &block(), TIMESTAMP, SIGNATURE),
        Ok(())
    );
    assert_eq!(
        ok(&format!("000{SRP_A_HEX}"), &block(), TIMESTAMP, SIGNATURE),
        Ok(())
    );
    // Anything else signed differently is a mismatch.
    let m = Err(SrpError::Mismatch);
    assert_eq!(ok(SRP_A_HEX, b"other block", TIMESTAMP, SIGNATURE), m);
    assert_eq!(
        ok(
            SRP_A_HEX,
            &block(),
            "Tue Jan 2 03:04:06 UTC 2024",
            SIGNATURE
        ),
        m
    );
    assert_eq!(ok(SRP_A_HEX, &block(), TIMESTAMP, "not base64!"), m);
    assert_eq!(ok(SRP_A_HEX, &block(), TIMESTAMP, ""), m);
    let other = verify_password_claim(
        "Other",
        USER,
        &v,
        &eph,
        SRP_A_HEX,
        &block(),
        TIMESTAMP,
        SIGNATURE,
    );
    assert_eq!(other, m);
    let other = verify_password_claim(
        POOL,
        "bob",
        &v,
        &eph,
        SRP_A_HEX,
        &block(),
        TIMESTAMP,
        SIGNATURE,
    );
    assert_eq!(other, m);
}

#[test]
fn pad_hex_encoding() {
    assert_eq!(pad_hex(&[0x8a]), "008a");
    assert_eq!(pad_hex(&[0x12, 0xab]), "12ab");
    assert_eq!(pad_hex(&[0x00, 0x12, 0xab]), "12ab");
    assert_eq!(pad_hex(&[0x0a]), "0a");
    assert_eq!(pad_hex(&[]), "00");
    assert_eq!(pad_hex(&[0, 0]), "00");
    assert_eq!(pad_hex(&[2]), "02");
    assert_eq!(plain_hex(&[0x0a, 0xbc]), "abc");
    assert_eq!(plain_hex(&[0x00]), "0");
    assert_eq!(plain_hex(&[0x8a]), "8a");
}

#[test]
fn salt_hex_is_canonical() {
    // A redundant leading zero byte is dropped (pycognito and Amplify then agree)...
    let s = [0x00, 0x12, 0xab, 0x34];
    assert_eq!(salt_hex(&s), "12ab34");
    // ...and a high bit gets the 00 prefix, both clients hash 0x00 0x9f ...
    let s = [0x9f, 0x01, 0x02];
    assert_eq!(salt_hex(&s), "009f0102");
    // Whichever way the SALT parameter is read back, x and so v are the same.
    for salt in [&[0x00, 0x12, 0xab, 0x34][..], &[0x9f, 0x01, 0x02][..]] {
        let reparsed = hex::decode(salt_hex(salt)).unwrap();
        assert_eq!(
            verifier(POOL, USER, PASSWORD, salt),
            verifier(POOL, USER, PASSWORD, &reparsed)
        );
    }
}

#[test]
fn timestamps() {
    assert_eq!(parse_timestamp(TIMESTAMP), Some(1_704_164_645));
    assert_eq!(client::format_timestamp(1_704_164_645), TIMESTAMP);
    assert_eq!(parse_timestamp("Thu Jan 1 00:00:00 UTC 1970"), Some(0));
    assert_eq!(
        parse_timestamp("Wed Apr 5 12:00:00 UTC 2023"),
        Some(1_680_696_000)
    );
    assert_eq!(
        parse_timestamp("Thu Feb 29 23:59:59 UTC 2024"),
        Some(1_709_251_199)
    );
    assert_eq!(
        parse_timestamp("Sun Dec 31 23:59:59 UTC 2023"),
        Some(1_704_067_199)
    );
    for bad in [
        "Tue Jan 02 03:04:05 UTC 2024", // zero-padded day
        "Wed Apr 05 12:00:00 UTC 2023",
        "Wed Jan 2 03:04:05 UTC 2024",  // wrong weekday
        "Tue Jan  2 03:04:05 UTC 2024", // double space
        "Tue Jan 2 3:04:05 UTC 2024",
        "Tue Jan 2 03:04:05 GMT 2024",
        "Tue Jan 2 03:04:05 UTC 24",
        "Tue Jan 2 03:04:60 UTC 2024",
        "Tue Jan 2 24:04:05 UTC 2024",
        "Fri Feb 29 00:00:00 UTC 2023", // not a leap year
        "Tue Jan 32 03:04:05 UTC 2024",
        "Tue Jan 0 03:04:05 UTC 2024",
        "tue jan 2 03:04:05 UTC 2024",
        "Tue Jan 2 03:04:05 UTC 2024 ",
        "Tue Jan +2 03:04:05 UTC 2024",
        "2024-01-02T03:04:05Z",
        "",
    ] {
        assert_eq!(parse_timestamp(bad), None, "{bad:?}");
    }
    // Round trip over a spread of instants, single- and double-digit days included.
    let mut t: i64 = 0;
    while t < 4_102_444_800 {
        let s = client::format_timestamp(t);
        assert_eq!(parse_timestamp(&s), Some(t), "{s}");
        t += 86_400 * 17 + 3_599;
    }
    assert_eq!(
        client::format_timestamp(1_680_696_000),
        "Wed Apr 5 12:00:00 UTC 2023"
    );
    // Extreme inputs do not panic.
    let _ = client::format_timestamp(i64::MAX);
    let _ = client::format_timestamp(i64::MIN);
}

#[test]
fn bad_a() {
    let v = hex::decode(V_HEX).unwrap();
    let eph = vector_eph();
    let check =
        |a: &str| verify_password_claim(POOL, USER, &v, &eph, a, &block(), TIMESTAMP, SIGNATURE);
    let n = n_bytes();
    let two_n = {
        let mut out = vec![0u8; n.len() + 1];
        let mut carry = 0u16;
        for i in (0..n.len()).rev() {
            let s = u16::from(n[i]) * 2 + carry;
            out[i + 1] = (s & 0xff) as u8;
            carry = s >> 8;
        }
        out[0] = carry as u8;
        out
    };
    assert_eq!(check("0"), Err(SrpError::BadA));
    assert_eq!(check("0000"), Err(SrpError::BadA));
    assert_eq!(check(""), Err(SrpError::BadA));
    assert_eq!(check(N_HEX), Err(SrpError::BadA));
    assert_eq!(check(&N_HEX.to_lowercase()), Err(SrpError::BadA));
    assert_eq!(check(&hex::encode(&two_n)), Err(SrpError::BadA));
    assert_eq!(check("xyz"), Err(SrpError::BadA));
    assert_eq!(check("12 34"), Err(SrpError::BadA));
    assert_eq!(check(&"f".repeat(MAX_A_HEX_LEN + 1)), Err(SrpError::BadA));
    assert_eq!(
        check(&format!("1{}", "0".repeat(MAX_A_HEX_LEN))),
        Err(SrpError::BadA)
    );
    // Longest accepted A: no panic, just a mismatch.
    assert_eq!(check(&"f".repeat(MAX_A_HEX_LEN)), Err(SrpError::Mismatch));
    assert_eq!(check("1"), Err(SrpError::Mismatch));
    // A + N is accepted as A (reduced) but hashes differently: mismatch, not a panic.
    assert_eq!(
        check(&format!("1{}", "0".repeat(768))),
        Err(SrpError::Mismatch)
    );
}

#[test]
fn wrong_password_mismatches() {
    let salt = hex::decode(SALT).unwrap();
    let v = verifier(POOL, USER, PASSWORD, &salt);
    let eph = server_ephemeral(&v, &x4(B_SECRET)).unwrap();
    let a = x4(A_SECRET);
    let a_hex = client::a_pub_hex(&a);
    let sig = |pw: &str| {
        client::signature(
            POOL,
            USER,
            pw,
            SALT,
            &a,
            &eph.b_pub_hex,
            &block(),
            TIMESTAMP,
        )
    };
    let res = |s: &str| verify_password_claim(POOL, USER, &v, &eph, &a_hex, &block(), TIMESTAMP, s);
    assert_eq!(res(&sig(PASSWORD)), Ok(()));
    assert_eq!(res(&sig("Passw0rd?")), Err(SrpError::Mismatch));
    assert_eq!(res(&sig("")), Err(SrpError::Mismatch));
}

#[test]
fn server_ephemeral_rejects_short_or_zero_b() {
    let v = hex::decode(V_HEX).unwrap();
    assert!(server_ephemeral(&v, &[7u8; 31]).is_none());
    assert!(server_ephemeral(&v, &[0u8; 32]).is_none());
    assert!(server_ephemeral(&v, &[7u8; 32]).is_some());
    // Odd inputs do not panic.
    assert!(server_ephemeral(&[], &[7u8; 32]).is_some());
    assert!(server_ephemeral(&[0xff; 2000], &[0xff; 2000]).is_some());
    assert!(server_ephemeral(&n_bytes(), &[7u8; 32]).is_some());
}

/// Client and server built from this module agree for random users, passwords, salts,
/// secrets and secret blocks; a one-character change of the password always fails.
#[test]
fn client_and_server_agree() {
    let rnd = SeededRandom::new(0x5352_5021);
    for i in 0..20 {
        let pool = rnd.alnum(9);
        let user = match i % 3 {
            0 => rnd.uuid(),
            1 => format!("user-{}", rnd.lower_alnum(1 + i)),
            _ => format!("ünï-{}@example.com", rnd.lower_alnum(5)),
        };
        let password = format!("{}é!{}", rnd.alnum(8 + i), i);
        let mut salt = rnd.bytes::<16>().to_vec();
        if i % 4 == 0 {
            salt[0] = 0; // a redundant leading zero
        } else if i % 4 == 1 {
            salt[0] |= 0x80; // high bit set
        }
        let v = verifier(&pool, &user, &password, &salt);
        let eph = server_ephemeral(&v, &rnd.bytes::<32>()).unwrap();
        let a = rnd.bytes::<128>();
        let a_hex = client::a_pub_hex(&a);
        let blk = rnd.bytes::<48>();
        let ts = client::format_timestamp(1_700_000_000 + i64::try_from(i).unwrap() * 987_654);
        assert!(parse_timestamp(&ts).is_some());
        let salt_param = salt_hex(&salt);
        let sig = client::signature(
            &pool,
            &user,
            &password,
            &salt_param,
            &a,
            &eph.b_pub_hex,
            &blk,
            &ts,
        );
        assert_eq!(
            verify_password_claim(&pool, &user, &v, &eph, &a_hex, &blk, &ts, &sig),
            Ok(()),
            "round {i}"
        );
        let wrong = format!("{password}x");
        let sig = client::signature(
            &pool,
            &user,
            &wrong,
            &salt_param,
            &a,
            &eph.b_pub_hex,
            &blk,
            &ts,
        );
        assert_eq!(
            verify_password_claim(&pool, &user, &v, &eph, &a_hex, &blk, &ts, &sig),
            Err(SrpError::Mismatch),
            "round {i}"
        );
    }
}

/// Server cost of one sign-in: `server_ephemeral` + `verify_password_claim`.
/// Run with `cargo test --release -p cognate-core srp_timing -- --nocapture`.
#[test]
fn srp_timing() {
    let salt = hex::decode(SALT).unwrap();
    let v = verifier(POOL, USER, PASSWORD, &salt);
    let a = x4(A_SECRET);
    let a_hex = client::a_pub_hex(&a);
    let rounds = 5u32;
    for b_len in [32usize, 128] {
        let mut total = std::time::Duration::ZERO;
        for r in 0..rounds {
            let b: Vec<u8> = (0..b_len).map(|j| (j as u8) ^ (r as u8) | 1).collect();
            let start = std::time::Instant::now();
            let eph = server_ephemeral(&v, &b).unwrap();
            let res =
                verify_password_claim(POOL, USER, &v, &eph, &a_hex, &block(), TIMESTAMP, SIGNATURE);
            total += start.elapsed();
            assert_eq!(res, Err(SrpError::Mismatch));
        }
        println!(
            "srp server cost, {}-bit b: {:?} per sign-in (server_ephemeral + verify_password_claim)",
            b_len * 8,
            total / rounds
        );
    }
}
