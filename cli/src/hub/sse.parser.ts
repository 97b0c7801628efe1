/** One Server-Sent Events record (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface SseRecord {
  id?: string;
  event: string;
  data: string;
}

/**
 * Incremental SSE parser (pure): feed it chunks of text, get complete
 * records; comments (`:`) and `retry:` are skipped, multi-line `data:` is
 * joined with newlines. A record ends with a blank line (LF or CRLF).
 */
export class SseParser {
  private buffer = '';

  push(text: string): SseRecord[] {
    this.buffer += text.replace(/\r\n/g, '\n');
    const out: SseRecord[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) out.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') });
    }
    return out;
  }
}
