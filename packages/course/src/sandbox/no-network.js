// Preloaded (node --require) into a graded run and every Node process it starts: any connection to a host
// other than this machine's loopback throws, and so does a DNS lookup of any other name. It is a guard
// against a submission calling out (or hanging on a network that is not there), not a security boundary;
// run the grader in a container without a network for that (docs/instructors.md).
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

function refuse(host) {
  const error = new Error(
    `Network access to ${host} is blocked while grading: tests may only reach 127.0.0.1 and ::1 (local-cloud).`,
  );
  error.code = 'ECONNREFUSED';
  return error;
}

function hostOf(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return hostOf(first);
  if (first !== null && typeof first === 'object') {
    if (typeof first.path === 'string' && first.port === undefined) return undefined;
    return first.host ?? first.hostname ?? 'localhost';
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
  return typeof second === 'string' ? second : 'localhost';
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = hostOf(args);
  if (host !== undefined && !LOOPBACK.has(String(host).replace(/^\[|\]$/g, ''))) throw refuse(host);
  return connect.apply(this, args);
};

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  for (const target of [dns, dns.promises]) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    target[name] = function guardedLookup(hostname, ...rest) {
      if (LOOPBACK.has(hostname)) return original.call(this, hostname, ...rest);
      if (target === dns.promises) return Promise.reject(refuse(hostname));
      throw refuse(hostname);
    };
  }
}

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(...args) {
  const address = args.find((arg, index) => index > 0 && typeof arg === 'string');
  if (address !== undefined && !LOOPBACK.has(address)) throw refuse(address);
  return send.apply(this, args);
};
