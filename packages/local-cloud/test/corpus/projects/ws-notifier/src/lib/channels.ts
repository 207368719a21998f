export const CHANNELS = ['deploys', 'alerts', 'incidents'] as const;

export type Channel = (typeof CHANNELS)[number];

export const isChannel = (name: unknown): name is Channel => CHANNELS.includes(name as Channel);
