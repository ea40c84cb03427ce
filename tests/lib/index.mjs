// Everything the API and security tests share.
export * from './env.mjs';
export * from './http.mjs';
export * from './db.mjs';
export * from './jwt.mjs';
export * from './auth.mjs';
export * from './ctl.mjs';
export * from './cleanup.mjs';
export * from './totp.mjs';
