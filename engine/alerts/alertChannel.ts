import { z } from 'zod';

/** `env:NAME`: the secret itself lives in the environment of the process that sends (never in the pipeline file). */
const SecretReference = z
  .string()
  .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, 'must be a secret reference such as "env:SMTP_PASSWORD" (an environment variable that holds it); a literal password is not allowed in a pipeline file');

export const DesktopChannelSchema = z.object({ type: z.literal('desktop') }).strict();

export const WebhookChannelSchema = z
  .object({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }).describe('receives a JSON POST with the alert'),
    timeoutMs: z.int().min(100).max(120_000).default(10_000),
  })
  .strict();

export const EmailChannelSchema = z
  .object({
    type: z.literal('email'),
    host: z.string().min(1).describe('SMTP server'),
    port: z.int().min(1).max(65_535).default(587),
    /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().optional(),
    password: SecretReference.optional().describe('env:NAME of the SMTP password'),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
  })
  .strict();

/** Where an alert goes: the app (a desktop notification), a webhook, or e-mail. */
export const AlertChannelSchema = z.discriminatedUnion('type', [DesktopChannelSchema, WebhookChannelSchema, EmailChannelSchema]);
export type AlertChannel = z.output<typeof AlertChannelSchema>;
export type WebhookChannel = z.output<typeof WebhookChannelSchema>;
export type EmailChannel = z.output<typeof EmailChannelSchema>;
