//! Server icons, safe for a page under a strict content policy: the page never loads anything
//! from the network. An icon a `server.json` names is fetched here (https only, or http to
//! this computer for a local registry), at most [`MAX_ICON`] bytes, kept only when its bytes
//! are really a PNG, JPEG, GIF, WebP or SVG image, cached on disk, and handed to the page as a
//! `data:` URL (which `img-src 'self' data:` allows; an SVG in an `<img>` runs no script).

use std::path::{Path, PathBuf};

pub const MAX_ICON: usize = 256 << 10;

/// The address of an icon this app will fetch, if it is one.
pub fn allowed(src: &str) -> Option<url::Url> {
    let u = url::Url::parse(src.trim()).ok()?;
    let loopback = match u.host()? {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(a) => a.is_loopback(),
        url::Host::Ipv6(a) => a.is_loopback(),
    };
    match u.scheme() {
        "https" => Some(u),
        "http" if loopback => Some(u),
        _ => None,
    }
}

/// What the bytes are, judged by the bytes (never by what the server claims).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let head = text.trim_start_matches('\u{feff}').trim_start();
    ((head.starts_with("<svg") || head.starts_with("<?xml")) && text.contains("<svg"))
        .then_some("image/svg+xml")
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn data_url(bytes: &[u8]) -> Option<String> {
    let mime = sniff(bytes)?;
    Some(format!("data:{mime};base64,{}", base64(bytes)))
}

/// Where the icon from `src` is kept.
pub fn cache_file(dir: &Path, src: &str) -> PathBuf {
    dir.join(&blake3::hash(src.trim().as_bytes()).to_hex().as_str()[..32])
}

/// The cached icon as a data URL.
pub fn cached(dir: &Path, src: &str) -> Option<String> {
    let bytes = crate::fsio::read_own(&cache_file(dir, src)).ok()??;
    data_url(&bytes)
}

/// Keep an icon's bytes (only real images are kept).
pub fn store(dir: &Path, src: &str, bytes: &[u8]) -> Option<String> {
    let url = data_url(bytes)?;
    if crate::fsio::private_dir(dir).is_ok() {
        let _ = crate::fsio::write_private(&cache_file(dir, src), bytes);
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_and_local_ones_are_fetched() {
        assert!(allowed("https://cdn.example.com/i.png").is_some());
        assert!(allowed("http://127.0.0.1:4000/i.png").is_some());
        assert!(allowed("http://localhost/i.png").is_some());
        for bad in [
            "http://cdn.example.com/i.png",
            "file:///etc/passwd",
            "data:image/png;base64,AAAA",
            "javascript:alert(1)",
            "/relative.png",
        ] {
            assert!(allowed(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn images_are_judged_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(
            sniff(b"  <svg xmlns='http://www.w3.org/2000/svg'/>"),
            Some("image/svg+xml")
        );
        assert_eq!(sniff(b"<html><script>x</script></html>"), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            data_url(b"GIF89a!").as_deref(),
            Some("data:image/gif;base64,R0lGODlhIQ==")
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn icons_are_cached_by_address() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(cached(dir.path(), "https://x/i.png"), None);
        assert!(store(dir.path(), "https://x/i.png", b"<html>").is_none());
        let url = store(dir.path(), "https://x/i.png", b"\x89PNG\r\n\x1a\nabc").unwrap();
        assert_eq!(cached(dir.path(), "https://x/i.png"), Some(url));
    }
}
