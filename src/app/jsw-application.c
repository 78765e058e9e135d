/* jsw-application.c
 *
 * Started by a person it shows the window; started with --background (at
 * login, or by an operator) it has no window and applies automatically.
 * Either way there is one instance: a second start only passes its options
 * to the first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jsw-application.h"
#include "jsw-background.h"
#include "jsw-engine.h"
#include "jsw-preferences-window.h"
#include "jsw-token-store.h"
#include "jsw-tray.h"
#include "jsw-window.h"

struct _JswApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  JswCache       *cache;
  JswEngine      *engine;
  JswQueueClient *client;
  JswQueueModel  *queue;
  JswRunner      *runner;
  JswProfile     *profile;
  SoupSession    *session;
  GtkWidget      *browser_holder;  /* keeps the web view when no window shows it */
  JswTray        *tray;
  char           *token;
  gboolean        held;
};

G_DEFINE_FINAL_TYPE (JswApplication, jsw_application, ADW_TYPE_APPLICATION)

static char *
data_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "jobswipe", name, NULL);
}

JswCache *
jsw_application_get_cache (JswApplication *self)
{
  return self->cache;
}

JswQueueClient *
jsw_application_get_client (JswApplication *self)
{
  return self->client;
}

JswQueueModel *
jsw_application_get_queue_model (JswApplication *self)
{
  return self->queue;
}

JswRunner *
jsw_application_get_runner (JswApplication *self)
{
  return self->runner;
}

gboolean
jsw_application_get_auto_apply (JswApplication *self)
{
  return g_settings_get_boolean (self->settings, "auto-apply");
}

void
jsw_application_set_auto_apply (JswApplication *self,
                                 gboolean        auto_apply)
{
  g_settings_set_boolean (self->settings, "auto-apply", auto_apply);
}

static void keep_running_in_background (JswApplication *self);

/* Applying automatically keeps the app running with its window closed;
 * turned off, closing the window quits it again. */
static void
on_auto_apply_changed (GSettings      *settings,
                       const char     *key,
                       JswApplication *self)
{
  gboolean auto_apply = g_settings_get_boolean (settings, "auto-apply");

  if (self->runner != NULL)
    jsw_runner_set_auto_apply (self->runner, auto_apply);
  if (auto_apply)
    keep_running_in_background (self);
  else if (self->held)
    {
      self->held = FALSE;
      g_clear_object (&self->tray);
      g_application_release (G_APPLICATION (self));
    }
}

/* The profile */

static gboolean
save_profile_json (const char  *json,
                   GError     **error)
{
  g_autofree char *path = data_path ("profile.json");
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  return g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
load_profile (JswApplication *self)
{
  g_autofree char *path = data_path ("profile.json");
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->profile, jsw_profile_unref);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      self->profile = jsw_profile_new_from_file (path, &error);
      if (self->profile == NULL)
        g_warning ("%s", error->message);
    }
  if (self->runner != NULL)
    jsw_runner_set_profile (self->runner, self->profile);
}

static gboolean
import_profile (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JswProfile) profile = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  profile = jsw_profile_new_from_json (contents, error);
  if (profile == NULL)
    return FALSE;
  return save_profile_json (contents, error);
}

void
jsw_application_save_answers (JswApplication *self,
                              GHashTable     *answers)
{
  g_autoptr(JsonNode) root = jsw_application_load_profile_json (self);
  JsonObject *profile = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer question, answer;

  if (!json_object_has_member (profile, "answers") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (profile, "answers")))
    json_object_set_object_member (profile, "answers", json_object_new ());

  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &question, &answer))
    json_object_set_string_member (json_object_get_object_member (profile, "answers"), question, answer);

  if (!jsw_application_save_profile (self, root, &error))
    g_warning ("Cannot save the answers: %s", error->message);
}

static void
retried (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) answer = jsw_application_rest_finish (JSW_APPLICATION (source), result, &status, &error);

  if (answer == NULL || status != 200)
    g_warning ("Cannot queue the application again: %s",
               error ? error->message : soup_status_get_phrase (status));
}

/* POST /v1/queue/{id}/retry: a needs-you entry goes back in the queue. */
void
jsw_application_retry (JswApplication *self,
                       const char     *entry_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/queue/%s/retry", entry_id);

  jsw_application_rest_async (self, "POST", path, NULL, retried, NULL);
}

GSettings *
jsw_application_get_settings (JswApplication *self)
{
  return self->settings;
}

/* The profile as a document, for editing; an empty one before any. */
JsonNode *
jsw_application_load_profile_json (JswApplication *self)
{
  g_autofree char *path = data_path ("profile.json");
  g_autofree char *contents = NULL;
  JsonNode *root = NULL;

  if (g_file_get_contents (path, &contents, NULL, NULL))
    root = jsw_json_parse (contents, -1, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      root = json_node_init_object (json_node_alloc (), json_object_new ());
    }
  return root;
}

gboolean
jsw_application_save_profile (JswApplication  *self,
                              JsonNode        *profile,
                              GError         **error)
{
  g_autofree char *json = json_to_string (profile, TRUE);
  g_autoptr(JswProfile) valid = jsw_profile_new_from_json (json, error);

  if (valid == NULL || !save_profile_json (json, error))
    return FALSE;
  load_profile (self);
  return TRUE;
}

/* REST calls with this device's token */

static void
rest_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  JsonNode *root;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (task), "jsw-status", GUINT_TO_POINTER (soup_message_get_status (msg)));
  root = g_bytes_get_size (body) > 0 ? jsw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) : NULL;
  g_task_return_pointer (task, root ? root : json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
}

void
jsw_application_rest_async (JswApplication      *self,
                            const char          *method,
                            const char          *path,
                            const char          *body,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *url = g_strconcat (server, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", self->token ? self->token : "", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  if (msg == NULL || self->token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not signed in"));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, rest_done, g_steal_pointer (&task));
}

JsonNode *
jsw_application_rest_finish (JswApplication  *self,
                             GAsyncResult    *result,
                             guint           *status,
                             GError         **error)
{
  *status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "jsw-status"));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Start at login: an autostart entry, or the Background portal's. */
static void
on_start_at_login_changed (GSettings      *settings,
                           const char     *key,
                           JswApplication *self)
{
  jsw_background_request (G_APPLICATION (self), g_settings_get_boolean (settings, "start-at-login"));
}

static void
on_review_changed (GSettings      *settings,
                   const char     *key,
                   JswApplication *self)
{
  if (self->runner != NULL)
    jsw_runner_set_review (self->runner, g_settings_get_boolean (settings, "review-before-submit"));
}

/* app.review((entry id, send?)): the review banner's buttons. */
static void
review_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  const char *entry_id;
  gboolean send;

  g_variant_get (parameter, "(&sb)", &entry_id, &send);
  if (self->runner != NULL)
    jsw_runner_finish_review (self->runner, entry_id, send);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (jsw_preferences_window_new (self, parent)));
}

char *
jsw_application_get_server_url (JswApplication *self)
{
  return g_settings_get_string (self->settings, "server-url");
}

/* Signing in: POST /v1/sessions, the token into the keyring, then the
 * queue starts and the windows show it. */

static void start_queue (JswApplication *self);
static char *device_name (JswApplication *self);

typedef struct {
  char *server;
  char *email;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->server);
  g_free (sign_in->email);
  g_free (sign_in);
}

static const char *
sign_in_problem (guint status)
{
  switch (status)
    {
    case 401: return _("The e-mail address or the password is wrong");
    case 429: return _("Too many failed sign-ins; wait a while and try again");
    case 400: return _("Fill in the e-mail address and the password");
    default: return _("The server did not let this computer sign in");
    }
}

static void finish_sign_in (GTask *task, const char *token);

static void
session_created (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) root = NULL;
  const char *token = NULL;

  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot reach %s: %s"), sign_in->server, error->message);
      return;
    }
  if (soup_message_get_status (msg) != 201)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                               sign_in_problem (soup_message_get_status (msg)));
      return;
    }
  root = jsw_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    token = json_object_get_string_member_with_default (json_node_get_object (root), "token", NULL);
  if (token == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The server’s answer makes no sense"));
      return;
    }
  finish_sign_in (task, token);
}

/* The token into the keyring, then the queue starts and the windows show
 * it. */
static void
finish_sign_in (GTask      *task,
                const char *token)
{
  JswApplication *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *windows;

  if (!jsw_token_store_save (sign_in->server, token, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_settings_set_string (self->settings, "server-url", sign_in->server);
  start_queue (self);
  for (windows = gtk_application_get_windows (GTK_APPLICATION (self)); windows != NULL; windows = windows->next)
    if (JSW_IS_WINDOW (windows->data))
      jsw_window_queue_ready (windows->data);
  g_task_return_boolean (task, TRUE);
}

/* A device token given instead of a password is checked with GET /v1/me. */
static void
token_checked (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  const char *token = g_object_get_data (G_OBJECT (task), "jsw-token");

  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot reach the server: %s"), error->message);
      return;
    }
  if (soup_message_get_status (msg) != 200)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("The server does not know this token"));
      return;
    }
  finish_sign_in (task, token);
}

void
jsw_application_sign_in_async (JswApplication      *self,
                               const char          *server_url,
                               const char          *email,
                               const char          *password,
                               const char          *token,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *device = device_name (self);
  g_autoptr(GBytes) bytes = NULL;
  SignIn *sign_in;

  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") && g_strcmp0 (g_uri_get_scheme (uri), "https")) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The server’s address should look like https://jobswipe.example.org"));
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server = g_strdup (server_url);
  if (g_str_has_suffix (sign_in->server, "/"))
    sign_in->server[strlen (sign_in->server) - 1] = '\0';
  sign_in->email = g_strdup (email);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  if (token != NULL && *token != '\0')
    {
      g_autofree char *me = g_strconcat (sign_in->server, "/v1/me", NULL);
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      g_autoptr(SoupMessage) check = soup_message_new ("GET", me);

      if (check == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("The server’s address should look like https://jobswipe.example.org"));
          return;
        }
      g_object_set_data_full (G_OBJECT (task), "jsw-token", g_strdup (token), g_free);
      soup_message_headers_replace (soup_message_get_request_headers (check), "Authorization", auth);
      soup_session_send_and_read_async (self->session, check, G_PRIORITY_DEFAULT, NULL, token_checked,
                                        g_steal_pointer (&task));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, device);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  body = json_to_string (node, FALSE);
  bytes = g_bytes_new (body, strlen (body));

  url = g_strconcat (sign_in->server, "/v1/sessions", NULL);
  msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, session_created,
                                    g_steal_pointer (&task));
}

gboolean
jsw_application_sign_in_finish (JswApplication  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
signed_in_by_action (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_application_sign_in_finish (JSW_APPLICATION (source), result, &error))
    g_warning ("Sign-in failed: %s", error->message);
}

/* app.sign-in(server, e-mail, password): what the sign-in page does, for
 * scripts and tests. */
static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  const char *server, *email, *password;

  g_variant_get (parameter, "(&s&s&s)", &server, &email, &password);
  jsw_application_sign_in_async (JSW_APPLICATION (user_data), server, email, password, NULL, signed_in_by_action, NULL);
}

/* "Save Answers and Continue": the answers join the saved answers (for
 * this form and every next one that asks the same), the entry is queued
 * again, and applied to as soon as it is. */
void
jsw_application_answer (JswApplication *self,
                        const char     *entry_id,
                        GHashTable     *answers)
{
  jsw_application_save_answers (self, answers);
  jsw_application_retry (self, entry_id);
  if (self->runner != NULL)
    jsw_runner_apply_now (self->runner, entry_id);
}

/* app.answer(entry id, {question: answer}): the banner's button, for
 * scripts and tests. */
static void
answer_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  g_autoptr(GHashTable) answers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GVariantIter) iter = NULL;
  const char *entry_id, *question, *answer;

  g_variant_get (parameter, "(&sa{ss})", &entry_id, &iter);
  while (g_variant_iter_next (iter, "{&s&s}", &question, &answer))
    g_hash_table_insert (answers, (gpointer) question, (gpointer) answer);
  jsw_application_answer (JSW_APPLICATION (user_data), entry_id, answers);
}

/* app.sign-in-token((server, token)): signing in with a device token. */
static void
sign_in_token_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  const char *server, *token;

  g_variant_get (parameter, "(&s&s)", &server, &token);
  jsw_application_sign_in_async (JSW_APPLICATION (user_data), server, NULL, NULL, token, signed_in_by_action, NULL);
}

/* The web view: in the window when there is one, else kept aside */

static void
destroy_holder (JswApplication *self)
{
  if (self->browser_holder != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self->browser_holder));
      self->browser_holder = NULL;
    }
}

/* Without a window showing it, the browser still needs a toplevel to
 * render into: one of a desktop's size that nobody sees, where pages run as
 * they would in view (jsw_engine_hold_view()). */
static void
hold_browser_unseen (JswApplication *self,
                     GtkWidget      *view)
{
  self->browser_holder = jsw_engine_hold_view (WEBKIT_WEB_VIEW (view), FALSE);
}

void
jsw_application_take_browser (JswApplication *self,
                              GtkWidget      *slot)
{
  GtkWidget *view = GTK_WIDGET (jsw_runner_get_view (self->runner));

  g_object_ref (view);
  if (gtk_widget_get_parent (view) != NULL && self->browser_holder != NULL)
    gtk_window_set_child (GTK_WINDOW (self->browser_holder), NULL);
  destroy_holder (self);
  gtk_box_append (GTK_BOX (slot), view);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_widget_set_vexpand (view, TRUE);
  g_object_unref (view);
}

/* The window closes: the browser goes back to running unseen if a run is
 * going on, else away altogether. */
void
jsw_application_return_browser (JswApplication *self,
                                GtkWidget      *slot)
{
  GtkWidget *view;

  if (self->runner == NULL || !jsw_runner_has_view (self->runner))
    return;
  view = GTK_WIDGET (jsw_runner_get_view (self->runner));
  if (gtk_widget_get_parent (view) != slot)
    return;
  g_object_ref (view);
  gtk_box_remove (GTK_BOX (slot), view);
  if (jsw_runner_get_current (self->runner) != NULL)
    hold_browser_unseen (self, view);
  g_object_unref (view);
  if (self->browser_holder == NULL)
    jsw_runner_drop_view (self->runner);
}

/* A run starts with no window showing the browser. */
static void
on_run_started (JswRunner      *runner,
                const char     *entry_id,
                JswApplication *self)
{
  GtkWidget *view = GTK_WIDGET (jsw_runner_get_view (runner));

  if (gtk_widget_get_parent (view) == NULL)
    hold_browser_unseen (self, view);
}

static gboolean
drop_unseen_browser (gpointer user_data)
{
  JswApplication *self = user_data;

  if (self->runner != NULL && jsw_runner_get_current (self->runner) == NULL && self->browser_holder != NULL)
    {
      destroy_holder (self);
      jsw_runner_drop_view (self->runner);
    }
  return G_SOURCE_REMOVE;
}

/* Notifications */

static void
on_run_finished (JswRunner      *runner,
                 const char     *entry_id,
                 int             outcome,
                 const char     *text,
                 const char     *missing,
                 JswApplication *self)
{
  JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  /* Unseen, the browser is not kept between runs: a few seconds' grace
   * for the next entry in line. */
  g_timeout_add_seconds (5, drop_unseen_browser, self);

  if (item == NULL || outcome == JSW_OUTCOME_FAILED || outcome < 0)
    return;

  if (outcome == JSW_OUTCOME_SUBMITTED)
    title = g_strdup_printf (_("Applied to %s at %s"), jsw_entry_item_get_title (item), jsw_entry_item_get_company (item));
  else if (outcome == JSW_OUTCOME_UNCONFIRMED)
    /* Sent, perhaps: the employer showed no confirmation. Only the person
     * can find out (an e-mail, the employer's portal); applying again
     * could apply twice. */
    title = g_strdup_printf (_("Check whether your application to %s at %s was sent"),
                             jsw_entry_item_get_title (item), jsw_entry_item_get_company (item));
  else
    title = g_strdup_printf (_("%s at %s needs you"), jsw_entry_item_get_title (item), jsw_entry_item_get_company (item));
  if (self->tray != NULL)
    jsw_tray_set_status (self->tray, outcome != JSW_OUTCOME_SUBMITTED, title);
  notification = g_notification_new (title);
  if (text != NULL)
    g_notification_set_body (notification, outcome == JSW_OUTCOME_NEEDS_USER && missing ? missing : text);
  g_notification_set_default_action (notification, "app.show");
  g_application_send_notification (G_APPLICATION (self), entry_id, notification);
}

/* Starting the queue */

static char *
device_name (JswApplication *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "device-name");

  return *name ? g_steal_pointer (&name) : g_strdup (g_get_host_name ());
}

static void
start_queue (JswApplication *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *cache_path = data_path ("cache.db");
  g_autofree char *device = device_name (self);
  g_autoptr(GError) error = NULL;

  if (self->client != NULL || *server == '\0')
    return;

  g_clear_pointer (&self->token, g_free);
  self->token = jsw_token_store_lookup (server, &error);
  if (self->token == NULL)
    {
      g_message ("Not signed in to %s%s%s", server, error ? ": " : "", error ? error->message : "");
      return;
    }

  self->cache = jsw_cache_open (cache_path, &error);
  if (self->cache == NULL)
    {
      g_warning ("Cannot open the cache: %s", error->message);
      return;
    }

  load_profile (self);
  self->engine = jsw_engine_new (JSW_ENGINE_MODE_DESKTOP, NULL);
  self->client = jsw_queue_client_new (server, self->token, device, self->cache);
  self->queue = jsw_queue_model_new (self->cache);
  jsw_queue_model_follow (self->queue, self->client);
  self->runner = jsw_runner_new (self->client, self->queue, self->engine, self->profile);
  g_signal_connect (self->runner, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (self->runner, "run-started", G_CALLBACK (on_run_started), self);
  jsw_runner_set_review (self->runner, g_settings_get_boolean (self->settings, "review-before-submit"));

  jsw_runner_set_auto_apply (self->runner, jsw_application_get_auto_apply (self));
  jsw_queue_client_start (self->client);
}

static void
show_window (JswApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (jsw_window_new (self));
  gtk_window_present (window);
}

static void
show_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  show_window (JSW_APPLICATION (user_data));
}

/* app.apply-now('<entry id>'): what the window's button, a notification
 * or another program (over D-Bus) asks for. */
static void
apply_now_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);

  if (self->runner != NULL)
    jsw_runner_apply_now (self->runner, g_variant_get_string (parameter, NULL));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  JswApplication *self = JSW_APPLICATION (user_data);

  if (self->runner != NULL)
    jsw_runner_stop (self->runner);
  g_application_quit (G_APPLICATION (self));
}

/* Running without a window shows itself in the tray, where there is one. */
static void
keep_running_in_background (JswApplication *self)
{
  if (!self->held)
    {
      g_application_hold (G_APPLICATION (self));
      self->held = TRUE;
    }
  if (self->tray == NULL)
    self->tray = jsw_tray_new (G_APPLICATION (self));
  /* Sandboxed, the app asks before it stays behind its closed window. */
  jsw_background_request (G_APPLICATION (self), g_settings_get_boolean (self->settings, "start-at-login"));
}

/* Options, in the primary instance whichever instance got them */

static gboolean
store_token_from_file (JswApplication  *self,
                       const char      *path,
                       GError         **error)
{
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *token = NULL;

  if (*server == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("--token-file needs a server (--server URL)"));
      return FALSE;
    }
  if (!g_file_get_contents (path, &token, NULL, error))
    return FALSE;
  g_strstrip (token);
  return jsw_token_store_save (server, token, error);
}

static int
jsw_application_command_line (GApplication            *application,
                              GApplicationCommandLine *command_line)
{
  JswApplication *self = JSW_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(GError) error = NULL;
  const char *server = NULL, *token_file = NULL, *profile = NULL;
  gboolean background = FALSE, auto_apply = FALSE;

  g_variant_dict_lookup (options, "auto-apply", "b", &auto_apply);
  g_variant_dict_lookup (options, "server", "&s", &server);
  g_variant_dict_lookup (options, "token-file", "^&ay", &token_file);
  g_variant_dict_lookup (options, "import-profile", "^&ay", &profile);
  g_variant_dict_lookup (options, "background", "b", &background);

  if (server != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") && g_strcmp0 (g_uri_get_scheme (uri), "https")))
        {
          g_application_command_line_printerr (command_line, _("--server takes an http or https URL\n"));
          return 2;
        }
      g_settings_set_string (self->settings, "server-url", server);
    }
  if (token_file != NULL && !store_token_from_file (self, token_file, &error))
    {
      g_application_command_line_printerr (command_line, "%s\n", error->message);
      return 1;
    }
  if (profile != NULL && !import_profile (profile, &error))
    {
      g_application_command_line_printerr (command_line, "%s\n", error->message);
      return 1;
    }

  if (auto_apply)
    jsw_application_set_auto_apply (self, TRUE);
  if (background)
    {
      /* Started to work unattended: it applies on its own. */
      jsw_application_set_auto_apply (self, TRUE);
      keep_running_in_background (self);
    }

  start_queue (self);
  if (profile != NULL)
    load_profile (self);
  if (!background)
    show_window (self);
  return 0;
}

static void
jsw_application_activate (GApplication *application)
{
  start_queue (JSW_APPLICATION (application));
  show_window (JSW_APPLICATION (application));
}

static void
jsw_application_startup (GApplication *application)
{
  JswApplication *self = JSW_APPLICATION (application);
  static const GActionEntry actions[] = {
    { "show", show_action, NULL, NULL, NULL },
    { "apply-now", apply_now_action, "s", NULL, NULL },
    { "sign-in", sign_in_action, "(sss)", NULL, NULL },
    { "sign-in-token", sign_in_token_action, "(ss)", NULL, NULL },
    { "preferences", preferences_action, NULL, NULL, NULL },
    { "answer", answer_action, "(sa{ss})", NULL, NULL },
    { "review", review_action, "(sb)", NULL, NULL },
    { "quit", quit_action, NULL, NULL, NULL },
  };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (jsw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", (const char *[]) { "<Control>comma", NULL });
  gtk_css_provider_load_from_resource (css, "/org/jobswipe/JobSwipe/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  self->settings = g_settings_new (JSW_APPLICATION_ID);
  g_signal_connect (self->settings, "changed::auto-apply", G_CALLBACK (on_auto_apply_changed), self);
  g_signal_connect (self->settings, "changed::start-at-login", G_CALLBACK (on_start_at_login_changed), self);
  g_signal_connect (self->settings, "changed::review-before-submit", G_CALLBACK (on_review_changed), self);
  /* Closing the window keeps applying in the background when it is on. */
  if (jsw_application_get_auto_apply (self))
    keep_running_in_background (self);
}

static void
jsw_application_shutdown (GApplication *application)
{
  JswApplication *self = JSW_APPLICATION (application);

  if (self->client != NULL)
    jsw_queue_client_stop (self->client);
  g_clear_object (&self->tray);
  g_clear_object (&self->runner);
  g_clear_object (&self->queue);
  g_clear_object (&self->client);
  g_clear_object (&self->engine);
  g_clear_object (&self->cache);
  destroy_holder (self);

  G_APPLICATION_CLASS (jsw_application_parent_class)->shutdown (application);
}

static void
jsw_application_finalize (GObject *object)
{
  JswApplication *self = (JswApplication *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_pointer (&self->profile, jsw_profile_unref);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  G_OBJECT_CLASS (jsw_application_parent_class)->finalize (object);
}

static void
jsw_application_class_init (JswApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = jsw_application_finalize;
  app_class->activate = jsw_application_activate;
  app_class->startup = jsw_application_startup;
  app_class->shutdown = jsw_application_shutdown;
  app_class->command_line = jsw_application_command_line;
}

static void
jsw_application_init (JswApplication *self)
{
  static const GOptionEntry options[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The JobSwipe server to use"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Read this device’s token from FILE into the keyring"), N_("FILE") },
    { "import-profile", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Import the profile (PROFILE.json)"), N_("FILE") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start without a window and apply automatically"), NULL },
    { "auto-apply", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Apply automatically as postings arrive"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  self->session = soup_session_new ();
}

JswApplication *
jsw_application_new (void)
{
  return g_object_new (JSW_TYPE_APPLICATION,
                       "application-id", JSW_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/jobswipe/JobSwipe",
                       NULL);
}
