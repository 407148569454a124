//! The state the generator starts from, made through the API: pools with different
//! configurations (each with a client without and one with a secret), users in several
//! states, groups with members, tokens, a TOTP-enrolled user and a pending MFA_SETUP
//! challenge. The same descriptions let `heal` put a pool back after the fuzzer broke it.

use serde_json::{json, Value};

use crate::actions::{
    add_to_group, admin_sign_in, create_client, create_group, create_pool, create_user,
    enable_totp, enrol_totp, tokens,
};
use crate::api::{text, Api};
use crate::state::{Client, Known, Session, Tokens, User};

pub const PASSWORD: &str = "Fuzz-Passw0rd!";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum UserKind {
    /// Permanent password.
    Confirmed,
    /// Created with a temporary password: signs in to NEW_PASSWORD_REQUIRED.
    Temporary,
    /// Signed up, never confirmed.
    SignedUp,
    /// Confirmed, with a TOTP authenticator as preferred factor.
    Totp,
}

pub struct UserSpec {
    pub name: &'static str,
    pub email: Option<&'static str>,
    pub kind: UserKind,
}

pub struct PoolSpec {
    pub name: &'static str,
    /// CreateUserPool members besides the name.
    pub config: fn() -> Value,
    pub email_usernames: bool,
    /// TOTP enabled: `Some(required)`.
    pub mfa: Option<bool>,
    pub prevent_existence_errors: bool,
    pub users: &'static [UserSpec],
    pub groups: &'static [(&'static str, &'static [&'static str])],
}

const fn user(name: &'static str, email: Option<&'static str>, kind: UserKind) -> UserSpec {
    UserSpec { name, email, kind }
}

pub const POOLS: &[PoolSpec] = &[
    PoolSpec {
        name: "fuzz-basic",
        config: || json!({}),
        email_usernames: false,
        mfa: None,
        prevent_existence_errors: false,
        users: &[
            user("alice", None, UserKind::Confirmed),
            user("bob", Some("bob@example.com"), UserKind::Confirmed),
            user("carol", None, UserKind::Temporary),
            user("dave", Some("dave@example.com"), UserKind::SignedUp),
        ],
        groups: &[("admins", &["alice"]), ("readers", &["bob", "carol"])],
    },
    PoolSpec {
        name: "fuzz-alias",
        config: || {
            json!({
                "AliasAttributes": ["email", "preferred_username"],
                "AutoVerifiedAttributes": ["email"],
                "Schema": [{"Name": "tier", "AttributeDataType": "String", "Mutable": true}],
            })
        },
        email_usernames: false,
        mfa: None,
        prevent_existence_errors: true,
        users: &[
            user("erin", Some("erin@example.com"), UserKind::Confirmed),
            user("frank", None, UserKind::Confirmed),
        ],
        groups: &[("staff", &["erin"])],
    },
    PoolSpec {
        name: "fuzz-email",
        config: || json!({"UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"]}),
        email_usernames: true,
        mfa: None,
        prevent_existence_errors: false,
        users: &[user(
            "grace@example.com",
            Some("grace@example.com"),
            UserKind::Confirmed,
        )],
        groups: &[],
    },
    PoolSpec {
        name: "fuzz-mfa",
        config: || json!({}),
        email_usernames: false,
        mfa: Some(false),
        prevent_existence_errors: false,
        users: &[
            user("hank", None, UserKind::Confirmed),
            user("totp", None, UserKind::Totp),
        ],
        groups: &[("mfa-users", &["hank", "totp"])],
    },
    PoolSpec {
        name: "fuzz-mfa-on",
        config: || json!({}),
        email_usernames: false,
        mfa: Some(true),
        prevent_existence_errors: false,
        // Signs in to MFA_SETUP.
        users: &[user("ivan", None, UserKind::Confirmed)],
        groups: &[],
    },
];

/// A pool of the setup, as it currently exists.
pub struct CorePool {
    pub spec: &'static PoolSpec,
    pub id: String,
    pub clients: [Client; 2],
}

/// Signs `name` in; keeps the tokens or the challenge session.
pub fn sign_in(
    api: &mut Api,
    known: &mut Known,
    pool: &str,
    client: &Client,
    name: &str,
) -> anyhow::Result<Value> {
    let out = admin_sign_in(api, pool, client, name, PASSWORD)?;
    if let Ok((access, refresh)) = tokens(&out) {
        known.add_tokens(Tokens {
            pool: pool.to_owned(),
            client: client.id.clone(),
            username: Some(name.to_owned()),
            access,
            refresh: Some(refresh),
        });
    } else {
        known.add_session(Session {
            pool: pool.to_owned(),
            client: client.id.clone(),
            username: Some(name.to_owned()),
            challenge: text(&out, &["ChallengeName"])?,
            session: text(&out, &["Session"])?,
            params: out
                .get("ChallengeParameters")
                .cloned()
                .unwrap_or(Value::Null),
        });
    }
    Ok(out)
}

/// Creates (or re-creates) `u` in `pool` and records it.
pub fn make_user(
    api: &mut Api,
    known: &mut Known,
    pool: &str,
    clients: &[Client; 2],
    u: &UserSpec,
) -> anyhow::Result<()> {
    if u.kind == UserKind::SignedUp {
        let mut attrs = json!([]);
        if let Some(e) = u.email {
            attrs = json!([{"Name": "email", "Value": e}]);
        }
        api.call(
            "SignUp",
            json!({"ClientId": clients[0].id, "Username": u.name, "Password": PASSWORD,
                   "UserAttributes": attrs}),
        )?;
    } else {
        let attrs = match u.email {
            Some(e) => {
                json!([{"Name": "email", "Value": e}, {"Name": "email_verified", "Value": "true"}])
            }
            None => json!([{"Name": "name", "Value": u.name}]),
        };
        create_user(
            api,
            pool,
            u.name,
            PASSWORD,
            attrs,
            u.kind == UserKind::Temporary,
        )?;
    }
    known.add_user(
        pool,
        User {
            name: u.name.to_owned(),
            password: PASSWORD.to_owned(),
            email: u.email.map(str::to_owned),
            totp: None,
            core: true,
        },
    );
    Ok(())
}

/// Signs a user in through both clients in turn and, for a TOTP user without an
/// authenticator, enrols one.
pub fn sign_in_user(
    api: &mut Api,
    known: &mut Known,
    pool: &str,
    clients: &[Client; 2],
    u: &UserSpec,
    which: usize,
) -> anyhow::Result<()> {
    if u.kind == UserKind::SignedUp {
        return Ok(());
    }
    let client = &clients[which % 2];
    let out = sign_in(api, known, pool, client, u.name)?;
    if u.kind == UserKind::Totp {
        if let Ok((access, _)) = tokens(&out) {
            let secret = enrol_totp(api, &access)?;
            known.set_totp(pool, u.name, &secret);
        }
    }
    Ok(())
}

pub fn make_pool(
    api: &mut Api,
    known: &mut Known,
    spec: &'static PoolSpec,
) -> anyhow::Result<CorePool> {
    let mut config = (spec.config)();
    config["DeletionProtection"] = json!("ACTIVE");
    let id = create_pool(api, config, spec.name)?;
    known.add_pool(&id, true, spec.email_usernames);
    if let Some(required) = spec.mfa {
        enable_totp(api, &id, required)?;
    }
    let prevent = spec.prevent_existence_errors;
    let clients = [
        create_client(api, &id, "plain", false, prevent)?,
        create_client(api, &id, "secret", true, prevent)?,
    ];
    for c in &clients {
        known.add_client(&id, c.clone());
    }
    for u in spec.users {
        make_user(api, known, &id, &clients, u)?;
    }
    for (group, members) in spec.groups {
        create_group(api, &id, group, 1)?;
        known.add_group(&id, group);
        for m in *members {
            add_to_group(api, &id, m, group)?;
        }
    }
    for (i, u) in spec.users.iter().enumerate() {
        sign_in_user(api, known, &id, &clients, u, i)?;
    }
    Ok(CorePool { spec, id, clients })
}

/// Creates the fuzzed pools, each with two expendable users; returns them for healing.
pub fn run(api: &mut Api, known: &mut Known) -> anyhow::Result<Vec<CorePool>> {
    let mut pools = Vec::new();
    for (i, spec) in POOLS.iter().enumerate() {
        let pool = make_pool(api, known, spec)?;
        for n in 0..2 {
            make_expendable(api, known, &pool, &format!("{i}{n}"))?;
        }
        pools.push(pool);
    }
    Ok(pools)
}

/// A confirmed user the fuzzer may break at will (operations that disable, reset, sign out or
/// delete users mostly pick these), signed in so that its tokens can be revoked.
pub fn make_expendable(
    api: &mut Api,
    known: &mut Known,
    pool: &CorePool,
    suffix: &str,
) -> anyhow::Result<()> {
    let name = if pool.spec.email_usernames {
        format!("x-{suffix}@example.com")
    } else {
        format!("x-{suffix}")
    };
    let attrs = json!([{"Name": "email", "Value": format!("x-{suffix}@example.com")}]);
    create_user(api, &pool.id, &name, PASSWORD, attrs, false)?;
    known.add_user(
        &pool.id,
        User {
            name: name.clone(),
            password: PASSWORD.to_owned(),
            email: None,
            totp: None,
            core: false,
        },
    );
    let client = &pool.clients[suffix.len() % 2];
    sign_in(api, known, &pool.id, client, &name)?;
    Ok(())
}
