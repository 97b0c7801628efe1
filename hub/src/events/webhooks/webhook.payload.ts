import type { FleetEventView } from '../event-reads.js';

export type WebhookFormat = 'json' | 'slack';

/** The body POSTed for an event (pure): the event itself, or a Slack-compatible message. */
export function webhookBody(event: FleetEventView, format: WebhookFormat): string {
  if (format === 'slack') {
    const icon = event.severity === 'error' ? ':red_circle:' : event.severity === 'warning' ? ':warning:' : ':large_blue_circle:';
    return JSON.stringify({ text: `${icon} *${event.kind}* ${event.message}`, flotilla: event });
  }
  return JSON.stringify(event);
}
