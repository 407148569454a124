//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use crate::model::{AppClient, ExplicitAuthFlow, TimeUnit, Validity};
use crate::random::RandomExt;
use crate::service::Ctx;
use crate::store::StoreError;
use crate::{CognitoError, Result};

/// Settings of an app client as given (UpdateUserPoolClient replaces them all).
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
    pub prevent_user_existence_errors: bool,
    pub enable_token_revocation: Option<bool>,
    pub read_attributes: Vec<String>,
    pub write_attributes: Vec<String>,
    pub settings: serde_json::Map<String, serde_json::Value>,
}

fn apply(client: &mut AppClient, config: ClientConfig) -> Result<()> {
    let flows = config.explicit_auth_flows.unwrap_or_else(|| {
        vec![
            ExplicitAuthFlow::AllowUserSrpAuth,
            ExplicitAuthFlow::AllowRefreshTokenAuth,
            ExplicitAuthFlow::AllowCustomAuth,
        ]
    });
    let legacy = flows.iter().filter(|f| f.is_legacy()).count();
    if legacy > 0 && legacy < flows.len() {
        return Err(CognitoError::invalid_parameter(
            "Invalid combination of explicit auth flows: ALLOW_ values cannot be mixed with legacy values.",
        ));
    }
    let validity = |v: Option<i64>,
                    unit: Option<TimeUnit>,
                    default: Validity,
                    (min_s, max_s): (i64, i64),
                    what: &str|
     -> Result<Validity> {
        let value = match v {
            // Omitted (or 0 for refresh tokens): the default, in the requested unit when it divides.
            None | Some(0) => {
                return Ok(match unit {
                    Some(u) if default.seconds() % u.seconds(1) == 0 => Validity {
                        value: default.seconds() / u.seconds(1),
                        unit: u,
                    },
                    _ => default,
                })
            }
            Some(v) => v,
        };
        let unit = unit.unwrap_or(default.unit);
        let secs = unit.seconds(value);
        if secs < min_s || secs > max_s {
            return Err(CognitoError::invalid_parameter(format!(
                "Invalid range for token validity. {what} validity must be between {} and {}.",
                human(min_s),
                human(max_s)
            )));
        }
        Ok(Validity { value, unit })
    };
    let hour = Validity {
        value: 60,
        unit: TimeUnit::Minutes,
    };
    let month = Validity {
        value: 30,
        unit: TimeUnit::Days,
    };
    client.access_token_validity = validity(
        config.access_token_validity,
        config.access_token_unit,
        hour,
        (300, 86_400),
        "Access token",
    )?;
    client.id_token_validity = validity(
        config.id_token_validity,
        config.id_token_unit,
        hour,
        (300, 86_400),
        "ID token",
    )?;
    client.refresh_token_validity = validity(
        config.refresh_token_validity,
        config.refresh_token_unit,
        month,
        (3_600, 315_360_000),
        "Refresh token",
    )?;
    if client.refresh_token_validity.seconds() <= client.access_token_validity.seconds()
        || client.refresh_token_validity.seconds() <= client.id_token_validity.seconds()
    {
        return Err(CognitoError::invalid_parameter(
            "Refresh token validity must be greater than access and ID token validity.",
        ));
    }
    let session = config.auth_session_validity.unwrap_or(3);
    if !(3..=15).contains(&session) {
        return Err(CognitoError::invalid_parameter(
            "AuthSessionValidity must be between 3 and 15 minutes.",
        ));
    }
    client.name = config.name;
    client.explicit_auth_flows = flows;
    client.auth_session_validity = session;
    client.prevent_user_existence_errors = config.prevent_user_existence_errors;
    client.enable_token_revocation = config.enable_token_revocation.unwrap_or(true);
    client.read_attributes = config.read_attributes;
    client.write_attributes = config.write_attributes;
    client.settings = config.settings;
    Ok(())
}

fn human(secs: i64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{} days", s / 86_400),
        s if s % 3600 == 0 => format!("{} hours", s / 3600),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
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
    let mut client = AppClient {
        pool_id: pool_id.to_owned(),
        client_id: ctx.random.lower_alnum(26),
        name: String::new(),
        secret,
        created: ctx.now,
        modified: ctx.now,
        explicit_auth_flows: vec![],
        access_token_validity: Validity {
            value: 60,
            unit: TimeUnit::Minutes,
        },
        id_token_validity: Validity {
            value: 60,
            unit: TimeUnit::Minutes,
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
