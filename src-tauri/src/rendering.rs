//! How the web view draws on Linux. WebKitGTK composites the page with OpenGL by default; this
//! app is a few lists and forms, which its CPU renderer draws without the GL start-up. Measured
//! with `bench-app` (docs/BENCHMARKS.md): compositing off takes the first painted overview from
//! about 0.8-0.9 s to 0.66-0.68 s, a first start ever (no shader cache yet) from about 3.1 s to
//! 0.64 s, and the memory of the app's processes from about 319 to 233 MiB. It also avoids the
//! blank windows some GPU drivers give WebKitGTK (a known issue of Tauri apps on Linux). A
//! person who wants GPU compositing sets `WEBKIT_DISABLE_COMPOSITING_MODE=0`; any value they set
//! is kept.

/// Choose the renderer before WebKit starts. Must run before any other thread exists.
#[cfg(target_os = "linux")]
pub fn choose() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VAR).is_none() {
        // SAFETY: called first thing in `run`, while the process has one thread: nothing reads
        // the environment at the same time (`set_var` is only unsound with concurrent readers).
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(VAR, "1");
        }
    }
}

/// Other systems draw with their own web view (WebView2, WKWebView): nothing to choose.
#[cfg(not(target_os = "linux"))]
pub fn choose() {}
