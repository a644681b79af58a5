//! `token-expired`: a JWT whose `exp` is past or whose `nbf` is ahead, in an env value or a
//! header, written in the file or bound from the real keychain (run under scripts/with-keyring),
//! is an error with the date; a valid one is not; the message holds no part of the token.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, json};
use secrets_support::*;
use serde_json::Value;

fn b64url(b: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A JWT with these claims and a made-up signature (nothing verifies it; nothing should).
fn jwt(claims: &str, sig: &str) -> String {
    format!(
        "{}.{}.{}",
        b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(claims.as_bytes()),
        b64url(sig.as_bytes())
    )
}

/// 3 March 2026, 14:05 UTC: past.
const PAST: i64 = 1_772_546_700;
/// 1 January 2100: ahead.
const AHEAD: i64 = 4_102_444_800;

fn assert_no_part(text: &str, token: &str) {
    for part in token.split('.') {
        // Any 8 characters of any part would be a piece of the token.
        for w in part.as_bytes().windows(8) {
            let piece = std::str::from_utf8(w).unwrap();
            assert!(
                !text.contains(piece),
                "a piece of the token ({piece}) is shown: {text}"
            );
        }
    }
}

fn token_findings(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "token-expired")
        .map(|f| {
            assert_eq!(f["severity"], "error");
            (
                f["server"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn expired_and_not_yet_valid_tokens_are_errors_with_their_date_and_never_shown() {
    require_keyring();
    let sb = Sandbox::new();
    let expired = jwt(
        &format!(r#"{{"sub":"ann","exp":{PAST}}}"#),
        "sig-expired-0001",
    );
    let early = jwt(
        &format!(r#"{{"nbf":{AHEAD},"exp":{}}}"#, AHEAD + 3600),
        "sig-early-0002",
    );
    let fresh = jwt(&format!(r#"{{"exp":{AHEAD}}}"#), "sig-fresh-00003");
    let (b_expired, b_early, b_fresh) = (
        jwt(
            &format!(r#"{{"exp":{}}}"#, PAST - 86_400),
            "sig-bound-expired",
        ),
        jwt(&format!(r#"{{"nbf":{AHEAD}}}"#), "sig-bound-early01"),
        jwt(
            &format!(r#"{{"exp":{AHEAD},"iat":1}}"#),
            "sig-bound-fresh01",
        ),
    );
    let cfg = sb.write(
        "work/.mcp.json",
        serde_json::to_string_pretty(&serde_json::json!({ "mcpServers": {
            "svc": { "type": "stdio", "command": "node", "args": ["/srv/svc.js"], "env": {
                "OLD_TOKEN": expired, "EARLY_TOKEN": early, "GOOD_TOKEN": fresh,
                "BOUND_OLD": "x", "BOUND_GOOD": "x" } },
            "api": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": {
                "Authorization": format!("Bearer {expired}"), "X-Early": early, "X-Good": fresh,
                "X-Bound-Early": "x" } },
        }}))
        .unwrap(),
    );
    let cfg_s = cfg.to_str().unwrap();
    for (name, value, server, slot, key) in [
        ("old-token", &b_expired, "svc", "--env", "BOUND_OLD"),
        ("good-token", &b_fresh, "svc", "--env", "BOUND_GOOD"),
        ("early-token", &b_early, "api", "--header", "X-Bound-Early"),
    ] {
        set_secret(&sb, name, value);
        run_ok(
            &sb,
            &[
                "secret", "use", name, "--server", server, slot, key, "--config", cfg_s,
            ],
        );
    }
    let out = run(&sb, &["--json", "doctor", "--config", cfg_s]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let v = json(&out);
    let mut found = token_findings(&v);
    found.sort();
    let keys: Vec<String> = found
        .iter()
        .map(|(s, m)| {
            let key = m.split(" of ").next().unwrap().rsplit(' ').next().unwrap();
            format!("{s}/{key}")
        })
        .collect();
    assert_eq!(
        keys,
        [
            "api/Authorization",
            "api/X-Bound-Early",
            "api/X-Early",
            "svc/BOUND_OLD",
            "svc/EARLY_TOKEN",
            "svc/OLD_TOKEN"
        ],
        "{found:#?}"
    );
    let msg = |s: &str, k: &str| {
        found
            .iter()
            .find(|(sv, m)| sv == s && m.contains(&format!(" {k} of ")))
            .map(|(_, m)| m.clone())
            .unwrap()
    };
    assert!(msg("svc", "OLD_TOKEN").contains("expired on 3 March 2026, 14:05 UTC"));
    assert!(msg("api", "Authorization").contains("expired on 3 March 2026"));
    assert!(msg("svc", "EARLY_TOKEN").contains("is not valid before 1 January 2100"));
    assert!(msg("svc", "BOUND_OLD").contains("expired on 2 March 2026"));
    assert!(msg("svc", "BOUND_OLD").contains("kept in the keychain as \"old-token\""));
    assert!(msg("api", "X-Bound-Early").contains("mcpconf secret set early-token"));

    // Nothing of any token in what doctor prints, in JSON or as text.
    let text = both(&run(&sb, &["doctor", "--config", cfg_s]));
    assert!(text.contains("token-expired"), "{text}");
    for t in [&expired, &early, &fresh, &b_expired, &b_early, &b_fresh] {
        assert_no_part(&v.to_string(), t);
        assert_no_part(&text, t);
    }
}
