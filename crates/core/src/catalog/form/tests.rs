//! The form each kind of input gets, from the test registry's documents.

use super::*;
use mcpconf_testkit::registry as docs;

fn doc(v: serde_json::Value) -> ServerJson {
    serde_json::from_value(v).unwrap()
}

fn by_key<'a>(f: &'a Form, key: &str) -> &'a Field {
    f.fields
        .iter()
        .find(|x| x.key == key)
        .unwrap_or_else(|| panic!("no field {key} in {:#?}", f.fields))
}

#[test]
fn every_input_kind_becomes_its_own_field() {
    let d = doc(docs::every_input_kind());
    let f = form(&d, RunOption::Package(0));
    assert_eq!(f.blocked, None);
    let keys: Vec<&str> = f.fields.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "EVERY_API_KEY",
            "EVERY_REGION",
            "EVERY_LOG_FILE",
            "EVERY_TIMEOUT",
            "EVERY_VERBOSE",
            "folder",
            "mode",
            "format"
        ]
    );
    // (key, kind, required, default, repeated)
    let table: [(&str, FieldKind, bool, Option<&str>, bool); 8] = [
        ("EVERY_API_KEY", FieldKind::Secret, true, None, false),
        ("EVERY_REGION", FieldKind::Choice, false, Some("eu"), false),
        ("EVERY_LOG_FILE", FieldKind::Path, false, None, false),
        ("EVERY_TIMEOUT", FieldKind::Number, false, Some("30"), false),
        ("EVERY_VERBOSE", FieldKind::Boolean, false, None, false),
        ("folder", FieldKind::Path, true, None, true),
        ("mode", FieldKind::Choice, false, Some("read-only"), false),
        ("format", FieldKind::Choice, false, Some("text"), false),
    ];
    for (key, kind, required, default, repeated) in table {
        let x = by_key(&f, key);
        assert_eq!(x.kind, kind, "{key}");
        assert_eq!(x.required, required, "{key}");
        assert_eq!(x.default.as_deref(), default, "{key}");
        assert_eq!(x.repeated, repeated, "{key}");
    }
    assert_eq!(by_key(&f, "EVERY_REGION").choices, ["eu", "us"]);
    assert_eq!(
        by_key(&f, "EVERY_API_KEY").target,
        Target::Env("EVERY_API_KEY".into())
    );
    assert_eq!(by_key(&f, "mode").target, Target::Argument("--mode".into()));
    assert_eq!(by_key(&f, "folder").label, "Folder");
    assert_eq!(by_key(&f, "EVERY_API_KEY").help, "Your API key");
}

#[test]
fn a_remote_asks_for_its_url_variables_and_headers() {
    let d = doc(docs::remote_only());
    let f = form(&d, RunOption::Remote(0));
    assert_eq!(f.blocked, None);
    let tenant = by_key(&f, "tenant");
    assert_eq!((tenant.kind, tenant.required), (FieldKind::Text, true));
    assert_eq!(tenant.target, Target::Url);
    let token = by_key(&f, "token");
    assert_eq!((token.kind, token.required), (FieldKind::Secret, true));
    assert_eq!(token.target, Target::Header("Authorization".into()));
    let region = by_key(&f, "X-Notes-Region");
    assert_eq!(region.kind, FieldKind::Choice);
    assert_eq!(
        f.fields.len(),
        3,
        "the fixed Authorization header is not asked"
    );
}

#[test]
fn a_docker_env_argument_becomes_a_variable_and_fixed_arguments_are_not_asked() {
    let d = doc(docs::oci_only());
    let f = form(&d, RunOption::Package(0));
    assert_eq!(
        f.blocked, None,
        "the token goes to the environment, not argv"
    );
    let token = by_key(&f, "token");
    assert_eq!(token.kind, FieldKind::Secret);
    assert_eq!(token.target, Target::Env("CONTAINER_TOKEN".into()));
    assert_eq!(
        by_key(&f, "CONTAINER_MODE").default.as_deref(),
        Some("safe")
    );
    assert_eq!(f.fields.len(), 2, "{:#?}", f.fields);
}

#[test]
fn a_secret_on_the_command_line_or_a_bundle_is_refused_in_words() {
    let mut v = docs::pypi_only();
    v["packages"][0]["packageArguments"][0]["isSecret"] = true.into();
    let f = form(&doc(v), RunOption::Package(0));
    let why = f.blocked.unwrap();
    assert!(
        why.contains("--local-timezone") && why.contains("command line"),
        "{why}"
    );
    let mut b = docs::pypi_only();
    b["packages"][0]["registryType"] = "mcpb".into();
    let why = form(&doc(b), RunOption::Package(0)).blocked.unwrap();
    assert!(why.contains("Claude Desktop"), "{why}");
}

#[test]
fn keys_never_clash() {
    let d = doc(serde_json::json!({
        "name": "a/b",
        "packages": [{"registryType": "npm", "identifier": "x", "version": "1",
            "environmentVariables": [{"name": "PORT"}],
            "packageArguments": [{"type": "named", "name": "--port"}, {"type": "positional"}, {"type": "positional"}]}]
    }));
    let f = form(&d, RunOption::Package(0));
    let keys: Vec<&str> = f.fields.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, ["PORT", "port-2", "argument-1", "argument-2"]);
}

#[test]
fn placeholders_are_read_in_order_once() {
    assert_eq!(
        placeholders("type=bind,src={source},dst={target},again={source},{}"),
        ["source", "target"]
    );
    assert!(placeholders("no braces { here").is_empty());
}
