/**
 * A TCP proxy that adds a fixed one-way delay to every chunk in both
 * directions, so a client on loopback sees the round-trip time of a real
 * network (TLS passes through untouched). Runs in its own process so that
 * its work does not share the benchmarked client's event loop.
 *
 *   node bench/apply-500/latency-proxy.ts <listen-port> <target-host:port> <rtt-ms>
 *
 * Prints "ready <port>" on stdout once listening (port 0 picks a free one).
 */
import { connect, createServer, type Socket } from 'node:net';

const [listenPort, target, rttArg] = process.argv.slice(2);
const [targetHost, targetPort] = (target ?? '').split(':');
const oneWayMs = Number(rttArg) / 2;
if (!targetHost || !targetPort || !Number.isFinite(oneWayMs) || oneWayMs < 0) {
  process.stderr.write('usage: latency-proxy.ts <listen-port> <target-host:port> <rtt-ms>\n');
  process.exit(2);
}

/** Forwards `from` → `to`, each chunk `oneWayMs` later, in order. */
function pipeDelayed(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => to.write(chunk), oneWayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), oneWayMs));
  from.on('error', () => to.destroy());
}

const server = createServer({ noDelay: true }, (client) => {
  const upstream = connect({ host: targetHost, port: Number(targetPort), noDelay: true });
  pipeDelayed(client, upstream);
  pipeDelayed(upstream, client);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
});
server.listen(Number(listenPort), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : listenPort}\n`);
});
