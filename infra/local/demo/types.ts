import type { Role } from '../../topology.ts';

export interface DemoContext {
  gateway: string;
  stateDir: string;
  /** A bearer token for a role, for demo steps that act as an officer or finance. */
  token: (role: Role) => Promise<string>;
  log: (line: string) => void;
}
