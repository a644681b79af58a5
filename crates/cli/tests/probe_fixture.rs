mod probe_common;
#[test]
fn builds() { assert!(probe_common::fixture().exists()); }
