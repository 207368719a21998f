import { DEFAULT_RETRY_DELAYS_MS, createInvokeApi } from '../../src/invoke-api/invoke-api';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { CREDENTIALS, REGION } from './invoke-api-harness';

const lambda = new FakeLambdaService({});

describe('createInvokeApi', () => {
  it('waits 1 s then 2 s between retries unless told otherwise (AWS: about 1 then 2 minutes)', () => {
    expect(DEFAULT_RETRY_DELAYS_MS).toEqual([1000, 2000]);
  });

  it.each([[[-1, 2000]], [[1000]], [[1000, Number.NaN]]])(
    'refuses retry delays of %j, saying what it takes',
    (retryDelaysMs) => {
      expect(() =>
        createInvokeApi({
          lambda,
          credentials: CREDENTIALS,
          region: REGION,
          retryDelaysMs: retryDelaysMs as unknown as [number, number],
        }),
      ).toThrow(/retryDelaysMs must be two non-negative numbers of milliseconds, such as \[1000, 2000\]/);
    },
  );
});
