import { UsageError } from '../args/usage.error.js';

/** Far longer than any API token: stdin that is a file or a pipe of something else is refused, not read whole. */
const MAX_TOKEN_BYTES = 4096;

/** Reads a token from `stdin` (`--token-stdin`): surrounding whitespace and the final newline dropped. */
export async function readToken(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += buffer.length;
    if (total > MAX_TOKEN_BYTES) throw new UsageError(`--token-stdin: stdin is over ${MAX_TOKEN_BYTES} bytes, not a token`);
    chunks.push(buffer);
  }
  const token = Buffer.concat(chunks).toString('utf8').trim();
  if (!token) throw new UsageError('--token-stdin: stdin is empty');
  if (/\s/.test(token)) throw new UsageError('--token-stdin: stdin holds more than one word, not a token');
  return token;
}
