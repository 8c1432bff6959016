import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationSeconds: number;
  /** Called for every request, so each may carry its own code, key or body. */
  nextRequest: () => LoadRequest;
}

export interface LoadResult {
  connections: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * Drives the server over HTTP on 127.0.0.1 with autocannon and returns throughput and latency percentiles.
 * autocannon's own summary has no 95th percentile, so every response time is recorded and ranked here.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`benchmarks only target this machine; got ${url.hostname}`);
  }
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const next = options.nextRequest();
          return { ...request, method: next.method, path: next.path, headers: { ...(next.headers ?? {}) }, body: next.body };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
    latencies.push(responseTimeMs);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    connections: options.connections,
    requests: result.requests.total,
    // One decimal: a slow endpoint completes only a few requests per second.
    requestsPerSecond: Math.round((result.requests.total / Math.max(result.duration, 0.001)) * 10) / 10,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Nearest-rank percentile of sorted values, rounded to 0.1 ms. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round(sorted[index]! * 10) / 10;
}
