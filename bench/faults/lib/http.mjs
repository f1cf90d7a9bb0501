import http from 'node:http';

/**
 * A small keep-alive HTTP client for load and fault traffic. fetch() (undici) costs several times more CPU per
 * request than node:http on these 2-core machines, and the load generator shares the cores with the stack.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });

/** Errors after which the server certainly did not process the request (nothing was sent). */
const NOT_SENT = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL']);

/**
 * One request. Never throws: `{status}` on an answer, `{error, sent}` otherwise (`sent: false` only when the
 * connection was refused, i.e. the server never saw the request).
 */
export function send(url, { method = 'GET', headers = {}, body, timeoutMs = 15_000, via = agent } = {}) {
  return new Promise((resolve) => {
    const u = new URL(url);
    let payload = body;
    const h = { ...headers };
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    if (payload !== undefined) h['content-length'] = Buffer.byteLength(payload);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        headers: h,
        agent: via,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: json });
        });
        res.on('error', (err) => resolve({ status: 0, error: err.code ?? err.message, sent: true }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => resolve({ status: 0, error: err.code ?? err.message, sent: !NOT_SENT.has(err.code) }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export const api = (stack, apiKey) => ({
  get: (path) => send(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } }),
  post: (path, body) =>
    send(`${stack.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body }),
});

/**
 * A separate pool for hostile clients: an oversized upload the server refuses mid-body holds its socket until
 * it times out, and must not starve the sockets of the well-behaved clients it runs alongside.
 */
export const hostileAgent = new http.Agent({ keepAlive: false, maxSockets: 512 });

export function closeIdleSockets() {
  agent.destroy();
  hostileAgent.destroy();
}
