//! E-mail over SMTP with lettre: `smtp://host:port` (plain, or STARTTLS with `?tls=required` /
//! `?tls=opportunistic`), `smtps://host:port` (TLS from the start, rustls with the system's
//! root certificates). One connection per message. The sender is the pool's
//! `EmailConfiguration.From`, else `--email-from`; `ReplyToEmailAddress` becomes `Reply-To`. A
//! message with an HTML part is sent as multipart/alternative (text and HTML).

use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use cognate_core::delivery::OutgoingMessage;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::retry::{Attempt, SendError};

pub struct SmtpDelivery {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    url: String,
    timeout: Duration,
}

/// The URL's scheme must be smtp or smtps, and it must carry no user or password.
fn check_url(url: &str) -> anyhow::Result<()> {
    let rest = url
        .strip_prefix("smtp://")
        .or_else(|| url.strip_prefix("smtps://"))
        .context("--smtp-url must start with smtp:// or smtps://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    anyhow::ensure!(
        !authority.contains('@'),
        "--smtp-url must not carry credentials: use --smtp-username with --smtp-password-file or COGNATE_SMTP_PASSWORD"
    );
    anyhow::ensure!(!authority.is_empty(), "--smtp-url has no host");
    Ok(())
}

impl SmtpDelivery {
    pub fn new(
        url: &str,
        credentials: Option<(String, String)>,
        from: &str,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        check_url(url)?;
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("--email-from {from:?} is not an e-mail address"))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("reading --smtp-url")?
            .timeout(Some(timeout));
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            url: url.to_owned(),
            timeout,
        })
    }

    /// For the start-up log: the URL (it never holds credentials).
    pub fn describe(&self) -> String {
        self.url.clone()
    }

    /// The e-mail for a message.
    pub fn build(&self, m: &OutgoingMessage) -> Result<Message, SendError> {
        let parse = |what: &str, v: &str| {
            v.parse::<Mailbox>()
                .map_err(|e| SendError::permanent(format!("{what} is not an e-mail address: {e}")))
        };
        let from = match &m.from {
            Some(f) => parse("the pool's From", f)?,
            None => self.from.clone(),
        };
        let mut builder = Message::builder()
            .from(from)
            .to(parse("the destination", &m.destination)?)
            .subject(m.subject.clone().unwrap_or_default());
        if let Some(r) = &m.reply_to {
            builder = builder.reply_to(parse("the pool's ReplyToEmailAddress", r)?);
        }
        let built = match &m.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                m.message.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(m.message.clone()),
        };
        built.map_err(|e| SendError::permanent(format!("building the e-mail: {e}")))
    }
}

#[async_trait]
impl Attempt for SmtpDelivery {
    fn channel(&self) -> &'static str {
        "smtp"
    }

    async fn attempt(&self, m: &OutgoingMessage) -> Result<(), SendError> {
        let email = self.build(m)?;
        // lettre's own timeout covers connecting; this one the whole conversation.
        let sent = tokio::time::timeout(self.timeout, self.transport.send(email)).await;
        let Ok(sent) = sent else {
            return Err(SendError::transient(
                "the SMTP server did not answer in time",
            ));
        };
        match sent {
            Ok(_) => Ok(()),
            // 5xx (mailbox unknown, relay refused) will not change on a retry; 4xx, timeouts and
            // connection failures may.
            Err(e) if e.is_permanent() => Err(SendError::permanent(e.to_string())),
            Err(e) => Err(SendError::transient(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognate_core::model::{DeliveryMedium, MessageKind};

    fn message() -> OutgoingMessage {
        OutgoingMessage {
            pool_id: "p".into(),
            username: "u".into(),
            user_sub: "s".into(),
            kind: MessageKind::SignUp,
            medium: DeliveryMedium::Email,
            destination: "bob@example.com".into(),
            message: "Your code is 123456.".into(),
            subject: Some("Your code".into()),
            html: None,
            from: None,
            reply_to: None,
            sms_configuration: Default::default(),
        }
    }

    fn smtp() -> anyhow::Result<SmtpDelivery> {
        SmtpDelivery::new(
            "smtp://127.0.0.1:2525",
            None,
            "Cognate <no-reply@example.com>",
            Duration::from_secs(1),
        )
    }

    #[test]
    fn urls_never_carry_credentials() {
        assert!(check_url("smtp://mail:587?tls=required").is_ok());
        assert!(check_url("smtps://mail:465").is_ok());
        assert!(check_url("smtp://user:pw@mail:587").is_err());
        assert!(check_url("http://mail").is_err());
        assert!(check_url("smtp://").is_err());
    }

    #[test]
    fn builds_plain_and_alternative_messages() -> anyhow::Result<()> {
        let s = smtp()?;
        let text = String::from_utf8(
            s.build(&message())
                .map_err(|e| anyhow::anyhow!(e.detail))?
                .formatted(),
        )?;
        assert!(
            text.contains("From: Cognate <no-reply@example.com>"),
            "{text}"
        );
        assert!(text.contains("To: bob@example.com"));
        assert!(text.contains("Subject: Your code"));
        assert!(text.contains("Your code is 123456."));
        assert!(!text.contains("multipart"));
        let mut m = message();
        m.html = Some("<p>Your code is 123456.</p>".into());
        m.from = Some("pool@example.org".into());
        m.reply_to = Some("help@example.org".into());
        let text = String::from_utf8(
            s.build(&m)
                .map_err(|e| anyhow::anyhow!(e.detail))?
                .formatted(),
        )?;
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("From: pool@example.org"));
        assert!(text.contains("Reply-To: help@example.org"));
        m.destination = "not an address".into();
        assert_eq!(s.build(&m).err().map(|e| e.transient), Some(false));
        Ok(())
    }
}
