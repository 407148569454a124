// SMS MFA and SELECT_MFA_TYPE through amazon-cognito-identity-js, against the real `cognate`
// binary: the mfaRequired callback answered with sendMFACode(code, cb, 'SMS_MFA'), and the
// selectMFAType callback answered with sendMFASelectionAnswer (SMS_MFA and SOFTWARE_TOKEN_MFA).
// SMS codes go through the signed SMS webhook (--sms-webhook-url) to a receiver here that checks
// the HMAC signature, and are read from what it received, as a person reads the text message.
//
// acij 6.3.21 has no EMAIL_OTP support (it neither names the challenge nor sends
// EMAIL_OTP_CODE), so the e-mail factor is tested through boto3 only (tests/e2e).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, beforeEach, describe, test } from 'node:test';

import {
  PASSWORD,
  STEP,
  acijUser,
  advanceClock,
  call,
  checkSession,
  expectFailure,
  expectKind,
  getClock,
  outcome,
  sendTotp,
  signIn,
  startServer,
  totpAt,
  uniqueName,
} from './helpers.mjs';

const AUTH_FLOW = process.env.COGNATE_ACIJ_FLOW || 'USER_SRP_AUTH';
const PHONE = '+15555550199';

let server;
let pool; // MFA OPTIONAL: TOTP and SMS

const HOOK_SECRET = 'acij-sms-hook-secret';
/** What the SMS webhook received (signature checked), and how many posts were refused. */
const hook = { received: [], badSignatures: 0, server: null };

function startHook() {
  return new Promise((resolve) => {
    hook.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const expected = `sha256=${crypto.createHmac('sha256', HOOK_SECRET).update(body).digest('hex')}`;
        const given = String(req.headers['x-cognate-signature'] ?? '');
        const ok =
          given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
        if (!ok) {
          hook.badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        hook.received.push(JSON.parse(body.toString('utf8')));
        res.writeHead(200).end();
      });
    });
    hook.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${hook.server.address().port}/sms`));
  });
}

let setup;
function ready() {
  setup ??= (async () => {
    const hookUrl = await startHook();
    server = await startServer({
      args: ['--sms-webhook-url', hookUrl],
      env: { COGNATE_SMS_WEBHOOK_SECRET: HOOK_SECRET },
    });
    const { UserPool } = await call(server, 'CreateUserPool', { PoolName: uniqueName('jsfactors') });
    const cfg = await call(server, 'SetUserPoolMfaConfig', {
      UserPoolId: UserPool.Id,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: {
        SmsAuthenticationMessage: 'Your code is {####}',
        SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' },
      },
    });
    assert.equal(cfg.SmsMfaConfiguration.SmsAuthenticationMessage, 'Your code is {####}');
    const { UserPoolClient } = await call(server, 'CreateUserPoolClient', {
      UserPoolId: UserPool.Id,
      ClientName: 'acij',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    pool = { id: UserPool.Id, clientId: UserPoolClient.ClientId, issuer: `${server.url}/${UserPool.Id}` };
  })();
  return setup;
}

beforeEach(ready);

after(async () => {
  await setup?.catch(() => {});
  await server?.stop();
  hook.server?.close();
});

/** A CONFIRMED user with a phone number and an e-mail address. */
async function phoneUser(prefix) {
  const username = uniqueName(prefix);
  await call(server, 'AdminCreateUser', {
    UserPoolId: pool.id,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'phone_number', Value: PHONE },
      { Name: 'email', Value: `${username}@example.com` },
    ],
  });
  await call(server, 'AdminSetUserPassword', {
    UserPoolId: pool.id,
    Username: username,
    Password: PASSWORD,
    Permanent: true,
  });
  return username;
}

/** The newest MFA code texted to `username` (through the hook), and how many were. */
function lastCode(username) {
  assert.equal(hook.badSignatures, 0, 'every webhook post was signed with the secret');
  const msgs = hook.received.filter(
    (m) => m.pool_id === pool.id && m.username === username && m.kind === 'Authentication',
  );
  assert.ok(msgs.length > 0, `no MFA code was sent to ${username}`);
  const msg = msgs[msgs.length - 1];
  assert.equal(msg.destination, PHONE);
  const m = /\b(\d{6})\b/.exec(msg.message);
  assert.ok(m, `no code in ${JSON.stringify(msg.message)}`);
  return { code: m[1], count: msgs.length };
}

function sendSms(user, code) {
  return outcome((cb) => user.sendMFACode(code, cb, 'SMS_MFA'));
}

function selectMfa(user, answer) {
  return outcome((cb) => user.sendMFASelectionAnswer(answer, cb));
}

function expectSmsRequired(o, username) {
  expectKind(o, 'mfaRequired', server);
  const [challengeName, params] = o.args;
  assert.equal(challengeName, 'SMS_MFA');
  assert.equal(params.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
  assert.equal(params.CODE_DELIVERY_DESTINATION, '+*******0199');
  assert.equal(params.USER_ID_FOR_SRP, username);
}

describe('SMS MFA and SELECT_MFA_TYPE through amazon-cognito-identity-js', () => {
  test('mfaRequired answered with sendMFACode(code, cb, "SMS_MFA"); a wrong code first', async () => {
    const username = await phoneUser('sms');
    await call(server, 'AdminSetUserMFAPreference', {
      UserPoolId: pool.id,
      Username: username,
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const user = acijUser(server, pool, username, AUTH_FLOW);
    expectSmsRequired(await signIn(user, username, PASSWORD), username);
    const { code } = lastCode(username);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expectFailure(
      await sendSms(user, wrong),
      'CodeMismatchException',
      'Invalid code or auth state for the user.',
      server,
    );
    // the same session takes the right code
    const ok = expectKind(await sendSms(user, code), 'onSuccess', server);
    const t = await getClock(server);
    const tokens = await checkSession(server, pool, ok.session, username, t);
    assert.equal(tokens.id.phone_number_verified, true, 'the SMS code proved the number');
  });

  test('selectMFAType answered with SMS_MFA, then mfaRequired', async () => {
    const { username } = await twoFactorUser('selsms');
    const user = acijUser(server, pool, username, AUTH_FLOW);
    const o = expectKind(await signIn(user, username, PASSWORD), 'selectMFAType', server);
    const [challengeName, params] = o.args;
    assert.equal(challengeName, 'SELECT_MFA_TYPE');
    assert.deepEqual(JSON.parse(params.MFAS_CAN_CHOOSE).sort(), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    const before = lastCodeCount(username);
    expectSmsRequired(await selectMfa(user, 'SMS_MFA'), username);
    const { code, count } = lastCode(username);
    assert.equal(count, before + 1, 'the code is sent when SMS is chosen');
    const ok = expectKind(await sendSms(user, code), 'onSuccess', server);
    await checkSession(server, pool, ok.session, username, await getClock(server));
  });

  test('selectMFAType answered with SOFTWARE_TOKEN_MFA, then totpRequired', async () => {
    const { username, secret } = await twoFactorUser('seltotp');
    const user = acijUser(server, pool, username, AUTH_FLOW);
    expectKind(await signIn(user, username, PASSWORD), 'selectMFAType', server);
    const before = lastCodeCount(username);
    const o = expectKind(await selectMfa(user, 'SOFTWARE_TOKEN_MFA'), 'totpRequired', server);
    assert.equal(o.args[0], 'SOFTWARE_TOKEN_MFA');
    assert.equal(lastCodeCount(username), before, 'no SMS is sent for TOTP');
    // the verify code's step is used up: answer with the next step's code
    const t = await advanceClock(server, STEP);
    const ok = expectKind(await sendTotp(user, totpAt(secret, t)), 'onSuccess', server);
    await checkSession(server, pool, ok.session, username, t);
  });
});

function lastCodeCount(username) {
  try {
    return lastCode(username).count;
  } catch {
    return 0;
  }
}

/** A user with a verified software token and SMS, both enabled, neither preferred. */
async function twoFactorUser(prefix) {
  const username = await phoneUser(prefix);
  const auth = await call(server, 'InitiateAuth', {
    ClientId: pool.clientId,
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD },
  });
  const accessToken = auth.AuthenticationResult.AccessToken;
  const { SecretCode: secret } = await call(server, 'AssociateSoftwareToken', { AccessToken: accessToken });
  const t = await getClock(server);
  await call(server, 'VerifySoftwareToken', { AccessToken: accessToken, UserCode: totpAt(secret, t) });
  await call(server, 'AdminSetUserMFAPreference', {
    UserPoolId: pool.id,
    Username: username,
    SMSMfaSettings: { Enabled: true, PreferredMfa: false },
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
  });
  return { username, secret };
}
