import { CliError } from '../errors/cli.error.js';

/**
 * The body of `response` as text, refusing (and cancelling the download of)
 * one over `maxBytes`: by its Content-Length when it has one, else as it
 * streams.
 */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new CliError(`the hub's answer to ${new URL(response.url).pathname} is over ${maxBytes} bytes`, 'ResponseTooLarge');
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
