//! Fixtures for the service unit tests: one pool and one user builder.

use std::collections::BTreeMap;

use crate::clock::Timestamp;
use crate::model::{
    Lockout, MfaConfiguration, MfaFactor, PasswordPolicy, SoftwareToken, User, UserCodes, UserKeys,
    UserPool, UserStatus,
};
use crate::service::common::standard_schema::default_schema;

/// A pool with the default schema and no username/alias attributes.
pub fn pool(case_sensitive: bool) -> UserPool {
    UserPool {
        id: "us-east-1_test".into(),
        name: "t".into(),
        region: "us-east-1".into(),
        created: Timestamp(0),
        modified: Timestamp(0),
        password_policy: PasswordPolicy::default(),
        mfa_configuration: MfaConfiguration::Off,
        username_attributes: vec![],
        alias_attributes: vec![],
        auto_verified_attributes: vec![],
        case_sensitive,
        case_sensitivity_given: false,
        allow_admin_create_user_only: false,
        deletion_protection: false,
        schema: default_schema(),
        mfa_factors: Default::default(),
        account_recovery: None,
        message_templates: Default::default(),
        settings: Default::default(),
    }
}

/// A confirmed, enabled user `u` with the given attributes.
pub fn user(attrs: &[(&str, &str)]) -> User {
    User {
        pool_id: "p".into(),
        username: "u".into(),
        sub: "s".into(),
        attributes: attrs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        status: UserStatus::Confirmed,
        enabled: true,
        created: Timestamp(0),
        modified: Timestamp(0),
        password: None,
        password_history: vec![],
        codes: UserCodes::default(),
        code_attempts: Default::default(),
        lockout: Lockout::default(),
        tokens_valid_after: Timestamp(0),
        keys: UserKeys::default(),
        mfa: Default::default(),
        versions: Default::default(),
    }
}

/// A pool with the given MFA mode, offering software tokens or not.
pub fn mfa_pool(mode: MfaConfiguration, totp: bool) -> UserPool {
    let mut p = pool(true);
    p.mfa_configuration = mode;
    p.mfa_factors.software_token = totp;
    p
}

/// A user with (or without) a verified software token and the given MFA settings.
pub fn mfa_user(token: bool, enabled: &[MfaFactor], preferred: Option<MfaFactor>) -> User {
    let mut u = user(&[]);
    if token {
        u.mfa.software_token = Some(SoftwareToken {
            sealed_secret: vec![1],
            friendly_device_name: None,
            verified_at: Timestamp(0),
        });
    }
    u.mfa.enabled = enabled.to_vec();
    u.mfa.preferred = preferred;
    u
}
