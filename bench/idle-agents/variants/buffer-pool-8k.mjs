// Experiment (not a recommendation by itself): preloaded into the hub with
//   --hub-env NODE_OPTIONS=--import=./bench/idle-agents/variants/buffer-pool-8k.mjs
// Node 24's Buffer pool is 64 KiB. Every server-side TLSSocket copies its
// ALPN list ("h2") with Buffer.from, i.e. into a slice of the shared pool,
// and keeps it for the socket's life: each long-lived 3-byte slice pins the
// whole 64 KiB pool chunk it was cut from. With the hub's other allocations
// in between, a chunk ends up pinned by only a few sockets (~11 KiB per
// connection in a heap snapshot of 1,000 agents). An 8 KiB pool (Node < 24's
// size) pins 8x less.
import { Buffer } from 'node:buffer';

Buffer.poolSize = 8 * 1024;
