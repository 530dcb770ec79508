import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens a workspace SQLite file the way every Trellis store needs it: folders created, WAL with
 * synchronous=NORMAL (a committed transaction survives the process being killed), foreign keys
 * on, and a busy timeout so another process's lock is waited for, not failed on. `prepare` runs
 * on the open connection (migrations, building the store); if it throws, the file is closed.
 */
export function openSqlite<T>(path: string, prepare: (db: Database.Database) => T): T {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // busy_timeout first, so even the journal-mode switch waits for another process's lock.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoints (copying the WAL back into the database, with an fsync) every 4,000 pages
    // rather than SQLite's 1,000: a large run commits many pages a second, and each checkpoint
    // stalls the commit that triggers it. It changes nothing about durability: a committed
    // transaction is in the WAL, which survives the process being killed either way.
    db.pragma('wal_autocheckpoint = 4000');
    // A run's task rows and indexes stay in memory (64 MiB at most, per connection) rather than
    // being read back through the OS for each cache lookup and update.
    db.pragma('cache_size = -65536');
    return prepare(db);
  } catch (error) {
    db.close();
    throw error;
  }
}
