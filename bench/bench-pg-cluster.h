/* bench-pg-cluster.h: what the PostgreSQL benchmarks share: a database
 * of their own on the cluster, server processes on it, and workers and
 * users made straight in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libpq-fe.h>
#include <signal.h>

#include "bench-util.h"
#include "jsw-pg-store.h"

static inline void
bench_pg_run (const char *url,
              const char *sql)
{
  PGconn *conn = PQconnectdb (url);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", url, PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

/* A new, empty database @name on the cluster @cluster_url (whose path names
 * its maintenance database); returns its URL. */
static inline char *
bench_pg_database_new (const char *cluster_url,
                       const char *name)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  const char *slash = strrchr (cluster_url, '/');

  bench_pg_run (cluster_url, drop);
  bench_pg_run (cluster_url, create);
  return g_strdup_printf ("%.*s/%s", (int) (slash - cluster_url), cluster_url, name);
}

static inline void
bench_pg_database_drop (const char *cluster_url,
                        const char *name)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);

  bench_pg_run (cluster_url, drop);
}

static inline void
bench_pg_stop_server (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

/* A token of @kind for @user_id (NULL for a worker), made in @store. */
static inline char *
bench_pg_token (JswStore   *store,
                const char *user_id,
                JswKind     kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = jsw_token_generate ();
  g_autofree char *hash = jsw_token_hash (token);

  jsw_store_add_token (store, hash, user_id, kind, "bench", g_get_real_time (), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&token);
}
