//! [`set_password`]: the one place a password is checked against the pool's policy and
//! history and stored (argon2id hash plus SRP salt and verifier, both computed off the
//! runtime).

use crate::model::{PasswordCredential, User, UserPool};
use crate::random::RandomExt;
use crate::service::common::password_policy;
use crate::service::Ctx;
use crate::{CognitoError, ErrorKind, Result};

/// Checks `password` against the pool's policy and password history, then stores its hash in
/// `user.password` (the caller saves the user). With `PasswordHistorySize = n`, the last n
/// passwords (the current one and the n-1 before it) cannot be reused; `user.password_history`
/// keeps the earlier hashes, newest first.
pub async fn set_password(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &mut User,
    password: &str,
    temporary: bool,
) -> Result<()> {
    password_policy::check(&pool.password_policy, password)?;
    let keep = pool.password_policy.password_history_size as usize;
    for phc in recent_passwords(user, keep) {
        if ctx.verify_password(password, &phc).await? {
            return Err(CognitoError::new(
                ErrorKind::PasswordHistoryPolicyViolation,
                "The password was used previously",
            ));
        }
    }
    let phc = ctx.hash_password(password).await?;
    let (srp_salt, sealed_srp_verifier) = srp_credential(ctx, pool, user, password).await?;
    replace_password(
        user,
        PasswordCredential {
            phc,
            set_at: ctx.now,
            temporary,
            srp_salt,
            sealed_srp_verifier,
        },
        keep,
    );
    Ok(())
}

/// After `password` was checked against the user's hash: when that hash was made at another
/// cost than the installation's profile (`--password-hash-profile` changed since), stores a
/// new one at the current cost, unless the password changed meanwhile. One extra hash per user
/// and profile change; the SRP verifier does not depend on it.
pub async fn upgrade_password_hash(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &mut User,
    password: &str,
) -> Result<()> {
    let Some(checked) = user.password.as_ref().map(|p| p.phc.clone()) else {
        return Ok(());
    };
    if !crate::crypto::password::needs_rehash(&checked, ctx.settings.password_hash) {
        return Ok(());
    }
    let upgraded = ctx.hash_password(password).await?;
    let (saved, ()) = ctx
        .modify_user(pool, &user.username, |u| {
            if let Some(p) = u.password.as_mut().filter(|p| p.phc == checked) {
                p.phc = upgraded.clone();
            }
            Ok(())
        })
        .await?;
    *user = saved;
    Ok(())
}

/// Copies the password fields `set_password` prepared on a snapshot (`from`) onto `to`: slow
/// hashing happens outside the compare-and-set write that stores the result.
pub fn take_password(to: &mut User, from: &User) {
    to.password = from.password.clone();
    to.password_history = from.password_history.clone();
}

/// A fresh 16-byte salt and the sealed SRP verifier for the user's internal username (x mixes
/// in the pool name and the username, so the verifier is bound to both).
async fn srp_credential(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    password: &str,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let salt = ctx.random.bytes::<16>().to_vec();
    let (pool_name, username, password) = (
        pool.pool_name_for_srp().to_owned(),
        user.username.clone(),
        password.to_owned(),
    );
    let s = salt.clone();
    let verifier = ctx
        .offload(move || crate::crypto::srp::verifier(&pool_name, &username, &password, &s))
        .await?;
    let sealed = ctx.sealer.seal(
        ctx.random,
        &srp_verifier_context(pool, &user.username),
        &verifier,
    );
    Ok((salt, sealed))
}

fn srp_verifier_context(pool: &UserPool, username: &str) -> String {
    format!("srp-verifier:{}:{username}", pool.id)
}

/// The user's SRP verifier, unsealed; None when the user has no password.
pub fn srp_verifier(ctx: &Ctx<'_>, pool: &UserPool, user: &User) -> Result<Option<Vec<u8>>> {
    let Some(cred) = user
        .password
        .as_ref()
        .filter(|c| !c.sealed_srp_verifier.is_empty())
    else {
        return Ok(None);
    };
    ctx.sealer
        .open(
            &srp_verifier_context(pool, &user.username),
            &cred.sealed_srp_verifier,
        )
        .map(|v| Some(v.to_vec()))
        .ok_or_else(|| CognitoError::internal("cannot unseal an SRP verifier (wrong master key?)"))
}

/// The hashes a new password must not match: the last `keep` passwords, current one first.
fn recent_passwords(user: &User, keep: usize) -> Vec<String> {
    if keep == 0 {
        return vec![];
    }
    user.password
        .iter()
        .map(|p| p.phc.clone())
        .chain(user.password_history.iter().take(keep - 1).cloned())
        .collect()
}

/// Installs `new`, moving the current hash into the history (which keeps `keep - 1` entries).
fn replace_password(user: &mut User, new: PasswordCredential, keep: usize) {
    if let Some(old) = user.password.replace(new) {
        user.password_history.insert(0, old.phc);
    }
    user.password_history.truncate(keep.saturating_sub(1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::service::common::test_support::user;

    fn cred(phc: &str) -> PasswordCredential {
        PasswordCredential {
            phc: phc.into(),
            set_at: Timestamp(0),
            temporary: false,
            srp_salt: vec![],
            sealed_srp_verifier: vec![],
        }
    }

    #[test]
    fn history_keeps_the_last_n_passwords() {
        let mut u = user(&[]);
        assert!(recent_passwords(&u, 3).is_empty());
        for p in ["a", "b", "c", "d"] {
            replace_password(&mut u, cred(p), 3);
        }
        assert_eq!(u.password_history, vec!["c", "b"]);
        assert_eq!(recent_passwords(&u, 3), vec!["d", "c", "b"]);
        assert_eq!(recent_passwords(&u, 1), vec!["d"]);
        assert!(recent_passwords(&u, 0).is_empty());
        replace_password(&mut u, cred("e"), 0);
        assert!(u.password_history.is_empty());
    }
}
