// The bootstrap of a sandbox: the first code a sandbox process runs, playing the part of Lambda's Node.js
// runtime (aws-lambda-nodejs-runtime-interface-client). Plain JavaScript, because the child runs on bare Node,
// without tsx or any loader; the parent's side of the protocol is sandbox.ts.
//
// Protocol over the IPC channel, one JSON message each way per invocation:
//   child -> parent  ['ready'] | ['init-error', errorPayloadJson]     once, after loading the handler module
//   parent -> child  [requestId, payloadJson, deadlineEpochMs, clientContextBase64 | null]
//   child -> parent  ['done', requestId, isError (0|1), payloadJson, maxRssKb, exiting (0|1)]
//   child -> parent  ['log', line]                       for every console call and stdout line, as it happens
// Log lines go through the channel rather than the stdout pipe so they reach the parent in order with the
// result (a second pipe's data could arrive after it), and before a busy loop that never yields again.
'use strict';

const util = require('node:util');

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

function send(message, then) {
  if (process.connected) process.send(message, then);
}

// ---- console: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, as the runtime writes it ----------------------

function logger(level) {
  return (...params) => {
    send(['log', `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...params)}`]);
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
    for (const line of lines) send(['log', line]);
    if (typeof done === 'function') process.nextTick(done);
    return true;
  };
  return () => {
    if (carry !== '') send(['log', carry]);
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
// IPC channel and the stdio pipes always keep the loop alive, so "empty" means: no active resource beyond those.

// Measured once the IPC channel is listened to and stdout/stderr exist (captureLines opened them above).
process.on('message', onInvoke);
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
try {
  handler = loadHandler();
  send(['ready']);
} catch (error) {
  console.error('Uncaught Exception', toLogText(error));
  send(['init-error', JSON.stringify(toErrorPayload(error))]);
}

function loadHandler() {
  let userModule;
  try {
    userModule = require(bundle);
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(error));
    if (error && error.code === 'MODULE_NOT_FOUND') throw runtimeError('ImportModuleError', String(error));
    throw error;
  }
  const found = exportPath.split('.').reduce((value, key) => (value ? value[key] : undefined), userModule);
  if (!found) throw runtimeError('HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof found !== 'function')
    throw runtimeError('HandlerNotFound', `${handlerString} is not a function`);
  return found;
}

// ---- invocations -------------------------------------------------------------------------------------------

function onInvoke(message) {
  const [requestId, payload, deadline, clientContext] = message;
  currentRequestId = requestId;
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
    send(['done', requestId, isError ? 1 : 0, body, process.resourceUsage().maxRSS, exiting ? 1 : 0], then);
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

// Without the emulator there is nobody to serve: a sandbox never outlives its parent.
process.on('disconnect', () => process.exit(0));
