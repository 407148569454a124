//! How unsigned operations authenticate their app client: SECRET_HASH, for clients that have
//! a secret.

use crate::crypto::secret_hash;
use crate::model::{AppClient, UserPool};
use crate::service::Ctx;
use crate::{CognitoError, Result};

/// Checks SECRET_HASH for a client that has a secret. `usernames` are the names the hash may
/// have been computed over (the username typed, the internal username, the sub).
pub fn check_secret_hash(
    client: &AppClient,
    usernames: &[&str],
    received: Option<&str>,
) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(received) = received else {
        return Err(CognitoError::not_authorized(format!(
            "Client {} is configured for secret but secret was not received",
            client.client_id
        )));
    };
    if usernames
        .iter()
        .any(|u| secret_hash::verify(secret, u, &client.client_id, received))
    {
        Ok(())
    } else {
        Err(CognitoError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.client_id
        )))
    }
}

/// A client and its pool, with the request's SECRET_HASH checked.
pub async fn client_and_pool(
    ctx: &Ctx<'_>,
    client_id: &str,
    username: &str,
    secret_hash: Option<&str>,
) -> Result<(AppClient, UserPool)> {
    let client = ctx.client(client_id).await?;
    check_secret_hash(&client, &[username], secret_hash)?;
    let pool = ctx.pool(&client.pool_id).await?;
    Ok((client, pool))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_is_required_and_checked() {
        let client: AppClient = serde_json::from_value(serde_json::json!({
            "pool_id": "p", "client_id": "7abcdefghijklmnopqrstuvwx1", "name": "c",
            "secret": "example-client-secret-0123456789abcdefghijkl",
            "created": 0, "modified": 0, "explicit_auth_flows": [],
            "access_token_validity": {"value": 60, "unit": "Minutes"},
            "id_token_validity": {"value": 60, "unit": "Minutes"},
            "refresh_token_validity": {"value": 30, "unit": "Days"},
            "auth_session_validity": 3, "prevent_user_existence_errors": false,
            "enable_token_revocation": true, "read_attributes": [], "write_attributes": [],
            "settings": {}
        }))
        .expect("client json");
        let good = "o48wBwjSi4y7U1i0p48L5MyGFCVIJsvsd/xPjv2CGU4=";
        assert!(check_secret_hash(&client, &["alice"], Some(good)).is_ok());
        let missing = check_secret_hash(&client, &["alice"], None)
            .err()
            .map(|e| e.message);
        assert_eq!(
            missing.as_deref(),
            Some("Client 7abcdefghijklmnopqrstuvwx1 is configured for secret but secret was not received")
        );
        let wrong = check_secret_hash(&client, &["bob"], Some(good))
            .err()
            .map(|e| e.message);
        assert_eq!(
            wrong.as_deref(),
            Some("Unable to verify secret hash for client 7abcdefghijklmnopqrstuvwx1")
        );
        let public = AppClient {
            secret: None,
            ..client
        };
        assert!(check_secret_hash(&public, &["alice"], None).is_ok());
    }
}
