/* soak-client.c: the soak's scripted desktop client
 *
 * A process of its own (tests/worker/test-soak.c runs itself again with
 * --desktop-client), so that the soak can kill it with SIGKILL at any
 * moment, also between posting an application and reporting it. It does
 * what the desktop app does with its person's desktop entries, over the
 * same stream: claim, `submitting` acknowledged before anything is sent,
 * the post to the fixture site, the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "soak-client.h"

typedef struct {
  SoupSession             *soup;
  SoupWebsocketConnection *ws;
  GQueue                   candidates;   /* char* entry ids */
  GHashTable              *urls;         /* entry id -> apply_url */
  GHashTable              *tried;        /* entry ids claimed once by this process */
  char                    *current;
  char                    *lease;
  char                    *submitting_id;   /* awaiting the ack that `submitting` is on record */
  GDataInputStream        *commands;
  guint                    request;
} Client;

static void client_next (Client *client);

static void
client_send (Client     *client,
             const char *frame)
{
  soup_websocket_connection_send_text (client->ws, frame);
}

static void
client_progress (Client     *client,
                 int         percent,
                 const char *step)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"progress\",\"lease\":\"%s\",\"percent\":%d,\"step\":\"%s\"}",
                                            client->lease, percent, step);

  client_send (client, frame);
}

static void
command_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Client *client = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  g_autofree char *frame = NULL;

  if (line == NULL)
    exit (0);  /* the test is gone */
  /* "go": report the result the site already has. */
  frame = g_strdup_printf ("{\"type\":\"result\",\"id\":\"r-%u-%d\",\"lease\":\"%s\",\"outcome\":\"submitted\","
                           "\"confirmation\":\"Thank you for applying.\"}", ++client->request, (int) getpid (), client->lease);
  client_send (client, frame);
  g_clear_pointer (&client->current, g_free);
  g_clear_pointer (&client->lease, g_free);
  client_next (client);
}

static void
posted (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  /* Sent: the test decides whether this client lives to report it. */
  client_progress (client, 92, "confirming");
  printf ("posted %s\n", client->current);
  fflush (stdout);
  g_data_input_stream_read_line_async (client->commands, G_PRIORITY_DEFAULT, NULL, command_read, client);
}

/* `submitting` is on record: now the application may go. */
static void
client_send_application (Client *client)
{
  const char *url = g_hash_table_lookup (client->urls, client->current);
  g_autofree char *submit = g_strconcat (url, "/submit", NULL);
  g_autofree char *form = g_strdup_printf ("entry=%s&first_name=Ada&last_name=Lovelace&email=ada%%40example.org",
                                           client->current);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", submit);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  soup_session_send_and_read_async (client->soup, msg, G_PRIORITY_DEFAULT, NULL, posted, client);
}

/* As the worker does: `submitting` acknowledged before anything is sent. */
static void
client_apply (Client *client)
{
  g_autofree char *frame = NULL;

  client_progress (client, 5, "opening");
  client_progress (client, 30, "filling");
  client_progress (client, 75, "reviewing");
  client->submitting_id = g_strdup_printf ("s-%u", ++client->request);
  frame = g_strdup_printf ("{\"type\":\"progress\",\"id\":\"%s\",\"lease\":\"%s\",\"percent\":85,\"step\":\"submitting\"}",
                           client->submitting_id, client->lease);
  client_send (client, frame);
}

static void
client_next (Client *client)
{
  char *id;

  if (client->current != NULL)
    return;
  while ((id = g_queue_pop_head (&client->candidates)) != NULL)
    {
      g_autofree char *frame = NULL;

      if (g_hash_table_contains (client->tried, id))
        {
          g_free (id);
          continue;
        }
      g_hash_table_add (client->tried, g_strdup (id));
      client->current = id;
      frame = g_strdup_printf ("{\"type\":\"claim\",\"id\":\"c-%u\",\"entry\":\"%s\"}", ++client->request, id);
      client_send (client, frame);
      return;
    }
}

static void
client_note_entry (Client     *client,
                   JsonObject *entry)
{
  const char *id = json_object_get_string_member (entry, "id");

  if (!g_str_equal (json_object_get_string_member (entry, "state"), "queued") ||
      !g_str_equal (json_object_get_string_member (entry, "target"), "desktop"))
    return;
  g_hash_table_replace (client->urls, g_strdup (id),
                        g_strdup (json_object_get_string_member (json_object_get_object_member (entry, "snapshot"), "apply_url")));
  /* Queued again after a lease expired: worth a new try. */
  g_hash_table_remove (client->tried, id);
  g_queue_push_tail (&client->candidates, g_strdup (id));
}

static void
client_on_message (SoupWebsocketConnection *ws,
                   int                      type,
                   GBytes                  *message,
                   Client                  *client)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *frame;
  const char *kind;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (message, NULL), g_bytes_get_size (message), NULL))
    return;
  frame = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member (frame, "type");
  if (g_str_equal (kind, "entry"))
    client_note_entry (client, json_object_get_object_member (frame, "entry"));
  else if (g_str_equal (kind, "sync"))
    {
      JsonArray *entries = json_object_get_array_member (frame, "entries");

      for (guint i = 0; i < json_array_get_length (entries); i++)
        client_note_entry (client, json_array_get_object_element (entries, i));
    }
  else if (g_str_equal (kind, "claimed") && client->current != NULL)
    {
      client->lease = g_strdup (json_object_get_string_member (frame, "lease"));
      client_apply (client);
      return;
    }
  else if (g_str_equal (kind, "ack") && g_strcmp0 (json_object_get_string_member (frame, "re"), client->submitting_id) == 0)
    {
      g_clear_pointer (&client->submitting_id, g_free);
      client_send_application (client);
      return;
    }
  else if (g_str_equal (kind, "error") && client->current != NULL && client->lease == NULL)
    g_clear_pointer (&client->current, g_free);  /* lost the claim: next */
  else if (g_str_equal (kind, "error") && client->submitting_id != NULL &&
           g_strcmp0 (json_object_get_string_member (frame, "re"), client->submitting_id) == 0)
    {
      /* Not on record: nothing is sent; the lease will expire. */
      g_clear_pointer (&client->submitting_id, g_free);
      g_clear_pointer (&client->current, g_free);
      g_clear_pointer (&client->lease, g_free);
    }
  client_next (client);
}

static void
client_on_closed (SoupWebsocketConnection *ws,
                  Client                  *client)
{
  exit (3);
}

static void
client_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  client->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (client->ws == NULL)
    g_error ("desktop client: %s", error->message);
  soup_websocket_connection_set_max_incoming_payload_size (client->ws, 64 * 1024 * 1024);
  g_signal_connect (client->ws, "message", G_CALLBACK (client_on_message), client);
  g_signal_connect (client->ws, "closed", G_CALLBACK (client_on_closed), client);
  client_send (client, "{\"type\":\"hello\",\"device\":\"soak-desktop\",\"since\":0}");
}

/**
 * jsw_soak_run_desktop_client:
 * @ws_url: the server's stream (`ws://…/v1/stream`)
 * @token: the person's token
 *
 * Runs the scripted desktop client until the process is killed or its
 * stdin closes: claims its person's `queued` desktop entries one at a
 * time, reports the steps, posts each application to the fixture site once
 * `submitting` is acknowledged, prints "posted ENTRY_ID" and reports the
 * result only when a line comes on stdin (the soak may kill it first).
 *
 * Returns: the exit status
 */
int
jsw_soak_run_desktop_client (const char *ws_url,
                             const char *token)
{
  Client client = { 0 };
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", ws_url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  client.soup = soup_session_new ();
  client.urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  client.tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  client.commands = g_data_input_stream_new (in);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (client.soup, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, client_connected, &client);
  g_main_loop_run (loop);
  return 0;
}
