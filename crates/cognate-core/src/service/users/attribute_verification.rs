//! Verification codes for a changed email or phone number (UpdateUserAttributes,
//! AdminUpdateUserAttributes): one per changed attribute the pool verifies automatically
//! (`AutoVerifiedAttributes`), unless the same call marks it verified. The codes are stored in
//! the write that changes the attributes and sent after it; when a send fails, every code of
//! the call is withdrawn and the call answers CodeDeliveryFailureException.

use std::collections::BTreeMap;

use crate::clock::Timestamp;
use crate::model::{CodePurpose, MessageKind, PendingCode, User, UserPool};
use crate::service::common::codes::{self, Channel, CodeDeliveryDetails};
use crate::service::Ctx;
use crate::Result;

/// A code stored for one attribute, to be sent.
#[derive(Debug, Clone)]
pub struct PlannedCode {
    channel: Channel,
    purpose: CodePurpose,
    code: String,
    pending: PendingCode,
}

/// Inside the write: after the attributes were applied to `user` (`before` being its
/// attributes until then), stores a code for each email/phone number that needs one.
pub fn plan(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    before: &BTreeMap<String, String>,
    user: &mut User,
    now: Timestamp,
) -> Result<Vec<PlannedCode>> {
    let mut planned = Vec::new();
    for attr in ["email", "phone_number"] {
        let changed = before.get(attr) != user.attributes.get(attr);
        let auto = pool.auto_verified_attributes.iter().any(|a| a == attr);
        let verified = user.attr(&format!("{attr}_verified")) == Some("true");
        if !changed || !auto || verified {
            continue;
        }
        let (Some(channel), Some(purpose)) = (Channel::of(user, attr), CodePurpose::verify(attr))
        else {
            continue;
        };
        let (code, pending) = codes::issue_code(ctx, codes::CONFIRM_SIGN_UP_VALIDITY_SECS);
        codes::store_code(user, purpose, pending.clone(), now)?;
        planned.push(PlannedCode {
            channel,
            purpose,
            code,
            pending,
        });
    }
    Ok(planned)
}

/// Sends the planned codes; on a failure withdraws them all and returns the failure.
pub async fn send(
    ctx: &Ctx<'_>,
    pool: &UserPool,
    user: &User,
    planned: Vec<PlannedCode>,
) -> Result<Vec<CodeDeliveryDetails>> {
    let mut details = Vec::new();
    for p in &planned {
        let kind = MessageKind::VerifyUserAttribute;
        match codes::deliver(ctx, pool, user, kind, &p.channel, &p.code).await {
            Ok(d) => details.push(d),
            Err(e) => {
                for p in &planned {
                    codes::withdraw_code(ctx, pool, &user.username, p.purpose, &p.pending).await?;
                }
                return Err(e);
            }
        }
    }
    Ok(details)
}
