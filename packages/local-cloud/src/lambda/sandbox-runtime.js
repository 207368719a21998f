// The bootstrap of a sandbox: the first code a sandbox process runs, playing the part of Lambda's Node.js
// runtime (aws-lambda-nodejs-runtime-interface-client). Plain JavaScript, because the child runs on bare Node,
// without tsx or any loader; the parent's side of the protocol is sandbox.ts.
//
// Protocol: frames (sandbox-protocol.js: a JSON header line, then the body as raw text) over two pipes the
// emulator opens as extra stdio, fd 3 towards the sandbox and fd 4 back:
//   fd 4  ['ready'] | ['init-error'] + errorPayloadJson          once, after loading the handler module
//   fd 3  ['invoke', requestId, deadlineEpochMs, clientContextBase64 | null, traceHeader | null] + payloadJson
//   fd 4  ['done', requestId, isError (0|1), maxRssKb, exiting (0|1)] + payloadJson
//   fd 4  ['log'] + line                      for every console call and stdout line, as it happens
// Log lines go through fd 4 rather than the stdout pipe so they reach the parent in order with the result (a
// second pipe's data could arrive after it). Every frame is written with one synchronous write on a blocking
// pipe, so it is out before the next line of the handler runs: before a busy loop that never yields again,
// before process.exit(). (Node's IPC channel, used before, cost measurably more CPU per invocation: its
// messages are JSON inside JSON, and its asynchronous writes schedule callbacks.)
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const util = require('node:util');
const { encodeFrame, FrameDecoder } = require('./sandbox-protocol.js');

// Before the handler loads: calls to AWS hostnames reach local-cloud (sandbox-aws-hosts.js).
require('./sandbox-aws-hosts.js').redirectAwsHosts(process.env.AWS_ENDPOINT_URL);

const FROM_EMULATOR_FD = 3;
const TO_EMULATOR_FD = 4;

const { bundle, handler: handlerString, exportPath, invokedFunctionArn } = JSON.parse(process.argv[2]);
const env = process.env;
const functionName = env.AWS_LAMBDA_FUNCTION_NAME;
const functionVersion = env.AWS_LAMBDA_FUNCTION_VERSION;
const memoryLimitInMB = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const logGroupName = env.AWS_LAMBDA_LOG_GROUP_NAME;
const logStreamName = env.AWS_LAMBDA_LOG_STREAM_NAME;

/** Lambda tags lines written outside an invocation (module scope) with "undefined". */
let currentRequestId;
/** The invocation in progress: its finish function, or null between invocations. */
let finishCurrent = null;

/** For a pause of a millisecond with Atomics.wait, should the pipe to the emulator be full (see send). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Writes one frame to the emulator, all of it, before returning. */
function send(fields, body = '') {
  const frame = encodeFrame(fields, body);
  const total = Buffer.byteLength(frame);
  let written = 0;
  let bytes; // the frame as bytes, made only if a write stops part-way
  while (written < total) {
    try {
      // libuv writes all of it on the blocking pipe; a partial write needs a descriptor made non-blocking
      // (by a process the handler started that shares it, say). Then wait a moment and send the rest.
      written +=
        bytes === undefined
          ? fs.writeSync(TO_EMULATOR_FD, frame)
          : fs.writeSync(TO_EMULATOR_FD, bytes, written);
    } catch (error) {
      if (error.code !== 'EAGAIN') return; // the emulator is gone: nobody to tell, and fd 3's end exits
      Atomics.wait(PAUSE, 0, 0, 1);
    }
    if (written < total && bytes === undefined) bytes = Buffer.from(frame);
  }
}

// ---- console: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, as the runtime writes it ----------------------

function logger(level) {
  return (...params) => {
    send(['log'], `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...params)}`);
  };
}
console.trace = logger('TRACE');
console.debug = logger('DEBUG');
console.info = logger('INFO');
console.log = console.info;
console.warn = logger('WARN');
console.error = logger('ERROR');
console.fatal = logger('FATAL');

// ---- stdout and stderr -------------------------------------------------------------------------------------
// What a handler (or a library) writes to stdout or stderr directly lands in the log too, line by line, as
// Lambda captures both; through the channel, so it stays in order with the console lines and the result. Only
// output from native code and child processes reaches the real pipes, which the parent reads.

function captureLines(stream) {
  let carry = '';
  stream.write = (chunk, encoding, callback) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    const text =
      typeof chunk !== 'string'
        ? Buffer.from(chunk).toString('utf8')
        : typeof encoding === 'string'
          ? Buffer.from(chunk, encoding).toString('utf8')
          : chunk;
    const lines = (carry + text).split('\n');
    carry = lines.pop();
    for (const line of lines) send(['log'], line);
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
  return () => {
    if (carry !== '') send(['log'], carry);
    carry = '';
  };
}
const flushStdout = captureLines(process.stdout);
const flushStderr = captureLines(process.stderr);

// ---- errors, shaped as the runtime shapes them -------------------------------------------------------------

function runtimeError(name, message) {
  const error = new Error(message);
  error.name = `Runtime.${name}`;
  return error;
}

/** The invoke response for an error: {errorType, errorMessage, trace}. */
function toErrorPayload(error) {
  try {
    if (util.types.isNativeError(error) || looksLikeError(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function looksLikeError(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.name === 'string' &&
    typeof value.message === 'string' &&
    typeof value.stack === 'string'
  );
}

/** The log form: a tab, then the error as JSON with its own enumerable properties and the stack as lines. */
function toLogText(error) {
  const replacer = (_key, value) => {
    if (!(value instanceof Error)) return value;
    const copy = Object.assign(
      { errorType: value.name, errorMessage: value.message, code: value.code },
      value,
    );
    if (typeof value.stack === 'string') copy.stack = value.stack.split('\n');
    return copy;
  };
  try {
    return '\t' + JSON.stringify(error, replacer);
  } catch {
    return '\t' + JSON.stringify(toErrorPayload(error));
  }
}

// ---- waiting for an empty event loop (callbackWaitsForEmptyEventLoop) ---------------------------------------
// The runtime answers a callback-style invocation only when Node's event loop has nothing left to do. Here the
// pipe from the emulator and the stdio pipes always keep the loop alive, so "empty" means: no active resource
// beyond those.

// Measured once the pipe from the emulator is read and stdout/stderr exist (captureLines opened them above).
const invocations = new FrameDecoder(onInvoke);
const fromEmulator = new net.Socket({
  fd: FROM_EMULATOR_FD,
  readable: true,
  writable: false,
  // Each read lands in this one buffer and goes straight to the decoder, bypassing the stream machinery that
  // 'data' events take: measurably less CPU per invocation in the sandbox (the decoder copies what it keeps).
  onread: {
    buffer: Buffer.allocUnsafe(64 * 1024),
    callback: (length, buffer) => invocations.push(buffer.subarray(0, length)),
  },
});
// Without the emulator there is nobody to serve: a sandbox never outlives its parent.
fromEmulator.on('end', () => process.exit(0));
fromEmulator.on('error', () => process.exit(0));
const baseline = countResources();

function countResources() {
  const counts = new Map();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) || 0) + 1);
  return counts;
}

function eventLoopIsEmpty() {
  for (const [type, count] of countResources()) if (count > (baseline.get(type) || 0)) return false;
  return true;
}

let whenEmpty = null;

function finishWhenEventLoopEmpty(finish) {
  const polling = whenEmpty !== null;
  whenEmpty = finish;
  if (polling) return;
  const check = () => {
    if (whenEmpty === null) return;
    if (eventLoopIsEmpty()) {
      const finishNow = whenEmpty;
      whenEmpty = null;
      finishNow();
    } else {
      // Unreferenced, so the poll itself never counts as pending work.
      setTimeout(check, 1).unref();
    }
  };
  setImmediate(check);
}

// ---- loading the handler (the init phase) ------------------------------------------------------------------

let handler;
loadHandler().then(
  (loaded) => {
    handler = loaded;
    send(['ready']);
  },
  (error) => {
    console.error('Uncaught Exception', toLogText(error));
    send(['init-error'], JSON.stringify(toErrorPayload(error)));
  },
);

async function loadHandler() {
  let userModule;
  try {
    // An ES module bundle (a module with top-level await) is imported, and its await finishes first, as
    // Lambda's init phase waits for it; a CommonJS one is required.
    userModule = bundle.endsWith('.mjs')
      ? await import(require('node:url').pathToFileURL(bundle).href)
      : require(bundle);
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(error));
    if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
      throw runtimeError('ImportModuleError', String(error));
    }
    throw error;
  }
  const found = exportPath.split('.').reduce((value, key) => (value ? value[key] : undefined), userModule);
  if (!found) throw runtimeError('HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof found !== 'function')
    throw runtimeError('HandlerNotFound', `${handlerString} is not a function`);
  if (refusesCallbackHandlers() && isCallbackHandler(found)) {
    throw runtimeError(
      'CallbackHandlerDeprecated',
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. ' +
        'You need to modify this function to use a supported handler signature to use Node.js 24 or later. ' +
        'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
    );
  }
  return found;
}

// The nodejs24.x runtime and later refuse, at init, a handler written for a callback: one that takes three
// parameters and is not async (the test the runtime interface client applies). Older runtimes still run it.
function refusesCallbackHandlers() {
  const runtime = /^AWS_Lambda_nodejs(\d+)/.exec(env.AWS_EXECUTION_ENV || '');
  return runtime !== null && Number(runtime[1]) >= 24;
}

function isCallbackHandler(fn) {
  return fn.length === 3 && fn.constructor.name !== 'AsyncFunction';
}

// ---- invocations -------------------------------------------------------------------------------------------

function onInvoke(fields, payload) {
  const [, requestId, deadline, clientContext, traceHeader] = fields;
  currentRequestId = requestId;
  // As Lambda's runtime does, per invocation: the X-Ray SDK reads it to attach subsegments to this invocation.
  if (traceHeader) env._X_AMZN_TRACE_ID = traceHeader;
  else delete env._X_AMZN_TRACE_ID;
  let finished = false;
  let waitsForEmptyEventLoop = true;

  const finish = (isError, value, exiting = false, then = undefined) => {
    if (finished) return;
    finished = true;
    finishCurrent = null;
    whenEmpty = null;
    let body;
    if (isError) {
      if (!exiting) console.error('Invoke Error', toLogText(value));
      body = JSON.stringify(toErrorPayload(value));
    } else {
      try {
        body = JSON.stringify(value === undefined ? null : value);
      } catch {
        finished = false;
        finish(true, new Error('Unable to stringify response body'));
        return;
      }
    }
    flushStdout();
    flushStderr();
    send(['done', requestId, isError ? 1 : 0, process.resourceUsage().maxRSS, exiting ? 1 : 0], body);
    if (then) then();
  };
  finishCurrent = finish;

  let callbackCalled = false;
  const callback = (error, result) => {
    if (callbackCalled) return;
    callbackCalled = true;
    if (error !== undefined && error !== null) finish(true, error);
    else if (!waitsForEmptyEventLoop) finish(false, result);
    else finishWhenEventLoopEmpty(() => finish(false, result));
  };

  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitsForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitsForEmptyEventLoop = value;
    },
    succeed: (result) => finish(false, result),
    fail: (error) => finish(true, error === undefined || error === null ? 'handled' : error),
    done: (error, result) =>
      error !== undefined && error !== null ? finish(true, error) : finish(false, result),
    functionVersion,
    functionName,
    memoryLimitInMB,
    logGroupName,
    logStreamName,
    clientContext: decodeClientContext(clientContext),
    identity: undefined,
    invokedFunctionArn,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };

  let result;
  try {
    result = handler(JSON.parse(payload === '' ? '{}' : payload), context, callback);
  } catch (error) {
    callback(error);
    return;
  }
  if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
    // A returned promise settles the invocation as soon as it does, whatever the event loop holds.
    Promise.resolve(result).then(context.succeed, context.fail);
  } else if (!callbackCalled) {
    // A handler that neither returns a promise nor calls back succeeds with null once the loop is empty.
    finishWhenEventLoopEmpty(() => {
      if (!callbackCalled) finish(false, null);
    });
  }
}

function decodeClientContext(encoded) {
  if (!encoded) return undefined;
  try {
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

// ---- faults: the runtime reports the error for the invocation in progress, then exits ----------------------

process.on('uncaughtException', (error) => {
  console.error('Uncaught Exception', toLogText(error));
  failAndExit(error, 129);
});

process.on('unhandledRejection', (reason) => {
  const error = runtimeError(
    'UnhandledPromiseRejection',
    reason === undefined || reason === null ? String(reason) : reason.toString(),
  );
  console.error('Unhandled Promise Rejection', toLogText(error));
  failAndExit(error, 128);
});

function failAndExit(error, code) {
  if (finishCurrent) finishCurrent(true, error, true, () => process.exit(code));
  else process.exit(code);
}
