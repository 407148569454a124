//! Puts a setup pool back the way the setup made it, now and then during the run: the fuzzer
//! disables, resets, signs out and deletes what it finds, and without healing most requests
//! of a long run would stop at "not authorized". One pool per call: its configuration, its
//! two clients, one user (enabled, known password, fresh tokens), one group and its members.
//!
//! Client errors are expected here (the fuzzer may have deleted anything); a 5xx or a dropped
//! connection is a finding.

use serde_json::json;

use crate::actions::{create_client, enable_totp, AUTH_FLOWS};
use crate::api::{is_client_error, Api};
use crate::rng::Rng;
use crate::setup::{
    make_expendable, make_pool, make_user, sign_in_user, CorePool, UserKind, PASSWORD,
};
use crate::state::Known;
use crate::values::hex;
use std::sync::Mutex;

/// Runs `step`; a client error is ignored, anything else is returned as a finding.
fn tolerate<T>(step: anyhow::Result<T>) -> Result<Option<T>, String> {
    match step {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_client_error(&e) => Ok(None),
        Err(e) => Err(format!("heal: {e:#}")),
    }
}

pub struct Healer {
    pub api: Api,
    pub pools: Vec<CorePool>,
    pub heals: u64,
}

impl Healer {
    pub fn heal(&mut self, known: &Mutex<Known>, rng: &mut Rng) -> Result<(), String> {
        self.heals += 1;
        let i = rng.below(self.pools.len());
        let Some(pool) = self.pools.get_mut(i) else {
            return Ok(());
        };
        let old_id = pool.id.clone();
        let mut scratch = Known::default();
        let result = heal_pool(&mut self.api, &mut scratch, pool, rng);
        // What the healing learnt (new ids, passwords, tokens) goes into the shared state,
        // without holding its lock through the calls.
        if let Ok(mut k) = known.lock() {
            if pool.id != old_id {
                k.remove_pool(&old_id);
            }
            k.absorb(scratch);
        }
        result
    }
}

fn heal_pool(
    api: &mut Api,
    known: &mut Known,
    pool: &mut CorePool,
    rng: &mut Rng,
) -> Result<(), String> {
    let exists = tolerate(api.call("DescribeUserPool", json!({"UserPoolId": pool.id})))?;
    if exists.is_none() {
        // Deleted: build it again under a new id.
        let spec = pool.spec;
        if let Some(p) = tolerate(make_pool(api, known, spec))? {
            *pool = p;
        }
        return Ok(());
    }
    known.add_pool(&pool.id, true, pool.spec.email_usernames);
    let mut update = (pool.spec.config)();
    if let Some(m) = update.as_object_mut() {
        // What UpdateUserPool does not take.
        for k in ["Schema", "AliasAttributes", "UsernameAttributes"] {
            m.remove(k);
        }
    }
    update["UserPoolId"] = json!(pool.id);
    update["DeletionProtection"] = json!("ACTIVE");
    tolerate(api.call("UpdateUserPool", update))?;
    match pool.spec.mfa {
        Some(required) => {
            tolerate(enable_totp(api, &pool.id, required))?;
        }
        None => {
            tolerate(api.call(
                "SetUserPoolMfaConfig",
                json!({"UserPoolId": pool.id, "MfaConfiguration": "OFF"}),
            ))?;
        }
    }
    let prevent = pool.spec.prevent_existence_errors;
    for (n, client) in pool.clients.iter_mut().enumerate() {
        let updated = tolerate(api.call(
            "UpdateUserPoolClient",
            json!({"UserPoolId": pool.id, "ClientId": client.id, "ClientName": "healed",
                   "ExplicitAuthFlows": AUTH_FLOWS,
                   "PreventUserExistenceErrors": if prevent { "ENABLED" } else { "LEGACY" }}),
        ))?;
        if updated.is_none() {
            if let Some(c) = tolerate(create_client(api, &pool.id, "plain", n == 1, prevent))? {
                *client = c;
            }
        }
        known.add_client(&pool.id, client.clone());
    }
    if let Some(u) = rng.pick(pool.spec.users) {
        let body = json!({"UserPoolId": pool.id, "Username": u.name});
        if tolerate(api.call("AdminGetUser", body.clone()))?.is_none() {
            tolerate(make_user(api, known, &pool.id, &pool.clients, u))?;
        } else if u.kind != UserKind::SignedUp {
            tolerate(api.call("AdminEnableUser", body.clone()))?;
            let permanent = u.kind != UserKind::Temporary;
            tolerate(api.call(
                "AdminSetUserPassword",
                json!({"UserPoolId": pool.id, "Username": u.name, "Password": PASSWORD,
                       "Permanent": permanent}),
            ))?;
            known.set_password(&pool.id, u.name, PASSWORD);
        }
        tolerate(sign_in_user(
            api,
            known,
            &pool.id,
            &pool.clients,
            u,
            rng.below(2),
        ))?;
    }
    let suffix = hex(rng, 10);
    tolerate(make_expendable(api, known, pool, &suffix))?;
    if let Some((group, members)) = rng.pick(pool.spec.groups) {
        tolerate(api.call(
            "CreateGroup",
            json!({"UserPoolId": pool.id, "GroupName": group}),
        ))?;
        known.add_group(&pool.id, group);
        for m in *members {
            tolerate(api.call(
                "AdminAddUserToGroup",
                json!({"UserPoolId": pool.id, "Username": m, "GroupName": group}),
            ))?;
        }
    }
    Ok(())
}
