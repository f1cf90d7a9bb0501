import { z } from 'zod';

/** The public development default: anyone who read the repository knows it. */
export const DEV_SECRET = 'dev-only-insecure-secret-change-me';

/**
 * Values this repository has ever shipped as secrets (the development default, deploy/ examples, README
 * snippets, the test kit's): all public. `test/deploy/secret-examples.test.ts` checks that every secret value
 * in deploy/, docker-compose.yml and the README is refused in production, whether listed here or too weak.
 */
const PUBLISHED = new Set([
  DEV_SECRET,
  'replace-with-32-random-characters',
  'test-admin-token-0123456789',
  'test-ingest-token-0123456789',
  'test-link-secret-0123456789',
  'test-webhook-secret-0123456789',
]);

export const SECRET_MIN_LENGTH = 32;
export const SECRET_MIN_DISTINCT = 16;

/** Why `value` may not be a production secret, or null (never echoes the value). */
export function weakSecretReason(value: string): string | null {
  if (PUBLISHED.has(value)) return 'is a value published with Seedline (a default or an example): generate your own';
  if (value.length < SECRET_MIN_LENGTH) return `must be at least ${SECRET_MIN_LENGTH} characters in production`;
  if (new Set(value).size < SECRET_MIN_DISTINCT) {
    return `must hold at least ${SECRET_MIN_DISTINCT} distinct characters in production (e.g. openssl rand -base64 32)`;
  }
  return null;
}

const isProduction = process.env.NODE_ENV === 'production';

// The schemas below mark a variable as a secret of ours, which production holds to weakSecretReason.
const OWN_SECRETS = new WeakSet<z.ZodType>();
const own = <S extends z.ZodType>(schema: S): S => {
  OWN_SECRETS.add(schema);
  return schema;
};

/** A secret: required in production, a loud development default elsewhere. */
export const secret = own(isProduction ? z.string().min(1) : z.string().min(1).default(DEV_SECRET));

/** A secret that is optional outside production (unset there switches a check off, e.g. METRICS_TOKEN). */
export const secretInProduction = own(isProduction ? z.string().min(1) : z.string().min(1).optional());

/** A secret that may be unset (another variable stands in for it, e.g. LINK_SECRET beside LINK_SECRETS). */
export const optionalSecret = own(z.string().min(1).optional());

/** A comma list of secrets, newest first (LINK_SECRETS); unset or empty: undefined. */
export const secretList = own(
  z
    .string()
    .optional()
    .transform((v) => {
      const list = (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      return list.length ? list : undefined;
    }),
);

/** Other people's secrets (a provider's) are only checked for reuse and published values. */
const looksSecret = (name: string) => /(?:_SECRETS?|_TOKEN)$/.test(name);

/**
 * Production's rules for every secret an app loads: ours strong and unpublished, and no two equal (one leaked
 * value must not open two doors). Returns the first problem, naming the variable.
 */
export function productionSecretProblem(
  shape: Record<string, unknown>,
  config: Record<string, unknown>,
): { name: string; message: string } | null {
  const seen = new Map<string, string>();
  for (const [name, schema] of Object.entries(shape)) {
    const isOwn = OWN_SECRETS.has(schema as z.ZodType);
    if (!isOwn && !looksSecret(name)) continue;
    const raw = config[name];
    const values = Array.isArray(raw) ? raw : typeof raw === 'string' && raw !== '' ? [raw] : [];
    for (const [i, value] of values.entries()) {
      const label = Array.isArray(raw) ? `${name} (entry ${i + 1})` : name;
      if (typeof value !== 'string') continue;
      const reason = isOwn ? weakSecretReason(value) : PUBLISHED.has(value) ? weakSecretReason(value) : null;
      if (reason) return { name: label, message: reason };
      const twin = seen.get(value);
      if (twin) return { name: label, message: `must differ from ${twin} (every secret its own value)` };
      seen.set(value, label);
    }
  }
  return null;
}

interface LinkSecretSettings {
  NODE_ENV: string;
  LINK_SECRET?: string | undefined;
  LINK_SECRETS?: string[] | undefined;
}

/** LINK_SECRETS (newest first) or LINK_SECRET (a list of one), not both; production needs one of them. */
export function linkSecretsRule(c: LinkSecretSettings, ctx: z.RefinementCtx): void {
  if (c.LINK_SECRET !== undefined && c.LINK_SECRETS !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['LINK_SECRETS'],
      message: 'replaces LINK_SECRET: set one of them, not both',
    });
  } else if (c.LINK_SECRET === undefined && c.LINK_SECRETS === undefined && c.NODE_ENV === 'production') {
    ctx.addIssue({ code: 'custom', path: ['LINK_SECRET'], message: 'is required (or LINK_SECRETS, newest first)' });
  }
}

/** The link secrets in force, newest first. */
export const linkSecretsOf = (c: LinkSecretSettings): string[] => c.LINK_SECRETS ?? [c.LINK_SECRET ?? DEV_SECRET];
