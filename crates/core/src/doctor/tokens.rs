//! Expired tokens, seen before Claude sees them: a JWT (three base64url parts, RFC 7519) in an
//! env or header value whose `exp` is past, or whose `nbf` is ahead, makes the server refuse
//! every request. Decode only: nothing is verified against or sent to anyone, and no part of
//! the token ever goes into a message.

use super::{Code, Doctor, Finding};
use crate::source::Source;
use serde_json::Value;

/// A decoded JWT's validity window (seconds since 1970, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub exp: Option<i64>,
    pub nbf: Option<i64>,
}

fn b64url(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn object(part: &str) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(&b64url(part)?).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn seconds(v: Option<&Value>) -> Option<i64> {
    let v = v?;
    // NumericDate may have a fraction; saturating float-to-int is what we want here.
    v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
}

/// The validity window of the first JWT in `value` ("Bearer eyJ…", or the token alone).
pub fn window(value: &str) -> Option<Window> {
    value
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '='))
        .filter(|w| w.matches('.').count() == 2 && w.len() > 20)
        .find_map(|w| {
            let mut parts = w.split('.');
            let header = object(parts.next()?)?;
            // A JOSE header: a real JWT, not a dotted name or a version number.
            if !header.contains_key("alg") {
                return None;
            }
            let claims = object(parts.next()?)?;
            let window = Window {
                exp: seconds(claims.get("exp")),
                nbf: seconds(claims.get("nbf")),
            };
            (window.exp.is_some() || window.nbf.is_some()).then_some(window)
        })
}

/// A date as people write it ("3 March 2026, 14:05 UTC").
pub fn human_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = MONTHS[usize::try_from(month - 1).unwrap_or(0).min(11)];
    format!(
        "{day} {name} {year}, {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Why the token in `value` is refused at `now`, in words (`None`: it is valid, or no JWT).
pub fn problem(value: &str, now: i64) -> Option<String> {
    let w = window(value)?;
    if let Some(exp) = w.exp.filter(|e| *e <= now) {
        return Some(format!("expired on {}", human_date(exp)));
    }
    if let Some(nbf) = w.nbf.filter(|n| *n > now) {
        return Some(format!("is not valid before {}", human_date(nbf)));
    }
    None
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Doctor {
    /// The `token-expired` finding for the value of `key` (`what`: "environment variable" or
    /// "header") of `server`, if it holds a JWT that is refused now. `secret`: the keychain entry
    /// it comes from, when it is bound.
    pub fn expired_token(
        &self,
        source: &Source,
        server: &str,
        what: &str,
        key: &str,
        value: &str,
        secret: Option<&str>,
    ) -> Option<Finding> {
        let why = problem(value, now())?;
        let (from, fix) = match secret {
            Some(name) => (
                format!(" (kept in the keychain as \"{name}\")"),
                format!("mcpconf secret set {name}"),
            ),
            None => (String::new(), "edit the server".to_owned()),
        };
        Some(self.finding(
            source,
            Some(server),
            Code::TokenExpired,
            format!(
                "The {what} {key} of \"{server}\"{from} holds a sign-in token that {why}, so the \
                 server will refuse it. Get a new token from the service and put it in ({fix})."
            ),
            None,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JWT with these claims (the signature is not looked at).
    pub fn jwt(claims: &str) -> String {
        fn enc(b: &[u8]) -> String {
            const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut out = String::new();
            for chunk in b.chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x))
                    << (8 * (3 - chunk.len()));
                for i in 0..=chunk.len() {
                    out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
                }
            }
            out
        }
        format!(
            "{}.{}.c2lnbmF0dXJl",
            enc(br#"{"alg":"HS256","typ":"JWT"}"#),
            enc(claims.as_bytes())
        )
    }

    #[test]
    fn tokens_are_decoded_not_trusted() {
        let now = 1_800_000_000; // 15 January 2027
        let past = jwt(r#"{"sub":"ann","exp":1772546700}"#);
        let ahead = jwt(r#"{"nbf":1900000000,"exp":1990000000}"#);
        let fine = jwt(r#"{"exp":1900000000}"#);
        assert_eq!(
            problem(&format!("Bearer {past}"), now).as_deref(),
            Some("expired on 3 March 2026, 14:05 UTC")
        );
        assert_eq!(
            problem(&ahead, now).as_deref(),
            Some("is not valid before 17 March 2030, 17:46 UTC")
        );
        assert_eq!(problem(&fine, now), None);
        // Not JWTs: dotted words, versions, random base64 without a JOSE header.
        for v in [
            "1.2.3",
            "a.b.c",
            "sk-abc.def.ghi",
            "eyJmb28iOjF9.eyJleHAiOjF9.x",
            "",
        ] {
            assert_eq!(problem(v, now), None, "{v}");
        }
        assert_eq!(human_date(0), "1 January 1970, 00:00 UTC");
        assert_eq!(human_date(951_782_400), "29 February 2000, 00:00 UTC");
    }
}
