/* jsw-fake-board.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jsw-fake-board.h"

#define HUGE_BODY_BYTES (10 * 1024 * 1024)

struct _JswFakeBoard
{
  char             *dir;
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  SoupServer       *server;
  char             *url;

  GMutex            lock;        /* guards what follows, set from the test's thread */
  GCond             started;
  JswFakeBoardMode  mode;
  guint             delay_ms;
  GHashTable       *overrides;   /* path -> body */
  GHashTable       *requests;    /* path -> count */
  guint             not_modified;
  guint             in_flight;
  guint             max_in_flight;
  char             *user_agent;
  GPtrArray        *hanging;     /* SoupServerMessage paused for good */
  GHashTable       *details;     /* Greenhouse id -> JSON text */
};

char *
jsw_fake_board_fixtures_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "server", "boards", NULL);
}

static char *
read_fixture (JswFakeBoard *board,
              const char   *relative)
{
  g_autofree char *path = g_build_filename (board->dir, relative, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

/* details.json holds each posting as Greenhouse answers it alone, by id. */
static void
load_details (JswFakeBoard *board)
{
  g_autofree char *text = read_fixture (board, "greenhouse/acme/details.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *all;
  GList *members;

  board->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return;
  all = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (all);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, json_object_get_member (all, l->data));
      g_hash_table_insert (board->details, g_strdup (l->data), json_generator_to_data (generator, NULL));
    }
  g_list_free (members);
}

/* The body for a path, as the vendor serves it, or NULL for 404. */
static char *
body_for (JswFakeBoard *board,
          const char   *path,
          const char  **content_type)
{
  const char *override = g_hash_table_lookup (board->overrides, path);

  *content_type = g_str_has_suffix (path, "/xml") ? "application/xml" : "application/json";
  if (override != NULL)
    return g_strdup (override);
  if (g_str_equal (path, "/v1/boards/acme/jobs"))
    return read_fixture (board, "greenhouse/acme/jobs.json");
  if (g_str_has_prefix (path, "/v1/boards/acme/jobs/"))
    return g_strdup (g_hash_table_lookup (board->details, path + strlen ("/v1/boards/acme/jobs/")));
  if (g_str_equal (path, "/v0/postings/acme"))
    return read_fixture (board, "lever/acme.json");
  if (g_str_equal (path, "/posting-api/job-board/acme"))
    return read_fixture (board, "ashby/acme.json");
  if (g_str_equal (path, "/xml"))
    return read_fixture (board, "personio/acme.xml");
  return NULL;
}

static char *
huge_body (void)
{
  GString *body = g_string_sized_new (HUGE_BODY_BYTES + 64);
  const char *item = "{\"id\":1,\"title\":\"Engineer\",\"location\":{\"name\":\"Berlin\"}},";

  g_string_append (body, "{\"jobs\":[");
  while (body->len < HUGE_BODY_BYTES)
    g_string_append (body, item);
  return g_string_free (body, FALSE);
}

static void
answer (JswFakeBoard      *board,
        SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *content_type;
  g_autofree char *body = NULL;
  g_autofree char *etag = NULL;
  const char *if_none_match;
  JswFakeBoardMode mode;

  g_mutex_lock (&board->lock);
  mode = board->mode;
  body = body_for (board, path, &content_type);
  g_mutex_unlock (&board->lock);

  if (mode == JSW_FAKE_BOARD_ERROR_500)
    {
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<h1>Oops</h1>", 13);
      return;
    }
  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"status\":404,\"error\":\"Job not found\"}", 38);
      return;
    }
  if (mode == JSW_FAKE_BOARD_MALFORMED)
    body[strlen (body) / 2] = '\0';
  else if (mode == JSW_FAKE_BOARD_HUGE)
    {
      g_free (body);
      body = huge_body ();
    }

  {
    g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, body, -1);

    etag = g_strdup_printf ("W/\"%s\"", sum);
  }
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  if (g_strcmp0 (if_none_match, etag) == 0)
    {
      g_mutex_lock (&board->lock);
      board->not_modified++;
      g_mutex_unlock (&board->lock);
      soup_server_message_set_status (msg, 304, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  {
    gsize length = strlen (body);

    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, g_steal_pointer (&body), length);
  }
}

typedef struct {
  JswFakeBoard      *board;
  SoupServerMessage *msg;
} Delayed;

static gboolean
answer_later_cb (gpointer data)
{
  Delayed *delayed = data;

  answer (delayed->board, delayed->msg);
  g_mutex_lock (&delayed->board->lock);
  delayed->board->in_flight--;
  g_mutex_unlock (&delayed->board->lock);
  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  JswFakeBoard *board = user_data;
  const char *agent = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "User-Agent");
  guint count;
  guint delay_ms;
  JswFakeBoardMode mode;

  g_mutex_lock (&board->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (board->requests, path));
  g_hash_table_replace (board->requests, g_strdup (path), GUINT_TO_POINTER (count + 1));
  g_free (board->user_agent);
  board->user_agent = g_strdup (agent);
  board->in_flight++;
  board->max_in_flight = MAX (board->max_in_flight, board->in_flight);
  delay_ms = board->delay_ms;
  mode = board->mode;
  if (mode == JSW_FAKE_BOARD_HANG)
    {
      /* Never answered: kept paused until the board stops. */
      soup_server_message_pause (msg);
      g_ptr_array_add (board->hanging, g_object_ref (msg));
      g_mutex_unlock (&board->lock);
      return;
    }
  g_mutex_unlock (&board->lock);

  {
    Delayed *delayed = g_new0 (Delayed, 1);
    GSource *source = g_timeout_source_new (delay_ms);

    delayed->board = board;
    delayed->msg = g_object_ref (msg);
    soup_server_message_pause (msg);
    g_source_set_callback (source, answer_later_cb, delayed, NULL);
    g_source_attach (source, board->context);
    g_source_unref (source);
  }
}

static gpointer
serve_thread (gpointer data)
{
  JswFakeBoard *board = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (board->context);
  board->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (board->server, NULL, handle_cb, board, NULL);
  if (!soup_server_listen_local (board->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The fake board cannot listen: %s", error->message);
  uris = soup_server_get_uris (board->server);
  g_mutex_lock (&board->lock);
  board->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (board->url, "/"))
    board->url[strlen (board->url) - 1] = '\0';
  g_cond_signal (&board->started);
  g_mutex_unlock (&board->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (board->loop);

  for (guint i = 0; i < board->hanging->len; i++)
    soup_server_message_unpause (board->hanging->pdata[i]);
  g_ptr_array_set_size (board->hanging, 0);
  soup_server_disconnect (board->server);
  while (g_main_context_iteration (board->context, FALSE))
    ;
  g_clear_object (&board->server);
  g_main_context_pop_thread_default (board->context);
  return NULL;
}

/**
 * jsw_fake_board_start:
 * @fixtures_dir: the folder make-boards.py wrote (jsw_fake_board_fixtures_dir())
 *
 * Returns: a board answering on http://127.0.0.1:PORT: Greenhouse at
 *   /v1/boards/acme/..., Lever at /v0/postings/acme, Ashby at
 *   /posting-api/job-board/acme, Personio at /xml. Each answer has an ETag
 *   and a matching If-None-Match gets 304.
 */
JswFakeBoard *
jsw_fake_board_start (const char *fixtures_dir)
{
  JswFakeBoard *board = g_new0 (JswFakeBoard, 1);

  board->dir = g_strdup (fixtures_dir);
  g_mutex_init (&board->lock);
  g_cond_init (&board->started);
  board->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  board->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  board->hanging = g_ptr_array_new_with_free_func (g_object_unref);
  board->context = g_main_context_new ();
  board->loop = g_main_loop_new (board->context, FALSE);
  load_details (board);

  g_mutex_lock (&board->lock);
  board->thread = g_thread_new ("fake-board", serve_thread, board);
  while (board->url == NULL)
    g_cond_wait (&board->started, &board->lock);
  g_mutex_unlock (&board->lock);
  return board;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
jsw_fake_board_stop (JswFakeBoard *board)
{
  g_main_context_invoke (board->context, quit_cb, board->loop);
  g_thread_join (board->thread);
  g_main_loop_unref (board->loop);
  g_main_context_unref (board->context);
  g_hash_table_unref (board->overrides);
  g_hash_table_unref (board->requests);
  g_hash_table_unref (board->details);
  g_ptr_array_unref (board->hanging);
  g_mutex_clear (&board->lock);
  g_cond_clear (&board->started);
  g_free (board->user_agent);
  g_free (board->url);
  g_free (board->dir);
  g_free (board);
}

const char *
jsw_fake_board_url (JswFakeBoard *board)
{
  return board->url;
}

void
jsw_fake_board_set_mode (JswFakeBoard     *board,
                         JswFakeBoardMode  mode)
{
  g_mutex_lock (&board->lock);
  board->mode = mode;
  g_mutex_unlock (&board->lock);
}

void
jsw_fake_board_set_delay_ms (JswFakeBoard *board,
                             guint         delay_ms)
{
  g_mutex_lock (&board->lock);
  board->delay_ms = delay_ms;
  g_mutex_unlock (&board->lock);
}

/* Serves @body at @path from now on (NULL: the fixture again). */
void
jsw_fake_board_override (JswFakeBoard *board,
                         const char   *path,
                         const char   *body)
{
  g_mutex_lock (&board->lock);
  if (body != NULL)
    g_hash_table_replace (board->overrides, g_strdup (path), g_strdup (body));
  else
    g_hash_table_remove (board->overrides, path);
  g_mutex_unlock (&board->lock);
}

/* Requests so far whose path starts with @path_prefix. */
guint
jsw_fake_board_requests (JswFakeBoard *board,
                         const char   *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  guint count = 0;

  g_mutex_lock (&board->lock);
  g_hash_table_iter_init (&iter, board->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, path_prefix))
      count += GPOINTER_TO_UINT (value);
  g_mutex_unlock (&board->lock);
  return count;
}

guint
jsw_fake_board_not_modified (JswFakeBoard *board)
{
  guint count;

  g_mutex_lock (&board->lock);
  count = board->not_modified;
  g_mutex_unlock (&board->lock);
  return count;
}

/* The most requests it was answering at one time. */
guint
jsw_fake_board_max_in_flight (JswFakeBoard *board)
{
  guint count;

  g_mutex_lock (&board->lock);
  count = board->max_in_flight;
  g_mutex_unlock (&board->lock);
  return count;
}

char *
jsw_fake_board_user_agent (JswFakeBoard *board)
{
  char *agent;

  g_mutex_lock (&board->lock);
  agent = g_strdup (board->user_agent);
  g_mutex_unlock (&board->lock);
  return agent;
}
