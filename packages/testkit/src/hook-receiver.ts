import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HookRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** the raw body, as received (what a signature covers) */
  body: string;
  at: number;
}

/** What to answer: a status (with headers and a body), or `hang` to never answer. */
export type HookAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A webhook receiver on a loopback address (127.0.0.1 or ::1) and a free port: records every request and
 * answers what `answer` decides, so tests can be down, fail, redirect or hang on cue.
 */
export class HookReceiver {
  readonly requests: HookRequest[] = [];
  /** TCP connections accepted so far (a client that keeps its connection open makes one for many requests) */
  connections = 0;
  /** connections open now */
  readonly open = new Set<Socket>();
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();

  constructor(public answer: (req: HookRequest, n: number) => HookAnswer = () => ({ status: 200 })) {}

  async start(host: '127.0.0.1' | '::1' = '127.0.0.1', port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const hook = {
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        this.requests.push(hook);
        const a = this.answer(hook, this.requests.length);
        if (a === 'hang') {
          this.hanging.add(res);
          return;
        }
        res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.connections++;
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(port, host, resolve));
    const bound = (this.server.address() as AddressInfo).port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /** Stops listening (a receiver that is down); `start(host, port)` brings it back on the same port. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A request's headers as the `standardwebhooks` library's `verify` takes them (one string per name). */
export function hookHeaders(r: HookRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );
}
