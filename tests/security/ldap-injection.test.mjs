// LDAP filter injection through the login's username (issue §3: the value
// is escaped per RFC 4515, exactly one entry or failure). Every attempt is
// refused by validation (422 username) or fails to sign in (401): none
// ever logs in. Each attempt comes from its own loopback address, so no
// counter of 127.0.0.1 moves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginRaw, show, freshAddress, setCookies, SESSION_COOKIE, assertProblem } from '../lib/index.mjs';

const PASSWORDS = ['demo', '*', 'x'];

const USERNAMES = [
  '*',
  'a*',
  '*admin*',
  'admin*',
  'admin)(uid=*',
  'admin)(|(uid=*',
  '*)(uid=*))(|(uid=*',
  'admin)(&)',
  'admin)(objectClass=*',
  '*)(userPassword=*',
  'admin\\2a',
  'admin\\29(uid=*',
  'ad(min',
  'admin,ou=people',
  'uid=admin,ou=people,dc=ac-lyon,dc=fr',
  ' admin',
  'admin ',
];

for (const username of USERNAMES) {
  test(`username ${JSON.stringify(username)} never signs in`, async () => {
    const addr = freshAddress();
    for (const password of PASSWORDS) {
      const res = await loginRaw('lyon', username, password, { localAddress: addr });
      assert.ok(res.status === 422 || res.status === 401, `refused: ${show(res)}`);
      if (res.status === 422) assertProblem(res, 422, 'invalid_field', 'username');
      else assertProblem(res, 401, 'invalid_credentials');
      assert.equal(res.body.access_token, undefined);
      assert.equal(setCookies(res)[SESSION_COOKIE], undefined, 'no session cookie');
    }
  });
}

test('the filter metacharacters are refused by validation, before LDAP', async () => {
  const addr = freshAddress();
  for (const username of ['*', 'a*', 'admin)(uid=*', 'a(b', 'a\\b', 'a\u0001b', 'a b']) {
    assertProblem(await loginRaw('lyon', username, 'demo', { localAddress: addr }), 422, 'invalid_field', 'username');
  }
  // A NUL byte (which would cut a C string short) does not even parse.
  assertProblem(await loginRaw('lyon', 'admin\u0000', 'demo', { localAddress: addr }), 400, 'malformed_json');
});

test('a wildcard never matches a real account whose password is known', async () => {
  // stagiaire1's password is "demo": a filter built without escaping would
  // find them through "stagiaire*" or "stagiaire1)(uid=*".
  const addr = freshAddress();
  for (const username of ['stagiaire*', 'stagiaire1)(uid=*', 's*1', 'stagiaire1*']) {
    const res = await loginRaw('lyon', username, 'demo', { localAddress: addr });
    assert.notEqual(res.status, 200, show(res));
  }
  // The account itself works.
  assert.equal((await loginRaw('lyon', 'stagiaire1', 'demo', { localAddress: addr })).status, 200);
  // Case differences are the directory's business, not an injection: the
  // answer is one person or a plain refusal, never someone else.
  const upper = await loginRaw('lyon', 'STAGIAIRE1', 'demo', { localAddress: addr });
  assert.ok(upper.status === 200 || upper.status === 401, show(upper));
});
