import { IsacflowError } from '../../core/errors.js';

/** A Redis URL as given (secret) and as it may be shown (no user name or password). */
export interface QueueUrl {
  url: string;
  shown: string;
}

/**
 * Checks a `--queue` URL: redis://[user:password@]host[:port][/db] or rediss:// (TLS). The
 * credentials are never printed or written: `shown` is the URL without them.
 */
export function parseQueueUrl(text: string, where = '--queue'): QueueUrl {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new IsacflowError('invalid-option', [
      { where, path: '', message: `not a URL: give redis://HOST:PORT[/DB] (e.g. redis://127.0.0.1:6379)` },
    ]);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new IsacflowError('invalid-option', [
      {
        where,
        path: '',
        message: `'${u.protocol}' is not a Redis URL: give redis://HOST:PORT[/DB] or rediss:// for TLS`,
      },
    ]);
  }
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new IsacflowError('invalid-option', [
      { where, path: '', message: `database '${db}' must be a number (redis://HOST:PORT/DB)` },
    ]);
  return { url: text, shown: redactUrl(text) };
}

/** The URL without user name and password. */
export function redactUrl(text: string): string {
  try {
    const u = new URL(text);
    const auth = u.username || u.password ? '***@' : '';
    return `${u.protocol}//${auth}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis://(invalid URL)';
  }
}

/** Removes any Redis URL credentials from a text (error messages of the client may quote them). */
export function redactIn(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  try {
    const u = new URL(url);
    if (u.password) out = out.split(decodeURIComponent(u.password)).join('***').split(u.password).join('***');
  } catch {
    /* nothing more to hide */
  }
  return out;
}
