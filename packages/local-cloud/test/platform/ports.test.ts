import { PlatformPortRangeError, platformPorts } from '../../src/platform';

describe('the services’ ports', () => {
  it('follow the REST API and Lambda ports: WebSocket N+2, S3 N+3, SNS N+4, secrets N+5, identity N+6, DynamoDB N+7', () => {
    expect(platformPorts(3000)).toEqual({
      websocket: 3002,
      s3: 3003,
      sns: 3004,
      secrets: 3005,
      identity: 3006,
      dynamodb: 3007,
    });
  });

  it('are all free ports (0) when the REST API takes a free port', () => {
    expect(Object.values(platformPorts(0))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses a REST API port that leaves no room below 65536, naming the highest it accepts', () => {
    expect(platformPorts(65_528).dynamodb).toBe(65_535);
    expect(() => platformPorts(65_530)).toThrow(PlatformPortRangeError);
    expect(() => platformPorts(65_530)).toThrow(/choose a port of 65528 or lower/);
  });
});
