/* jsw-pg-schema.h: the PostgreSQL schema, as numbered migrations
 *
 * The same migrations as jsw-schema.h's, one for one, in PostgreSQL's
 * dialect: migration N here makes what SQLite's migration N makes. The
 * version is kept in jsw_schema; they are applied at start under an
 * advisory lock, so several processes may start at once.
 *
 * What SQLite gets from rowid, PostgreSQL gets from an identity column
 * (entries.ord: the order of insertion). A channel's seq is one row of
 * `channels`, so that concurrent writers take numbers one after another
 * (SQLite has one writer at a time and reads max(seq) instead).
 *
 * A migration is never edited once released: add a new one instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

static const char *const jsw_pg_migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE plans ("
  "  name TEXT PRIMARY KEY,"
  "  server_month BIGINT,"   /* NULL = unlimited */
  "  total_month BIGINT,"
  "  daily BIGINT);"
  "INSERT INTO plans VALUES"
  "  ('free', 5, 10, 3),"
  "  ('basic', 25, 100, 10),"
  "  ('pro', 100, 500, 25),"
  "  ('premium', 500, 2000, 100),"
  "  ('enterprise', NULL, NULL, NULL);"
  "CREATE TABLE users ("
  "  id TEXT PRIMARY KEY,"
  "  email TEXT NOT NULL,"
  "  password_hash TEXT,"
  "  execution_mode TEXT NOT NULL DEFAULT 'auto',"
  "  created_at BIGINT NOT NULL);"
  /* SQLite's COLLATE NOCASE folds ASCII only, as lower() does in the C collation. */
  "CREATE UNIQUE INDEX users_email ON users (lower(email COLLATE \"C\"));"
  "CREATE TABLE subscriptions ("
  "  user_id TEXT PRIMARY KEY REFERENCES users(id),"
  "  plan TEXT NOT NULL REFERENCES plans(name),"
  "  status TEXT NOT NULL DEFAULT 'active',"
  "  stripe_customer TEXT,"
  "  stripe_subscription TEXT,"
  "  current_period_end BIGINT,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  user_id TEXT REFERENCES users(id),"
  "  kind TEXT NOT NULL,"
  "  device TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL);"
  "CREATE TABLE usage ("
  "  user_id TEXT NOT NULL,"
  "  counter TEXT NOT NULL,"
  "  period TEXT NOT NULL,"
  "  used BIGINT NOT NULL,"
  "  PRIMARY KEY (user_id, counter, period));"
  "CREATE TABLE entries ("
  "  id TEXT PRIMARY KEY,"
  "  ord BIGINT GENERATED ALWAYS AS IDENTITY,"
  "  user_id TEXT NOT NULL REFERENCES users(id),"
  "  job_id TEXT NOT NULL,"
  "  target TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  attempt BIGINT NOT NULL DEFAULT 1,"
  "  percent BIGINT NOT NULL DEFAULT 0,"
  "  step INTEGER NOT NULL DEFAULT -1,"
  "  max_step INTEGER NOT NULL DEFAULT -1,"
  "  message TEXT,"
  "  claimed_device TEXT,"
  "  claimed_kind TEXT,"
  "  lease TEXT,"
  "  lease_expires BIGINT,"
  "  outcome TEXT,"
  "  confirmation TEXT,"
  "  error TEXT,"
  "  screenshot_sha256 TEXT,"
  "  snapshot TEXT NOT NULL,"
  "  charged_total TEXT,"
  "  charged_daily TEXT,"
  "  charged_server TEXT,"
  "  cancelled_at BIGINT,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE UNIQUE INDEX entries_one_live_per_job ON entries (user_id, job_id) WHERE cancelled_at IS NULL;"
  "CREATE INDEX entries_by_user ON entries (user_id, created_at);"
  "CREATE INDEX entries_by_expiry ON entries (lease_expires) WHERE lease_expires IS NOT NULL;"
  "CREATE INDEX entries_server_queue ON entries (created_at, ord) WHERE state = 'queued' AND target = 'server';"
  "CREATE TABLE swipes ("
  "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  "  user_id TEXT NOT NULL,"
  "  job_id TEXT NOT NULL,"
  "  direction TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL);"
  "CREATE TABLE idempotency ("
  "  user_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  PRIMARY KEY (user_id, key));"
  "CREATE TABLE channels ("
  "  channel TEXT PRIMARY KEY,"
  "  seq BIGINT NOT NULL);"
  "CREATE TABLE events ("
  "  channel TEXT NOT NULL,"
  "  seq BIGINT NOT NULL,"
  "  entry_id TEXT NOT NULL,"
  "  entry TEXT NOT NULL,"
  "  PRIMARY KEY (channel, seq));",

  /* 2: events and idempotency answers no longer repeat the snapshot */
  "ALTER TABLE events ADD COLUMN snapshot_spliced BOOLEAN NOT NULL DEFAULT FALSE;"
  "ALTER TABLE idempotency ADD COLUMN entry_id TEXT;"
  "CREATE INDEX idempotency_by_age ON idempotency (created_at);",

  /* 3: a lease is bound to the token that claimed it */
  "ALTER TABLE entries ADD COLUMN claimed_token TEXT;",

  /* 4: a user's left swipes are kept up to a number, newest first */
  "CREATE INDEX swipes_by_user ON swipes (user_id, id);",

  /* 5: the request an Idempotency-Key was first used with */
  "ALTER TABLE idempotency ADD COLUMN request_sha256 TEXT;",

  /* 6: the profile and resume kept for server execution, sealed */
  "CREATE TABLE vault ("
  "  user_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  sealed BYTEA NOT NULL,"
  "  updated_at BIGINT NOT NULL,"
  "  PRIMARY KEY (user_id, kind));",

  /* 7: Stripe billing: the subscription's price, period, cancellation and
   * newest applied event; each event id once; invoices */
  "ALTER TABLE subscriptions ADD COLUMN stripe_price TEXT;"
  "ALTER TABLE subscriptions ADD COLUMN current_period_start BIGINT;"
  "ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE;"
  "ALTER TABLE subscriptions ADD COLUMN stripe_event_created BIGINT NOT NULL DEFAULT 0;"
  "CREATE INDEX subscriptions_by_customer ON subscriptions (stripe_customer) WHERE stripe_customer IS NOT NULL;"
  "CREATE TABLE stripe_events ("
  "  id TEXT PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  created BIGINT NOT NULL,"
  "  user_id TEXT,"
  "  outcome TEXT NOT NULL,"
  "  received_at BIGINT NOT NULL,"
  "  signature TEXT);"
  "CREATE TABLE invoices ("
  "  id TEXT PRIMARY KEY,"
  "  user_id TEXT,"
  "  plan TEXT,"
  "  status TEXT NOT NULL,"
  "  amount_paid BIGINT NOT NULL,"
  "  currency TEXT NOT NULL,"
  "  paid_at BIGINT,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE INDEX invoices_by_paid_at ON invoices (paid_at) WHERE paid_at IS NOT NULL;",

  /* 8: the job feed: sources, postings (full text on title and
   * description: a generated tsvector with a GIN index, where SQLite has
   * FTS5 and its triggers), left swipes by posting, a search per person */
  "CREATE TABLE sources ("
  "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  board TEXT NOT NULL,"
  "  company TEXT,"
  "  base_url TEXT,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  last_sync_at BIGINT,"
  "  last_success_at BIGINT,"
  "  last_error TEXT,"
  "  failures BIGINT NOT NULL DEFAULT 0,"
  "  created_at BIGINT NOT NULL,"
  "  UNIQUE (kind, board));"
  "CREATE TABLE postings ("
  "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  "  source_id BIGINT NOT NULL,"
  "  job_id TEXT NOT NULL UNIQUE,"
  "  group_id BIGINT NOT NULL,"
  "  dup_key TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  company_key TEXT NOT NULL,"
  "  locations_key TEXT NOT NULL,"
  "  remote BOOLEAN NOT NULL,"
  "  employment_type TEXT,"
  "  sort_at BIGINT NOT NULL,"
  "  job TEXT NOT NULL,"
  "  questions TEXT,"
  "  version TEXT,"
  "  content_sha TEXT NOT NULL,"
  "  open BOOLEAN NOT NULL DEFAULT TRUE,"
  "  first_seen BIGINT NOT NULL,"
  "  last_seen BIGINT NOT NULL,"
  "  closed_at BIGINT,"
  "  text_search tsvector GENERATED ALWAYS AS"
  "    (to_tsvector('simple', title || ' ' || description)) STORED);"
  "CREATE INDEX postings_feed ON postings (sort_at, id) WHERE open;"
  "CREATE INDEX postings_by_source ON postings (source_id, last_seen) WHERE open;"
  "CREATE INDEX postings_by_group ON postings (group_id, open, id);"
  "CREATE INDEX postings_by_dup_key ON postings (dup_key, sort_at);"
  "CREATE INDEX postings_text_search ON postings USING gin (text_search);"
  "CREATE TABLE posting_left_swipes ("
  "  user_id TEXT NOT NULL,"
  "  posting_id BIGINT NOT NULL,"
  "  group_id BIGINT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  PRIMARY KEY (user_id, posting_id));"
  "CREATE INDEX posting_left_swipes_by_group ON posting_left_swipes (user_id, group_id);"
  "CREATE TABLE searches ("
  "  user_id TEXT PRIMARY KEY,"
  "  search TEXT NOT NULL,"
  "  updated_at BIGINT NOT NULL);",

  /* 9: LinkedIn's limits and pauses per person (issue 16) */
  "CREATE TABLE linkedin_settings ("
  "  user_id TEXT PRIMARY KEY,"
  "  timezone TEXT,"
  "  auto_send BOOLEAN NOT NULL DEFAULT FALSE,"
  "  reviewed BIGINT NOT NULL DEFAULT 0,"
  "  paused_until BIGINT NOT NULL DEFAULT 0,"
  "  pause_reason TEXT,"
  "  halved_until BIGINT NOT NULL DEFAULT 0);"
  "CREATE TABLE linkedin_starts ("
  "  user_id TEXT NOT NULL,"
  "  started_at BIGINT NOT NULL,"
  "  entry_id TEXT NOT NULL,"
  "  automatic BOOLEAN NOT NULL,"
  "  sent BOOLEAN NOT NULL DEFAULT FALSE,"
  "  PRIMARY KEY (user_id, started_at, entry_id));",

  /* 10: the feed's index holds each posting's group; sources keep their
   * next sync; closed postings are found by when they closed. Full text
   * as SQLite's FTS5 reads it (whole words, any case, accents ignored):
   * the store writes each posting's words normalised
   * (jsw_posting_normalise_key()) into a title vector and an all-words
   * vector, in place of the generated column, which kept accents. */
  "ALTER TABLE postings DROP COLUMN text_search;"
  "ALTER TABLE postings ADD COLUMN title_words tsvector NOT NULL DEFAULT '';"
  "ALTER TABLE postings ADD COLUMN all_words tsvector NOT NULL DEFAULT '';"
  "CREATE INDEX postings_title_words ON postings USING gin (title_words);"
  "CREATE INDEX postings_all_words ON postings USING gin (all_words);"
  "DROP INDEX postings_feed;"
  "CREATE INDEX postings_feed ON postings (sort_at, id, group_id) WHERE open;"
  "CREATE INDEX postings_by_closed_at ON postings (closed_at) WHERE NOT open;"
  "ALTER TABLE sources ADD COLUMN next_sync_at BIGINT;",

  /* 11: a restricted LinkedIn account is kept beside a timed pause */
  "ALTER TABLE linkedin_settings ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;"
  "UPDATE linkedin_settings SET restricted = TRUE, paused_until = 0, pause_reason = NULL"
  "  WHERE pause_reason = 'restricted';",

  /* 12: the server's own secrets (the feed's cursor key) */
  "CREATE TABLE server_secrets ("
  "  name TEXT PRIMARY KEY,"
  "  secret TEXT NOT NULL);",
};
