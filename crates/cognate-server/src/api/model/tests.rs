//! Tests of model loading and input validation.
use super::*;
use serde_json::json;

fn model() -> &'static ServiceModel {
    ServiceModel::get()
}

fn invalid(op: &str, body: Value) -> String {
    match model().validate_input(op, &body) {
        Err(InputError::InvalidParameter(m)) => m,
        other => panic!("expected InvalidParameter for {op} {body}, got {other:?}"),
    }
}

fn serialization(op: &str, body: Value) -> String {
    match model().validate_input(op, &body) {
        Err(InputError::Serialization(m)) => m,
        other => panic!("expected Serialization for {op} {body}, got {other:?}"),
    }
}

const POOL: &str = "us-east-1_ExAmPlE12";

#[test]
fn operations() {
    let m = model();
    let names = m.operation_names();
    assert_eq!(names.len(), 153);
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    assert!(m.has_operation("InitiateAuth"));
    assert!(!m.has_operation("initiateAuth"));
    assert!(m.is_unsigned("InitiateAuth"));
    assert!(m.is_unsigned("RespondToAuthChallenge"));
    assert!(!m.is_unsigned("AdminGetUser"));
    assert!(!m.is_unsigned("NoSuchOperation"));
    assert_eq!(
        m.operations.values().filter(|o| o.unsigned).count(),
        34,
        "unsigned operations"
    );
    let errors = m.operation_errors("AdminGetUser");
    assert!(errors.contains(&"UserNotFoundException"));
    assert!(errors.contains(&"InvalidParameterException"));
    assert!(m.operation_errors("NoSuchOperation").is_empty());
}

#[test]
fn valid_requests_pass() {
    let m = model();
    let ok = |op: &str, body: Value| {
        assert_eq!(m.validate_input(op, &body), Ok(()), "{op} {body}");
    };
    ok(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "7abcdefghijklmnopqrstuvwx1",
               "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
               "Unknown": [1, 2, 3]}),
    );
    ok(
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "alice",
               "UserAttributes": [{"Name": "email", "Value": "a@example.com"}],
               "DesiredDeliveryMediums": ["EMAIL"], "TemporaryPassword": null}),
    );
    ok(
        "CreateUserPool",
        json!({"PoolName": "my pool", "Policies": {"PasswordPolicy": {"MinimumLength": 8}},
               "UserPoolTags": {"team": "x"}}),
    );
    ok("ListUsers", json!({"UserPoolId": POOL, "Limit": 60}));
    ok("ListUserPools", json!({"MaxResults": 10}));
    ok("GetUser", json!({"AccessToken": "eyJ.abc.def"}));
    // Unknown operations are left to the caller.
    ok("NoSuchOperation", json!([1]));
    // A null body is an empty structure.
    assert!(matches!(
        m.validate_input("GetUser", &Value::Null),
        Err(InputError::InvalidParameter(_))
    ));
}

#[test]
fn create_user_pool_bad_name() {
    assert_eq!(
        invalid("CreateUserPool", json!({"PoolName": "bad/name"})),
        "1 validation error detected: Value 'bad/name' at 'poolName' failed to satisfy \
         constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+"
    );
    assert_eq!(
        invalid("CreateUserPool", json!({"PoolName": ""})),
        "2 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+; Value '' at \
         'poolName' failed to satisfy constraint: Member must have length greater than or \
         equal to 1"
    );
}

#[test]
fn initiate_auth_missing_client_and_bad_flow() {
    assert_eq!(
        invalid("InitiateAuth", json!({"AuthFlow": "x"})),
        "2 validation errors detected: Value null at 'clientId' failed to satisfy \
         constraint: Member must not be null; Value 'x' at 'authFlow' failed to satisfy \
         constraint: Member must satisfy enum value set: [USER_SRP_AUTH, \
         REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, \
         USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
    );
    // A null member counts as absent.
    assert!(invalid(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": null})
    )
    .starts_with("1 validation error detected: Value null at 'clientId'"));
}

#[test]
fn sensitive_values_are_not_echoed() {
    let msg = invalid(
        "SignUp",
        json!({"ClientId": "abc", "Username": "alice", "Password": "has space"}),
    );
    assert_eq!(
        msg,
        "1 validation error detected: Value at 'password' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: [\\S]+"
    );
    assert!(!msg.contains("has space"));
    let long = "x".repeat(300);
    let msg = invalid(
        "AdminSetUserPassword",
        json!({"UserPoolId": POOL, "Username": "alice", "Password": long}),
    );
    assert_eq!(
        msg,
        "1 validation error detected: Value at 'password' failed to satisfy constraint: \
         Member must have length less than or equal to 256"
    );
}

#[test]
fn nested_list_member_path() {
    assert_eq!(
        invalid(
            "AdminCreateUser",
            json!({"UserPoolId": POOL, "Username": "alice",
                   "UserAttributes": [{"Name": "email", "Value": "a@b.c"}, {"Value": "v"}]})
        ),
        "1 validation error detected: Value null at 'userAttributes.2.member.name' failed \
         to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        invalid(
            "CreateUserPool",
            json!({"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 5}}})
        ),
        "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' \
         failed to satisfy constraint: Member must have value greater than or equal to 6"
    );
}

#[test]
fn scalar_collections_are_aggregated() {
    assert_eq!(
        invalid(
            "CreateUserPool",
            json!({"PoolName": "p", "AutoVerifiedAttributes": ["email", "fax"]})
        ),
        "1 validation error detected: Value '[email, fax]' at 'autoVerifiedAttributes' \
         failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy \
         enum value set: [phone_number, email]]"
    );
    assert_eq!(
        invalid(
            "TagResource",
            json!({"ResourceArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/x",
                   "Tags": {"": "v"}})
        ),
        "1 validation error detected: Value '{=v}' at 'tags' failed to satisfy constraint: \
         Map keys must satisfy constraint: [Member must have length less than or equal to \
         128, Member must have length greater than or equal to 1]"
    );
}

#[test]
fn type_mismatches_are_serialization_errors() {
    assert_eq!(
        serialization("ListUsers", json!({"UserPoolId": POOL, "Limit": "10"})),
        "STRING_VALUE can not be converted to an Integer"
    );
    assert_eq!(
        serialization("AdminGetUser", json!({"UserPoolId": 5, "Username": "a"})),
        "NUMBER_VALUE can not be converted to a String"
    );
    assert_eq!(
        serialization("AdminGetUser", json!({"UserPoolId": {}, "Username": "a"})),
        "Start of structure or map found where not expected."
    );
    assert_eq!(
        serialization("AdminGetUser", json!([])),
        "Start of list found where not expected"
    );
    assert_eq!(
        serialization("AdminGetUser", json!("body")),
        "STRING_VALUE can not be converted to a Structure"
    );
    assert_eq!(
        serialization(
            "AdminCreateUser",
            json!({"UserPoolId": POOL, "Username": "a", "UserAttributes": {"Name": "x"}})
        ),
        "Start of structure or map found where not expected."
    );
    assert_eq!(
        serialization(
            "CreateUserPool",
            json!({"PoolName": "p", "Policies": {"PasswordPolicy": {"RequireNumbers": "true"}}})
        ),
        "STRING_VALUE can not be converted to a Boolean"
    );
    assert_eq!(
        serialization("ListUsers", json!({"UserPoolId": POOL, "Limit": 1e12})),
        "NUMBER_VALUE can not be converted to an Integer"
    );
    // A type error wins over constraint violations.
    assert!(matches!(
        model().validate_input("ListUsers", &json!({"Limit": "x"})),
        Err(InputError::Serialization(_))
    ));
}

#[test]
fn verify_software_token_user_code() {
    let body = |code: &str| json!({"AccessToken": "tok", "UserCode": code});
    assert_eq!(
        invalid("VerifySoftwareToken", body("12345")),
        "1 validation error detected: Value at 'userCode' failed to satisfy constraint: \
         Member must have length greater than or equal to 6"
    );
    assert_eq!(
        invalid("VerifySoftwareToken", body("12a456")),
        "1 validation error detected: Value at 'userCode' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: [0-9]+"
    );
    assert_eq!(
        invalid("VerifySoftwareToken", body("12a4567")),
        "2 validation errors detected: Value at 'userCode' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: [0-9]+; Value at 'userCode' failed \
         to satisfy constraint: Member must have length less than or equal to 6"
    );
    assert_eq!(
        model().validate_input("VerifySoftwareToken", &body("123456")),
        Ok(())
    );
}

#[test]
fn list_users_limit_max() {
    assert_eq!(
        invalid("ListUsers", json!({"UserPoolId": POOL, "Limit": 100})),
        "1 validation error detected: Value '100' at 'limit' failed to satisfy constraint: \
         Member must have value less than or equal to 60"
    );
    assert_eq!(
        invalid("ListUsers", json!({"UserPoolId": "abc", "Limit": -1})),
        "2 validation errors detected: Value '-1' at 'limit' failed to satisfy constraint: \
         Member must have value greater than or equal to 0; Value 'abc' at 'userPoolId' \
         failed to satisfy constraint: Member must satisfy regular expression pattern: \
         [\\w-]+_[0-9a-zA-Z]+"
    );
}

#[test]
fn lengths_count_characters() {
    // 128 two-byte characters is within PoolName's 128 limit; \w is ASCII (Java) though,
    // so use the username pattern (\p{L}...) instead.
    let name: String = "é".repeat(128);
    assert_eq!(
        model().validate_input(
            "AdminGetUser",
            &json!({"UserPoolId": POOL, "Username": name})
        ),
        Ok(())
    );
    let name: String = "é".repeat(129);
    assert!(invalid(
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": name})
    )
    .ends_with("Member must have length less than or equal to 128"));
}

#[test]
fn every_pattern_compiles() {
    let m = model();
    let mut skipped = Vec::new();
    let mut rewritten = 0;
    let mut raw_failures = 0;
    for p in &m.patterns {
        if p.rewritten {
            rewritten += 1;
        }
        if Regex::new(&format!("^(?:{})$", p.java)).is_err() {
            println!("does not compile untranslated: {}", p.java);
            raw_failures += 1;
        }
        match (&p.translated, p.regex()) {
            (Ok(_), Some(_)) => {}
            (Ok(t), None) => skipped.push(format!("{} -> {t}: does not compile", p.java)),
            (Err(e), _) => skipped.push(format!("{}: {e}", p.java)),
        }
    }
    println!(
        "{} distinct patterns, {rewritten} needed translation ({raw_failures} of them do \
         not compile untranslated), {} skipped",
        m.patterns.len(),
        skipped.len()
    );
    for s in &skipped {
        println!("skipped pattern: {s}");
    }
    assert!(skipped.is_empty(), "skipped patterns: {skipped:#?}");
    assert_eq!(m.patterns.len(), 47);
}

#[test]
fn translated_patterns_keep_java_semantics() {
    let matches = |java: &str, s: &str| -> bool {
        let (t, _) = translate_pattern(java).expect("translates");
        Regex::new(&t).expect("compiles").is_match(s)
    };
    // Anchored: whole value must match.
    assert!(!matches("[0-9]+", "12a"));
    // Java \w is ASCII-only.
    assert!(matches(r"[\w-]+_[0-9a-zA-Z]+", "us-east-1_abc"));
    assert!(!matches(r"[\w-]+_[0-9a-zA-Z]+", "é_abc"));
    // `-` after a range is a literal.
    assert!(matches("[A-Za-z0-9-_+/=.]+", "a-b_c+/="));
    assert!(!matches("[A-Za-z0-9-_+/=.]+", "a,b"));
    // Ranges with escaped ends.
    assert!(matches(
        r"^https://[!$-;=@-\[\]_a-z~]+$",
        "https://x.example/a"
    ));
    assert!(!matches(r"^https://[!$-;=@-\[\]_a-z~]+$", "https://x y"));
    assert!(matches(r"[\x21\x23-\x5B\x5D-\x7E]+", "abc!#"));
    assert!(!matches(r"[\x21\x23-\x5B\x5D-\x7E]+", "a\"b"));
    // The lookbehind override: no trailing dot.
    assert!(matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "a.b"));
    assert!(matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", ""));
    assert!(!matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "a.b."));
    // Java `.` stops at line terminators unless (?s).
    assert!(matches(r".*\{####\}.*", "code {####} here"));
    assert!(!matches(r".*\{####\}.*", "code\n{####}"));
    assert!(matches("(?s).*", "a\nb"));
    // Unicode categories and literal `*` inside a class.
    assert!(matches(r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*", "Hé llo*\t"));
    assert!(matches(
        r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+",
        "abc"
    ));
    assert!(!matches(
        r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+",
        "_bc"
    ));
    // Unsupported constructs are reported, not mistranslated.
    assert!(translate_pattern("(?=a)a").is_err());
    assert!(translate_pattern(r"(a)\1").is_err());
}

#[test]
fn blobs_and_timestamps() {
    let m = model();
    // ImageFile is a blob (max 131072 bytes) on SetUICustomization.
    let ok = json!({"UserPoolId": POOL, "ImageFile": "aGVsbG8="});
    assert_eq!(m.validate_input("SetUICustomization", &ok), Ok(()));
    let bad = json!({"UserPoolId": POOL, "ImageFile": "not base64!"});
    assert!(matches!(
        m.validate_input("SetUICustomization", &bad),
        Err(InputError::Serialization(_))
    ));
    assert_eq!(blob_len(&json!("")), Ok(0));
    assert_eq!(blob_len(&json!("YQ==")), Ok(1));
    assert_eq!(blob_len(&json!("YWI")), Ok(2));
    assert!(blob_len(&json!("Y")).is_err());
}

#[test]
fn never_panics_on_odd_input() {
    let m = model();
    let mut deep = json!("leaf");
    for _ in 0..1_000 {
        deep = json!([deep]);
    }
    let mut deep_obj = json!({});
    for _ in 0..1_000 {
        deep_obj = json!({ "UserAttributes": deep_obj });
    }
    let huge = "x".repeat(200_000);
    let bodies = [
        json!(null),
        json!(1),
        json!(true),
        json!({"UserPoolId": huge.clone(), "Username": huge, "Limit": u64::MAX}),
        json!({"UserPoolId": POOL, "Username": "a", "UserAttributes": deep.clone()}),
        json!({"UserPoolId": POOL, "Username": "a", "UserAttributes": [deep_obj.clone()]}),
        json!({"UserPoolId": POOL, "Username": "a", "ClientMetadata": {"k": deep}}),
        json!({"AuthFlow": "USER_AUTH", "ClientId": "c", "AuthParameters": {"a": 1.5}}),
        json!({"Limit": -1e300, "MaxResults": 0.5}),
    ];
    for name in m.operation_names() {
        for body in &bodies {
            let _ = m.validate_input(name, body);
        }
    }
}
