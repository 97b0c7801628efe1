// No imports: bench/idle-agents/floor-server.ts loads this file on its own (a bare gRPC server with the hub's options).

/**
 * Keepalive: a ping every 60 s finds a dead agent within ~80 s, before the
 * default offline timeout (120 s), since an open stream keeps its cluster
 * online. Pings are the largest part of an idle hub's CPU (a TLS round trip
 * per connection), so not more often than that.
 */
export const SERVER_OPTIONS = {
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};
