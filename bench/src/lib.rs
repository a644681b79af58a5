//! What every benchmark binary shares: positional arguments, the median of a run, milliseconds.

use serde_json::json;
use std::time::Duration;

/// The `n`th command-line argument (1-based) as a number, or `default` when absent or not one.
pub fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The median sample of a run (the upper one for an even count). Medians, not means: these
/// machines are noisy and one slow sample must not move the figure.
///
/// # Panics
/// On an empty run, which is a broken benchmark.
pub fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A `~/.claude.json` of about `size` bytes shaped like a heavy real one: thousands of projects
/// with history and tool permissions, one in seven with a server of its own (a local scope).
///
/// # Panics
/// Never in practice: serialising a `Value` does not fail.
pub fn claude_state(size: usize) -> Vec<u8> {
    let mut projects = serde_json::Map::new();
    let mut approx = 0;
    let mut i = 0;
    while approx < size {
        let p = json!({
            "allowedTools": ["Bash(npm test:*)", "Edit", "Read(//home/ann/**)"],
            "history": (0..12).map(|h| json!({"display": format!("fix the failing test in module {h} of project {i} and explain why it broke"), "pastedContents": {}})).collect::<Vec<_>>(),
            "mcpContextUris": [],
            "mcpServers": if i % 7 == 0 { json!({"db": {"type": "stdio", "command": "npx", "args": ["-y", "@example/db-mcp"], "env": {"DB_URL": "postgres://localhost/app"}}}) } else { json!({}) },
            "enabledMcpjsonServers": [],
            "disabledMcpjsonServers": [],
            "hasTrustDialogAccepted": true,
            "projectOnboardingSeenCount": 3,
            "lastCost": 0.4213,
            "lastDuration": 183_221,
        });
        approx += p.to_string().len() * 13 / 10;
        projects.insert(format!("/home/ann/code/client-{}/project-{i}", i % 40), p);
        i += 1;
    }
    let doc = json!({
        "numStartups": 311,
        "installMethod": "npm",
        "autoUpdates": true,
        "tipsHistory": {"new-user-warmup": 7},
        "mcpServers": {"time": {"type": "stdio", "command": "uvx", "args": ["mcp-server-time"], "env": {}}},
        "projects": projects,
        "userID": "0".repeat(64),
    });
    serde_json::to_vec_pretty(&doc).expect("a Value always serialises")
}

/// Processor time (user + system) of every child this process has waited for so far, and of
/// the descendants those children waited for (Linux: `cutime` + `cstime` of `/proc/self/stat`).
/// The difference around one child's run is the CPU that run cost: unlike wall time it hardly
/// moves with the machine's load, so it shows what a run costs when the wall time is noisy.
///
/// # Panics
/// Where `/proc/self/stat` cannot be read (not Linux): a broken benchmark.
#[allow(clippy::expect_used)] // a benchmark: a panic is a failed run
pub fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name (which may hold spaces, hence the last ')'): field 3 is the
    // state, so cutime (16) and cstime (17) are the 14th and 15th after it.
    let rest = &stat[stat.rfind(')').expect("comm in /proc/self/stat") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 =
        fields[13].parse::<u64>().expect("cutime") + fields[14].parse::<u64>().expect("cstime");
    Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64)
}

/// `sysconf(_SC_CLK_TCK)` through `getconf`, asked once (100 on every Linux seen so far).
#[allow(clippy::disallowed_methods)] // a benchmark's own tool, not a server
fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_sample_whatever_the_order() {
        assert_eq!(median(vec![9, 1, 5]), 5);
        assert_eq!(median(vec![2.5, 0.5, 1.5, 3.5]), 2.5);
        assert_eq!(
            median(vec![
                Duration::from_millis(30),
                Duration::from_millis(10),
                Duration::from_millis(20)
            ]),
            Duration::from_millis(20)
        );
    }
}
