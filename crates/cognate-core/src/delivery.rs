//! Code delivery (confirmation codes, password-reset codes, invitations) goes through one trait.
//! The server's implementation appends to an outbox file.

use async_trait::async_trait;

use crate::model::{DeliveryMedium, MessageKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub pool_id: String,
    pub username: String,
    /// The operation that caused it.
    pub kind: MessageKind,
    pub medium: DeliveryMedium,
    pub destination: String,
    /// The text, carrying the code or temporary password.
    pub message: String,
}

#[async_trait]
pub trait CodeDelivery: Send + Sync {
    /// Returns once the message is durably handed over.
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), String>;
}
