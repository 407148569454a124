//! What the fuzzer knows about the server's data: the pools, clients, users and groups it
//! created, and tokens, sessions and codes it has seen. The generator draws ids from here;
//! the canary's ids are never added (every addition is checked against `hidden`).

use std::collections::{HashSet, VecDeque};

use serde_json::Value;

use crate::rng::Rng;

/// How many recent tokens, sessions and codes are kept.
const RING: usize = 64;
const MAX_POOLS: usize = 48;
const MAX_PER_POOL: usize = 64;

#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub secret: Option<String>,
    /// Made by the setup: operations that would break it mostly pick others.
    pub core: bool,
}

#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub password: String,
    pub email: Option<String>,
    /// Base32 TOTP secret, once associated.
    pub totp: Option<String>,
    /// Made by the setup: operations that would break it mostly pick others.
    pub core: bool,
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub id: String,
    /// Created by the setup (the generator rarely deletes these).
    pub core: bool,
    /// Usernames are email addresses (`UsernameAttributes: ["email"]`).
    pub email_usernames: bool,
    pub clients: Vec<Client>,
    pub users: Vec<User>,
    pub groups: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Tokens {
    pub pool: String,
    pub client: String,
    pub username: Option<String>,
    pub access: String,
    pub refresh: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub pool: String,
    pub client: String,
    pub username: Option<String>,
    pub challenge: String,
    pub session: String,
    pub params: Value,
}

#[derive(Clone, Debug)]
pub struct Code {
    pub pool: String,
    pub username: String,
    pub code: String,
    /// What sent it (`SignUp`, `ForgotPassword`, `VerifyUserAttribute`...).
    pub kind: String,
}

#[derive(Default)]
pub struct Known {
    pub pools: Vec<Pool>,
    pub tokens: VecDeque<Tokens>,
    pub sessions: VecDeque<Session>,
    pub codes: VecDeque<Code>,
    pub pagination: VecDeque<String>,
    /// Canary ids, names and tokens: never handed to the generator.
    hidden: HashSet<String>,
}

fn push_ring<T>(ring: &mut VecDeque<T>, item: T) {
    if ring.len() >= RING {
        ring.pop_front();
    }
    ring.push_back(item);
}

impl Known {
    pub fn hide(&mut self, value: &str) {
        self.hidden.insert(value.to_owned());
    }

    pub fn is_hidden(&self, value: &str) -> bool {
        self.hidden.contains(value)
    }

    pub fn pool_mut(&mut self, id: &str) -> Option<&mut Pool> {
        self.pools.iter_mut().find(|p| p.id == id)
    }

    pub fn pool(&self, id: &str) -> Option<&Pool> {
        self.pools.iter().find(|p| p.id == id)
    }

    pub fn add_pool(&mut self, id: &str, core: bool, email_usernames: bool) {
        if self.is_hidden(id) || self.pool(id).is_some() {
            return;
        }
        if self.pools.len() >= MAX_POOLS {
            // Forget a scratch pool; the core ones stay.
            if let Some(i) = self.pools.iter().rposition(|p| !p.core) {
                self.pools.remove(i);
            } else {
                return;
            }
        }
        self.pools.push(Pool {
            id: id.to_owned(),
            core,
            email_usernames,
            clients: vec![],
            users: vec![],
            groups: vec![],
        });
    }

    pub fn add_client(&mut self, pool: &str, client: Client) {
        if self.is_hidden(&client.id) {
            return;
        }
        if let Some(p) = self.pool_mut(pool) {
            if p.clients.len() < MAX_PER_POOL && !p.clients.iter().any(|c| c.id == client.id) {
                p.clients.push(client);
            }
        }
    }

    /// Adds a user, or updates its password if it is known.
    pub fn add_user(&mut self, pool: &str, user: User) {
        if let Some(p) = self.pool_mut(pool) {
            if let Some(u) = p.users.iter_mut().find(|u| u.name == user.name) {
                u.password = user.password;
                u.core |= user.core;
                if user.email.is_some() {
                    u.email = user.email;
                }
            } else if p.users.len() < MAX_PER_POOL {
                p.users.push(user);
            }
        }
    }

    pub fn set_password(&mut self, pool: &str, username: &str, password: &str) {
        if let Some(u) = self
            .pool_mut(pool)
            .and_then(|p| p.users.iter_mut().find(|u| u.name == username))
        {
            u.password = password.to_owned();
        }
    }

    pub fn set_totp(&mut self, pool: &str, username: &str, secret: &str) {
        if let Some(u) = self
            .pool_mut(pool)
            .and_then(|p| p.users.iter_mut().find(|u| u.name == username))
        {
            u.totp = Some(secret.to_owned());
        }
    }

    pub fn remove_pool(&mut self, id: &str) {
        self.pools.retain(|p| p.id != id);
    }

    pub fn add_group(&mut self, pool: &str, group: &str) {
        if let Some(p) = self.pool_mut(pool) {
            if p.groups.len() < MAX_PER_POOL && !p.groups.iter().any(|g| g == group) {
                p.groups.push(group.to_owned());
            }
        }
    }

    pub fn add_tokens(&mut self, t: Tokens) {
        if self.is_hidden(&t.access) || self.is_hidden(&t.client) || self.is_hidden(&t.pool) {
            return;
        }
        push_ring(&mut self.tokens, t);
    }

    pub fn add_session(&mut self, s: Session) {
        if self.is_hidden(&s.client) || self.is_hidden(&s.pool) {
            return;
        }
        push_ring(&mut self.sessions, s);
    }

    pub fn add_code(&mut self, c: Code) {
        if self.pool(&c.pool).is_some() {
            push_ring(&mut self.codes, c);
        }
    }

    pub fn add_pagination(&mut self, token: &str) {
        push_ring(&mut self.pagination, token.to_owned());
    }

    /// A pool: mostly one of the setup's, sometimes one created while fuzzing.
    pub fn pick_pool(&self, rng: &mut Rng) -> Option<&Pool> {
        let core: Vec<&Pool> = self.pools.iter().filter(|p| p.core).collect();
        if !core.is_empty() && rng.percent(80) {
            return rng.pick(&core).copied();
        }
        rng.pick(&self.pools)
    }
}

impl Known {
    /// Whether `username` is one of the setup's users of `pool`.
    pub fn is_core_user(&self, pool: &str, username: Option<&str>) -> bool {
        let Some(name) = username else {
            return false;
        };
        self.pool(pool)
            .is_some_and(|p| p.users.iter().any(|u| u.core && u.name == name))
    }

    /// The pool a known client belongs to.
    pub fn pool_of_client(&self, client_id: &str) -> Option<String> {
        self.pools
            .iter()
            .find(|p| p.clients.iter().any(|c| c.id == client_id))
            .map(|p| p.id.clone())
    }
}

impl Known {
    /// Merges what `other` learnt (pools, clients, users, groups, tokens, sessions).
    pub fn absorb(&mut self, other: Known) {
        for p in other.pools {
            self.add_pool(&p.id, p.core, p.email_usernames);
            for c in p.clients {
                self.add_client(&p.id, c);
            }
            for u in p.users {
                let totp = u.totp.clone();
                let name = u.name.clone();
                self.add_user(&p.id, u);
                if let Some(t) = totp {
                    self.set_totp(&p.id, &name, &t);
                }
            }
            for g in p.groups {
                self.add_group(&p.id, &g);
            }
        }
        for t in other.tokens {
            self.add_tokens(t);
        }
        for s in other.sessions {
            self.add_session(s);
        }
    }
}
