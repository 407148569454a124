//! Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
//! AdminRespondToAuthChallenge.
//!
//! ```text
//! initiate_auth ─┬─ USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH ─► password check ─┐
//!                ├─ USER_SRP_AUTH ─► PASSWORD_VERIFIER (srp) ────────────────────────┤
//!                └─ REFRESH_TOKEN_AUTH ─► tokens                                     │
//!                                                                                    ▼
//!   flow::password_accepted ─► NEW_PASSWORD_REQUIRED? ─► MFA step (mfa::next_step) ─► tokens
//!                                                         SOFTWARE_TOKEN_MFA / SELECT_MFA_TYPE /
//!                                                         MFA_SETUP (challenges)
//! ```

pub mod challenges;
pub mod flow;
pub mod initiate_auth;
pub mod respond_to_auth_challenge;
pub mod srp;
