/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface BusRule {
  /** Rule name; also names the target in the journal and the dead-letter store. */
  name: string;
  pattern: Record<string, unknown>;
  invoke: (event: BusEvent) => Promise<unknown>;
}
