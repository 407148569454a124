// TOTP MFA through amazon-cognito-identity-js, against the real `cognate` binary.
//
// Enrolment during sign-in (mfaSetup -> associateSoftwareToken -> verifySoftwareToken), sign-in
// with a code (totpRequired -> sendMFACode), refresh, and the error answers acij surfaces.
// TOTP codes come from otpauth at the server's test-clock time, never from the server.

import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';

import {
  NEW_PASSWORD,
  PASSWORD,
  STEP,
  TEMP_PASSWORD,
  acijUser,
  advanceClock,
  associate,
  checkSession,
  completeNewPassword,
  createPool,
  createUser,
  expectFailure,
  expectKind,
  freshStep,
  getClock,
  getUserData,
  refresh,
  sendTotp,
  setMfaPreference,
  signIn,
  startServer,
  totpAt,
  uniqueName,
  verify,
  wrongCodeAt,
} from './helpers.mjs';

// The first factor acij uses. SRP is a later issue: switch this to 'USER_SRP_AUTH' then.
// The sign-in flow under test: SRP (acij's default) unless COGNATE_ACIJ_FLOW says otherwise;
// scripts/test-js runs the suite once per flow.
const AUTH_FLOW = process.env.COGNATE_ACIJ_FLOW || 'USER_SRP_AUTH';
const DEVICE_NAME = 'My phone';
const SECRET_RE = /^[A-Z2-7]{52}$/;

let server;
let pool; // MFA ON, TOTP enabled

// Set-up runs inside the first test that needs it (not in a before hook), so a set-up failure
// is reported as a failure of every test rather than as cancelled tests.
let setup;
function ready() {
  setup ??= (async () => {
    server = await startServer();
    pool = await createPool(server, { mfa: 'ON', totp: true });
  })();
  return setup;
}

beforeEach(ready);

after(async () => {
  await setup?.catch(() => {});
  await server?.stop();
});

const newUser = (username) => acijUser(server, pool, username, AUTH_FLOW);

/** First factor done, MFA_SETUP expected: check the challenge acij hands to mfaSetup. */
function expectMfaSetup(o, username) {
  expectKind(o, 'mfaSetup', server);
  const [challengeName, params] = o.args;
  assert.equal(challengeName, 'MFA_SETUP');
  assert.equal(typeof params.MFAS_CAN_SETUP, 'string', 'MFAS_CAN_SETUP is a JSON string');
  assert.deepEqual(JSON.parse(params.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);
  assert.equal(params.USER_ID_FOR_SRP, username);
}

/** First factor done, SOFTWARE_TOKEN_MFA expected: check the challenge acij hands to totpRequired. */
function expectTotpRequired(o, username) {
  expectKind(o, 'totpRequired', server);
  const [challengeName, params] = o.args;
  assert.equal(challengeName, 'SOFTWARE_TOKEN_MFA');
  assert.equal(params.USER_ID_FOR_SRP, username);
  assert.equal(params.FRIENDLY_DEVICE_NAME, DEVICE_NAME);
}

/**
 * The acij MFA_SETUP chain for a user whose sign-in just answered mfaSetup:
 * associateSoftwareToken (Session mode) -> code by otpauth at the server's time ->
 * verifySoftwareToken (which itself answers the MFA_SETUP challenge) -> tokens.
 */
async function enrolAfterMfaSetup(user, username) {
  const assoc = expectKind(await associate(user), 'associateSecretCode', server);
  const secret = assoc.args[0];
  assert.match(secret, SECRET_RE, 'SecretCode is 52 base32 characters');
  const t = await getClock(server);
  const v = expectKind(await verify(user, totpAt(secret, t), DEVICE_NAME), 'onSuccess', server);
  const tokens = await checkSession(server, pool, v.session, username, t);
  return { secret, verifiedAt: t, session: v.session, tokens };
}

/** A CONFIRMED user in the ON pool, enrolled through acij during sign-in. */
async function enrolledUser(prefix) {
  const username = uniqueName(prefix);
  await createUser(server, pool, username);
  await freshStep(server);
  const user = newUser(username);
  expectMfaSetup(await signIn(user, username, PASSWORD), username);
  return { username, ...(await enrolAfterMfaSetup(user, username)) };
}

describe('TOTP MFA through amazon-cognito-identity-js', () => {
  test('enrol during sign-in (mfaSetup), sign in with totpRequired + sendMFACode, refresh', async () => {
    const username = uniqueName('alice');
    await createUser(server, pool, username);
    const t0 = await freshStep(server);

    // 1. Password accepted; the ON pool demands MFA set-up.
    const user = newUser(username);
    expectMfaSetup(await signIn(user, username, PASSWORD), username);

    // 2. associateSoftwareToken / verifySoftwareToken('My phone') -> tokens.
    const enrol = await enrolAfterMfaSetup(user, username);
    assert.equal(enrol.verifiedAt, t0);
    assert.equal(enrol.tokens.id['cognito:username'], username);
    assert.equal(enrol.tokens.id.email, `${username}@example.com`);

    // 3. A fresh sign-in (new CognitoUser, new storage) now asks for a TOTP code.
    const user2 = newUser(username);
    expectTotpRequired(await signIn(user2, username, PASSWORD), username);

    // The verify code's step is used up, so answer with the next step's code.
    const t1 = await advanceClock(server, STEP);
    assert.equal(t1, t0 + STEP);
    const code = totpAt(enrol.secret, t1);
    assert.notEqual(code, totpAt(enrol.secret, t0), 'codes of adjacent steps differ');
    const signedIn = expectKind(await sendTotp(user2, code), 'onSuccess', server);
    const tokens = await checkSession(server, pool, signedIn.session, username, t1);
    assert.equal(tokens.access.auth_time, t1, 'auth_time is the time of this sign-in');
    assert.equal(tokens.id.sub, enrol.tokens.id.sub, 'same user as at enrolment');

    // 4. refreshSession -> new tokens, no MFA challenge; auth_time kept.
    const t2 = await advanceClock(server, 60);
    const refreshed = expectKind(
      await refresh(user2, signedIn.session.getRefreshToken()),
      'onSuccess',
      server,
    );
    const rt = await checkSession(server, pool, refreshed.session, username, t2);
    assert.notEqual(rt.accessToken, tokens.accessToken, 'a new access token');
    assert.notEqual(rt.idToken, tokens.idToken, 'a new ID token');
    assert.equal(rt.access.iat, t2, 'new access token issued now');
    assert.equal(rt.access.auth_time, tokens.access.auth_time, 'auth_time kept across refresh');
    assert.equal(rt.id.sub, tokens.id.sub);
    assert.equal(
      refreshed.session.getRefreshToken().getToken(),
      signedIn.session.getRefreshToken().getToken(),
      'the refresh token is unchanged (no rotation)',
    );
  });

  test('wrong code at sendMFACode -> CodeMismatchException; the right code then succeeds', async () => {
    const { username, secret, verifiedAt } = await enrolledUser('bob');
    const t = await advanceClock(server, STEP);
    assert.equal(t, verifiedAt + STEP);

    const user = newUser(username);
    expectTotpRequired(await signIn(user, username, PASSWORD), username);

    const wrong = wrongCodeAt(secret, t);
    expectFailure(
      await sendTotp(user, wrong),
      'CodeMismatchException',
      'Invalid code received for user',
      server,
    );

    // Same CognitoUser, so the same Session: a mismatch does not consume it.
    const ok = expectKind(await sendTotp(user, totpAt(secret, t)), 'onSuccess', server);
    await checkSession(server, pool, ok.session, username, t);
  });

  test('replayed code -> ExpiredCodeException (the verify code, and a code just used to sign in)', async () => {
    const { username, secret, verifiedAt } = await enrolledUser('carol');
    const replayed = 'Your software token has already been used once.';

    // a) The code VerifySoftwareToken just accepted, still inside its own step.
    assert.equal(await getClock(server), verifiedAt);
    const user1 = newUser(username);
    expectTotpRequired(await signIn(user1, username, PASSWORD), username);
    expectFailure(await sendTotp(user1, totpAt(secret, verifiedAt)), 'ExpiredCodeException', replayed, server);

    // b) A code that just signed the user in, offered again by a new sign-in.
    const t = await advanceClock(server, STEP);
    const code = totpAt(secret, t);
    const user2 = newUser(username);
    expectTotpRequired(await signIn(user2, username, PASSWORD), username);
    const ok = expectKind(await sendTotp(user2, code), 'onSuccess', server);
    await checkSession(server, pool, ok.session, username, t);

    const user3 = newUser(username);
    expectTotpRequired(await signIn(user3, username, PASSWORD), username);
    expectFailure(await sendTotp(user3, code), 'ExpiredCodeException', replayed, server);

    // c) Still rejected one step later, where that code is the (accepted) previous step's code.
    const t2 = await advanceClock(server, STEP);
    const user4 = newUser(username);
    expectTotpRequired(await signIn(user4, username, PASSWORD), username);
    expectFailure(await sendTotp(user4, code), 'ExpiredCodeException', replayed, server);

    // The current step's code is fine (fresh sign-in, so no assumption about the failed Session).
    const user5 = newUser(username);
    expectTotpRequired(await signIn(user5, username, PASSWORD), username);
    const ok2 = expectKind(await sendTotp(user5, totpAt(secret, t2)), 'onSuccess', server);
    await checkSession(server, pool, ok2.session, username, t2);
  });

  test('wrong password -> NotAuthorizedException "Incorrect username or password."', async () => {
    const { username } = await enrolledUser('dave');
    const user = newUser(username);
    expectFailure(
      await signIn(user, username, 'Wrong-Passw0rd!'),
      'NotAuthorizedException',
      'Incorrect username or password.',
      server,
    );
    // The right password still reaches the MFA step.
    const user2 = newUser(username);
    expectTotpRequired(await signIn(user2, username, PASSWORD), username);
  });

  test('admin-created user: newPasswordRequired -> completeNewPasswordChallenge -> mfaSetup -> enrol', async () => {
    const username = uniqueName('erin');
    const created = await createUser(server, pool, username, { password: TEMP_PASSWORD, temporary: true });
    assert.equal(created.UserStatus, 'FORCE_CHANGE_PASSWORD');
    await freshStep(server);

    const user = newUser(username);
    const np = expectKind(await signIn(user, username, TEMP_PASSWORD), 'newPasswordRequired', server);
    const [userAttributes, requiredAttributes] = np.args;
    assert.equal(userAttributes.email, `${username}@example.com`);
    assert.deepEqual(requiredAttributes, []);

    // The new password is accepted, then the ON pool goes straight to MFA_SETUP.
    expectMfaSetup(await completeNewPassword(user, NEW_PASSWORD), username);
    const { secret, verifiedAt, tokens } = await enrolAfterMfaSetup(user, username);
    assert.equal(tokens.id['cognito:username'], username);

    // The temporary password is gone; the new one plus a TOTP code signs in.
    expectFailure(
      await signIn(newUser(username), username, TEMP_PASSWORD),
      'NotAuthorizedException',
      'Incorrect username or password.',
      server,
    );
    const t = await advanceClock(server, STEP);
    assert.equal(t, verifiedAt + STEP);
    const user2 = newUser(username);
    expectTotpRequired(await signIn(user2, username, NEW_PASSWORD), username);
    const ok = expectKind(await sendTotp(user2, totpAt(secret, t)), 'onSuccess', server);
    await checkSession(server, pool, ok.session, username, t);
  });

  test('wrong code at verifySoftwareToken -> EnableSoftwareTokenMFAException; user stays unenrolled', async () => {
    const username = uniqueName('frank');
    await createUser(server, pool, username);
    const t = await freshStep(server);

    const user = newUser(username);
    expectMfaSetup(await signIn(user, username, PASSWORD), username);
    const secret = expectKind(await associate(user), 'associateSecretCode', server).args[0];
    assert.match(secret, SECRET_RE);
    expectFailure(
      await verify(user, wrongCodeAt(secret, t), DEVICE_NAME),
      'EnableSoftwareTokenMFAException',
      'Code mismatch and fail enable Software Token MFA',
      server,
    );

    // No verified token: the next sign-in asks for set-up again, and enrolment then works.
    const user2 = newUser(username);
    expectMfaSetup(await signIn(user2, username, PASSWORD), username);
    const enrol = await enrolAfterMfaSetup(user2, username);
    assert.notEqual(enrol.secret, secret, 'a fresh secret per AssociateSoftwareToken');
  });

  test('OPTIONAL pool: signed-in user enrols with an AccessToken, then setUserMfaPreference turns TOTP on', async () => {
    const optional = await createPool(server, { mfa: 'OPTIONAL', totp: true });
    const username = uniqueName('grace');
    await createUser(server, optional, username);
    const t0 = await freshStep(server);
    const optUser = () => acijUser(server, optional, username, AUTH_FLOW);

    // No factor yet: the password alone signs in.
    const user = optUser();
    const first = expectKind(await signIn(user, username, PASSWORD), 'onSuccess', server);
    await checkSession(server, optional, first.session, username, t0);

    // TOTP cannot be switched on before a token is verified.
    const early = expectKind(
      await setMfaPreference(user, null, { Enabled: true, PreferredMfa: true }),
      'onFailure',
      server,
    );
    assert.equal(early.error.code, 'InvalidParameterException');
    assert.equal(early.error.message, 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA');

    // associateSoftwareToken / verifySoftwareToken in AccessToken mode (acij has a valid session).
    const secret = expectKind(await associate(user), 'associateSecretCode', server).args[0];
    assert.match(secret, SECRET_RE);
    const verified = expectKind(await verify(user, totpAt(secret, t0), DEVICE_NAME), 'onSuccess', server);
    assert.equal(verified.args[0].Status, 'SUCCESS', 'VerifySoftwareToken output in AccessToken mode');
    assert.equal(verified.args[0].Session, undefined, 'no Session when called with an AccessToken');

    // Verified but not yet enabled: still no challenge in an OPTIONAL pool.
    const second = expectKind(await signIn(optUser(), username, PASSWORD), 'onSuccess', server);
    await checkSession(server, optional, second.session, username, t0);

    expectKind(await setMfaPreference(user, null, { Enabled: true, PreferredMfa: true }), 'onSuccess', server);
    const data = expectKind(await getUserData(user), 'onSuccess', server).args[0];
    assert.deepEqual(data.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(data.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

    // Now the sign-in asks for a code; the next step's code signs in.
    const user3 = optUser();
    const challenge = expectKind(await signIn(user3, username, PASSWORD), 'totpRequired', server);
    assert.equal(challenge.args[0], 'SOFTWARE_TOKEN_MFA');
    assert.equal(challenge.args[1].FRIENDLY_DEVICE_NAME, DEVICE_NAME);
    const t1 = await advanceClock(server, STEP);
    const ok = expectKind(await sendTotp(user3, totpAt(secret, t1)), 'onSuccess', server);
    await checkSession(server, optional, ok.session, username, t1);
  });

  test('the SOFTWARE_TOKEN_MFA Session acij keeps is single-use and expires after 3 minutes', async () => {
    const { username, secret, verifiedAt } = await enrolledUser('heidi');

    // Used once by a success: the same CognitoUser (same Session) with a fresh, valid code fails.
    const t1 = await advanceClock(server, STEP);
    assert.equal(t1, verifiedAt + STEP);
    const user = newUser(username);
    expectTotpRequired(await signIn(user, username, PASSWORD), username);
    expectKind(await sendTotp(user, totpAt(secret, t1)), 'onSuccess', server);
    const t2 = await advanceClock(server, STEP);
    expectFailure(
      await sendTotp(user, totpAt(secret, t2)),
      'NotAuthorizedException',
      'Invalid session for the user, session can only be used once.',
      server,
    );

    // Expired: the client's AuthSessionValidity defaults to 3 minutes.
    const user2 = newUser(username);
    expectTotpRequired(await signIn(user2, username, PASSWORD), username);
    const t3 = await advanceClock(server, 3 * 60 + 1);
    expectFailure(
      await sendTotp(user2, totpAt(secret, t3)),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
      server,
    );

    // Neither failure spent that code: a fresh sign-in uses it.
    const user3 = newUser(username);
    expectTotpRequired(await signIn(user3, username, PASSWORD), username);
    const ok = expectKind(await sendTotp(user3, totpAt(secret, t3)), 'onSuccess', server);
    await checkSession(server, pool, ok.session, username, t3);
  });
});
