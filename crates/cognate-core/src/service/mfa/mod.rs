//! Multi-factor authentication: the pool's configuration (SetUserPoolMfaConfig), software
//! tokens (AssociateSoftwareToken, VerifySoftwareToken, the sign-in code check), the user's
//! preferences and factors, and which MFA step follows a first factor.

pub mod mfa_codes;
pub mod mfa_config;
pub mod mfa_preferences;
pub mod next_step;
pub mod software_token;
