// Cognate as an OpenID Connect provider for a Node app: openid-client (discovery, PKCE S256,
// state, nonce, the code grant, userInfo, refresh, client_credentials) with the managed-login
// pages completed in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// TOTP enrolment from the page's secret, sign-out, sign-in again with a TOTP code.
//
// Runs once per scripts/test-js pass with USER_SRP_AUTH (the OAuth flow does not depend on the
// acij sign-in flow under test in the other pass). Skips, saying why, without a chromium.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';

import * as oidc from 'openid-client';
import { chromium } from 'playwright-core';

import {
  PASSWORD,
  advanceClock,
  call,
  createUser,
  getClock,
  startServer,
  totpAt,
  uniqueName,
  verifyJwt,
} from './helpers.mjs';

const CHROMIUM = '/usr/bin/chromium';
const skip =
  (process.env.COGNATE_ACIJ_FLOW ?? 'USER_SRP_AUTH') !== 'USER_SRP_AUTH'
    ? 'runs in the USER_SRP_AUTH pass only'
    : !fs.existsSync(CHROMIUM)
      ? `${CHROMIUM} is not installed (apt-get install chromium)`
      : false;

let server;
let app; // the app's callback server
let browser;

/** The app's side: answers the redirects, so the browser lands on a page. */
function startApp() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>app</title><p>back at the app</p>');
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

before(async () => {
  if (skip) return;
  server = await startServer();
  app = await startApp();
  // playwright-core starts Chromium with a fresh profile of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  app?.close();
  await server?.stop();
});

/** A pool that requires TOTP, with a domain, a code-flow client and a client-credentials one. */
async function setUp() {
  const callback = `http://localhost:${app.address().port}/callback`;
  const signedOut = `http://localhost:${app.address().port}/signed-out`;
  const { UserPool } = await call(server, 'CreateUserPool', {
    PoolName: uniqueName('oidc'),
    AutoVerifiedAttributes: ['email'],
  });
  const poolId = UserPool.Id;
  await call(server, 'SetUserPoolMfaConfig', {
    UserPoolId: poolId,
    MfaConfiguration: 'ON',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const domain = uniqueName('node-app').toLowerCase();
  await call(server, 'CreateUserPoolDomain', { UserPoolId: poolId, Domain: domain });
  const { UserPoolClient: web } = await call(server, 'CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'web',
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [callback],
    LogoutURLs: [signedOut],
    SupportedIdentityProviders: ['COGNITO'],
  });
  await call(server, 'CreateResourceServer', {
    UserPoolId: poolId,
    Identifier: 'https://api.example.com',
    Name: 'api',
    Scopes: [
      { ScopeName: 'read', ScopeDescription: 'read' },
      { ScopeName: 'write', ScopeDescription: 'write' },
    ],
  });
  const { UserPoolClient: machine } = await call(server, 'CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'machine',
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['https://api.example.com/read', 'https://api.example.com/write'],
  });
  const username = uniqueName('nadia');
  const pool = { id: poolId, clientId: web.ClientId, issuer: `${server.url}/${poolId}` };
  await createUser(server, pool, username);
  return { pool, web, machine, username, domain, callback, signedOut };
}

/** openid-client's configuration from the pool's discovery document. */
function discover(pool, clientId, secret) {
  return oidc.discovery(
    new URL(pool.issuer),
    clientId,
    // The server runs on a test clock that this test moves ahead of the machine's.
    { [oidc.clockTolerance]: 600 },
    oidc.ClientSecretBasic(secret),
    { execute: [oidc.allowInsecureRequests] },
  );
}

async function authorizationRequest(config, callback) {
  const verifier = oidc.randomPKCECodeVerifier();
  const checks = {
    pkceCodeVerifier: verifier,
    expectedState: oidc.randomState(),
    expectedNonce: oidc.randomNonce(),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback,
    scope: 'openid email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
  });
  return { url, checks };
}

/** Fills the named fields and submits; resolves once the next page has loaded. */
async function submit(page, fields) {
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`[name="${name}"]`, value);
  }
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** The server's (test) clock, for TOTP codes. */
async function codeNow(secret) {
  return totpAt(secret, Math.floor(await getClock(server)));
}

async function checkTokens(s, tokens, checks) {
  const claims = tokens.claims();
  assert.equal(claims.nonce, checks.expectedNonce, 'nonce');
  assert.equal(claims['cognito:username'], s.username);
  assert.equal(claims.email, `${s.username}@example.com`);
  const now = await getClock(server);
  const id = await verifyJwt(server, s.pool, tokens.id_token, { tokenUse: 'id', now });
  const access = await verifyJwt(server, s.pool, tokens.access_token, { tokenUse: 'access', now });
  assert.deepEqual(access.scope.split(' ').sort(), ['email', 'openid']);
  assert.equal(id.auth_time, access.auth_time);
  return id;
}

test('openid-client: code flow with PKCE, TOTP enrolment and challenge in Chromium', { skip }, async () => {
  const s = await setUp();
  const config = await discover(s.pool, s.web.ClientId, s.web.ClientSecret);
  const meta = config.serverMetadata();
  assert.equal(meta.issuer, s.pool.issuer);
  assert.ok(meta.authorization_endpoint.includes(`/domains/${s.domain}/oauth2/authorize`), meta.authorization_endpoint);

  const page = await browser.newPage();
  // 1. First sign-in: MFA is required and the user has none, so the page enrols TOTP.
  let { url, checks } = await authorizationRequest(config, s.callback);
  await page.goto(url.href);
  assert.match(await page.title(), /Sign in/);
  await submit(page, { username: s.username, password: PASSWORD });
  assert.match(await page.title(), /Set up your authenticator app/);
  const secret = (await page.textContent('#totp-secret')).trim();
  assert.match(secret, /^[A-Z2-7]{32,}$/);
  await submit(page, { code: await codeNow(secret) });
  assert.ok(page.url().startsWith(s.callback), `back at the app: ${page.url()}`);
  let tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), checks);
  const first = await checkTokens(s, tokens, checks);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, first.sub);
  assert.equal(info.email, `${s.username}@example.com`);

  // 2. Sign out, then sign in again with a code of a later time step (no replay).
  await page.goto(`${meta.end_session_endpoint}?client_id=${s.web.ClientId}&logout_uri=${encodeURIComponent(s.signedOut)}`);
  assert.ok(page.url().startsWith(s.signedOut), `signed out: ${page.url()}`);
  await advanceClock(server, 60);
  ({ url, checks } = await authorizationRequest(config, s.callback));
  await page.goto(url.href);
  assert.match(await page.title(), /Sign in/, 'the session ended with /logout');
  await submit(page, { username: s.username, password: PASSWORD });
  assert.match(await page.title(), /Enter your code/);
  await submit(page, { code: await codeNow(secret) });
  tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), checks);
  const again = await checkTokens(s, tokens, checks);
  assert.ok(again.auth_time >= first.auth_time + 60);

  // 3. The same code twice: refused by the token endpoint.
  await assert.rejects(
    oidc.authorizationCodeGrant(config, new URL(page.url()), checks),
    (e) => e.error === 'invalid_grant',
  );

  // 4. Refresh keeps the scope.
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  const access = await verifyJwt(server, s.pool, refreshed.access_token, { tokenUse: 'access' });
  assert.deepEqual(access.scope.split(' ').sort(), ['email', 'openid']);
  await page.close();
});

test('openid-client: client_credentials with resource-server scopes', { skip }, async () => {
  const s = await setUp();
  const config = await discover(s.pool, s.machine.ClientId, s.machine.ClientSecret);
  const tokens = await oidc.clientCredentialsGrant(config, { scope: 'https://api.example.com/read' });
  const pool = { ...s.pool, clientId: s.machine.ClientId };
  const access = await verifyJwt(server, pool, tokens.access_token, { tokenUse: 'access' });
  assert.equal(access.scope, 'https://api.example.com/read');
  assert.equal(access.sub, s.machine.ClientId);
  await assert.rejects(
    oidc.clientCredentialsGrant(config, { scope: 'https://api.example.com/admin' }),
    (e) => e.error === 'invalid_scope',
  );
});
