// Helpers for Cognate's end-to-end tests through amazon-cognito-identity-js (acij).
//
// - startServer(): runs the real `cognate` binary (COGNATE_BIN, else
//   $CARGO_TARGET_DIR/debug/cognate, CARGO_TARGET_DIR defaulting to ~/.cache/cognate-target)
//   with `serve --listen 127.0.0.1:0 --data-dir <tmp> --test-clock`, reads the
//   `cognate listening on http://...` line from stdout, and stops it again. With
//   COGNATE_E2E_DATABASE_URL (postgres://...) each server uses a PostgreSQL schema of its own,
//   created with psql and dropped when the server stops.
// - Admin set-up (CreateUserPool, SetUserPoolMfaConfig, CreateUserPoolClient, AdminCreateUser,
//   AdminSetUserPassword) goes through plain fetch POSTs, so only the sign-in side uses acij.
// - The server's test clock (GET/POST /_cognate/clock) and TOTP codes computed by otpauth at the
//   server's time (never by the server's own code).
// - Promise wrappers around acij's callback objects: every callback resolves to a tagged outcome
//   ({kind: 'onSuccess' | 'onFailure' | 'mfaSetup' | 'totpRequired' | ...}), so a test asserts
//   which callback fired with expectKind().

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
} from 'amazon-cognito-identity-js';
import { Secret, TOTP } from 'otpauth';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService';
export const PASSWORD = 'Passw0rd!Good';
export const NEW_PASSWORD = 'N3w-Passw0rd!';
export const TEMP_PASSWORD = 'Temp-Passw0rd1!';
export const STEP = 30;

const LISTENING_RE = /^cognate listening on (http:\/\/\S+)\s*$/;

// --------------------------------------------------------------------------- server process

export function cognateBinary() {
  if (process.env.COGNATE_BIN) return process.env.COGNATE_BIN;
  const target =
    process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'cognate-target');
  return path.join(target, 'debug', 'cognate');
}

/** Runs one SQL statement with psql on the e2e PostgreSQL database. */
function psql(sql) {
  const r = spawnSync(
    'psql',
    [process.env.COGNATE_E2E_DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr || r.error}`);
}

/** `--database-url` arguments and a cleanup for a server (none on SQLite). */
function databaseArgs() {
  const base = process.env.COGNATE_E2E_DATABASE_URL;
  if (!base) return { args: [], drop: () => {} };
  const schema = `cognate_js_${crypto.randomBytes(6).toString('hex')}`;
  psql(`CREATE SCHEMA ${schema}`);
  const sep = base.includes('?') ? '&' : '?';
  const url = `${base}${sep}options=-c%20search_path%3D${schema}&application_name=cognate_${schema}`;
  return { args: ['--database-url', url], drop: () => psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/**
 * Start `cognate serve` on a free port with a fresh data dir and the settable clock.
 * Returns {url, dataDir, logPath, proc, logTail(n), stop()}.
 */
/**
 * Starts the real binary on a free port with a test clock. `args` are extra `serve` flags and
 * `env` extra environment variables (e.g. the SMS webhook and its secret).
 */
export async function startServer({ timeoutMs = 60_000, args = [], env: extraEnv = {} } = {}) {
  const binary = cognateBinary();
  if (!fs.existsSync(binary)) {
    throw new Error(`cognate binary not found at ${binary} (build it or set COGNATE_BIN)`);
  }
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognate-js-'));
  const dataDir = path.join(baseDir, 'data');
  fs.mkdirSync(dataDir);
  const logPath = path.join(baseDir, 'server.log');
  const logFd = fs.openSync(logPath, 'w');

  // Do not leak COGNATE_* settings of the caller (COGNATE_BIN, ...) into the server.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('COGNATE_')),
  );
  env.RUST_LOG ??= 'info';
  Object.assign(env, extraEnv);

  const database = databaseArgs();
  const proc = spawn(
    binary,
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--test-clock', ...database.args, ...args],
    { stdio: ['ignore', 'pipe', logFd], env },
  );
  fs.closeSync(logFd);

  const logTail = (n = 30) => {
    try {
      return fs
        .readFileSync(logPath, 'utf8')
        .replace(/\x1b\[[0-9;]*m/g, '') // the server's log colours
        .split('\n')
        .slice(-n - 1)
        .join('\n');
    } catch {
      return '<no log>';
    }
  };

  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  // Watchdog: if this test process dies without running its hooks (killed, or its output pipe
  // closed), the watchdog's stdin reaches EOF and it kills this server, by pid, and removes the
  // temporary directory (unless COGNATE_KEEP_DATA is set).
  const cleanup = process.env.COGNATE_KEEP_DATA ? '' : '; sleep 1; rm -rf "$1"';
  const watchdog = spawn(
    'sh',
    ['-c', `read -r _ || true; kill -9 "$0" 2>/dev/null${cleanup}`, String(proc.pid), baseDir],
    { stdio: ['pipe', 'ignore', 'ignore'] },
  );
  watchdog.unref();
  const stopWatchdog = () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
  };

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(
        () => reject(new Error(`server did not announce itself within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onData = (chunk) => {
        buf += chunk.toString('utf8');
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        const line = buf.slice(0, nl);
        const m = LISTENING_RE.exec(line);
        if (m) resolve(m[1].replace(/\/$/, ''));
        else reject(new Error(`unexpected first stdout line: ${JSON.stringify(line)}`));
      };
      proc.stdout.on('data', onData);
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (code ${code}, signal ${signal})`));
      });
    });
  } catch (err) {
    stopWatchdog();
    proc.kill('SIGKILL');
    const message = `${err.message}\nserver log tail:\n${logTail()}`;
    process.off('exit', killOnExit);
    if (!process.env.COGNATE_KEEP_DATA) fs.rmSync(baseDir, { recursive: true, force: true });
    database.drop();
    throw new Error(message);
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  proc.stdout.resume();

  const server = {
    url,
    dataDir,
    logPath,
    proc,
    logTail,
    async stop() {
      stopWatchdog();
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      database.drop();
      if (!process.env.COGNATE_KEEP_DATA) {
        fs.rmSync(baseDir, { recursive: true, force: true });
      } else {
        console.error(`cognate data and log kept in ${baseDir}`);
      }
    },
  };
  return server;
}

// --------------------------------------------------------------------------- plain API calls

export class ApiError extends Error {
  constructor(op, status, type, message) {
    super(`${op}: HTTP ${status} ${type}: ${message}`);
    this.status = status;
    this.code = type;
    this.apiMessage = message;
  }
}

/** POST one Cognito operation (AWS JSON 1.1) and return the parsed body; throws ApiError. */
export async function call(server, op, body) {
  const resp = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `${TARGET_PREFIX}.${op}`,
    },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { message: text };
  }
  if (!resp.ok) {
    const type = String(data.__type || data.code || resp.headers.get('x-amzn-errortype') || '')
      .split('#')
      .pop()
      .replace(/:.*$/, '');
    throw new ApiError(op, resp.status, type, data.message ?? data.Message);
  }
  return data;
}

let nameCounter = 0;
export function uniqueName(prefix) {
  nameCounter += 1;
  return `${prefix}${process.pid}x${nameCounter}`;
}

/**
 * A user pool with MfaConfiguration `mfa` (ON / OPTIONAL / OFF) and TOTP enabled (unless
 * totp=false), plus one app client without a secret.
 * Returns {id, clientId, issuer}.
 */
export async function createPool(server, { mfa = 'ON', totp = true } = {}) {
  const { UserPool } = await call(server, 'CreateUserPool', {
    PoolName: uniqueName('jsmfa'),
    Policies: {
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
      },
    },
  });
  const id = UserPool.Id;
  if (totp || mfa !== 'OFF') {
    const cfg = await call(server, 'SetUserPoolMfaConfig', {
      UserPoolId: id,
      SoftwareTokenMfaConfiguration: { Enabled: totp },
      MfaConfiguration: mfa,
    });
    assert.equal(cfg.MfaConfiguration, mfa, 'SetUserPoolMfaConfig echoes MfaConfiguration');
  }
  const { UserPoolClient } = await call(server, 'CreateUserPoolClient', {
    UserPoolId: id,
    ClientName: 'acij',
    GenerateSecret: false,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  assert.equal(UserPoolClient.ClientSecret, undefined, 'acij needs a client without a secret');
  return { id, clientId: UserPoolClient.ClientId, issuer: `${server.url}/${id}` };
}

/**
 * Admin-created user, no invitation message. temporary=false: permanent password (CONFIRMED);
 * temporary=true: `password` is the temporary one (FORCE_CHANGE_PASSWORD).
 */
export async function createUser(server, pool, username, { password = PASSWORD, temporary = false } = {}) {
  const req = {
    UserPoolId: pool.id,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: `${username}@example.com` },
      { Name: 'email_verified', Value: 'true' },
    ],
  };
  if (temporary) req.TemporaryPassword = password;
  const { User } = await call(server, 'AdminCreateUser', req);
  if (!temporary) {
    await call(server, 'AdminSetUserPassword', {
      UserPoolId: pool.id,
      Username: username,
      Password: password,
      Permanent: true,
    });
  }
  return User;
}

// --------------------------------------------------------------------------- clock and TOTP

export async function getClock(server) {
  const resp = await fetch(`${server.url}/_cognate/clock`);
  assert.equal(resp.status, 200, 'GET /_cognate/clock (is --test-clock on?)');
  return (await resp.json()).now;
}

export async function setClock(server, body) {
  const resp = await fetch(`${server.url}/_cognate/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(resp.status, 200, 'POST /_cognate/clock');
  return (await resp.json()).now;
}

/**
 * Move the server clock forward to 5 s after the start of a fresh 30 s step (at least one whole
 * step ahead of the current one), so codes never straddle a boundary. Returns the new time.
 */
export async function freshStep(server) {
  const now = await getClock(server);
  const t = (Math.floor(now / STEP) + 2) * STEP + 5;
  const set = await setClock(server, { now: t });
  assert.equal(set, t, 'server clock was set exactly');
  return t;
}

export async function advanceClock(server, seconds) {
  return setClock(server, { advance: seconds });
}

/** RFC 6238 code (SHA1, 6 digits, 30 s) for a base32 secret at epoch seconds `t`, by otpauth. */
export function totpAt(secret, t) {
  return new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: STEP,
  }).generate({ timestamp: Math.round(t * 1000) });
}

/** A 6-digit code that is not valid at t for the previous, current or next step. */
export function wrongCodeAt(secret, t) {
  const valid = new Set([-STEP, 0, STEP].map((d) => totpAt(secret, t + d)));
  let n = Number(totpAt(secret, t));
  let code;
  do {
    n = (n + 1) % 1_000_000;
    code = String(n).padStart(6, '0');
  } while (valid.has(code));
  return code;
}

// --------------------------------------------------------------------------- acij objects

/** Web-Storage-like map. One per CognitoUser, so tests never share acij's process-global cache. */
export class MapStorage {
  constructor() {
    this.map = new Map();
  }
  setItem(k, v) {
    this.map.set(k, String(v));
    return this.map.get(k);
  }
  getItem(k) {
    return this.map.has(k) ? this.map.get(k) : null;
  }
  removeItem(k) {
    return this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

/** A fresh acij CognitoUser (own pool object and storage) with the given auth flow. */
export function acijUser(server, pool, username, flow) {
  const Storage = new MapStorage();
  // The endpoint is used verbatim as the POST URL.
  const userPool = new CognitoUserPool({
    UserPoolId: pool.id,
    ClientId: pool.clientId,
    endpoint: `${server.url}/`,
    Storage,
  });
  const user = new CognitoUser({ Username: username, Pool: userPool, Storage });
  user.setAuthenticationFlowType(flow);
  return user;
}

// --------------------------------------------------------------------------- promisified acij

const CALLBACK_NAMES = [
  'onSuccess',
  'onFailure',
  'mfaRequired',
  'selectMFAType',
  'mfaSetup',
  'totpRequired',
  'customChallenge',
  'newPasswordRequired',
  'associateSecretCode',
];

/**
 * Run `start(callbacks)` and resolve with the first callback acij invokes:
 * {kind: <callback name>, args: [...]} (plus `error` for onFailure, `session` for onSuccess).
 * Never rejects for an acij failure; a callback acij invokes that is not listed also resolves.
 */
export function outcome(start, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (!done) reject(new Error(`no acij callback within ${timeoutMs} ms`));
    }, timeoutMs);
    const settle = (kind) => (...args) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const out = { kind, args };
      if (kind === 'onFailure') out.error = args[0];
      if (kind === 'onSuccess') out.session = args[0];
      resolve(out);
    };
    const callbacks = Object.fromEntries(CALLBACK_NAMES.map((name) => [name, settle(name)]));
    try {
      start(callbacks);
    } catch (err) {
      settle('thrown')(err);
    }
  });
}

function describeOutcome(o) {
  if (o.kind === 'onFailure' || o.kind === 'thrown') {
    const e = o.error ?? o.args[0];
    return `${o.kind}(${e?.code ?? e?.name}: ${e?.message})`;
  }
  if (o.kind === 'onSuccess') return 'onSuccess(session)';
  return `${o.kind}(${o.args.map((a) => JSON.stringify(a)).join(', ')})`;
}

/** Assert that the outcome came from callback `kind`; the message shows what happened instead. */
export function expectKind(o, kind, server) {
  if (o.kind !== kind) {
    const tail = server ? `\nserver log tail:\n${server.logTail(15)}` : '';
    assert.fail(`expected acij callback ${kind}, got ${describeOutcome(o)}${tail}`);
  }
  return o;
}

/** Assert an acij onFailure with exactly this error code and message. */
export function expectFailure(o, code, message, server) {
  expectKind(o, 'onFailure', server);
  assert.equal(o.error.code, code, `error code (message: ${o.error.message})`);
  assert.equal(o.error.name, code, 'error name');
  assert.equal(o.error.message, message, 'error message');
}

export function signIn(user, username, password) {
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return outcome((cb) => user.authenticateUser(details, cb));
}

export function associate(user) {
  return outcome((cb) =>
    user.associateSoftwareToken({ associateSecretCode: cb.associateSecretCode, onFailure: cb.onFailure }),
  );
}

export function verify(user, code, deviceName) {
  return outcome((cb) =>
    user.verifySoftwareToken(code, deviceName, { onSuccess: cb.onSuccess, onFailure: cb.onFailure }),
  );
}

export function sendTotp(user, code) {
  return outcome((cb) => user.sendMFACode(code, cb, 'SOFTWARE_TOKEN_MFA'));
}

export function completeNewPassword(user, newPassword, attributes = {}) {
  return outcome((cb) => user.completeNewPasswordChallenge(newPassword, attributes, cb));
}

/** An acij method taking a node-style callback, as an outcome: onSuccess(result) / onFailure(err). */
export function nodeStyle(start) {
  return outcome((cb) => start((err, result) => (err ? cb.onFailure(err) : cb.onSuccess(result))));
}

/** user.refreshSession as a promise: {kind: 'onSuccess', session} or {kind: 'onFailure', error}. */
export function refresh(user, refreshToken) {
  return nodeStyle((done) => user.refreshSession(refreshToken, done));
}

/** user.setUserMfaPreference (SetUserMFAPreference with the signed-in user's AccessToken). */
export function setMfaPreference(user, smsSettings, totpSettings) {
  return nodeStyle((done) => user.setUserMfaPreference(smsSettings, totpSettings, done));
}

/** user.getUserData({bypassCache: true}): GetUser with the signed-in user's AccessToken. */
export function getUserData(user) {
  return nodeStyle((done) => user.getUserData(done, { bypassCache: true }));
}

// --------------------------------------------------------------------------- JWT checks

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

const jwksCache = new Map();

/**
 * Verify a JWT's RS256 signature against the pool's JWKS and its standard claims; returns the
 * payload. `now` is the server's clock (tokens are issued at the test clock's time).
 */
export async function verifyJwt(server, pool, token, { tokenUse, now }) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'JWT has three parts');
  const header = b64urlJson(parts[0]);
  const payload = b64urlJson(parts[1]);
  assert.equal(header.alg, 'RS256', 'JWT alg');

  const jwksUrl = `${pool.issuer}/.well-known/jwks.json`;
  if (!jwksCache.has(jwksUrl)) {
    const resp = await fetch(jwksUrl);
    assert.equal(resp.status, 200, `GET ${jwksUrl}`);
    jwksCache.set(jwksUrl, await resp.json());
  }
  const jwk = jwksCache.get(jwksUrl).keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `kid ${header.kid} is in the pool's JWKS`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    key,
    Buffer.from(parts[2], 'base64url'),
  );
  assert.ok(ok, `${tokenUse} token signature verifies with the pool's JWKS`);

  assert.equal(payload.iss, pool.issuer, 'iss');
  assert.equal(payload.token_use, tokenUse, 'token_use');
  if (tokenUse === 'id') assert.equal(payload.aud, pool.clientId, 'aud');
  else assert.equal(payload.client_id, pool.clientId, 'client_id');
  if (now !== undefined) {
    assert.ok(payload.iat <= now + 1, `iat ${payload.iat} not after server time ${now}`);
    assert.ok(payload.exp > now, `exp ${payload.exp} after server time ${now}`);
  }
  return payload;
}

/** Check an acij CognitoUserSession: both JWTs verify and name `username`. Returns the payloads. */
export async function checkSession(server, pool, session, username, now) {
  assert.ok(session, 'a CognitoUserSession');
  const idToken = session.getIdToken().getJwtToken();
  const accessToken = session.getAccessToken().getJwtToken();
  const id = await verifyJwt(server, pool, idToken, { tokenUse: 'id', now });
  const access = await verifyJwt(server, pool, accessToken, { tokenUse: 'access', now });
  assert.equal(id['cognito:username'], username, 'ID token cognito:username');
  assert.equal(access.username, username, 'access token username');
  assert.equal(id.sub, access.sub, 'same sub in both tokens');
  // acij's own view of the tokens (decoded by the library itself).
  assert.equal(session.getIdToken().decodePayload()['cognito:username'], username);
  assert.ok(session.isValid(), 'acij considers the session valid');
  assert.ok(session.getRefreshToken().getToken(), 'a refresh token');
  return { id, access, idToken, accessToken };
}
