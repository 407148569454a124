//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use crate::model::{AppClient, ExplicitAuthFlow, GivenSettings, TimeUnit, Validity};
use crate::random::RandomExt;
use crate::service::federation::client_oauth::{check_client_oauth, OAuthConfig};
use crate::service::Ctx;
use crate::store::StoreError;
use crate::{CognitoError, Result};

/// Settings of an app client as the request gave them. UpdateUserPoolClient replaces them all,
/// as Cognito documents: what the request leaves out goes back to its default (only an empty
/// `name`, which the wire never carries, keeps the current name).
#[derive(Debug, Clone, Default)]
pub struct ClientConfig {
    pub name: String,
    pub explicit_auth_flows: Option<Vec<ExplicitAuthFlow>>,
    pub access_token_validity: Option<i64>,
    pub id_token_validity: Option<i64>,
    pub refresh_token_validity: Option<i64>,
    pub access_token_unit: Option<TimeUnit>,
    pub id_token_unit: Option<TimeUnit>,
    pub refresh_token_unit: Option<TimeUnit>,
    pub auth_session_validity: Option<i64>,
    pub prevent_user_existence_errors: Option<bool>,
    pub enable_token_revocation: Option<bool>,
    pub read_attributes: Vec<String>,
    pub write_attributes: Vec<String>,
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// The OAuth members, typed for validation (the server also keeps them, as given, in
    /// `settings`).
    pub oauth: OAuthConfig,
}

/// ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH and ALLOW_CUSTOM_AUTH: what a client allows
/// when ExplicitAuthFlows is left out.
pub const DEFAULT_AUTH_FLOWS: [ExplicitAuthFlow; 3] = [
    ExplicitAuthFlow::AllowUserSrpAuth,
    ExplicitAuthFlow::AllowRefreshTokenAuth,
    ExplicitAuthFlow::AllowCustomAuth,
];

/// A token's validity rules: its default unit and duration, and the allowed range in seconds.
struct TokenRules {
    unit: TimeUnit,
    default_secs: i64,
    range: (i64, i64),
}

/// Access and ID tokens: hours by default, one hour, between five minutes and one day.
const SHORT_LIVED: TokenRules = TokenRules {
    unit: TimeUnit::Hours,
    default_secs: 3600,
    range: (300, 86_400),
};

/// Refresh tokens: days by default, 30 days, between one hour and ten years.
const REFRESH: TokenRules = TokenRules {
    unit: TimeUnit::Days,
    default_secs: 30 * 86_400,
    range: (3600, 3650 * 86_400),
};

fn invalid_range() -> CognitoError {
    CognitoError::invalid_parameter("Invalid range for token validity.")
}

/// The validity in effect. A value without a unit is in the default unit (hours, or days for
/// refresh tokens); no value (or 0 for refresh tokens, which Cognito reads as "default") is the
/// default duration, written in the requested unit when it divides evenly.
fn validity(value: Option<i64>, unit: Option<TimeUnit>, rules: &TokenRules) -> Result<Validity> {
    let unit = unit.unwrap_or(rules.unit);
    let Some(value) = value.filter(|v| *v != 0) else {
        let per_unit = unit.seconds(1);
        return Ok(if rules.default_secs % per_unit == 0 {
            Validity {
                value: rules.default_secs / per_unit,
                unit,
            }
        } else {
            Validity {
                value: rules.default_secs,
                unit: TimeUnit::Seconds,
            }
        });
    };
    let v = Validity { value, unit };
    let (min, max) = rules.range;
    if !(min..=max).contains(&v.seconds()) {
        return Err(invalid_range());
    }
    Ok(v)
}

fn apply(client: &mut AppClient, config: ClientConfig) -> Result<()> {
    let flows = config
        .explicit_auth_flows
        .clone()
        .unwrap_or_else(|| DEFAULT_AUTH_FLOWS.to_vec());
    let legacy = flows.iter().filter(|f| f.is_legacy()).count();
    if legacy > 0 && legacy < flows.len() {
        return Err(CognitoError::invalid_parameter(
            "Invalid combination of explicit auth flows: ALLOW_ values cannot be mixed with legacy values.",
        ));
    }
    let access = validity(
        config.access_token_validity,
        config.access_token_unit,
        &SHORT_LIVED,
    )?;
    let id = validity(config.id_token_validity, config.id_token_unit, &SHORT_LIVED)?;
    let refresh = validity(
        config.refresh_token_validity,
        config.refresh_token_unit,
        &REFRESH,
    )?;
    // A refresh token cannot expire before the tokens it renews.
    if refresh.seconds() < access.seconds() || refresh.seconds() < id.seconds() {
        return Err(invalid_range());
    }
    let session = config.auth_session_validity.unwrap_or(3);
    if !(3..=15).contains(&session) {
        return Err(CognitoError::invalid_parameter(
            "AuthSessionValidity must be between 3 and 15 minutes.",
        ));
    }
    if !config.name.is_empty() {
        client.name = config.name;
    }
    client.given = GivenSettings {
        explicit_auth_flows: config.explicit_auth_flows.is_some(),
        access_token_validity: config.access_token_validity.is_some(),
        id_token_validity: config.id_token_validity.is_some(),
        access_token_unit: config.access_token_unit,
        id_token_unit: config.id_token_unit,
        refresh_token_unit: config.refresh_token_unit,
        prevent_user_existence_errors: config.prevent_user_existence_errors.is_some(),
    };
    client.explicit_auth_flows = flows;
    client.access_token_validity = access;
    client.id_token_validity = id;
    client.refresh_token_validity = refresh;
    client.auth_session_validity = session;
    client.prevent_user_existence_errors = config.prevent_user_existence_errors.unwrap_or(false);
    client.enable_token_revocation = config.enable_token_revocation.unwrap_or(true);
    client.read_attributes = config.read_attributes;
    client.write_attributes = config.write_attributes;
    client.settings = config.settings;
    Ok(())
}

pub async fn create_user_pool_client(
    ctx: &Ctx<'_>,
    pool_id: &str,
    config: ClientConfig,
    generate_secret: bool,
    client_secret: Option<String>,
) -> Result<AppClient> {
    ctx.pool(pool_id).await?;
    if generate_secret && client_secret.is_some() {
        return Err(CognitoError::invalid_parameter(
            "GenerateSecret and ClientSecret cannot be specified together.",
        ));
    }
    let secret = match (generate_secret, client_secret) {
        (true, _) => Some(ctx.random.lower_alnum(52)),
        (false, s) => s,
    };
    check_client_oauth(ctx, pool_id, &config.oauth, secret.is_some()).await?;
    let mut client = AppClient {
        pool_id: pool_id.to_owned(),
        client_id: ctx.random.lower_alnum(26),
        name: String::new(),
        secret,
        created: ctx.now,
        modified: ctx.now,
        explicit_auth_flows: vec![],
        access_token_validity: Validity {
            value: 1,
            unit: TimeUnit::Hours,
        },
        id_token_validity: Validity {
            value: 1,
            unit: TimeUnit::Hours,
        },
        refresh_token_validity: Validity {
            value: 30,
            unit: TimeUnit::Days,
        },
        auth_session_validity: 3,
        prevent_user_existence_errors: false,
        enable_token_revocation: true,
        read_attributes: vec![],
        write_attributes: vec![],
        settings: Default::default(),
        given: GivenSettings::default(),
    };
    apply(&mut client, config)?;
    ctx.store.insert_client(&client).await?;
    Ok(client)
}

pub async fn describe_user_pool_client(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
) -> Result<AppClient> {
    ctx.pool(pool_id).await?;
    ctx.pool_client(pool_id, client_id).await
}

pub async fn update_user_pool_client(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    config: ClientConfig,
) -> Result<AppClient> {
    ctx.pool(pool_id).await?;
    let mut client = ctx.pool_client(pool_id, client_id).await?;
    check_client_oauth(ctx, pool_id, &config.oauth, client.secret.is_some()).await?;
    apply(&mut client, config)?;
    client.modified = ctx.now;
    ctx.store
        .update_client(&client)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => CognitoError::client_not_found(client_id),
            e => e.into(),
        })?;
    Ok(client)
}

pub async fn delete_user_pool_client(ctx: &Ctx<'_>, pool_id: &str, client_id: &str) -> Result<()> {
    ctx.pool(pool_id).await?;
    if !ctx.store.delete_client(pool_id, client_id).await? {
        return Err(CognitoError::client_not_found(client_id));
    }
    Ok(())
}

pub async fn list_user_pool_clients(
    ctx: &Ctx<'_>,
    pool_id: &str,
    after: Option<&str>,
    max: usize,
) -> Result<(Vec<AppClient>, Option<String>)> {
    ctx.pool(pool_id).await?;
    let mut clients = ctx.store.list_clients(pool_id, after, max + 1).await?;
    let next = if clients.len() > max {
        clients.truncate(max);
        clients.last().map(|c| c.client_id.clone())
    } else {
        None
    };
    Ok((clients, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(v: Option<i64>, u: Option<TimeUnit>, rules: &TokenRules) -> i64 {
        validity(v, u, rules).map(Validity::seconds).unwrap_or(-1)
    }

    #[test]
    fn values_without_units_are_hours_and_days() {
        assert_eq!(secs(Some(2), None, &SHORT_LIVED), 7200);
        assert_eq!(secs(Some(24), None, &SHORT_LIVED), 86_400);
        assert_eq!(secs(Some(25), None, &SHORT_LIVED), -1);
        assert_eq!(secs(Some(5), None, &REFRESH), 5 * 86_400);
    }

    #[test]
    fn defaults_are_one_hour_and_thirty_days_in_the_requested_unit() {
        assert_eq!(
            validity(None, None, &SHORT_LIVED).ok(),
            Some(Validity {
                value: 1,
                unit: TimeUnit::Hours
            })
        );
        assert_eq!(
            validity(None, Some(TimeUnit::Minutes), &SHORT_LIVED).ok(),
            Some(Validity {
                value: 60,
                unit: TimeUnit::Minutes
            })
        );
        assert_eq!(secs(None, Some(TimeUnit::Days), &SHORT_LIVED), 3600);
        // 0 is "the default" for refresh tokens
        assert_eq!(
            validity(Some(0), Some(TimeUnit::Hours), &REFRESH).ok(),
            Some(Validity {
                value: 720,
                unit: TimeUnit::Hours
            })
        );
    }

    #[test]
    fn ranges_are_five_minutes_to_a_day_and_an_hour_to_ten_years() {
        assert_eq!(secs(Some(299), Some(TimeUnit::Seconds), &SHORT_LIVED), -1);
        assert_eq!(secs(Some(300), Some(TimeUnit::Seconds), &SHORT_LIVED), 300);
        assert_eq!(secs(Some(59), Some(TimeUnit::Minutes), &REFRESH), -1);
        assert_eq!(secs(Some(3650), None, &REFRESH), 3650 * 86_400);
        assert_eq!(secs(Some(3651), None, &REFRESH), -1);
    }
}
