import type { Express, Router } from 'express';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string | string[];
  slash?: boolean;
}

export interface RegisteredRoute {
  method: string;
  path: string;
}

/**
 * Every method and path registered on an app or a router, nested routers included (their mount path
 * prefixed): what the route catalogue is checked against.
 */
export function registeredRoutes(app: Express | Router): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = ([] as string[]).concat(layer.route.path);
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') out.push({ method, path: `${prefix}${path}` });
        }
      } else if (layer.handle?.stack) {
        const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath;
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  // An app keeps its layers on its router; a router keeps them itself.
  const root = 'router' in app ? (app as unknown as { router: { stack: Layer[] } }).router : app;
  walk((root as unknown as { stack: Layer[] }).stack, '');
  return out;
}
