//! Fixtures for the service unit tests.

use crate::clock::Timestamp;
use crate::model::{MfaConfiguration, PasswordPolicy, UserPool};
use crate::service::attributes::default_schema;

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
        allow_admin_create_user_only: false,
        deletion_protection: false,
        schema: default_schema(vec![]),
        mfa_factors: Default::default(),
        settings: Default::default(),
    }
}
