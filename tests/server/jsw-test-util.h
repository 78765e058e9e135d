/* jsw-test-util.h: a real jobswipe-server for tests, and clients for it
 *
 * The server under test is the installed-to-be binary, started as its own
 * process on a free loopback port with a database in a temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jsw-metrics.h"
#include "jsw-store.h"

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *tmpdir;
  char        *db_path;      /* a SQLite file, or a PostgreSQL URL (jsw_test_database_new()) */
  char        *url;
  char        *ws_url;
  char       **extra_args;
  guint        fd_limit;     /* RLIMIT_NOFILE of the server, 0: inherited */
  gboolean     shares_database;  /* another server's (jsw_test_server_start_sharing()) */
} JswTestServer;

typedef struct {
  SoupWebsocketConnection *ws;
  GQueue                   frames;   /* JsonNode */
  gboolean                 closed;
  gushort                  close_code;
} JswTestStream;

GSubprocessLauncher *jsw_test_launcher_new (GSubprocessFlags   flags);
gboolean       jsw_test_uses_postgresql     (void);
char          *jsw_test_database_new        (const char        *dir);
void           jsw_test_database_drop       (const char        *location);
void           jsw_test_database_run        (const char        *location,
                                             const char        *sql);
JswStore      *jsw_test_store_open          (const char        *location,
                                             GError           **error);
const char    *jsw_test_database_option     (const char        *location);
JswTestServer *jsw_test_server_start        (const char *const *extra_args);
JswTestServer *jsw_test_server_start_limited (const char *const *extra_args,
                                             guint              fd_limit);
JswTestServer *jsw_test_server_start_sharing (JswTestServer     *first,
                                             const char *const *extra_args);
GPid           jsw_test_server_pid          (JswTestServer     *server);
guint          jsw_test_server_count_fds    (JswTestServer     *server);
void           jsw_test_server_stop         (JswTestServer     *server);
void           jsw_test_server_kill         (JswTestServer     *server,
                                             int                signum);
void           jsw_test_server_restart      (JswTestServer     *server);
void           jsw_test_server_free         (JswTestServer     *server);
JsonObject    *jsw_test_server_cli          (JswTestServer     *server,
                                             const char        *stdin_text,
                                             ...) G_GNUC_NULL_TERMINATED;
char          *jsw_test_server_add_user     (JswTestServer     *server,
                                             const char        *email,
                                             const char        *plan,
                                             char             **user_id);
char          *jsw_test_profile_key_new     (const char        *dir);
char          *jsw_test_server_worker_token (JswTestServer     *server,
                                             const char        *name);

SoupSession   *jsw_test_session_new         (void);
JsonNode      *jsw_test_http                (SoupSession       *session,
                                             JswTestServer     *server,
                                             const char        *method,
                                             const char        *path,
                                             const char        *token,
                                             const char        *body,
                                             guint             *status);
JsonObject    *jsw_test_swipe_right         (SoupSession       *session,
                                             JswTestServer     *server,
                                             const char        *token,
                                             const char        *job_id,
                                             guint             *status);
char          *jsw_test_job_json            (const char        *job_id);
void           jsw_test_set_mode            (SoupSession       *session,
                                             JswTestServer     *server,
                                             const char        *token,
                                             const char        *mode);
gint64         jsw_test_db_int              (const char        *db_path,
                                             const char        *sql,
                                             const char        *parameter);
gint64         jsw_test_usage_of            (SoupSession       *session,
                                             JswTestServer     *server,
                                             const char        *token,
                                             const char        *counter);
const char    *jsw_test_error_code          (JsonNode          *node);
gboolean       jsw_test_metrics_say         (JswMetrics        *metrics,
                                             const char        *line);

JswTestStream *jsw_test_stream_open         (JswTestServer     *server,
                                             const char        *token,
                                             guint             *http_status);
void           jsw_test_stream_send         (JswTestStream     *stream,
                                             const char        *text);
JsonObject    *jsw_test_stream_next         (JswTestStream     *stream,
                                             guint              timeout_ms);
JsonObject    *jsw_test_stream_expect       (JswTestStream     *stream,
                                             const char        *type);
JsonObject    *jsw_test_stream_expect_past_changes (JswTestStream *stream,
                                                   const char    *type);
gboolean       jsw_test_keyring_available   (void);
gboolean       jsw_test_stream_quiet        (JswTestStream     *stream,
                                             guint              ms);
gboolean       jsw_test_stream_wait_closed  (JswTestStream     *stream,
                                             guint              timeout_ms);
void           jsw_test_stream_free         (JswTestStream     *stream);
void           jsw_test_iterate_for         (guint              ms);

/* The server stopped (SIGSTOP, every thread of it) and let go on. */
void           jsw_test_server_pause        (JswTestServer     *server);
void           jsw_test_server_resume       (JswTestServer     *server);

/* The server stopped (SIGSTOP) the moment a site the test runs serves a
 * page: what a runner on its way to the send button then meets. */
typedef struct _JswTestFreeze JswTestFreeze;

JswTestFreeze *jsw_test_freeze_on_page      (JswTestServer     *server,
                                             SoupServer        *site,
                                             const char        *path);
gboolean       jsw_test_freeze_happened     (JswTestFreeze     *freeze);
void           jsw_test_freeze_end          (JswTestFreeze     *freeze);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswTestServer, jsw_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswTestStream, jsw_test_stream_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswTestFreeze, jsw_test_freeze_end)

G_END_DECLS
