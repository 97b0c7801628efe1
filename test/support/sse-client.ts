import { SseParser } from '../../cli/src/hub/sse.parser.ts';
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
      const parser = new SseParser();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const r of parser.push(decoder.decode(chunk, { stream: true }))) events.push({ id: r.id ?? '', event: r.event, data: JSON.parse(r.data) });
      }
    } catch {
      resolveStatus(0);
    }
  })();
  return { events, status, close: () => controller.abort() };
}
