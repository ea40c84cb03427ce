// A small FastCGI client, to talk to a tutoratd socket without nginx (as
// nginx does: one request per connection, FCGI_RESPONDER, no keep-alive).
// Used by the tests that run a tutoratd of their own.

import { connect } from 'node:net';

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const RESPONDER = 1;
const REQUEST_ID = 1;

function record(type, content = Buffer.alloc(0)) {
  const head = Buffer.alloc(8);
  head.writeUInt8(VERSION, 0);
  head.writeUInt8(type, 1);
  head.writeUInt16BE(REQUEST_ID, 2);
  head.writeUInt16BE(content.length, 4);
  return Buffer.concat([head, content]);
}

/** Records of `type` carrying data, split at the 65535-byte record limit. */
function stream(type, data) {
  const out = [];
  for (let at = 0; at < data.length; at += 65535) out.push(record(type, data.subarray(at, at + 65535)));
  return out;
}

function pairLength(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function encodeParams(params) {
  return Buffer.concat(Object.entries(params).flatMap(([k, v]) => {
    const name = Buffer.from(k);
    const value = Buffer.from(String(v));
    return [pairLength(name.length), pairLength(value.length), name, value];
  }));
}

/** Splits a CGI answer ("Status: 200 OK\r\nContent-Type: …\r\n\r\nbody"). */
function parseAnswer(raw) {
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const bodyText = end < 0 ? '' : text.slice(end + 4);
  const headers = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number.parseInt(headers.status ?? '200', 10);
  let body = bodyText;
  if ((headers['content-type'] ?? '').includes('json') && bodyText !== '') body = JSON.parse(bodyText);
  return { status, headers, body, text: bodyText };
}

/**
 * Opens one FastCGI request on the unix socket `socketPath` and sends its
 * parameters (`params`: more CGI parameters as nginx would set them). The
 * body is sent with write() and end(), so that a test can
 * hold a request in flight. `answer` resolves to {status, headers, body,
 * text} at FCGI_END_REQUEST and rejects when the connection ends or fails
 * before it, or after `waitMs` (a bound, so that a test never hangs).
 */
export function openRequest(socketPath, {
  method = 'GET', path, query = '', contentType, contentLength = 0, headers = {},
  remoteAddr = '192.0.2.1', params: extra = {}, waitMs = 15000,
} = {}) {
  const sock = connect(socketPath);
  const begin = Buffer.alloc(8);
  begin.writeUInt16BE(RESPONDER, 0);
  const params = {
    GATEWAY_INTERFACE: 'CGI/1.1', SERVER_PROTOCOL: 'HTTP/1.1', REQUEST_METHOD: method,
    SCRIPT_NAME: path, DOCUMENT_URI: path, REQUEST_URI: query ? `${path}?${query}` : path,
    QUERY_STRING: query, REMOTE_ADDR: remoteAddr, CONTENT_LENGTH: String(contentLength),
    ...(contentType ? { CONTENT_TYPE: contentType } : {}),
    ...Object.fromEntries(Object.entries(headers)
      .map(([k, v]) => [`HTTP_${k.toUpperCase().replaceAll('-', '_')}`, v])),
    ...extra, // parameters nginx sets itself (REQUEST_ID, REQUEST_START)
  };
  sock.write(Buffer.concat([
    record(BEGIN_REQUEST, begin), ...stream(PARAMS, encodeParams(params)), record(PARAMS),
  ]));

  const answer = new Promise((resolve, reject) => {
    let input = Buffer.alloc(0);
    const stdout = [];
    let done = false;
    const finish = (fn, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      fn(value);
    };
    const timer = setTimeout(() => finish(reject,
      new Error(`${method} ${path}: no answer from ${socketPath} within ${waitMs / 1000}s`)), waitMs);
    sock.on('data', (chunk) => {
      input = Buffer.concat([input, chunk]);
      while (input.length >= 8) {
        const type = input.readUInt8(1);
        const length = input.readUInt16BE(4);
        const padding = input.readUInt8(6);
        if (input.length < 8 + length + padding) break;
        const content = input.subarray(8, 8 + length);
        input = input.subarray(8 + length + padding);
        if (type === STDOUT) stdout.push(content);
        if (type === END_REQUEST) return finish(resolve, parseAnswer(Buffer.concat(stdout)));
      }
    });
    sock.on('error', (err) => finish(reject,
      new Error(`${method} ${path}: connection failed before the answer: ${err.code ?? err.message}`)));
    sock.on('close', () => finish(reject,
      new Error(`${method} ${path}: connection closed before the answer`)));
  });
  answer.catch(() => {}); // a caller may look at it late; never an unhandled rejection

  return {
    answer,
    /** Sends part of the body. */
    write(data) { for (const r of stream(STDIN, Buffer.from(data))) sock.write(r); },
    /** Sends the rest of the body (if any) and the end of the input. */
    end(data) {
      if (data !== undefined) this.write(data);
      sock.write(record(STDIN));
    },
  };
}

/** One whole request; resolves to its answer (see openRequest). */
export function fcgiRequest(socketPath, { json, ...opts } = {}) {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const req = openRequest(socketPath, {
    ...opts,
    contentLength: body?.length ?? 0,
    ...(body ? { contentType: 'application/json' } : {}),
  });
  req.end(body);
  return req.answer;
}
