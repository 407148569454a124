//! Where messages go. E-mail goes to an SMTP server (`--smtp-url`), SMS to a webhook
//! (`--sms-webhook-url`); a medium with no channel configured goes to the outbox file
//! (`<data-dir>/outbox.jsonl`), for development and tests. The outbox holds codes in clear, so
//! it never keeps a copy of what a real channel sent. Sends are retried on transient failures
//! (`retry`); a failure that remains is CodeDeliveryFailureException for the caller.

pub mod outbox;
pub mod retry;
pub mod routing;
pub mod secrets;
pub mod sms_hook;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use cognate_core::delivery::CodeDelivery;

use outbox::OutboxDelivery;
use retry::Retrying;
use routing::RoutingDelivery;
use sms_hook::SmsHookDelivery;
use smtp::SmtpDelivery;

/// Cognito's sender when a pool sets no `EmailConfiguration.From`.
pub const DEFAULT_EMAIL_FROM: &str = "no-reply@verificationemail.com";

#[derive(Debug, Clone, clap::Args)]
pub struct DeliveryArgs {
    /// SMTP server for e-mail: `smtp://host:port` (plain; `?tls=required` for STARTTLS,
    /// `?tls=opportunistic` to use it when offered) or `smtps://host:port` (TLS from the start).
    /// Unset: e-mail goes to the outbox file. Credentials never go in the URL.
    #[arg(long, env = "COGNATE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// SMTP user name (the password comes from --smtp-password-file or COGNATE_SMTP_PASSWORD).
    #[arg(long, env = "COGNATE_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// File holding the SMTP password (its first line).
    #[arg(long, env = "COGNATE_SMTP_PASSWORD_FILE")]
    pub smtp_password_file: Option<PathBuf>,
    /// Sender of e-mail for pools whose EmailConfiguration sets no `From`.
    #[arg(long, env = "COGNATE_EMAIL_FROM", default_value = DEFAULT_EMAIL_FROM)]
    pub email_from: String,
    /// URL receiving each SMS as a signed JSON POST (see README, "Message delivery").
    /// Unset: SMS go to the outbox file.
    #[arg(long, env = "COGNATE_SMS_WEBHOOK_URL")]
    pub sms_webhook_url: Option<String>,
    /// File holding the secret the webhook requests are signed with (HMAC-SHA256); or
    /// COGNATE_SMS_WEBHOOK_SECRET.
    #[arg(long, env = "COGNATE_SMS_WEBHOOK_SECRET_FILE")]
    pub sms_webhook_secret_file: Option<PathBuf>,
    /// Seconds one delivery attempt may take (SMTP or webhook); no retry starts after as long
    /// since the first attempt, so a call waits at most about twice this.
    #[arg(long, env = "COGNATE_DELIVERY_TIMEOUT", default_value = "10", value_parser = crate::config::seconds)]
    pub delivery_timeout: Duration,
    /// Attempts per message on transient failures (connection refused, timeouts, SMTP 4xx,
    /// HTTP 5xx and 429), with a short backoff between them, within --delivery-timeout.
    #[arg(long, env = "COGNATE_DELIVERY_ATTEMPTS", default_value = "3",
          value_parser = clap::value_parser!(u32).range(1..=10))]
    pub delivery_attempts: u32,
}

impl Default for DeliveryArgs {
    fn default() -> Self {
        Self {
            smtp_url: None,
            smtp_username: None,
            smtp_password_file: None,
            email_from: DEFAULT_EMAIL_FROM.into(),
            sms_webhook_url: None,
            sms_webhook_secret_file: None,
            delivery_timeout: Duration::from_secs(10),
            delivery_attempts: 3,
        }
    }
}

impl DeliveryArgs {
    /// The delivery the server uses, logging which channel each medium goes to.
    pub fn build(
        &self,
        data_dir: &Path,
        now: Arc<dyn Fn() -> f64 + Send + Sync>,
    ) -> anyhow::Result<Arc<dyn CodeDelivery>> {
        let outbox_path = data_dir.join("outbox.jsonl");
        let outbox: Arc<dyn CodeDelivery> =
            Arc::new(OutboxDelivery::new(outbox_path.clone(), now.clone()));
        let email = match &self.smtp_url {
            Some(url) => {
                let password =
                    secrets::read("COGNATE_SMTP_PASSWORD", self.smtp_password_file.as_deref())
                        .context("reading the SMTP password")?;
                let credentials = match (&self.smtp_username, password) {
                    (Some(u), Some(p)) => Some((u.clone(), p)),
                    (None, None) => None,
                    (Some(_), None) => anyhow::bail!(
                        "--smtp-username needs a password (--smtp-password-file or COGNATE_SMTP_PASSWORD)"
                    ),
                    (None, Some(_)) => anyhow::bail!("an SMTP password needs --smtp-username"),
                };
                let smtp =
                    SmtpDelivery::new(url, credentials, &self.email_from, self.delivery_timeout)?;
                tracing::info!(channel = %smtp.describe(), "e-mail messages go to SMTP");
                Arc::new(Retrying::new(
                    smtp,
                    self.delivery_attempts,
                    self.delivery_timeout,
                )) as Arc<dyn CodeDelivery>
            }
            None => {
                tracing::info!(outbox = %outbox_path.display(), "e-mail messages go to the outbox file (no --smtp-url)");
                outbox.clone()
            }
        };
        let sms = match &self.sms_webhook_url {
            Some(url) => {
                let secret = secrets::read(
                    "COGNATE_SMS_WEBHOOK_SECRET",
                    self.sms_webhook_secret_file.as_deref(),
                )
                .context("reading the SMS webhook secret")?
                .context("--sms-webhook-url needs a secret: --sms-webhook-secret-file or COGNATE_SMS_WEBHOOK_SECRET")?;
                let hook = SmsHookDelivery::new(url, secret, self.delivery_timeout, now.clone())?;
                tracing::info!(url = %hook.describe(), "SMS messages go to the webhook");
                Arc::new(Retrying::new(
                    hook,
                    self.delivery_attempts,
                    self.delivery_timeout,
                )) as Arc<dyn CodeDelivery>
            }
            None => {
                tracing::info!(outbox = %outbox_path.display(), "SMS messages go to the outbox file (no --sms-webhook-url)");
                outbox
            }
        };
        Ok(Arc::new(RoutingDelivery::new(email, sms)))
    }
}
