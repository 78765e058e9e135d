/* jsw-schema.h: the SQLite schema, as numbered migrations
 *
 * A migration is never edited once released: add a new one instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

static const char *const jsw_sqlite_migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE plans ("
  "  name TEXT PRIMARY KEY,"
  "  server_month INTEGER,"   /* NULL = unlimited */
  "  total_month INTEGER,"
  "  daily INTEGER);"
  "INSERT INTO plans VALUES"
  "  ('free', 5, 10, 3),"
  "  ('basic', 25, 100, 10),"
  "  ('pro', 100, 500, 25),"
  "  ('premium', 500, 2000, 100),"
  "  ('enterprise', NULL, NULL, NULL);"
  "CREATE TABLE users ("
  "  id TEXT PRIMARY KEY,"
  "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  password_hash TEXT,"
  "  execution_mode TEXT NOT NULL DEFAULT 'auto',"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE subscriptions ("
  "  user_id TEXT PRIMARY KEY REFERENCES users(id),"
  "  plan TEXT NOT NULL REFERENCES plans(name),"
  "  status TEXT NOT NULL DEFAULT 'active',"
  "  stripe_customer TEXT,"
  "  stripe_subscription TEXT,"
  "  current_period_end INTEGER,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  user_id TEXT REFERENCES users(id),"
  "  kind TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE usage ("
  "  user_id TEXT NOT NULL,"
  "  counter TEXT NOT NULL,"
  "  period TEXT NOT NULL,"
  "  used INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, counter, period)) WITHOUT ROWID;"
  "CREATE TABLE entries ("
  "  id TEXT PRIMARY KEY,"
  "  user_id TEXT NOT NULL REFERENCES users(id),"
  "  job_id TEXT NOT NULL,"
  "  target TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  attempt INTEGER NOT NULL DEFAULT 1,"
  "  percent INTEGER NOT NULL DEFAULT 0,"
  "  step INTEGER NOT NULL DEFAULT -1,"
  "  max_step INTEGER NOT NULL DEFAULT -1,"  /* highest step of the attempt */
  "  message TEXT,"
  "  claimed_device TEXT,"
  "  claimed_kind TEXT,"
  "  lease TEXT,"                             /* "<entry id>.<random>" */
  "  lease_expires INTEGER,"                 /* NULL once the lease is finished */
  "  outcome TEXT,"
  "  confirmation TEXT,"
  "  error TEXT,"
  "  screenshot_sha256 TEXT,"
  "  snapshot TEXT NOT NULL,"
  "  charged_total TEXT,"                    /* the periods this entry consumed */
  "  charged_daily TEXT,"
  "  charged_server TEXT,"
  "  cancelled_at INTEGER,"                  /* set once, when cancelled */
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  /* The heart of 'never two applications to one job for one user'. It is
   * keyed on cancelled_at rather than on state so that the many state
   * changes of a run do not rewrite this index. */
  "CREATE UNIQUE INDEX entries_one_live_per_job ON entries (user_id, job_id) WHERE cancelled_at IS NULL;"
  "CREATE INDEX entries_by_user ON entries (user_id, created_at);"
  "CREATE INDEX entries_by_expiry ON entries (lease_expires) WHERE lease_expires IS NOT NULL;"
  "CREATE TABLE swipes ("
  "  id INTEGER PRIMARY KEY,"
  "  user_id TEXT NOT NULL,"
  "  job_id TEXT NOT NULL,"
  "  direction TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE idempotency ("
  "  user_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, key)) WITHOUT ROWID;"
  /* seq is per channel; the newest event of a channel is never pruned, so
   * max(seq) is the channel's current seq. */
  "CREATE TABLE events ("
  "  channel TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  entry_id TEXT NOT NULL,"
  "  entry TEXT NOT NULL,"
  "  PRIMARY KEY (channel, seq)) WITHOUT ROWID;",

  /* 2: events and idempotency answers no longer repeat the snapshot, which
   * never changes and is stored once, with the entry (issue 8). Rows of
   * before keep their whole text (snapshot_spliced = 0). Answers expire,
   * so they are found by age. */
  "ALTER TABLE events ADD COLUMN snapshot_spliced INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE idempotency ADD COLUMN entry_id TEXT;"
  "CREATE INDEX idempotency_by_age ON idempotency (created_at);",

  /* 3: a lease is bound to the token that claimed it (issue 8): another
   * device of the same user cannot use it. */
  "ALTER TABLE entries ADD COLUMN claimed_token TEXT;",

  /* 4: a user's left swipes are kept up to a number, newest first. */
  "CREATE INDEX swipes_by_user ON swipes (user_id, id);",

  /* 5: the request an Idempotency-Key was first used with (the SHA-256 of
   * its body), so that the key with another request is refused rather
   * than answered with the first one's answer. Answers of before have none. */
  "ALTER TABLE idempotency ADD COLUMN request_sha256 TEXT;",

  /* 6: the profile and resume a person keeps on the server for server
   * execution (issue 11), each sealed with the operator's key
   * (jsw-vault.c): the database alone reveals neither. */
  "CREATE TABLE vault ("
  "  user_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  sealed BLOB NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, kind)) WITHOUT ROWID;",

  /* 7: Stripe billing (issue 14). The subscription row gains the price,
   * the period's start, cancel_at_period_end and the `created` of the
   * newest Stripe event applied to it (µs), which keeps an older event
   * from moving it backwards. Each event id is recorded once, in the
   * transaction of its effect; invoices are kept for the revenue figures. */
  "ALTER TABLE subscriptions ADD COLUMN stripe_price TEXT;"
  "ALTER TABLE subscriptions ADD COLUMN current_period_start INTEGER;"
  "ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE subscriptions ADD COLUMN stripe_event_created INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX subscriptions_by_customer ON subscriptions (stripe_customer) WHERE stripe_customer IS NOT NULL;"
  "CREATE TABLE stripe_events ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  user_id TEXT,"
  "  outcome TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  signature TEXT) WITHOUT ROWID;"
  "CREATE TABLE invoices ("
  "  id TEXT PRIMARY KEY,"
  "  user_id TEXT,"
  "  plan TEXT,"
  "  status TEXT NOT NULL,"
  "  amount_paid INTEGER NOT NULL,"
  "  currency TEXT NOT NULL,"
  "  paid_at INTEGER,"
  "  updated_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX invoices_by_paid_at ON invoices (paid_at) WHERE paid_at IS NOT NULL;",
  /* 8: the job feed (issue 12). Postings synced from job boards, each in
   * a group of likely duplicates (the same company and title, normalised,
   * within 30 days: group_id is the first such posting's id); full text on
   * title and description (FTS5, kept by triggers, rewritten only when
   * those change); left swipes by posting, kept for good (bounded by the
   * postings); a search per person. sort_at is posted_at, or when the
   * server first saw a posting whose board gives no date. */
  "CREATE TABLE sources ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  board TEXT NOT NULL,"
  "  company TEXT,"
  "  base_url TEXT,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  last_sync_at INTEGER,"
  "  last_success_at INTEGER,"
  "  last_error TEXT,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (kind, board));"
  "CREATE TABLE postings ("
  "  id INTEGER PRIMARY KEY,"
  "  source_id INTEGER NOT NULL,"
  "  job_id TEXT NOT NULL UNIQUE,"
  "  group_id INTEGER NOT NULL,"
  "  dup_key TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  company_key TEXT NOT NULL,"
  "  locations_key TEXT NOT NULL,"
  "  remote INTEGER NOT NULL,"
  "  employment_type TEXT,"
  "  sort_at INTEGER NOT NULL,"
  "  job TEXT NOT NULL,"
  "  questions TEXT,"
  "  version TEXT,"
  "  content_sha TEXT NOT NULL,"
  "  open INTEGER NOT NULL DEFAULT 1,"
  "  first_seen INTEGER NOT NULL,"
  "  last_seen INTEGER NOT NULL,"
  "  closed_at INTEGER);"
  "CREATE INDEX postings_feed ON postings (sort_at, id) WHERE open = 1;"
  "CREATE INDEX postings_by_source ON postings (source_id, last_seen) WHERE open = 1;"
  "CREATE INDEX postings_by_group ON postings (group_id, open, id);"
  "CREATE INDEX postings_by_dup_key ON postings (dup_key, sort_at);"
  "CREATE VIRTUAL TABLE postings_fts USING fts5 (title, description, content = 'postings',"
  "  content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER postings_fts_insert AFTER INSERT ON postings BEGIN"
  "  INSERT INTO postings_fts (rowid, title, description) VALUES (new.id, new.title, new.description);"
  "END;"
  "CREATE TRIGGER postings_fts_delete AFTER DELETE ON postings BEGIN"
  "  INSERT INTO postings_fts (postings_fts, rowid, title, description)"
  "    VALUES ('delete', old.id, old.title, old.description);"
  "END;"
  "CREATE TRIGGER postings_fts_update AFTER UPDATE OF title, description ON postings BEGIN"
  "  INSERT INTO postings_fts (postings_fts, rowid, title, description)"
  "    VALUES ('delete', old.id, old.title, old.description);"
  "  INSERT INTO postings_fts (rowid, title, description) VALUES (new.id, new.title, new.description);"
  "END;"
  "CREATE TABLE posting_left_swipes ("
  "  user_id TEXT NOT NULL,"
  "  posting_id INTEGER NOT NULL,"
  "  group_id INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, posting_id)) WITHOUT ROWID;"
  "CREATE INDEX posting_left_swipes_by_group ON posting_left_swipes (user_id, group_id);"
  "CREATE TABLE searches ("
  "  user_id TEXT PRIMARY KEY,"
  "  search TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL);",

  /* 9: LinkedIn's limits and pauses per person (issue 16, jsw-linkedin.c):
   * their choices and pauses, and the LinkedIn applications they started
   * (the day's and the hour's counts, the gap after the last). */
  "CREATE TABLE linkedin_settings ("
  "  user_id TEXT PRIMARY KEY,"
  "  timezone TEXT,"
  "  auto_send INTEGER NOT NULL DEFAULT 0,"
  "  reviewed INTEGER NOT NULL DEFAULT 0,"
  "  paused_until INTEGER NOT NULL DEFAULT 0,"
  "  pause_reason TEXT,"
  "  halved_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
  "CREATE TABLE linkedin_starts ("
  "  user_id TEXT NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  entry_id TEXT NOT NULL,"
  "  automatic INTEGER NOT NULL,"
  "  sent INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (user_id, started_at, entry_id)) WITHOUT ROWID;",

  /* 10: the feed's index holds each posting's group, so a page checks a
   * posting against the person's hidden groups without reading its row
   * (the first page of a person who swiped the 10,000 newest passes them
   * all); a source keeps when it is next synced, so that a restart
   * neither syncs every source at once nor forgets a backoff; closed
   * postings are found by when they closed, to be purged. */
  "DROP INDEX postings_feed;"
  "CREATE INDEX postings_feed ON postings (sort_at, id, group_id) WHERE open = 1;"
  "CREATE INDEX postings_by_closed_at ON postings (closed_at) WHERE open = 0;"
  "ALTER TABLE sources ADD COLUMN next_sync_at INTEGER;",

  /* 11: a restricted LinkedIn account is kept beside a timed pause (a
   * throttle's 24 hours, a checkpoint's 72), which re-enabling does not
   * end. A restriction stored before was kept in the timed pause's place;
   * the pause it overwrote is gone. */
  "ALTER TABLE linkedin_settings ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;"
  "UPDATE linkedin_settings SET restricted = 1, paused_until = 0, pause_reason = NULL"
  "  WHERE pause_reason = 'restricted';",

  /* 12: the server's own secrets (jsw_store_server_secret()): the key the
   * feed's cursors are signed with, shared by every server process on
   * the database. The feed's index holds the columns the search's filters
   * read, so that a page reads a posting's row (~5 KiB, the filters'
   * columns behind the description, in overflow pages) only for a posting
   * it gives back (jsw-sqlite-store-feed.c). */
  "CREATE TABLE server_secrets ("
  "  name TEXT PRIMARY KEY,"
  "  secret TEXT NOT NULL);"
  "DROP INDEX postings_feed;"
  "CREATE INDEX postings_feed ON postings (sort_at, id, group_id, remote, employment_type, company_key,"
  "  locations_key) WHERE open = 1;",
};
