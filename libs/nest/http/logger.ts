import { createLogger, format, transports, Logger } from 'winston';
import { redact } from '@kernel';

/** Masks sensitive keys anywhere in a log entry's metadata. */
const redactFormat = format((info) => {
  if (info.context === 'access') return info; // our own fixed fields: nothing to mask
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    (info as Record<string, unknown>)[key] = redact({ [key]: info[key] })[key];
  }
  return info;
});

/** Bearer tokens / JWT-looking strings that slipped into a message. */
const scrubMessage = format((info) => {
  if (typeof info.message === 'string') {
    info.message = info.message
      .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [REDACTED]')
      .replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED_JWT]');
  }
  return info;
});

/** One JSON object per line: timestamp, level, message, context, request_id... */
export function buildLogger(level: string): Logger {
  return createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    format: format.combine(format.timestamp(), redactFormat(), scrubMessage(), format.json()),
    transports: [new transports.Console()],
  });
}
