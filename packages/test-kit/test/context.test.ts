import { createContext } from '../src';

describe('createContext', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('fills every field the Node.js runtime passes, with ARNs and log names derived from the function name', () => {
    const context = createContext({ functionName: 'hello', memoryLimitInMB: 256, region: 'eu-west-1' });

    expect(context).toMatchObject({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'hello',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:hello',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/hello',
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('gives every context its own request id', () => {
    expect(createContext().awsRequestId).not.toBe(createContext().awsRequestId);
  });

  it('counts the remaining time down from the timeout as the clock moves, stopping at zero', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const context = createContext({ timeoutMs: 3000 });

    const atStart = context.getRemainingTimeInMillis();
    jest.advanceTimersByTime(1200);
    const later = context.getRemainingTimeInMillis();
    jest.advanceTimersByTime(5000);
    const pastTheDeadline = context.getRemainingTimeInMillis();

    expect([atStart, later, pastTheDeadline]).toEqual([3000, 1800, 0]);
  });

  it('defaults to the AWS default timeout of 3 seconds', () => {
    jest.useFakeTimers({ now: 0 });

    expect(createContext().getRemainingTimeInMillis()).toBe(3000);
  });

  it.each([
    [{ memoryLimitInMB: 64 }, /memoryLimitInMB must be a whole number from 128 to 10240/],
    [{ memoryLimitInMB: 10_241 }, /memoryLimitInMB/],
    [{ timeoutMs: 900_001 }, /timeoutMs must be a whole number from 1 to 900000/],
    [{ timeoutMs: 0 }, /timeoutMs/],
  ])('refuses %j, outside what Lambda allows', (options, message) => {
    expect(() => createContext(options)).toThrow(message);
  });

  it('explains that the legacy completion methods are replaced by async handlers and callbacks', () => {
    const context = createContext();

    expect(() => context.succeed('done')).toThrow(/return a value \(or throw\) from an async handler/);
  });
});
