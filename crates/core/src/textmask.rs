//! Hiding credential-looking values in text that is not valid JSON (a damaged config file shown
//! beside a backup, or backed up while the keychain bindings cannot be read): there is no
//! structure to find the bound slots in, so every string that, with the key before it, looks
//! like a secret is replaced by `<redacted>`. Everything else stays byte for byte.

use crate::placeholder::REDACTED;
use crate::sensitive::{Sensitivity, classify};

/// A string literal found in the text: its content's byte range (between the quotes).
pub(crate) struct Literal {
    pub start: usize,
    pub end: usize,
}

/// The string literals of `text` (a quote to the next unescaped quote, never past a line end:
/// a damaged file may have a quote missing).
pub(crate) fn literals(text: &[u8]) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        let mut closed = false;
        while j < text.len() {
            match text[j] {
                b'\\' => j += 2,
                b'"' => {
                    closed = true;
                    break;
                }
                b'\n' => break,
                _ => j += 1,
            }
        }
        let end = j.min(text.len());
        out.push(Literal { start, end });
        i = if closed { end + 1 } else { end };
    }
    out
}

/// Whether the literal `key` is an object key: only blanks and one colon up to `next` (the
/// next literal, or the end).
fn is_key(bytes: &[u8], key: &Literal, next: usize) -> bool {
    let from = key.end.saturating_add(1).min(next);
    let mut colon = false;
    for &b in &bytes[from..next] {
        match b {
            b':' if !colon => colon = true,
            b if b.is_ascii_whitespace() => {}
            _ => return colon,
        }
    }
    colon
}

/// The object keys readable in `bytes`, even when they do not parse as a whole.
pub(crate) fn keys(bytes: &[u8]) -> Vec<String> {
    let lits = literals(bytes);
    lits.iter()
        .enumerate()
        .filter(|(i, k)| {
            let next = lits
                .get(i + 1)
                .map_or(bytes.len(), |n| n.start.saturating_sub(1));
            is_key(bytes, k, next)
        })
        .map(|(_, k)| String::from_utf8_lossy(&bytes[k.start..k.end]).into_owned())
        .collect()
}

/// `bytes` with every secret-looking `"KEY": "value"` value replaced by `<redacted>`.
pub fn mask_secretish(bytes: &[u8]) -> Vec<u8> {
    let lits = literals(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    let mut copied = 0;
    for pair in lits.windows(2) {
        let (key, value) = (&pair[0], &pair[1]);
        // `"KEY"` then only blanks and a colon, then the value's quote.
        let between = &bytes[key.end.saturating_add(1).min(value.start)..value.start - 1];
        let is_pair = between.iter().filter(|b| **b == b':').count() == 1
            && between
                .iter()
                .all(|b| b.is_ascii_whitespace() || *b == b':');
        if !is_pair {
            continue;
        }
        let k = String::from_utf8_lossy(&bytes[key.start..key.end]);
        let v = String::from_utf8_lossy(&bytes[value.start..value.end]);
        if matches!(classify(&k, &v), Sensitivity::Secret(_)) {
            out.extend_from_slice(&bytes[copied..value.start]);
            out.extend_from_slice(REDACTED.as_bytes());
            copied = value.end;
        }
    }
    out.extend_from_slice(&bytes[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_broken_text_are_hidden_and_the_rest_kept() {
        let text = "{\n  \"mcpServers\": {\n    \"gh\": {\"command\": \"npx\", \"env\": {\"GITHUB_TOKEN\": \"ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12\", \"PORT\": \"80\",}}\n  \"x\": \"unterminated\n}";
        let out = String::from_utf8(mask_secretish(text.as_bytes())).unwrap();
        assert!(!out.contains("ghp_R3aL"), "{out}");
        assert_eq!(
            out,
            text.replace("ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12", "<redacted>")
        );
    }
}
