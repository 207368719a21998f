import { PlatformPortRangeError, platformPorts } from '../../src/platform';

describe('the services’ ports', () => {
  it('follow the REST API and the AWS endpoint (N+1): WebSocket N+2, identity N+3', () => {
    expect(platformPorts(3000)).toEqual({ websocket: 3002, identity: 3003 });
  });

  it('are all free ports (0) when the REST API takes a free port', () => {
    expect(Object.values(platformPorts(0))).toEqual([0, 0]);
  });

  it('refuses a REST API port that leaves no room below 65536, naming the highest it accepts', () => {
    expect(platformPorts(65_532).identity).toBe(65_535);
    expect(() => platformPorts(65_533)).toThrow(PlatformPortRangeError);
    expect(() => platformPorts(65_533)).toThrow(/choose a port of 65532 or lower/);
  });
});
