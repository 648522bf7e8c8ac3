import { z } from 'zod';
import { isTimeZone, parseWeeklyHours } from './util/business-hours.js';

/** The JWT secret shipped for the embedded demo; production refuses it. */
export const DEMO_JWT_SECRET = 'switchboard-demo-secret-change-me-in-production';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());

/** The one schema over process.env. Every setting the service reads is here. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalUrl,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
    REDIS_URL: optionalUrl,
    REDIS_KEY_PREFIX: z.string().default('sb:'),
    JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    JWT_ISSUER: z.string().default('switchboard'),
    JWT_AUDIENCE: z.string().default('switchboard-api'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(30 * 60),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(24 * 60 * 60),
    // Concurrent refreshes with one refresh token (two tabs, a retried request) within this window
    // all get the pair the first one got; after it, a spent token presented again revokes the session.
    REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    EMBEDDING_DIMENSIONS: z.coerce.number().int().min(16).max(4096).default(384),
    SEED_DEMO: z.preprocess(emptyToUndefined, bool.optional()),
    // Registration links the account to the customer record with the same email. Nothing verifies
    // that the registrant owns the address, so production keeps it off unless an operator who
    // verifies emails upstream (SSO, invite links) turns it on. See docs/security.md.
    REGISTER_LINKS_CUSTOMER: z.preprocess(emptyToUndefined, bool.optional()),
    MAX_MESSAGE_CHARS: z.coerce.number().int().positive().default(8000),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(64 * 1024),
    // A request (headers and body) must arrive whole within this time, else 408 (docs/reliability.md).
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    MEMORY_MESSAGES: z.coerce.number().int().min(1).max(200).default(12),
    ROUTER_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
    // LLM settings (see docs/agents.md)
    LLM_PROVIDER: z.enum(['offline', 'openai', 'openai-compatible', 'anthropic']).default('offline'),
    LLM_MODEL: optionalString,
    LLM_ROUTER_MODEL: optionalString,
    LLM_BASE_URL: optionalUrl,
    LLM_API_KEY: optionalString,
    LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    LLM_RETRY_BASE_DELAY_MS: z.coerce.number().int().min(0).default(500),
    LLM_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
    LLM_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
    LLM_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
    LLM_PRICES_FILE: optionalString,
    EMBEDDING_PROVIDER: z.enum(['local', 'openai', 'openai-compatible']).default('local'),
    EMBEDDING_MODEL: optionalString,
    // Realtime: WebSocket, event retention for resume, burst debounce (see docs/realtime.md)
    REALTIME_RETENTION_SECONDS: z.coerce.number().int().min(10).default(3600),
    REALTIME_RETENTION_EVENTS: z.coerce.number().int().min(10).max(100_000).default(1000),
    CHAT_DEBOUNCE_MS: z.coerce.number().int().min(0).max(10_000).default(300),
    WS_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(5),
    // How long a connection slot of a process that died without releasing it still counts (refreshed every third of it; issue 13 asks for at most 15 s).
    WS_SLOT_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(12),
    WS_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    WS_RATE_BURST: z.coerce.number().int().min(1).default(30),
    WS_HEARTBEAT_MS: z.coerce.number().int().min(50).default(30_000),
    WS_AUTH_TIMEOUT_MS: z.coerce.number().int().min(50).default(10_000),
    WS_MAX_FRAME_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(64 * 1024),
    // Account actions (see docs/agents.md): refunds above this need a staff member's approval; a proposal waits this long for the customer.
    REFUND_AUTO_APPROVE_USD: z.coerce.number().min(0).default(100),
    ACTION_CONFIRM_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),
    // Observability, cost budgets and background jobs (see docs/operations.md)
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    OTEL_SERVICE_NAME: z.string().min(1).default('switchboard'),
    LLM_BUDGET_CONVERSATION_USD: z.coerce.number().min(0).default(0.5),
    LLM_BUDGET_CUSTOMER_DAY_USD: z.coerce.number().min(0).default(2),
    LLM_BUDGET_GLOBAL_DAY_USD: z.coerce.number().min(0).default(100),
    LLM_BUDGET_WARN_RATIO: z.coerce.number().gt(0).max(1).default(0.8),
    JOBS_WORKER_IN_API: bool.default(false),
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    CONVERSATION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
    TICKET_WEBHOOK_URL: optionalUrl,
    // When the support team answers (see docs/agents.md): weekly hours in one zone, minus holidays; empty hours = always in.
    BUSINESS_HOURS: z
      .string()
      .default('')
      .superRefine((v, ctx) => {
        try {
          parseWeeklyHours(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }),
    BUSINESS_TIMEZONE: z.preprocess(emptyToUndefined, z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')),
    BUSINESS_HOLIDAYS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      )
      .refine((list) => list.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`))), 'must be comma-separated dates like 2026-12-25'),
    TICKET_WEBHOOK_SECRET: optionalString,
    // The web app (see docs/web.md): where its build is, and which sites may frame the chat widget.
    WEB_DIST_DIR: optionalString,
    WIDGET_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter(Boolean),
      )
      .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s?#*]+$/.test(o)), "must be '*' or comma-separated origins like https://shop.example.com"),
    // API hardening (see docs/security.md)
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | number | string[] => {
        const t = v.trim();
        if (t === 'true' || t === 'false') return t === 'true';
        if (/^\d+$/.test(t)) return Number(t);
        return t
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean);
      }),
    RATE_LIMIT_ENABLED: bool.default(true),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
    RATE_LIMIT_ANONYMOUS: z.coerce.number().int().positive().default(20),
    RATE_LIMIT_USER: z.coerce.number().int().positive().default(100),
    RATE_LIMIT_CHAT: z.coerce.number().int().positive().default(30),
    IDEMPOTENCY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(24 * 60 * 60),
    // A running request renews its key's lease every third of this; a holder that died frees the key this long after.
    IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(1).max(300).default(4),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production') {
      if (!c.JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' });
      } else if (c.JWT_SECRET === DEMO_JWT_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must not be the demo secret in production' });
      }
    }
    if (c.NODE_ENV === 'production' && c.CORS_ORIGINS.includes('*')) {
      ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: "must list the allowed origins in production, not '*'" });
    }
    if (c.LLM_PROVIDER !== 'offline' && !c.LLM_MODEL) {
      ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: `is required when LLM_PROVIDER=${c.LLM_PROVIDER}` });
    }
    if (c.LLM_PROVIDER === 'openai-compatible' && !c.LLM_BASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['LLM_BASE_URL'], message: 'is required when LLM_PROVIDER=openai-compatible' });
    }
    if ((c.LLM_PROVIDER === 'openai' || c.LLM_PROVIDER === 'anthropic') && !c.LLM_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['LLM_API_KEY'], message: `is required when LLM_PROVIDER=${c.LLM_PROVIDER}` });
    }
    if (c.EMBEDDING_PROVIDER !== 'local' && !c.EMBEDDING_MODEL) {
      ctx.addIssue({ code: 'custom', path: ['EMBEDDING_MODEL'], message: `is required when EMBEDDING_PROVIDER=${c.EMBEDDING_PROVIDER}` });
    }
  })
  .transform((c) => ({
    ...c,
    JWT_SECRET: c.JWT_SECRET ?? DEMO_JWT_SECRET,
    /** Demo data loads by default only in embedded mode. */
    SEED_DEMO: c.SEED_DEMO ?? !c.DATABASE_URL,
    REGISTER_LINKS_CUSTOMER: c.REGISTER_LINKS_CUSTOMER ?? c.NODE_ENV !== 'production',
  }));

export type Config = z.output<typeof configSchema>;

/** Raised when the environment does not describe a runnable service; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into the service's configuration, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

/** For process entry points: the configuration, or every problem printed and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}
