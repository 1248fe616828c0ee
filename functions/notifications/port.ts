/**
 * Messages to people (e-mail, SMS), through one port. Which transport carries them is
 * configuration (configure.ts): GOV.UK Notify on AWS, an outbox folder on this machine. Callers
 * name a template by its logical name; the transport maps it to what it needs (a Notify
 * template id, or nothing for the outbox).
 */
export const notificationChannels = ['email', 'sms'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export interface Notification {
  readonly channel: NotificationChannel;
  /** An e-mail address or a telephone number. */
  readonly to: string;
  /** The logical template name, e.g. `case-review-outcome`. */
  readonly template: string;
  /** The template's fields, as text (Notify takes strings; lists as lines). */
  readonly personalisation: Readonly<Record<string, string>>;
  /**
   * A stable id for this message (e.g. made from the event it tells of): sending it again
   * writes the same outbox file, and Notify gets it as the `reference`.
   */
  readonly id: string;
}

export interface SentNotification {
  readonly id: string;
  /** The transport's own id (Notify's notification id), where it has one. */
  readonly providerId?: string;
}

export interface Notifier {
  send(notification: Notification): Promise<SentNotification>;
}

/** The message could not be sent: retried by whoever asked (a consumer), or reported (a route). */
export class NotificationFailedError extends Error {
  override name = 'NotificationFailedError';
}
