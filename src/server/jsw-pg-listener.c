/* jsw-pg-listener.c: hears the changes other processes announce with NOTIFY
 *
 * A connection of its own, LISTENing on JSW_PG_NOTIFY_CHANNEL, its socket
 * watched by the main loop: nothing blocks while nobody writes. Each
 * announcement ("<seq> <channel>\n<entry JSON>", jsw-pg-store-events.c)
 * becomes a JswEvent handed to the store's watcher, in commit order; the
 * watcher hears this process's own changes too, and drops what it has.
 * An account's ("0 <channel> <origin>", jsw_store_announce_account())
 * becomes an event with seq 0, unless this process's store sent it.
 *
 * A lost connection is opened again every second. What was announced
 * meanwhile is not heard: the watcher's catch-up read (jsw-hub-relay.c)
 * finds it in the log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-pg-listener"

#include "config.h"

#include <glib-unix.h>

#include "jsw-log.h"
#include "jsw-pg-connection.h"
#include "jsw-pg-listener.h"

#define RECONNECT_MS 1000

struct _JswPgListener
{
  GObject              parent_instance;

  char                *url;
  char                *origin;      /* the store's: its own account announcements are passed over */
  JswStoreChangesFunc  func;
  gpointer             user_data;
  PGconn              *conn;
  guint                watch_id;
  guint                reconnect_id;
};

G_DEFINE_FINAL_TYPE (JswPgListener, jsw_pg_listener, G_TYPE_OBJECT)

static gboolean connect_and_listen (JswPgListener *self, GError **error);

/* "0 <channel> <origin>": NULL when this process sent it. */
static JswEvent *
account_event_from (JswPgListener *self,
                    const char    *channel_and_origin)
{
  const char *space = strchr (channel_and_origin, ' ');
  JswEvent *event;

  if (space == NULL || space == channel_and_origin || g_str_equal (space + 1, self->origin))
    return NULL;
  event = g_new0 (JswEvent, 1);
  event->channel = g_strndup (channel_and_origin, space - channel_and_origin);
  return event;
}

/* "<seq> <channel>[\n<entry JSON>]", or an account's */
static JswEvent *
event_from_payload (JswPgListener *self,
                    const char    *payload)
{
  g_autoptr(JswEvent) event = NULL;
  const char *space = strchr (payload, ' ');
  const char *newline;
  char *end = NULL;
  gint64 seq;

  if (space == NULL)
    return NULL;
  seq = g_ascii_strtoll (payload, &end, 10);
  if (end != space || seq < 0)
    return NULL;
  if (seq == 0)
    return account_event_from (self, space + 1);
  event = g_new0 (JswEvent, 1);
  event->seq = seq;
  newline = strchr (space + 1, '\n');
  if (newline == NULL)
    event->channel = g_strdup (space + 1);
  else
    {
      event->channel = g_strndup (space + 1, newline - (space + 1));
      event->entry_json = g_strdup (newline + 1);
    }
  return g_steal_pointer (&event);
}

static gboolean
on_reconnect (gpointer data)
{
  JswPgListener *self = data;
  g_autoptr(GError) error = NULL;

  if (!connect_and_listen (self, &error))
    return G_SOURCE_CONTINUE;
  self->reconnect_id = 0;
  jsw_log (JSW_LOG_INFO, NULL, "db.listening_again", NULL);
  return G_SOURCE_REMOVE;
}

static void
connection_lost (JswPgListener *self)
{
  jsw_log (JSW_LOG_WARNING, NULL, "db.listen_lost", "message", 's', PQerrorMessage (self->conn), NULL);
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_pointer (&self->conn, PQfinish);
  if (self->reconnect_id == 0)
    self->reconnect_id = g_timeout_add (RECONNECT_MS, on_reconnect, self);
}

static gboolean
on_readable (int           fd,
             GIOCondition  condition,
             gpointer      data)
{
  JswPgListener *self = data;
  g_autoptr(GPtrArray) events = jsw_event_list_new ();
  g_autoptr(JswPgListener) hold = g_object_ref (self);
  PGnotify *notify;

  if (!PQconsumeInput (self->conn) || PQstatus (self->conn) != CONNECTION_OK)
    {
      self->watch_id = 0;
      connection_lost (self);
      return G_SOURCE_REMOVE;
    }

  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      JswEvent *event = event_from_payload (self, notify->extra);

      if (event != NULL)
        g_ptr_array_add (events, event);
      PQfreemem (notify);
    }
  if (events->len > 0)
    self->func (events, self->user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
connect_and_listen (JswPgListener  *self,
                    GError        **error)
{
  PGconn *conn = jsw_pg_connect (self->url, error);
  g_autoptr(PGresult) result = NULL;

  if (conn == NULL)
    return FALSE;
  result = PQexec (conn, "LISTEN " JSW_PG_NOTIFY_CHANNEL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK || PQsetnonblocking (conn, 1) != 0)
    {
      g_set_error (error, JSW_ERROR, JSW_ERROR_INTERNAL, "LISTEN: %s", PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_pointer (&self->conn, PQfinish);
  self->conn = conn;
  self->watch_id = g_unix_fd_add (PQsocket (conn), G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, self);
  return TRUE;
}

/**
 * jsw_pg_listener_start:
 *
 * Connects and LISTENs; from now on the watcher is called on the main
 * context with each batch of announcements.
 *
 * Returns: %FALSE with @error set if the first connection failed
 */
gboolean
jsw_pg_listener_start (JswPgListener  *self,
                       GError        **error)
{
  g_return_val_if_fail (JSW_IS_PG_LISTENER (self), FALSE);

  return connect_and_listen (self, error);
}

static void
jsw_pg_listener_finalize (GObject *object)
{
  JswPgListener *self = (JswPgListener *) object;

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->url);
  g_free (self->origin);

  G_OBJECT_CLASS (jsw_pg_listener_parent_class)->finalize (object);
}

static void
jsw_pg_listener_class_init (JswPgListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_pg_listener_finalize;
}

static void
jsw_pg_listener_init (JswPgListener *self)
{
}

/**
 * jsw_pg_listener_new:
 * @origin: the store's, which it puts in its account announcements
 * @func: called with each batch of announced changes (element-type
 *   JswEvent, entry_json %NULL when the announcement could not carry it;
 *   seq 0 for another process's account announcement)
 */
JswPgListener *
jsw_pg_listener_new (const char           *url,
                     const char           *origin,
                     JswStoreChangesFunc   func,
                     gpointer              user_data)
{
  JswPgListener *self = g_object_new (JSW_TYPE_PG_LISTENER, NULL);

  self->url = g_strdup (url);
  self->origin = g_strdup (origin);
  self->func = func;
  self->user_data = user_data;
  return self;
}
