//! Code delivery (confirmation codes, password-reset codes, invitations) goes through one trait.
//! The default implementation (in the server) appends to an outbox file; real email comes later.

use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub pool_id: String,
    pub username: String,
    /// The operation that caused it: `SignUp`, `ForgotPassword`, `AdminCreateUser`, ...
    pub kind: &'static str,
    /// `EMAIL` or `SMS`.
    pub medium: &'static str,
    pub destination: String,
    /// The code or temporary password the message carries.
    pub code: String,
    pub message: String,
}

#[async_trait]
pub trait CodeDelivery: Send + Sync {
    /// Returns once the message is durably handed over.
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), String>;
}
