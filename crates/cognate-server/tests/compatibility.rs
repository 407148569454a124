//! docs/compatibility.md lists every operation of the service model with its status, and must
//! agree with the dispatch table: an operation is `full` or `partial` exactly when Cognate
//! implements it. `COGNATE_BLESS=1 cargo test --test compatibility` adds missing rows
//! (keeping existing notes) instead of failing. `IMPLEMENTED` itself is checked against what
//! `dispatch` really does with each operation of the model.

use std::collections::BTreeMap;

use cognate_core::ErrorKind;
use cognate_server::api::model::ServiceModel;
use cognate_server::api::{dispatch, IMPLEMENTED};
use cognate_server::app::App;
use cognate_server::config::ServeConfig;
use serde_json::json;

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/compatibility.md");
const TABLE_HEADER: &str = "| Operation | Status | Notes |";

/// Operation -> (status, notes) from the doc's table.
fn parse(doc: &str) -> BTreeMap<String, (String, String)> {
    doc.lines()
        .skip_while(|l| l.trim() != TABLE_HEADER)
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            match cells.as_slice() {
                [op, status, notes] => Some((
                    op.trim_matches('`').to_owned(),
                    ((*status).to_owned(), (*notes).to_owned()),
                )),
                _ => None,
            }
        })
        .collect()
}

fn render(rows: &BTreeMap<String, (String, String)>, preamble: &str) -> String {
    let mut out = String::from(preamble);
    out.push_str(TABLE_HEADER);
    out.push_str("\n|---|---|---|\n");
    for (op, (status, notes)) in rows {
        out.push_str(&format!("| `{op}` | {status} | {notes} |\n"));
    }
    out
}

#[test]
fn compatibility_doc_matches_dispatch_table() {
    let doc = std::fs::read_to_string(DOC).unwrap_or_default();
    let preamble = doc.split(TABLE_HEADER).next().unwrap_or("").to_owned();
    let mut rows = parse(&doc);
    let model = ServiceModel::get();
    let ops = model.operation_names();
    assert_eq!(ops.len(), 153, "the service model has 153 operations");
    let mut problems = Vec::new();
    for op in &ops {
        let implemented = IMPLEMENTED.contains(op);
        match rows.get(*op) {
            None => {
                problems.push(format!("{op}: missing from the doc"));
                let status = if implemented { "partial" } else { "not yet" };
                rows.insert((*op).to_owned(), (status.into(), String::new()));
            }
            Some((status, _)) => {
                let says_implemented = status == "full" || status == "partial";
                if says_implemented != implemented
                    || !["full", "partial", "not yet"].contains(&status.as_str())
                {
                    problems.push(format!(
                        "{op}: doc says `{status}` but implemented = {implemented}"
                    ));
                }
            }
        }
    }
    for op in rows.keys() {
        if !ops.contains(&op.as_str()) {
            problems.push(format!("{op}: not an operation of the model"));
        }
    }
    for op in IMPLEMENTED {
        assert!(
            model.has_operation(op),
            "{op} is dispatched but not in the model"
        );
    }
    if std::env::var("COGNATE_BLESS").is_ok() {
        rows.retain(|op, _| ops.contains(&op.as_str()));
        std::fs::write(DOC, render(&rows, &preamble)).expect("write doc");
        return;
    }
    assert!(
        problems.is_empty(),
        "docs/compatibility.md is out of date:\n{}",
        problems.join("\n")
    );
}

/// Every operation of the model is dispatched with an empty body: one listed in `IMPLEMENTED`
/// reaches its handler (which may reject the input, but never as unsupported), and any other
/// gets the not-implemented `UnsupportedOperationException`.
#[tokio::test]
async fn implemented_list_matches_dispatch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::build(ServeConfig::for_tests(dir.path().to_path_buf()))
        .await
        .expect("build app");
    let ctx = app.state.ctx();
    let empty = json!({});
    let mut problems = Vec::new();
    for op in ServiceModel::get().operation_names() {
        let implemented = IMPLEMENTED.contains(&op);
        let unsupported = match dispatch(&ctx, op, &empty).await {
            Ok(_) => None,
            Err(e) if e.kind == ErrorKind::UnsupportedOperation => Some(e.message),
            Err(_) => None,
        };
        match (implemented, unsupported) {
            (true, Some(message)) => problems.push(format!(
                "{op}: listed as implemented but dispatch says unsupported: {message}"
            )),
            (false, None) => problems.push(format!(
                "{op}: not listed as implemented but dispatch handles it"
            )),
            (false, Some(message)) => {
                let expected = format!("Cognate does not implement {op} yet.");
                if message != expected {
                    problems.push(format!("{op}: unsupported with message {message:?}"));
                }
            }
            (true, None) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "IMPLEMENTED and dispatch disagree:\n{}",
        problems.join("\n")
    );
}
