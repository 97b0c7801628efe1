import type { TestHub } from './hub.ts';

export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

export interface SseStream {
  events: SseEvent[];
  status: Promise<number>;
  close(): void;
}

/** Opens an SSE stream on the hub with the admin token and parses its records as they arrive. */
export function openSse(hub: TestHub, path: string, headers: Record<string, string> = {}): SseStream {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let resolveStatus: (s: number) => void = () => undefined;
  const status = new Promise<number>((r) => (resolveStatus = r));
  void (async () => {
    try {
      const res = await fetch(`${hub.httpUrl}${path}`, { headers: { authorization: `Bearer ${hub.adminToken}`, ...headers }, signal: controller.signal });
      resolveStatus(res.status);
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const record = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(record.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]));
          if (fields.data !== undefined) events.push({ id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) });
        }
      }
    } catch {
      resolveStatus(0);
    }
  })();
  return { events, status, close: () => controller.abort() };
}
