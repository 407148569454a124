//! Code delivery (confirmation codes, password-reset codes, invitations) goes through one trait.
//! The server routes each message by its medium: e-mail to SMTP, SMS to a webhook, and the
//! outbox file when no channel is configured for it.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::model::{DeliveryMedium, MessageKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub pool_id: String,
    pub username: String,
    /// The user's `sub` (the SMS hook passes it on).
    pub user_sub: String,
    /// The operation that caused it.
    pub kind: MessageKind,
    pub medium: DeliveryMedium,
    pub destination: String,
    /// The text, carrying the code or temporary password (the plain-text part of an e-mail).
    pub message: String,
    /// E-mail only: the subject.
    pub subject: Option<String>,
    /// E-mail only: the HTML part, when the pool's template is HTML.
    pub html: Option<String>,
    /// E-mail only: the pool's `EmailConfiguration.From` and `ReplyToEmailAddress`.
    pub from: Option<String>,
    pub reply_to: Option<String>,
    /// SMS only: the pool's `SmsConfiguration` (`SnsCallerArn`, `ExternalId`, `SnsRegion`), for
    /// the operator's forwarder.
    pub sms_configuration: BTreeMap<String, String>,
}

#[async_trait]
pub trait CodeDelivery: Send + Sync {
    /// Returns once the message is durably handed over. An error means it was not: the
    /// operation fails with CodeDeliveryFailureException. The error text is logged, so it
    /// never carries the message.
    async fn deliver(&self, message: &OutgoingMessage) -> Result<(), String>;
}
