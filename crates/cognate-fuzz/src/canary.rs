//! The canary: a pool the generator never learns about, with users, groups, memberships,
//! clients, a TOTP-enrolled user and live refresh tokens. Its state is read before and after
//! the run and must be identical, and its users must still be able to sign in.
//!
//! The canary's pool id, client ids, secrets and tokens are hidden from the generator, and so
//! are the names of most of its users and groups; one "twin" user and group share their names
//! with users and groups of the fuzzed pools (`alice`, `admins`), so that a lookup that forgot
//! the pool would show up as a change here.

use std::time::Instant;

use anyhow::{anyhow, bail};
use serde_json::{json, Value};

use crate::actions::{
    add_to_group, admin_sign_in, admin_sign_in_totp, create_client, create_group, create_pool,
    create_user, enable_totp, enrol_totp, refresh, tokens,
};
use crate::api::{text, Api};
use crate::rng::Rng;
use crate::state::{Client, Known};
use crate::values::hex;

const PASSWORD: &str = "Canary-Passw0rd!";
const TWIN_USER: &str = "alice";
const TWIN_GROUP: &str = "admins";
/// Access tokens live an hour; the check uses one only if the run was shorter than this.
const ACCESS_TOKEN_CHECK_SECS: u64 = 50 * 60;

pub struct Canary {
    pool: String,
    plain: Client,
    secret: Client,
    users: Vec<String>,
    totp_secret: String,
    /// (client, username, refresh token) kept from before the run.
    refresh_tokens: Vec<(Client, String, String)>,
    access_token: String,
    created: Instant,
    snapshot: Value,
}

fn page_all(api: &mut Api, op: &str, mut body: Value, list: &str) -> anyhow::Result<Vec<Value>> {
    let (req_key, resp_key) = match op {
        "ListUsers" => ("PaginationToken", "PaginationToken"),
        _ => ("NextToken", "NextToken"),
    };
    let mut out = Vec::new();
    for _ in 0..1000 {
        let page = api.call(op, body.clone())?;
        out.extend(
            page.get(list)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        );
        match page.get(resp_key).and_then(Value::as_str) {
            Some(t) => body[req_key] = json!(t),
            None => return Ok(out),
        }
    }
    bail!("{op} did not stop paging")
}

impl Canary {
    pub fn create(api: &mut Api, known: &mut Known, rng: &mut Rng) -> anyhow::Result<Self> {
        let pool = create_pool(
            api,
            json!({"Schema": [{"Name": "tier", "AttributeDataType": "String", "Mutable": true}]}),
            &format!("canary-{}", hex(rng, 6)),
        )?;
        enable_totp(api, &pool, false)?;
        let plain = create_client(api, &pool, "canary-plain", false, false)?;
        let secret = create_client(api, &pool, "canary-secret", true, true)?;
        let mut users = vec![TWIN_USER.to_owned()];
        users.extend((0..4).map(|_| format!("cn-{}", hex(rng, 10))));
        for (i, u) in users.iter().enumerate() {
            let attrs = json!([
                {"Name": "email", "Value": format!("{u}@canary.example")},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": format!("Canary {i}")},
                {"Name": "custom:tier", "Value": "gold"},
            ]);
            // The last user keeps a temporary password (FORCE_CHANGE_PASSWORD).
            create_user(api, &pool, u, PASSWORD, attrs, i == users.len() - 1)?;
        }
        let disabled = users.get(3).cloned().unwrap_or_default();
        api.call(
            "AdminDisableUser",
            json!({"UserPoolId": pool, "Username": disabled}),
        )?;
        let unconfirmed = format!("cn-{}", hex(rng, 10));
        api.call(
            "SignUp",
            json!({"ClientId": plain.id, "Username": unconfirmed, "Password": PASSWORD}),
        )?;
        let mut groups = vec![TWIN_GROUP.to_owned()];
        groups.extend((0..2).map(|_| format!("cg-{}", hex(rng, 8))));
        for (i, g) in groups.iter().enumerate() {
            create_group(api, &pool, g, i as u32)?;
            for u in users.iter().take(i + 2) {
                add_to_group(api, &pool, u, g)?;
            }
        }
        // Tokens before TOTP is enrolled, then the twin enrols.
        let (twin_access, twin_refresh) =
            tokens(&admin_sign_in(api, &pool, &secret, TWIN_USER, PASSWORD)?)?;
        let other = users.get(1).cloned().unwrap_or_default();
        let (access, other_refresh) =
            tokens(&admin_sign_in(api, &pool, &plain, &other, PASSWORD)?)?;
        let totp_secret = enrol_totp(api, &twin_access)?;

        for v in [
            &pool,
            &plain.id,
            &secret.id,
            &twin_access,
            &twin_refresh,
            &access,
        ]
        .into_iter()
        .chain([&other_refresh, &unconfirmed, &totp_secret])
        .chain(secret.secret.iter())
        {
            known.hide(v);
        }
        for u in users.iter().skip(1) {
            known.hide(u);
        }
        for g in groups.iter().skip(1) {
            known.hide(g);
        }
        users.push(unconfirmed);
        let mut canary = Self {
            pool,
            refresh_tokens: vec![
                (secret.clone(), TWIN_USER.to_owned(), twin_refresh),
                (plain.clone(), other, other_refresh),
            ],
            plain,
            secret,
            users,
            totp_secret,
            access_token: access,
            created: Instant::now(),
            snapshot: Value::Null,
        };
        canary.snapshot = canary.read(api)?;
        Ok(canary)
    }

    /// Everything readable about the canary, in a stable order.
    fn read(&self, api: &mut Api) -> anyhow::Result<Value> {
        let pool = json!({"UserPoolId": self.pool});
        let described = api.call("DescribeUserPool", pool.clone())?;
        let mfa = api.call("GetUserPoolMfaConfig", pool.clone())?;
        let mut clients = page_all(
            api,
            "ListUserPoolClients",
            json!({"UserPoolId": self.pool, "MaxResults": 2}),
            "UserPoolClients",
        )?;
        clients.sort_by_key(|c| c.to_string());
        let mut described_clients = Vec::new();
        for c in [&self.plain, &self.secret] {
            described_clients.push(api.call(
                "DescribeUserPoolClient",
                json!({"UserPoolId": self.pool, "ClientId": c.id}),
            )?);
        }
        let mut users = page_all(
            api,
            "ListUsers",
            json!({"UserPoolId": self.pool, "Limit": 2}),
            "Users",
        )?;
        users.sort_by_key(|u| u.to_string());
        let mut per_user = Vec::new();
        for u in &self.users {
            let body = json!({"UserPoolId": self.pool, "Username": u});
            per_user.push(json!({
                "user": api.call("AdminGetUser", body.clone())?,
                "groups": page_all(api, "AdminListGroupsForUser", body.clone(), "Groups")?,
                "factors": api.call("AdminGetUserAuthFactors", body)?,
            }));
        }
        let mut groups = page_all(
            api,
            "ListGroups",
            json!({"UserPoolId": self.pool, "Limit": 2}),
            "Groups",
        )?;
        groups.sort_by_key(|g| g.to_string());
        let mut members = Vec::new();
        for g in &groups {
            let name = text(g, &["GroupName"])?;
            let body = json!({"UserPoolId": self.pool, "GroupName": name});
            let mut m = page_all(api, "ListUsersInGroup", body.clone(), "Users")?;
            m.sort_by_key(|u| u.to_string());
            members.push(json!({"group": api.call("GetGroup", body)?, "members": m}));
        }
        Ok(json!({
            "pool": described, "mfa": mfa, "clients": clients,
            "described_clients": described_clients, "users": users, "per_user": per_user,
            "groups": groups, "members": members,
        }))
    }

    /// Compares the canary with its state before the run and signs its users in. Returns the
    /// problems found (empty: unchanged and working).
    pub fn verify(&self, api: &mut Api) -> Vec<String> {
        let mut problems = Vec::new();
        match self.read(api) {
            Ok(now) => diff("canary", &self.snapshot, &now, &mut problems),
            Err(e) => problems.push(format!("reading the canary: {e}")),
        }
        let checks: Vec<(&str, anyhow::Result<()>)> = vec![
            ("password sign-in", self.sign_in_plain(api)),
            ("TOTP sign-in of the twin user", self.sign_in_twin(api)),
            ("refresh tokens from before the run", self.refresh_all(api)),
            (
                "access token from before the run",
                self.access_token_works(api),
            ),
        ];
        for (what, result) in checks {
            if let Err(e) = result {
                problems.push(format!("canary {what}: {e}"));
            }
        }
        problems
    }

    fn sign_in_plain(&self, api: &mut Api) -> anyhow::Result<()> {
        let user = self.users.get(1).ok_or_else(|| anyhow!("no canary user"))?;
        tokens(&admin_sign_in(
            api,
            &self.pool,
            &self.plain,
            user,
            PASSWORD,
        )?)?;
        Ok(())
    }

    fn sign_in_twin(&self, api: &mut Api) -> anyhow::Result<()> {
        let out = admin_sign_in_totp(
            api,
            &self.pool,
            &self.secret,
            TWIN_USER,
            PASSWORD,
            &self.totp_secret,
        )?;
        tokens(&out).map(|_| ())
    }

    fn refresh_all(&self, api: &mut Api) -> anyhow::Result<()> {
        for (client, user, token) in &self.refresh_tokens {
            let out = refresh(api, client, user, token)?;
            text(&out, &["AuthenticationResult", "AccessToken"])?;
        }
        Ok(())
    }

    fn access_token_works(&self, api: &mut Api) -> anyhow::Result<()> {
        if self.created.elapsed().as_secs() > ACCESS_TOKEN_CHECK_SECS {
            return Ok(());
        }
        api.call("GetUser", json!({"AccessToken": self.access_token}))?;
        Ok(())
    }
}

/// Describes where `after` differs from `before`.
fn diff(path: &str, before: &Value, after: &Value, out: &mut Vec<String>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for k in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                diff(&format!("{path}.{k}"), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ => out.push(format!("{path} changed: {before} -> {after}")),
    }
}
