//! Valid-looking request bodies built from the service model's shapes: every required
//! member, some optional ones, constraints honoured, ids and secrets from the context.

use serde_json::{json, Map, Value};

use crate::context::{Anchor, Context, Protect};
use crate::model::{Kind, Model, Operation};
use crate::rng::Rng;
use crate::{fixup, semantic, values};

/// Deepest structure nesting the generator fills optional members at.
const MAX_OPTIONAL_DEPTH: usize = 4;

/// How often each operation is picked. Operations that hash a password (argon2id, tens of
/// milliseconds) or generate RSA keys are rarer so that a million requests stay affordable;
/// every operation of the model keeps a non-zero weight.
fn weight(op: &str) -> u32 {
    match op {
        "CreateUserPool" => 1,
        "DeleteUserPool" => 1,
        "SignUp" | "AdminCreateUser" | "AdminSetUserPassword" | "ChangePassword" => 2,
        "ConfirmForgotPassword" | "AdminRespondToAuthChallenge" => 3,
        "InitiateAuth" | "AdminInitiateAuth" | "RespondToAuthChallenge" => 4,
        "AdminDeleteUser" | "DeleteUser" | "DeleteGroup" | "DeleteUserPoolClient" => 2,
        "AdminDeleteSoftwareToken" | "AdminDisableUser" => 3,
        "GetUser"
        | "ListUsers"
        | "AdminGetUser"
        | "DescribeUserPool"
        | "GetGroup"
        | "ListGroups"
        | "AdminListGroupsForUser"
        | "ListUsersInGroup"
        | "AdminAddUserToGroup"
        | "AdminRemoveUserFromGroup"
        | "UpdateUserAttributes"
        | "AdminUpdateUserAttributes"
        | "GlobalSignOut"
        | "RevokeToken"
        | "AssociateSoftwareToken"
        | "VerifySoftwareToken"
        | "SetUserMFAPreference"
        | "AdminSetUserMFAPreference"
        | "UpdateUserPool"
        | "UpdateUserPoolClient"
        | "CreateUserPoolClient"
        | "DescribeUserPoolClient"
        | "CreateGroup"
        | "UpdateGroup"
        | "AdminEnableUser"
        | "ConfirmSignUp"
        | "ResendConfirmationCode"
        | "ForgotPassword"
        | "AdminConfirmSignUp"
        | "AdminResetUserPassword"
        | "DeleteUserAttributes"
        | "AdminDeleteUserAttributes"
        | "GetUserAttributeVerificationCode"
        | "VerifyUserAttribute"
        | "AdminUserGlobalSignOut"
        | "ListUserPools"
        | "ListUserPoolClients"
        | "AddCustomAttributes"
        | "SetUserPoolMfaConfig"
        | "GetUserPoolMfaConfig"
        | "GetUserAuthFactors"
        | "AdminGetUserAuthFactors" => 10,
        _ => 2,
    }
}

/// What `op` can break when it succeeds.
pub fn protect(op: &str) -> Protect {
    match op {
        "AdminUserGlobalSignOut"
        | "GlobalSignOut"
        | "RevokeToken"
        | "AdminResetUserPassword"
        | "AdminDisableUser"
        | "AdminDeleteUser"
        | "DeleteUser"
        | "AdminSetUserPassword"
        | "ChangePassword"
        | "AdminDeleteSoftwareToken"
        | "AdminSetUserMFAPreference"
        | "SetUserMFAPreference"
        | "AdminUpdateUserAttributes"
        | "UpdateUserAttributes"
        | "DeleteUserAttributes"
        | "AdminDeleteUserAttributes"
        | "AssociateSoftwareToken"
        | "VerifySoftwareToken"
        | "ConfirmForgotPassword"
        | "ForgotPassword"
        | "AdminRemoveUserFromGroup" => Protect::User,
        "UpdateUserPoolClient" | "DeleteUserPoolClient" => Protect::Client,
        "UpdateUserPool" | "SetUserPoolMfaConfig" | "DeleteUserPool" | "AddCustomAttributes" => {
            Protect::Pool
        }
        _ => Protect::Nothing,
    }
}

pub struct Generator<'a> {
    model: &'a Model,
    weights: Vec<u32>,
}

impl<'a> Generator<'a> {
    pub fn new(model: &'a Model) -> Self {
        let weights = model.operations.iter().map(|o| weight(&o.name)).collect();
        Self { model, weights }
    }

    pub fn model(&self) -> &'a Model {
        self.model
    }

    pub fn pick_operation(&self, rng: &mut Rng) -> Option<&'a Operation> {
        self.model.operations.get(rng.weighted(&self.weights))
    }

    /// What the context of a request for `op` should be built around.
    pub fn anchor(&self, op: &Operation, rng: &mut Rng) -> Anchor {
        let has = |m: &str| {
            op.input
                .as_deref()
                .and_then(|s| self.model.shape(s))
                .is_some_and(|s| match &s.kind {
                    Kind::Structure { members, .. } => members.iter().any(|(n, _)| n == m),
                    _ => false,
                })
        };
        if has("ChallengeResponses") || (has("Session") && rng.percent(40)) {
            Anchor::Session
        } else if has("AccessToken") || has("RefreshToken") || has("Token") {
            Anchor::Tokens
        } else if (has("ConfirmationCode") || has("Code")) && rng.percent(80) {
            Anchor::Code
        } else if op.name.contains("InitiateAuth") && rng.percent(40) {
            Anchor::Tokens
        } else {
            Anchor::Pool
        }
    }

    /// A valid-looking body for `op`.
    pub fn body(&self, op: &Operation, ctx: &Context, rng: &mut Rng) -> Value {
        let Some(input) = op.input.as_deref() else {
            return json!({});
        };
        let mut body = self.value(&op.name, input, None, ctx, rng, 0);
        fixup::apply(&op.name, &mut body, ctx, rng);
        body
    }

    fn value(
        &self,
        op: &str,
        shape_name: &str,
        member: Option<&str>,
        ctx: &Context,
        rng: &mut Rng,
        depth: usize,
    ) -> Value {
        if let Some(v) = member.and_then(|m| semantic::member(op, m, ctx, rng)) {
            return v;
        }
        let Some(shape) = self.model.shape(shape_name) else {
            return Value::Null;
        };
        match &shape.kind {
            Kind::Structure { members, required } => {
                let mut obj = Map::new();
                for (name, target) in members {
                    let needed = required.iter().any(|r| r == name);
                    let chance = if depth == 0 { 40 } else { 20 };
                    if needed || (depth < MAX_OPTIONAL_DEPTH && rng.percent(chance)) {
                        let v = self.value(op, target, Some(name), ctx, rng, depth + 1);
                        if !v.is_null() {
                            obj.insert(name.clone(), v);
                        }
                    }
                }
                Value::Object(obj)
            }
            Kind::Document => match rng.below(3) {
                0 => json!({}),
                1 => json!({"k": "v", "n": [1, 2]}),
                _ => json!("document"),
            },
            Kind::List(item) => {
                let min = shape.min.unwrap_or(0).max(0) as usize;
                let max = (shape.max.unwrap_or(3).max(0) as usize).min(3).max(min);
                let n = rng.range(min, max);
                Value::Array(
                    (0..n)
                        .map(|_| self.value(op, item, None, ctx, rng, depth + 1))
                        .collect(),
                )
            }
            Kind::Map { key, value } => {
                let min = shape.min.unwrap_or(0).max(0) as usize;
                let max = (shape.max.unwrap_or(3).max(0) as usize).min(3).max(min);
                let n = rng.range(min, max);
                let mut obj = Map::new();
                for _ in 0..n {
                    let k = self
                        .model
                        .shape(key)
                        .map(|s| values::valid_string(s, rng))
                        .unwrap_or_else(|| values::alnum(rng, 5));
                    obj.insert(k, self.value(op, value, None, ctx, rng, depth + 1));
                }
                Value::Object(obj)
            }
            _ => values::valid_scalar(shape, rng),
        }
    }
}
