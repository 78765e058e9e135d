/* jsw-application.c
 *
 * Started by a person it shows the window; started with --background (at
 * login, or by an operator) it has no window and applies automatically.
 * Either way there is one instance: a second start only passes its options
 * to the first. Its actions are in jsw-application-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-application"

#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>

#include "jsw-application-private.h"
#include "jsw-background.h"
#include "jsw-token-store.h"
#include "jsw-window.h"

G_DEFINE_FINAL_TYPE (JswApplication, jsw_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROFILE_STORE,
  PROP_QUEUE_MODEL,
  PROP_RUNNER,
  PROP_CACHE,
  PROP_NEEDS_ATTENTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
data_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "jobswipe", name, NULL);
}

/* How many entries wait for the person (needs you, to check). */
static guint
count_needing_person (JswApplication *self)
{
  guint n = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  guint count = 0;

  /* The model lists them first (its groups 0 and 1). */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JswEntryItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (jsw_entry_item_get_group (item) > 1)
        break;
      count++;
    }
  return count;
}

static void
set_needs_attention (JswApplication *self,
                     gboolean        needs_attention)
{
  if (self->needs_attention == needs_attention)
    return;
  self->needs_attention = needs_attention;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_ATTENTION]);
}

/* The tray's tooltip counts what needs the person; the tray asks for
 * attention while anything does. */
static void
update_tooltip (JswApplication *self)
{
  guint count = count_needing_person (self);
  g_autofree char *tooltip = NULL;

  if (count == 0)
    tooltip = g_strdup (_("Nothing needs you; applying in the background"));
  else
    tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u application needs you", "%u applications need you", count),
                               count);
  if (self->tray != NULL)
    jsw_tray_set_tooltip (self->tray, tooltip);
}

static void
on_queue_changed (JswApplication *self)
{
  guint count = count_needing_person (self);

  if (count != self->needing_person)
    {
      self->needing_person = count;
      set_needs_attention (self, count > 0);
    }
  update_tooltip (self);
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
    {
      self->tray = jsw_tray_new (G_APPLICATION (self));
      g_object_bind_property (self, "needs-attention", self->tray, "needs-attention", G_BINDING_SYNC_CREATE);
      update_tooltip (self);
    }
  /* Sandboxed, the app asks before it stays behind its closed window. */
  jsw_background_request (G_APPLICATION (self), g_settings_get_boolean (self->settings, "start-at-login"));
}

/* Applying automatically keeps the app running with its window closed;
 * turned off, closing the window quits it again. */
static void
on_auto_apply_changed (GSettings      *settings,
                       const char     *key,
                       JswApplication *self)
{
  if (g_settings_get_boolean (settings, "auto-apply"))
    keep_running_in_background (self);
  else if (self->held)
    {
      self->held = FALSE;
      g_clear_object (&self->tray);
      g_application_release (G_APPLICATION (self));
    }
}

/* Start at login: an autostart entry, or the Background portal's. */
static void
on_start_at_login_changed (GSettings      *settings,
                           const char     *key,
                           JswApplication *self)
{
  jsw_background_request (G_APPLICATION (self), g_settings_get_boolean (settings, "start-at-login"));
}

static gboolean
window_in_front (JswApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) && gtk_window_is_active (window);
}

/* Notifications: an application sent, or one that needs the person. */
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
  /* What the person just did in the window in front of them is shown
   * there (the entry's row and pane), not announced again. */
  if (window_in_front (self))
    return;
  notification = g_notification_new (title);
  if (text != NULL)
    g_notification_set_body (notification, outcome == JSW_OUTCOME_NEEDS_USER && missing ? missing : text);
  /* A click, or its button, opens the window on that entry. */
  g_notification_set_default_action_and_target (notification, "app.show-entry", "s", entry_id);
  if (outcome == JSW_OUTCOME_NEEDS_USER)
    g_notification_add_button_with_target (notification, _("Answer"), "app.show-entry", "s", entry_id);
  else if (outcome == JSW_OUTCOME_UNCONFIRMED)
    g_notification_add_button_with_target (notification, _("Check"), "app.show-entry", "s", entry_id);
  g_application_send_notification (G_APPLICATION (self), entry_id, notification);
}

/* A form filled in and waiting for the person's Send or Don't Send: a
 * notification with a Review button, and the tray asks for attention. */
static void
on_review_needed (JswRunner      *runner,
                  const char     *entry_id,
                  JswApplication *self)
{
  JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  if (item == NULL)
    return;
  /* TRANSLATORS: a job's title, then its company */
  title = g_strdup_printf (_("Ready to review: %s at %s"), jsw_entry_item_get_title (item), jsw_entry_item_get_company (item));
  if (self->tray != NULL)
    jsw_tray_set_status (self->tray, TRUE, title);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("The application is filled in and waits for you to send it."));
  g_notification_set_default_action_and_target (notification, "app.show-entry", "s", entry_id);
  g_notification_add_button_with_target (notification, _("Review"), "app.show-entry", "s", entry_id);
  g_application_send_notification (G_APPLICATION (self), entry_id, notification);
}

/* Signed in: the cache, the stream, the queue model and the runner. */
static void
start_queue (JswApplication *self)
{
  g_autofree char *server = NULL;
  g_autofree char *cache_path = data_path ("cache.db");
  g_autofree char *device = NULL;
  g_autoptr(GError) error = NULL;

  if (self->client != NULL || !jsw_session_get_signed_in (self->session))
    return;

  self->cache = jsw_cache_open (cache_path, &error);
  if (self->cache == NULL)
    {
      g_warning ("Cannot open the cache: %s", error->message);
      return;
    }

  server = jsw_session_dup_server_url (self->session);
  device = jsw_session_dup_device_name (self->session);
  self->engine = jsw_engine_new (JSW_ENGINE_MODE_DESKTOP, NULL);
  self->client = jsw_queue_client_new (jsw_session_get_soup_session (self->session), server,
                                       jsw_session_get_token (self->session), device,
                                       JSW_QUEUE_STORE (self->cache));
  jsw_session_follow_client (self->session, self->client);
  self->queue = jsw_queue_model_new (self->cache);
  jsw_queue_model_follow (self->queue, self->client);
  /* After the model took the change in: an entry changing state in place
   * (the only one, or moving no row) is no items-changed. */
  g_signal_connect_object (self->client, "entry-changed", G_CALLBACK (on_queue_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->client, "synced", G_CALLBACK (on_queue_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  self->runner = jsw_runner_new (self->client, self->queue, self->engine, NULL);
  g_signal_connect (self->runner, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (self->runner, "review-needed", G_CALLBACK (on_review_needed), self);

  /* One source of truth each: the profile store's profile, the settings. */
  g_object_bind_property (self->profile_store, "profile", self->runner, "profile", G_BINDING_SYNC_CREATE);
  g_settings_bind (self->settings, "review-before-submit", self->runner, "review", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "auto-apply", self->runner, "auto-apply", G_SETTINGS_BIND_GET);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_MODEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
  jsw_queue_client_start (self->client);
}

static void
on_signed_in_changed (JswApplication *self)
{
  start_queue (self);
}

void
_jsw_application_show_window (JswApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (jsw_window_new (GTK_APPLICATION (self)));
  gtk_window_present (window);
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
  if (profile != NULL && !jsw_profile_store_import_file (self->profile_store, profile, &error))
    {
      g_application_command_line_printerr (command_line, "%s\n", error->message);
      return 1;
    }

  if (auto_apply)
    g_settings_set_boolean (self->settings, "auto-apply", TRUE);
  if (background)
    {
      /* Started to work unattended: it applies on its own. */
      g_settings_set_boolean (self->settings, "auto-apply", TRUE);
      keep_running_in_background (self);
    }

  jsw_session_restore (self->session);
  if (!background)
    _jsw_application_show_window (self);
  return 0;
}

static void
jsw_application_activate (GApplication *application)
{
  JswApplication *self = JSW_APPLICATION (application);

  jsw_session_restore (self->session);
  _jsw_application_show_window (self);
}

/* Whether @display's OpenGL is Mesa's software rasteriser (llvmpipe,
 * softpipe, swrast): a virtual machine or remote desktop without a GPU,
 * or Xvfb. FALSE also when there is no OpenGL to ask. */
static gboolean
gl_is_software (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software;

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    return FALSE;
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  software = renderer != NULL &&
             (strstr (renderer, "llvmpipe") != NULL || strstr (renderer, "softpipe") != NULL ||
              strstr (renderer, "swrast") != NULL);
  g_debug ("OpenGL renderer: %s%s", renderer ? renderer : "(none)", software ? " (software)" : "");
  gdk_gl_context_clear_current ();
  return software;
}

/* GTK 4.8 draws with OpenGL wherever it can, also on a software
 * rasteriser, and there it repaints the whole window for every frame
 * (its cost follows the window's area, not what changed), while its cairo
 * renderer repaints only what changed: the deck's frame after a swipe
 * cost 73-85 ms of CPU with GL on llvmpipe under Xvfb and 8 ms with cairo,
 * and the app half the memory (docs/performance.md, "The deck's frame
 * after a swipe"). So on software OpenGL the app asks GTK for cairo before
 * its first window. Never when GSK_RENDERER is set: the person's or the
 * system's choice wins. Web pages still render as before; their frames
 * are composed into the window by cairo, as jobswipe-apply's SERVER
 * windows already are (docs/engine.md). */
static void
prefer_cairo_on_software_gl (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (g_getenv ("GSK_RENDERER") != NULL || display == NULL)
    return;
  if (gl_is_software (display))
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

static void
jsw_application_startup (GApplication *application)
{
  JswApplication *self = JSW_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autofree char *profile_path = data_path ("profile.json");

  G_APPLICATION_CLASS (jsw_application_parent_class)->startup (application);
  prefer_cairo_on_software_gl ();

  gtk_css_provider_load_from_resource (css, "/org/jobswipe/JobSwipe/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  self->settings = g_settings_new (JSW_APPLICATION_ID);
  self->session = jsw_session_new (self->settings);
  self->profile_store = jsw_profile_store_new (profile_path);
  /* The queue starts once signed in: from the keyring at start, or by
   * signing in; the windows watch the same property. */
  g_signal_connect_swapped (self->session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self);
  _jsw_application_add_actions (self);

  g_signal_connect (self->settings, "changed::auto-apply", G_CALLBACK (on_auto_apply_changed), self);
  g_signal_connect (self->settings, "changed::start-at-login", G_CALLBACK (on_start_at_login_changed), self);
  /* Closing the window keeps applying in the background when it is on. */
  if (g_settings_get_boolean (self->settings, "auto-apply"))
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

  G_APPLICATION_CLASS (jsw_application_parent_class)->shutdown (application);
}

static void
jsw_application_dispose (GObject *object)
{
  JswApplication *self = (JswApplication *) object;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->profile_store);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (jsw_application_parent_class)->dispose (object);
}

static void
jsw_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JswApplication *self = JSW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_PROFILE_STORE: g_value_set_object (value, self->profile_store); break;
    case PROP_QUEUE_MODEL: g_value_set_object (value, self->queue); break;
    case PROP_RUNNER: g_value_set_object (value, self->runner); break;
    case PROP_CACHE: g_value_set_object (value, self->cache); break;
    case PROP_NEEDS_ATTENTION: g_value_set_boolean (value, self->needs_attention); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  JswApplication *self = JSW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_NEEDS_ATTENTION: set_needs_attention (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_application_class_init (JswApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jsw_application_dispose;
  object_class->get_property = jsw_application_get_property;
  object_class->set_property = jsw_application_set_property;
  app_class->activate = jsw_application_activate;
  app_class->startup = jsw_application_startup;
  app_class->shutdown = jsw_application_shutdown;
  app_class->command_line = jsw_application_command_line;

  /* From startup on */
  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, JSW_TYPE_SESSION, flags);
  properties[PROP_PROFILE_STORE] = g_param_spec_object ("profile-store", NULL, NULL, JSW_TYPE_PROFILE_STORE, flags);
  /* From the moment the session is signed in (notified then) */
  properties[PROP_QUEUE_MODEL] = g_param_spec_object ("queue-model", NULL, NULL, JSW_TYPE_QUEUE_MODEL, flags);
  properties[PROP_RUNNER] = g_param_spec_object ("runner", NULL, NULL, JSW_TYPE_RUNNER, flags);
  /* The swipe deck keeps its postings and its outbox there. */
  properties[PROP_CACHE] = g_param_spec_object ("cache", NULL, NULL, JSW_TYPE_CACHE, flags);
  /* Something waits for the person: the tray shows NeedsAttention. Set
   * from the queue (an entry needing the person, or to check) whenever
   * their count changes; a part that knows of another wait (a review
   * before sending, which the server sees as running) sets it too. */
  properties[PROP_NEEDS_ATTENTION] = g_param_spec_boolean ("needs-attention", NULL, NULL, FALSE,
                                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
