//! The known data one request is built around: a pool and a client, user and group of it,
//! or tokens, a challenge session or a delivered code (which bring their pool along), plus
//! another pool's ids now and then to mix pools up.

use crate::rng::Rng;
use crate::state::{Client, Code, Known, Pool, Session, Tokens, User};

#[derive(Default, Clone, Debug)]
pub struct Context {
    pub pool: Option<Pool>,
    pub client: Option<Client>,
    pub user: Option<User>,
    pub group: Option<String>,
    pub tokens: Option<Tokens>,
    pub session: Option<Session>,
    pub code: Option<Code>,
    pub pagination: Option<String>,
    /// A different pool, for ids that deliberately do not belong together.
    pub other: Option<Pool>,
}

/// What an operation can break, so that the context mostly offers it something the setup
/// did not make (the setup's pools, clients and users are healed, but only now and then).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Protect {
    Nothing,
    User,
    Client,
    Pool,
}

/// Percent of requests for a breaking operation that still get the setup's data.
const UNPROTECTED_PERCENT: u32 = 10;

/// What the operation's input suggests the request should be anchored on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Pool,
    Tokens,
    Session,
    Code,
}

impl Context {
    pub fn pool_id(&self) -> Option<&str> {
        self.pool.as_ref().map(|p| p.id.as_str())
    }

    pub fn build(known: &Known, op: &str, anchor: Anchor, protect: Protect, rng: &mut Rng) -> Self {
        let kinds = code_kinds(op);
        let mut ctx = Context::default();
        let guard = protect != Protect::Nothing && !rng.percent(UNPROTECTED_PERCENT);
        match anchor {
            Anchor::Tokens => {
                let t = if guard && protect == Protect::User {
                    let expendable: Vec<&Tokens> = known
                        .tokens
                        .iter()
                        .filter(|t| !known.is_core_user(&t.pool, t.username.as_deref()))
                        .collect();
                    rng.pick(&expendable).map(|t| (*t).clone())
                } else {
                    pick_ring(&known.tokens, rng).cloned()
                };
                if let Some(t) = t {
                    ctx.pool = known.pool(&t.pool).cloned();
                    ctx.client = find_client(&ctx.pool, &t.client);
                    ctx.user = find_user(&ctx.pool, t.username.as_deref());
                    ctx.tokens = Some(t);
                }
            }
            Anchor::Session => {
                if let Some(s) = pick_ring(&known.sessions, rng).cloned() {
                    ctx.pool = known.pool(&s.pool).cloned();
                    ctx.client = find_client(&ctx.pool, &s.client);
                    ctx.user = find_user(&ctx.pool, s.username.as_deref());
                    ctx.session = Some(s);
                }
            }
            Anchor::Code => {
                let fitting: Vec<&Code> = known
                    .codes
                    .iter()
                    .filter(|c| kinds.contains(&c.kind.as_str()))
                    .collect();
                if let Some(c) = rng.pick(&fitting).map(|c| (*c).clone()) {
                    ctx.pool = known.pool(&c.pool).cloned();
                    ctx.user = find_user(&ctx.pool, Some(&c.username));
                    ctx.code = Some(c);
                }
            }
            Anchor::Pool => {}
        }
        if ctx.pool.is_none() {
            ctx.pool = if guard && protect == Protect::Pool {
                let scratch: Vec<&Pool> = known.pools.iter().filter(|p| !p.core).collect();
                rng.pick(&scratch).map(|p| (*p).clone())
            } else {
                known.pick_pool(rng).cloned()
            };
        }
        if let Some(p) = &ctx.pool {
            if ctx.client.is_none() {
                ctx.client = if guard && protect == Protect::Client {
                    let scratch: Vec<&Client> = p.clients.iter().filter(|c| !c.core).collect();
                    rng.pick(&scratch).map(|c| (*c).clone())
                } else {
                    rng.pick(&p.clients).cloned()
                };
            }
            if ctx.user.is_none() {
                ctx.user = if guard && protect == Protect::User {
                    let scratch: Vec<&User> = p.users.iter().filter(|u| !u.core).collect();
                    rng.pick(&scratch).map(|u| (*u).clone())
                } else {
                    rng.pick(&p.users).cloned()
                };
            }
            ctx.group = rng.pick(&p.groups).cloned();
        }
        if ctx.tokens.is_none() && !guard && rng.percent(30) {
            // Tokens of the same user if there are any, else whatever.
            let same: Vec<&Tokens> = known
                .tokens
                .iter()
                .filter(|t| {
                    Some(t.pool.as_str()) == ctx.pool_id()
                        && t.username.as_deref() == ctx.user.as_ref().map(|u| u.name.as_str())
                })
                .collect();
            ctx.tokens = rng.pick(&same).map(|t| (*t).clone());
        }
        if ctx.session.is_none() && rng.percent(20) {
            ctx.session = pick_ring(&known.sessions, rng).cloned();
        }
        if ctx.code.is_none() && !kinds.is_empty() && rng.percent(85) {
            // A code sent to this user for this purpose, if there is one.
            let user = ctx.user.as_ref().map(|u| u.name.as_str());
            let mine: Vec<&Code> = known
                .codes
                .iter()
                .filter(|c| {
                    Some(c.pool.as_str()) == ctx.pool_id()
                        && Some(c.username.as_str()) == user
                        && kinds.contains(&c.kind.as_str())
                })
                .collect();
            ctx.code = rng.pick(&mine).map(|c| (*c).clone());
        }
        if ctx.code.is_none() && rng.percent(20) {
            ctx.code = pick_ring(&known.codes, rng).cloned();
        }
        ctx.pagination = pick_ring(&known.pagination, rng).cloned();
        ctx.other = rng.pick(&known.pools).cloned();
        ctx
    }
}

/// The outbox message kinds whose codes `op` takes.
fn code_kinds(op: &str) -> &'static [&'static str] {
    match op {
        "ConfirmSignUp" => &["SignUp", "ResendConfirmationCode"],
        "ConfirmForgotPassword" => &["ForgotPassword", "AdminResetUserPassword"],
        "VerifyUserAttribute" => &["VerifyUserAttribute"],
        _ => &[],
    }
}

fn find_client(pool: &Option<Pool>, id: &str) -> Option<Client> {
    pool.as_ref()?.clients.iter().find(|c| c.id == id).cloned()
}

fn find_user(pool: &Option<Pool>, name: Option<&str>) -> Option<User> {
    let name = name?;
    pool.as_ref()?
        .users
        .iter()
        .find(|u| u.name == name)
        .cloned()
}

fn pick_ring<'a, T>(ring: &'a std::collections::VecDeque<T>, rng: &mut Rng) -> Option<&'a T> {
    if ring.is_empty() {
        None
    } else {
        ring.get(rng.below(ring.len()))
    }
}
