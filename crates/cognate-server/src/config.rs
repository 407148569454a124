//! Server configuration: flags, each also settable by a `COGNATE_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::credentials::AccessKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IssuerStyle {
    /// `<public-url>/<poolId>`: what pycognito and cognito-local expect.
    Public,
    /// `https://cognito-idp.<region>.amazonaws.com/<poolId>`: for aws-jwt-verify's CognitoJwtVerifier.
    Aws,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PasswordHashProfile {
    Production,
    Test,
}

impl PasswordHashProfile {
    pub fn profile(self) -> cognate_core::crypto::password::HashProfile {
        use cognate_core::crypto::password::HashProfile;
        match self {
            Self::Production => HashProfile::PRODUCTION,
            Self::Test => HashProfile::TEST,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "COGNATE_LISTEN", default_value = "127.0.0.1:9229")]
    pub listen: SocketAddr,
    /// Folder for the database, the master key file and the outbox.
    #[arg(long, env = "COGNATE_DATA_DIR", default_value = "./cognate-data")]
    pub data_dir: PathBuf,
    /// Base URL clients use to reach this server; token issuers and JWKS URLs derive from it.
    /// Defaults to http://<listen address>.
    #[arg(long, env = "COGNATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Region used in pool ids and ARNs.
    #[arg(long, env = "COGNATE_REGION", default_value = "us-east-1")]
    pub region: String,
    /// Which `iss` tokens carry.
    #[arg(
        long,
        env = "COGNATE_ISSUER_STYLE",
        value_enum,
        default_value = "public"
    )]
    pub issuer_style: IssuerStyle,
    /// Master key (base64 of 32 bytes) sealing secrets at rest. If unset, `<data-dir>/master.key`
    /// is used, created with mode 0600 on first start.
    #[arg(long, env = "COGNATE_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<String>,
    /// Use a settable clock (`POST /_cognate/clock`), for tests only.
    #[arg(long, env = "COGNATE_TEST_CLOCK")]
    pub test_clock: bool,
    /// AWS shared-credentials file (`[name]` sections with `aws_access_key_id` and
    /// `aws_secret_access_key`): the keys signed operations are verified against. Reloaded when
    /// it changes.
    #[arg(long, env = "COGNATE_CREDENTIALS_FILE")]
    pub credentials_file: Option<PathBuf>,
    /// Extra `host[:port]` values the `Host` header may carry (comma-separated); a host without a
    /// port matches any port.
    #[arg(long, env = "COGNATE_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// One access key, from `COGNATE_ACCESS_KEY_ID` and `COGNATE_SECRET_ACCESS_KEY` (environment
    /// only, never a flag: see [`ServeConfig::with_env_access_key`]).
    #[arg(skip)]
    pub access_key: Option<AccessKey>,
    /// Threads for CPU-heavy work (password hashing, SRP, key generation). Defaults to the
    /// number of cores.
    #[arg(long, env = "COGNATE_CPU_WORKERS", value_parser = clap::value_parser!(u16).range(1..))]
    pub cpu_workers: Option<u16>,
    /// CPU-heavy jobs that may wait for a worker; beyond them a request is refused at once with
    /// TooManyRequestsException. Defaults to 4 per worker with the production password-hash
    /// profile, 64 per worker with the test profile (its jobs are about 500 times cheaper).
    #[arg(
        long,
        env = "COGNATE_CPU_QUEUE",
        value_parser = clap::value_parser!(u32).range(0..=1_000_000)
    )]
    pub cpu_queue: Option<u32>,
    /// Most connections open at once; further ones wait in the listen backlog.
    #[arg(
        long,
        env = "COGNATE_MAX_CONNECTIONS",
        default_value = "1024",
        value_parser = clap::value_parser!(u32).range(1..=1_000_000)
    )]
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers; also how long an idle keep-alive
    /// connection stays open.
    #[arg(long, env = "COGNATE_HEADER_TIMEOUT", default_value = "10", value_parser = seconds)]
    pub header_timeout: Duration,
    /// Seconds a client has to send a request's body once its headers are in.
    #[arg(long, env = "COGNATE_BODY_TIMEOUT", default_value = "30", value_parser = seconds)]
    pub body_timeout: Duration,
    /// The argon2id cost of new password hashes: `production` (OWASP's minimum: 19 MiB, 2
    /// passes) or `test` (the smallest cost argon2id allows; for development and test suites,
    /// never for real users). Existing hashes keep their cost and are upgraded at the next
    /// successful sign-in.
    #[arg(
        long,
        env = "COGNATE_PASSWORD_HASH_PROFILE",
        value_enum,
        default_value = "production"
    )]
    pub password_hash_profile: PasswordHashProfile,
    /// The database: SQLite in the data dir, or PostgreSQL (`--database-url`).
    #[command(flatten)]
    pub database: crate::database::DatabaseArgs,
    /// Where messages go: SMTP, the SMS webhook, the outbox file.
    #[command(flatten)]
    pub delivery: crate::delivery::DeliveryArgs,
}

/// A positive number of seconds, fractions allowed (`0.5`), at most a day.
pub fn seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400"
        )),
    }
}

impl ServeConfig {
    /// Worker threads for CPU-heavy work: the flag, else one per core.
    pub fn cpu_workers(&self) -> usize {
        match self.cpu_workers {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// Jobs that may wait for a CPU worker: the flag, else [`QUEUE_PER_WORKER`] per worker, or
    /// [`TEST_PROFILE_QUEUE_PER_WORKER`] with the test password-hash profile.
    pub fn cpu_queue(&self) -> usize {
        let per_worker = match self.password_hash_profile {
            PasswordHashProfile::Production => QUEUE_PER_WORKER,
            PasswordHashProfile::Test => TEST_PROFILE_QUEUE_PER_WORKER,
        };
        match self.cpu_queue {
            Some(n) => n as usize,
            None => per_worker * self.cpu_workers(),
        }
    }

    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            public_url: None,
            region: "us-east-1".into(),
            issuer_style: IssuerStyle::Public,
            master_key: None,
            test_clock: true,
            credentials_file: None,
            allowed_hosts: Vec::new(),
            access_key: None,
            cpu_workers: None,
            cpu_queue: None,
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            password_hash_profile: PasswordHashProfile::Production,
            database: Default::default(),
            delivery: Default::default(),
        }
    }

    /// Reads the access key pair from `COGNATE_ACCESS_KEY_ID` and `COGNATE_SECRET_ACCESS_KEY`.
    /// Both or neither must be set.
    pub fn with_env_access_key(mut self) -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        self.access_key = match (
            var("COGNATE_ACCESS_KEY_ID"),
            var("COGNATE_SECRET_ACCESS_KEY"),
        ) {
            (Some(id), Some(secret)) => Some(AccessKey::new(id, secret)?),
            (None, None) => None,
            (Some(_), None) => anyhow::bail!(
                "COGNATE_ACCESS_KEY_ID is set but COGNATE_SECRET_ACCESS_KEY is not; set both"
            ),
            (None, Some(_)) => anyhow::bail!(
                "COGNATE_SECRET_ACCESS_KEY is set but COGNATE_ACCESS_KEY_ID is not; set both"
            ),
        };
        Ok(self)
    }
}

/// Default queued CPU jobs per worker. One argon2id check takes about 40 ms on a core (release
/// build, measured), so a full queue of 4 per worker drains in about four hash times: an
/// accepted call waits well under a second, while a burst of a few sign-ins per core is
/// absorbed rather than refused. A queued job holds only its inputs (argon2's memory belongs to
/// the workers), so the queue costs next to no memory.
pub const QUEUE_PER_WORKER: usize = 4;

/// Default queued CPU jobs per worker with the test password-hash profile. Its argon2id costs
/// about 40 µs instead of 20 ms, so the longest job left is SRP's arithmetic (about 1.3 and
/// 2.7 ms for the two steps of a sign-in): a full queue of 64 drains in a fraction of a second,
/// and a test suite's 32 concurrent AdminCreateUser calls are absorbed instead of refused by the
/// thousands (seen with 4 per worker).
pub const TEST_PROFILE_QUEUE_PER_WORKER: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_queue_follows_the_hash_profile_unless_set() {
        let mut c = ServeConfig::for_tests(PathBuf::from("unused"));
        c.cpu_workers = Some(2);
        assert_eq!(c.cpu_queue(), 2 * QUEUE_PER_WORKER);
        c.password_hash_profile = PasswordHashProfile::Test;
        assert_eq!(c.cpu_queue(), 2 * TEST_PROFILE_QUEUE_PER_WORKER);
        c.cpu_queue = Some(3);
        assert_eq!(c.cpu_queue(), 3);
    }
}
