//! Self-checks of the fuzzer: valid-looking bodies pass the server's own model validation,
//! and the checker tells good answers from bad ones.

use serde_json::json;

use crate::checker::check;
use crate::context::Context;
use crate::generator::Generator;
use crate::http::{HttpError, Request, Response};
use crate::model::Model;
use crate::rng::Rng;
use cognate_server::api::model::ServiceModel;

#[test]
fn valid_mode_bodies_pass_the_servers_validation() {
    let model = Model::load().expect("model");
    let gen = Generator::new(&model);
    let server = ServiceModel::get();
    let ctx = Context::default();
    let mut failures = Vec::new();
    let mut total = 0;
    for op in &model.operations {
        for seed in 0..20 {
            let mut rng = Rng::new(seed);
            let body = gen.body(op, &ctx, &mut rng);
            total += 1;
            if let Err(e) = server.validate_input(&op.name, &body) {
                failures.push(format!("{}: {e:?}", op.name));
            }
        }
    }
    // A new pattern in the model needs an example in `values::pattern_example`.
    assert!(
        failures.is_empty(),
        "{} of {total} valid-mode bodies fail validation:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
    Response {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn the_checker_accepts_the_envelope_and_rejects_the_rest() {
    let req = crate::api::request("ListUsers", &json!({}));
    let id = ("x-amzn-RequestId", "r-1");
    let good = response(
        400,
        &[id, ("x-amzn-ErrorType", "InvalidParameterException:")],
        r#"{"__type":"InvalidParameterException","message":"m"}"#,
    );
    assert_eq!(check(&req, &Ok(good)), Ok(()));
    assert_eq!(check(&req, &Ok(response(200, &[id], "{}"))), Ok(()));
    let bad = [
        response(500, &[id], r#"{"__type":"X","message":"m"}"#),
        response(
            400,
            &[id, ("x-amzn-ErrorType", "InternalErrorException:")],
            r#"{"__type":"InternalErrorException","message":"m"}"#,
        ),
        response(400, &[id], r#"{"__type":"X","message":"m"}"#),
        response(400, &[id, ("x-amzn-ErrorType", "X:")], r#"{"message":"m"}"#),
        response(400, &[id, ("x-amzn-ErrorType", "X:")], r#"{"__type":"X"}"#),
        response(
            400,
            &[("x-amzn-ErrorType", "X:")],
            r#"{"__type":"X","message":"m"}"#,
        ),
        response(405, &[id], ""),
    ];
    for r in bad {
        let status = r.status;
        assert!(check(&req, &Ok(r)).is_err(), "accepted a bad {status}");
    }
    let dropped: Result<Response, HttpError> = Err(HttpError::NoResponse("reset".into()));
    assert!(check(&req, &dropped).is_err());
    let mut no_target: Request = req.clone();
    no_target.headers.retain(|(n, _)| n != "X-Amz-Target");
    assert!(check(&no_target, &Ok(response(200, &[id], "{}"))).is_err());
}

#[test]
fn chunked_bodies_are_framed() {
    let mut req = crate::api::request("ListUsers", &json!({"A": 1}));
    req.chunks = Some(vec![2, 3]);
    let bytes = String::from_utf8(req.to_bytes("h")).expect("utf-8");
    assert!(
        bytes.ends_with("\r\n\r\n2\r\n{\"\r\n3\r\nA\":\r\n2\r\n1}\r\n0\r\n\r\n"),
        "{bytes}"
    );
}
