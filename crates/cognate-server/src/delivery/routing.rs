//! Picks the channel by the message's medium: e-mail to one delivery, SMS to the other (each an
//! SMTP or webhook channel when configured, else the outbox file).

use std::sync::Arc;

use async_trait::async_trait;
use cognate_core::delivery::{CodeDelivery, OutgoingMessage};
use cognate_core::model::DeliveryMedium;

pub struct RoutingDelivery {
    email: Arc<dyn CodeDelivery>,
    sms: Arc<dyn CodeDelivery>,
}

impl RoutingDelivery {
    pub fn new(email: Arc<dyn CodeDelivery>, sms: Arc<dyn CodeDelivery>) -> Self {
        Self { email, sms }
    }
}

#[async_trait]
impl CodeDelivery for RoutingDelivery {
    async fn deliver(&self, m: &OutgoingMessage) -> Result<(), String> {
        match m.medium {
            DeliveryMedium::Email => self.email.deliver(m).await,
            DeliveryMedium::Sms => self.sms.deliver(m).await,
        }
    }
}
