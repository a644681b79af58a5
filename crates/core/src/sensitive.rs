//! Telling README placeholders, real secrets and ordinary values apart.
//!
//! Two mistakes hurt users here. A placeholder left in place (`<YOUR_TOKEN>`) makes a server fail
//! with an authentication error that names nothing; a real token in a plain file is readable by
//! every program and ends up in backups and screenshots. Ordinary values (paths, URLs, numbers,
//! "true") must trigger neither warning.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitivity {
    /// Empty, or text a README puts where your own value goes.
    Placeholder,
    /// Looks like a real credential.
    Secret(SecretKind),
    Ordinary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    GitHub,
    OpenAi,
    Anthropic,
    Slack,
    Aws,
    Google,
    Stripe,
    /// Another well-known prefix (npm, GitLab, Hugging Face, ...).
    KnownPrefix,
    /// A long random-looking value in a variable named like a key, token, secret or password.
    Generic,
}

impl SecretKind {
    pub fn label(self) -> &'static str {
        match self {
            SecretKind::GitHub => "a GitHub token",
            SecretKind::OpenAi => "an OpenAI API key",
            SecretKind::Anthropic => "an Anthropic API key",
            SecretKind::Slack => "a Slack token",
            SecretKind::Aws => "an AWS access key",
            SecretKind::Google => "a Google API key",
            SecretKind::Stripe => "a Stripe key",
            SecretKind::KnownPrefix => "an access token",
            SecretKind::Generic => "a secret",
        }
    }
}

/// Names that say "this holds a credential".
pub fn name_is_secretish(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    const WORDS: &[&str] = &[
        "KEY",
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "CREDENTIAL",
        "AUTH",
        "AUTHORIZATION",
        "PAT",
        "COOKIE",
        "SESSION",
        "PRIVATE",
    ];
    // Settings *about* a credential are not the credential: TOKEN_URL, KEY_FILE, SECRET_NAME.
    const ABOUT: &[&str] = &[
        "URL", "URI", "PATH", "FILE", "DIR", "NAME", "HINT", "ENDPOINT", "HOST", "TYPE", "MODE",
        "HEADER", "PREFIX",
    ];
    if n.rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .is_some_and(|last| ABOUT.contains(&last))
    {
        return false;
    }
    // Whole words only: "MONKEY" is not a key, "PATH" is not a PAT.
    n.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| WORDS.contains(&w) || w.ends_with("KEY") && w.len() > 3 && w.starts_with("API"))
        || n.contains("APIKEY")
        || n.contains("API_KEY")
}

/// Values a README puts where your own value goes.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    // <YOUR_TOKEN>, {API_KEY}, [your key], ${...} left unexpanded in Claude Desktop is not a
    // placeholder (Claude Code expands it), so only the bracket styles count.
    let bracketed = (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with('{') && v.ends_with('}') && !v.starts_with("{\""));
    if bracketed {
        return true;
    }
    // Paths and URLs are real values even when they mention "example" or "token".
    if v.contains("://") || v.starts_with('/') || v.contains('\\') {
        return false;
    }
    const WORDS: &[&str] = &[
        "your",
        "yours",
        "changeme",
        "change_me",
        "change-me",
        "replace",
        "replaceme",
        "placeholder",
        "todo",
        "fixme",
        "example",
        "insert",
        "enter",
        "put-",
        "put_",
        "dummy",
        "redacted",
        "xxxxx",
        "*****",
        "....",
        "…",
    ];
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // A run of x or * or dots standing for the value: "xxx", "ghp_xxxxxxxx", "sk-...".
    let core = lower.rsplit(['_', '-']).next().unwrap_or(&lower);
    let filler = |s: &str| {
        s.len() >= 3
            && s.chars().all(|c| matches!(c, 'x' | '*' | '.' | '0' | '#'))
            && s.chars().any(|c| c != '0')
    };
    filler(&lower)
        || filler(core)
        || lower.ends_with("...")
        || matches!(
            lower.as_str(),
            "secret"
                | "token"
                | "password"
                | "apikey"
                | "api_key"
                | "key"
                | "none"
                | "null"
                | "undefined"
                | "tbd"
        )
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let n = s.chars().count() as f64;
    for c in s.chars() {
        *counts.entry(c).or_insert(0u32) += 1;
    }
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn prefix_kind(v: &str) -> Option<SecretKind> {
    let rest_len = |p: &str| v.len().saturating_sub(p.len());
    let tokenish = |p: &str, min: usize| {
        v.starts_with(p)
            && rest_len(p) >= min
            && v[p.len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| tokenish(p, 30))
        || tokenish("github_pat_", 40)
    {
        return Some(SecretKind::GitHub);
    }
    if tokenish("sk-ant-", 30) {
        return Some(SecretKind::Anthropic);
    }
    if tokenish("sk-proj-", 30) || tokenish("sk-", 30) {
        return Some(SecretKind::OpenAi);
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xapp-"]
        .iter()
        .any(|p| tokenish(p, 20))
    {
        return Some(SecretKind::Slack);
    }
    if (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some(SecretKind::Aws);
    }
    if tokenish("AIza", 30) {
        return Some(SecretKind::Google);
    }
    if ["sk_live_", "sk_test_", "rk_live_"]
        .iter()
        .any(|p| tokenish(p, 20))
    {
        return Some(SecretKind::Stripe);
    }
    if [
        "npm_", "glpat-", "hf_", "lin_api_", "ntn_", "secret_", "pat-", "dop_v1_", "figd_",
    ]
    .iter()
    .any(|p| tokenish(p, 20))
    {
        return Some(SecretKind::KnownPrefix);
    }
    None
}

/// How to treat the value of the variable or header `name`.
pub fn classify(name: &str, value: &str) -> Sensitivity {
    let v = value.trim();
    // "Bearer <token>": judge the token.
    let v = v
        .strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
        .or_else(|| v.strip_prefix("Basic "))
        .map(str::trim)
        .unwrap_or(v);
    if is_placeholder(v) {
        // Only a credential slot holds a placeholder worth reporting; an empty DEBUG is fine.
        return if name_is_secretish(name)
            || v.is_empty() && name.eq_ignore_ascii_case("authorization")
            || looks_like_placeholder_token(v)
        {
            Sensitivity::Placeholder
        } else {
            Sensitivity::Ordinary
        };
    }
    if let Some(kind) = prefix_kind(v) {
        return Sensitivity::Secret(kind);
    }
    // Generic: a secret-named slot with a long random-looking value that is not a path or URL.
    let plain = !v.contains("://") && !v.starts_with('/') && !v.contains('\\') && !v.contains(' ');
    if name_is_secretish(name) && plain && v.len() >= 20 && entropy(v) >= 3.5 {
        return Sensitivity::Secret(SecretKind::Generic);
    }
    Sensitivity::Ordinary
}

/// A placeholder shaped like a token (`ghp_xxxx`, `sk-...your...`), reported whatever the name.
fn looks_like_placeholder_token(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    ["ghp_", "sk-", "xoxb-", "github_pat_", "sk-ant-"]
        .iter()
        .any(|p| lower.starts_with(p))
        || (v.starts_with('<') && v.ends_with('>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for (name, value) in [
            ("GITHUB_PERSONAL_ACCESS_TOKEN", "<YOUR_TOKEN>"),
            ("API_KEY", "your-api-key"),
            ("API_KEY", "YOUR_API_KEY_HERE"),
            ("GITHUB_TOKEN", "ghp_xxxxxxxxxxxxxxxxxxxx"),
            ("OPENAI_API_KEY", "sk-...your-key..."),
            ("OPENAI_API_KEY", "sk-..."),
            ("TOKEN", "xxx"),
            ("PASSWORD", "changeme"),
            ("SECRET", ""),
            ("BRAVE_API_KEY", "[your key]"),
            ("SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
            ("Authorization", "Bearer <token>"),
            ("Authorization", "Bearer YOUR_TOKEN"),
            ("ANY_NAME", "<REPLACE_ME>"),
            ("API_KEY", "insert-key-here"),
            ("DB_PASSWORD", "********"),
        ] {
            assert_eq!(
                classify(name, value),
                Sensitivity::Placeholder,
                "{name}={value}"
            );
        }
    }

    #[test]
    fn real_looking_secrets_are_recognised() {
        let table = [
            (
                "GITHUB_TOKEN",
                "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12",
                SecretKind::GitHub,
            ),
            (
                "GH",
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGH",
                SecretKind::GitHub,
            ),
            (
                "OPENAI_API_KEY",
                "sk-proj-Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6",
                SecretKind::OpenAi,
            ),
            (
                "ANTHROPIC_API_KEY",
                "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
                SecretKind::Anthropic,
            ),
            (
                "SLACK_BOT_TOKEN",
                "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp",
                SecretKind::Slack,
            ),
            ("AWS_ACCESS_KEY_ID", "AKIAQ3EGRTXZ7EXAMPLQ", SecretKind::Aws),
            (
                "GOOGLE_API_KEY",
                "AIzaSyD4f9Q2w8E3r7T1y6U0i5O9p4A3s8D2f7G",
                SecretKind::Google,
            ),
            (
                "STRIPE_KEY",
                "sk_live_51Hq2d3E4f5G6h7J8k9L0mN1",
                SecretKind::Stripe,
            ),
            (
                "AUTH",
                "Bearer ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12",
                SecretKind::GitHub,
            ),
            (
                "BRAVE_API_KEY",
                "BSAq8Zr3Kx9Vm2Np7Lw4Tj6Hf1Dg5Cs0",
                SecretKind::Generic,
            ),
            (
                "DATABASE_PASSWORD",
                "q8Zr3Kx9Vm2N-p7Lw4Tj6Hf1",
                SecretKind::Generic,
            ),
        ];
        for (name, value, kind) in table {
            assert_eq!(
                classify(name, value),
                Sensitivity::Secret(kind),
                "{name}={value}"
            );
        }
    }

    #[test]
    fn ordinary_values_are_left_alone() {
        for (name, value) in [
            ("PATH", "/usr/local/bin:/usr/bin"),
            ("MEMORY_FILE_PATH", "/Users/ann/memory.json"),
            ("DEBUG", ""),
            ("LOG_LEVEL", "info"),
            ("PORT", "8080"),
            ("NODE_ENV", "production"),
            (
                "API_BASE_URL",
                "https://api.example.com/v1/projects/abcdef0123456789",
            ),
            ("GITHUB_TOOLSETS", "repos,issues,pull_requests"),
            ("KEY_FILE", "/etc/ssl/private/server.key"),
            ("TOKEN_URL", "https://auth.example.com/oauth/token"),
            ("MONKEY", "a8Zr3Kx9Vm2Np7Lw4Tj6Hf1Dg5Cs0"),
            ("SECRET_NAME", "prod"),
            ("TIMEZONE", "Europe/Paris"),
            ("ALLOWED_DIRS", "C:\\Users\\ann\\Documents"),
            ("PASSWORD_HINT", "the usual one"),
        ] {
            assert_eq!(
                classify(name, value),
                Sensitivity::Ordinary,
                "{name}={value}"
            );
        }
    }
}
