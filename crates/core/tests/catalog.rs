//! The catalog against a stand-in registry on 127.0.0.1 (`testkit::registry`): it pages through
//! every page, hides what the registry deprecated or deleted, finds by search, fetches one
//! server by name, and keeps working from its cache once the registry is gone.

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

use mcpconf_core::ErrorCode;
use mcpconf_core::catalog::verdict::Unknown;
use mcpconf_core::catalog::{Catalog, ResultsFrom, block_on};
use mcpconf_testkit::registry::{self as docs, FakeRegistry};

fn names(r: &mcpconf_core::catalog::SearchResult) -> Vec<&str> {
    r.servers.iter().map(|h| h.name.as_str()).collect()
}

fn list_requests(reg: &FakeRegistry) -> Vec<String> {
    reg.requests()
        .into_iter()
        .filter(|r| r.starts_with("GET /v0.1/servers?"))
        .collect()
}

#[test]
fn the_catalog_pages_through_hides_what_it_must_and_works_from_its_cache_offline() {
    let mut reg = FakeRegistry::standard();
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalog::at(&reg.url(), dir.path().join("cache")).unwrap();

    // Never read: the built-in servers, and it says so.
    let first = cat.search("", &Unknown);
    assert_eq!(first.from, ResultsFrom::Curated);
    assert!(first.stale && !first.complete);
    assert!(first.note.as_deref().unwrap().contains("not been reached"));
    assert!(names(&first).contains(&"io.github.modelcontextprotocol/filesystem"));

    // Every page, following nextCursor.
    let n = block_on(cat.refresh()).unwrap();
    assert_eq!(
        n, 247,
        "7 documents (the older version is not the latest) + 240 filler"
    );
    let pages = list_requests(&reg);
    assert_eq!(pages.len(), 3, "{pages:#?}");
    assert!(pages.iter().all(|p| p.contains("version=latest")));
    assert!(pages[1].contains("cursor=after%3A100"), "{}", pages[1]);
    assert!(cat.cache_path().exists());

    let r = cat.search("every input", &Unknown);
    assert_eq!(r.from, ResultsFrom::Cache);
    assert!(r.complete && !r.stale && r.note.is_none());
    assert_eq!(names(&r), ["io.github.mcpconf-test/every-input"]);
    assert_eq!(r.servers[0].version, "1.4.0");
    assert_eq!(r.servers[0].publisher, "mcpconf-test on GitHub");
    assert_eq!(r.servers[0].icon.as_deref(), Some(reg.icon_url().as_str()));
    // Searching for what only the hidden ones are called finds nothing.
    assert!(cat.search("spam", &Unknown).servers.is_empty());
    assert!(cat.search("every-input-old", &Unknown).servers.is_empty());
    let many = cat.search("filler", &Unknown);
    assert_eq!((many.servers.len(), many.total), (50, 240));

    // One server by name: the name is one URL-encoded path segment.
    let l = block_on(cat.server("io.github.mcpconf-test/every-input")).unwrap();
    assert_eq!(l.server.packages[0].identifier, "@mcpconf-test/every-input");
    assert!(
        reg.requests()
            .iter()
            .any(|r| r == "GET /v0.1/servers/io.github.mcpconf-test%2Fevery-input/versions/latest")
    );
    for (name, says) in [
        ("io.github.mcpconf-test/every-input-old", "deprecated"),
        ("io.github.mcpconf-test/every-input-spam", "removed"),
    ] {
        let e = block_on(cat.server(name)).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
        assert!(
            e.to_string()
                .contains("Use io.github.mcpconf-test/every-input instead")
        );
    }
    let e = block_on(cat.server("io.github.nobody/nothing")).unwrap_err();
    assert!(e.to_string().contains("mcpconf search"), "{e}");

    // The icon comes back as a data URL; an address no server names is never fetched.
    let icon = block_on(async { Ok(cat.icon(&reg.icon_url()).await) }).unwrap();
    assert!(
        icon.unwrap()
            .starts_with("data:image/png;base64,iVBORw0KGgo")
    );
    let other = block_on(async { Ok(cat.icon("http://127.0.0.1:9/x.png").await) }).unwrap();
    assert_eq!(other, None);

    // The registry goes away.
    reg.stop();
    let offline = cat.search("remote notes", &Unknown);
    assert_eq!(names(&offline), ["com.example/remote-notes"]);
    let l = block_on(cat.server("io.github.mcpconf-test/container-tool")).unwrap();
    assert_eq!(l.server.packages[0].registry_type, "oci");
    let icon = block_on(async { Ok(cat.icon(&reg.icon_url()).await) }).unwrap();
    assert!(icon.is_some(), "icons are kept too");
    let e = block_on(cat.refresh()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RegistryUnavailable);
    assert!(e.to_string().contains(&reg.url()), "{e}");
    assert!(e.fix().unwrap().contains("cache"), "{:?}", e.fix());
    let e = block_on(cat.server("io.github.nobody/nothing")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RegistryUnavailable);
    // And the copy is still whole.
    assert_eq!(cat.search("filler", &Unknown).total, 240);
}

#[test]
fn before_the_whole_registry_is_read_a_search_asks_it_directly() {
    let reg = FakeRegistry::standard();
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalog::at(&reg.url(), dir.path().join("cache")).unwrap();
    let got = block_on(cat.lookup("remote")).unwrap();
    assert_eq!(got, 1);
    assert!(
        list_requests(&reg)
            .iter()
            .any(|r| r.contains("search=remote"))
    );
    let r = cat.search("remote", &Unknown);
    assert_eq!(names(&r), ["com.example/remote-notes"]);
    assert!(!r.complete && r.stale);
    assert!(
        r.note.as_deref().unwrap().contains("Only part"),
        "{:?}",
        r.note
    );
    // A second catalog (another process) reads the same copy.
    let again = Catalog::at(&reg.url(), dir.path().join("cache")).unwrap();
    assert_eq!(
        names(&again.search("notes", &Unknown)),
        ["com.example/remote-notes"]
    );
}

#[test]
fn each_registry_address_has_its_own_copy() {
    let a = FakeRegistry::start(vec![docs::item(docs::remote_only(), "active")]);
    let b = FakeRegistry::start(vec![docs::item(docs::oci_only(), "active")]);
    let dir = tempfile::tempdir().unwrap();
    let ca = Catalog::at(&a.url(), dir.path().to_owned()).unwrap();
    let cb = Catalog::at(&b.url(), dir.path().to_owned()).unwrap();
    block_on(ca.refresh()).unwrap();
    block_on(cb.refresh()).unwrap();
    assert_eq!(ca.search("container", &Unknown).servers.len(), 0);
    assert_eq!(cb.search("container", &Unknown).servers.len(), 1);
    assert_ne!(ca.cache_path(), cb.cache_path());
}

#[test]
fn a_registry_that_hangs_does_not_hold_up_a_server_the_copy_has() {
    let reg = FakeRegistry::standard();
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalog::at(&reg.url(), dir.path().join("cache")).unwrap();
    block_on(cat.refresh()).unwrap();
    reg.hang(true);
    let wait = std::time::Duration::from_millis(300);
    let started = std::time::Instant::now();
    let l = block_on(cat.server_within("io.github.mcpconf-test/every-input", wait)).unwrap();
    assert_eq!(l.server.version, "1.4.0");
    // Well before the client's own 20 s timeout.
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    reg.hang(false);
}
