//! Values for members whose meaning matters more than their shape: ids, names, tokens,
//! passwords and codes drawn from what the fuzzer knows, so most valid-looking requests reach
//! the use-case instead of stopping at "not found".

use serde_json::{json, Value};

use crate::context::Context;
use crate::rng::Rng;
use crate::values::{alnum, hex};

/// A password the default policy accepts (upper, lower, digit, symbol, 8+).
pub fn new_password(rng: &mut Rng) -> String {
    format!("Fz{}!9a", alnum(rng, 8))
}

pub fn new_username(rng: &mut Rng, email: bool) -> String {
    if email {
        format!("u{}@example.com", hex(rng, 10))
    } else {
        format!("u-{}", hex(rng, 10))
    }
}

/// The current TOTP code for a base32 secret (empty if it does not decode).
pub fn totp_code(secret_b32: &str, offset_steps: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let step = cognate_core::crypto::totp::step_at(now) + offset_steps;
    cognate_core::crypto::totp::base32_decode(secret_b32)
        .map(|s| cognate_core::crypto::totp::hotp(&s, step.max(0) as u64))
        .unwrap_or_default()
}

pub fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

const ATTRIBUTES: &[&str] = &[
    "email",
    "email_verified",
    "name",
    "given_name",
    "family_name",
    "phone_number",
    "phone_number_verified",
    "preferred_username",
    "custom:tier",
    "locale",
    "address",
    "sub",
    "updated_at",
    "nickname",
    "custom:nope",
    "dev:custom:x",
];

pub fn attribute_value(name: &str, rng: &mut Rng) -> String {
    match name {
        "email" => format!("{}@example.com", alnum(rng, 6).to_ascii_lowercase()),
        "email_verified" | "phone_number_verified" => {
            rng.pick_str(&["true", "false", "TRUE", "yes"]).into()
        }
        "phone_number" => format!("+1555{}", digits(rng, 7)),
        "updated_at" => format!("{}", 1_700_000_000 + rng.below(1_000_000)),
        "custom:tier" => rng.pick_str(&["gold", "silver", ""]).into(),
        _ => {
            let n = rng.range(1, 12);
            alnum(rng, n)
        }
    }
}

pub fn attribute_list(rng: &mut Rng, email_usernames: bool) -> Value {
    let mut out = Vec::new();
    if email_usernames || rng.percent(40) {
        out.push(json!({"Name": "email", "Value": attribute_value("email", rng)}));
    }
    for _ in 0..rng.small_len(4) {
        let name = rng.pick_str(ATTRIBUTES);
        out.push(json!({"Name": name, "Value": attribute_value(name, rng)}));
    }
    Value::Array(out)
}

fn attribute_names(rng: &mut Rng) -> Value {
    let n = rng.range(1, 3);
    Value::Array((0..n).map(|_| json!(rng.pick_str(ATTRIBUTES))).collect())
}

fn filter(ctx: &Context, rng: &mut Rng) -> String {
    let attr = rng.pick_str(&[
        "username",
        "email",
        "status",
        "cognito:user_status",
        "sub",
        "name",
        "given_name",
        "preferred_username",
        "phone_number",
        "custom:tier",
        "",
    ]);
    let op = rng.pick_str(&["=", "^=", " = ", "^", "==", ""]);
    let value = match rng.below(6) {
        0 => ctx
            .user
            .as_ref()
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        1 => "Enabled".into(),
        2 => "CONFIRMED".into(),
        3 => "u".into(),
        4 => "\\\"quoted\\\\".into(),
        _ => alnum(rng, 3),
    };
    match rng.below(10) {
        0 => format!("{attr}{op}{value}"),
        1 => format!("{attr} {op} \"{value}"),
        _ => format!("{attr} {op} \"{value}\""),
    }
}

/// The value for member `name` of `op`'s input, when the member is one the context can fill;
/// `None` leaves it to the shape.
pub fn member(op: &str, name: &str, ctx: &Context, rng: &mut Rng) -> Option<Value> {
    let pool = ctx.pool.as_ref();
    let user = ctx.user.as_ref();
    let other = ctx.other.as_ref();
    let v = match name {
        "UserPoolId" => {
            if rng.percent(6) {
                json!(other?.id)
            } else {
                json!(pool?.id)
            }
        }
        "ClientId" => {
            if rng.percent(6) {
                json!(rng.pick(&other?.clients)?.id)
            } else {
                json!(ctx.client.as_ref()?.id)
            }
        }
        "Username" => {
            let email = pool.is_some_and(|p| p.email_usernames);
            if matches!(op, "SignUp" | "AdminCreateUser") && rng.percent(70) {
                json!(new_username(rng, email))
            } else if rng.percent(5) {
                json!(rng.pick(&other?.users)?.name)
            } else if rng.percent(8) {
                json!(user?.email.clone()?)
            } else {
                json!(user?.name)
            }
        }
        "GroupName" => {
            if op == "CreateGroup" && rng.percent(70) {
                json!(format!("g-{}", hex(rng, 8)))
            } else {
                json!(ctx.group.clone()?)
            }
        }
        "AccessToken" => json!(ctx.tokens.as_ref()?.access),
        "RefreshToken" | "Token" => {
            let t = ctx.tokens.as_ref()?;
            if name == "Token" && rng.percent(15) {
                json!(t.access)
            } else {
                json!(t.refresh.clone()?)
            }
        }
        "Session" => json!(ctx.session.as_ref()?.session),
        "PreviousPassword" => json!(user?.password),
        "Password"
            if matches!(
                op,
                "SignUp" | "AdminSetUserPassword" | "ConfirmForgotPassword"
            ) =>
        {
            json!(new_password(rng))
        }
        "ProposedPassword" | "TemporaryPassword" => json!(new_password(rng)),
        "ConfirmationCode" | "Code" => match &ctx.code {
            Some(c) if rng.percent(85) => json!(c.code),
            _ => json!(digits(rng, 6)),
        },
        "UserCode" => {
            let secret = user.and_then(|u| u.totp.clone());
            match secret {
                Some(s) if rng.percent(85) => json!(totp_code(&s, 0)),
                _ => json!(digits(rng, 6)),
            }
        }
        "UserAttributes" | "ValidationData" => {
            attribute_list(rng, pool.is_some_and(|p| p.email_usernames))
        }
        "AttributeName" => json!(rng.pick_str(&["email", "phone_number", "name", "sub"])),
        "UserAttributeNames" | "AttributesToGet" => attribute_names(rng),
        "Filter" => json!(filter(ctx, rng)),
        "PaginationToken" | "NextToken" => json!(ctx.pagination.clone()?),
        "PoolName" => json!(format!("fuzz-{}", hex(rng, 6))),
        "ClientName" => json!(format!("c-{}", hex(rng, 6))),
        "ExplicitAuthFlows" => {
            let all = [
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_CUSTOM_AUTH",
                "ALLOW_USER_AUTH",
                "USER_PASSWORD_AUTH",
            ];
            let picked: Vec<&str> = all.iter().copied().filter(|_| rng.percent(50)).collect();
            json!(picked)
        }
        _ => return None,
    };
    Some(v)
}
