/* jsw-entry-detail-actions.c: what a person can do with the detail pane's entry
 *
 * The entry.* actions (the pane's buttons, the rows' menu, the
 * shortcuts): they ask the server through the application's session
 * (cancel, retry, route, a new swipe), the runner directly (apply, answer
 * once, forget), and the application for the rest (app.review,
 * app.apply-now, app.preferences). They act on the pane's shown entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-entry-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-detail-private.h"
#include "jsw-json.h"
#include "jsw-profile-store.h"
#include "jsw-question-row.h"
#include "jsw-session.h"

/* How long a cancelled entry can be taken back (the toast's Undo) before
 * the server is told. */
#define UNDO_SECONDS 5

typedef struct {
  JswEntryDetail *self;
  char           *entry_id;
  char           *what;       /* for a message saying it did not work */
  guint           tries;      /* a conflict while a result is on its way is tried again */
  char           *method;
  char           *path;
  char           *body;
  GCallback       then;       /* void (*) (JswEntryDetail *, const char *entry_id) on success */
} Rest;

static void
rest_free (Rest *rest)
{
  g_object_unref (rest->self);
  g_free (rest->entry_id);
  g_free (rest->what);
  g_free (rest->method);
  g_free (rest->path);
  g_free (rest->body);
  g_free (rest);
}

static void send_rest (Rest *rest);

static gboolean
send_rest_again (gpointer data)
{
  send_rest (data);
  return G_SOURCE_REMOVE;
}

static void
rest_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Rest *rest = user_data;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autoptr(JsonNode) answer = jsw_session_rest_finish (JSW_SESSION (source), result, &status, &error);

  if (answer != NULL && status >= 200 && status < 300)
    {
      if (rest->then != NULL)
        ((void (*) (JswEntryDetail *, const char *)) rest->then) (rest->self, rest->entry_id);
      rest_free (rest);
      return;
    }
  /* The entry is still running at the server (a result on its way): its
   * state moves within a moment. */
  if (status == 409 && ++rest->tries < 10)
    {
      g_timeout_add (500, send_rest_again, rest);
      return;
    }
  {
    g_autofree char *message = g_strdup_printf (_("%s did not work: %s"), rest->what,
                                                error ? error->message : soup_status_get_phrase (status));

    _jsw_entry_detail_toast (rest->self, message);
  }
  rest_free (rest);
}

static void
send_rest (Rest *rest)
{
  g_autoptr(JswSession) session = _jsw_entry_detail_dup_application_part (rest->self, "session");

  if (session == NULL)
    {
      rest_free (rest);
      return;
    }
  jsw_session_rest_async (session, rest->method, rest->path, rest->body, NULL, rest_done, rest);
}

/* @action_path: "cancel", "retry", "route" (POST /v1/queue/{id}/...) */
static void
ask_server (JswEntryDetail *self,
            const char     *entry_id,
            const char     *action_path,
            const char     *body,
            const char     *what,
            GCallback       then)
{
  Rest *rest = g_new0 (Rest, 1);

  rest->self = g_object_ref (self);
  rest->entry_id = g_strdup (entry_id);
  rest->what = g_strdup (what);
  rest->method = g_strdup ("POST");
  rest->path = g_strdup_printf ("/v1/queue/%s/%s", entry_id, action_path);
  rest->body = g_strdup (body);
  rest->then = then;
  send_rest (rest);
}

static void
apply_when_queued (JswEntryDetail *self,
                   const char     *entry_id)
{
  if (self->runner != NULL)
    jsw_runner_apply_now (self->runner, entry_id);
}

/* Queued again (POST /v1/queue/{id}/retry) and applied to as soon as it
 * is: on the page the person left, when there is one. */
static void
retry_needs_user (JswEntryDetail *self,
                  const char     *entry_id)
{
  ask_server (self, entry_id, "retry", NULL, _("Trying again"), G_CALLBACK (apply_when_queued));
  /* Asked now: the runner waits until the entry is queued again. */
  apply_when_queued (self, entry_id);
}

static gboolean
save_resume_path (JswEntryDetail *self,
                  const char     *path,
                  GError        **error)
{
  g_autoptr(JswProfileStore) store = _jsw_entry_detail_dup_application_part (self, "profile-store");
  g_autoptr(JswProfile) profile = NULL;

  if (store == NULL)
    return TRUE;
  /* Edited as the profile object, saved validated (JswProfileStore). */
  profile = jsw_profile_store_dup_profile (store);
  jsw_profile_set_string (profile, "resume_path", path);
  return jsw_profile_store_save (store, profile, NULL, error);
}

/* The rows' answers: every question answered, else the first one left
 * open gets the focus and nothing happens. */
static GHashTable *
collect_answers (JswEntryDetail *self)
{
  g_autoptr(GHashTable) answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *answer = jsw_question_row_dup_answer (row);

      if (answer == NULL)
        {
          gtk_widget_grab_focus (row);
          _jsw_entry_detail_toast (self, _("Answer every question first"));
          return NULL;
        }
      g_hash_table_insert (answers, g_strdup (jsw_question_row_get_label (row)), g_steal_pointer (&answer));
    }
  return g_steal_pointer (&answers);
}

/* The file questions go into the profile (the resume is the profile's);
 * the others into the saved answers, or, without "Remember", to the next
 * run only. */
static gboolean
keep_answers (JswEntryDetail *self,
              const char     *entry_id,
              GHashTable     *answers)
{
  g_autoptr(JswProfileStore) store = _jsw_entry_detail_dup_application_part (self, "profile-store");
  g_autoptr(GError) error = NULL;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (jsw_question_row_get_kind (row) == JSW_ASK_FILE)
      {
        const char *label = jsw_question_row_get_label (row);

        if (!save_resume_path (self, g_hash_table_lookup (answers, label), &error))
          {
            _jsw_entry_detail_toast (self, error->message);
            return FALSE;
          }
        g_hash_table_remove (answers, label);
      }
  if (g_hash_table_size (answers) == 0)
    return TRUE;
  if (!gtk_check_button_get_active (self->remember_check))
    {
      jsw_runner_answer_once (self->runner, entry_id, answers);
      return TRUE;
    }
  if (store != NULL && !jsw_profile_store_add_answers (store, answers, &error))
    {
      _jsw_entry_detail_toast (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
continue_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  g_autofree char *entry_id = g_strdup (_jsw_entry_detail_shown_id (self));
  g_autoptr(GHashTable) answers = NULL;

  if (entry_id == NULL || self->runner == NULL)
    return;
  if (self->showing == SHOW_LATER)
    {
      g_clear_pointer (&self->later_id, g_free);
      _jsw_entry_detail_update (self);
      return;
    }
  if (self->showing == SHOW_QUESTIONS)
    {
      answers = collect_answers (self);
      if (answers == NULL || !keep_answers (self, entry_id, answers))
        return;
    }
  g_clear_pointer (&self->questions_of, g_free);
  retry_needs_user (self, entry_id);
}

/* Later: the entry stays in Needs You, answerable from its row. */
static void
later_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  JswEntryDetail *self = user_data;

  g_free (self->later_id);
  self->later_id = g_strdup (_jsw_entry_detail_shown_id (self));
  _jsw_entry_detail_update (self);
}

static void
send_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  JswEntryDetail *self = user_data;

  if (_jsw_entry_detail_shown_id (self) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.review", "(sb)", _jsw_entry_detail_shown_id (self), TRUE);
}

static void
forget_entry (JswEntryDetail *self,
              const char     *entry_id)
{
  if (self->runner != NULL)
    jsw_runner_forget (self->runner, entry_id);
}

/* Don't Send cancels the application: the run gives the entry back as
 * needing the person, then the server cancels it. */
static void
dont_send_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  g_autofree char *entry_id = g_strdup (_jsw_entry_detail_shown_id (self));

  if (entry_id == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "app.review", "(sb)", entry_id, FALSE);
  ask_server (self, entry_id, "cancel", NULL, _("Cancelling"), G_CALLBACK (forget_entry));
  _jsw_entry_detail_toast (self, _("Not sent. The application is cancelled."));
}

void
_jsw_entry_detail_cancel_now (JswEntryDetail *self)
{
  g_autofree char *entry_id = g_steal_pointer (&self->cancelling_id);

  if (entry_id != NULL)
    ask_server (self, entry_id, "cancel", NULL, _("Cancelling"), G_CALLBACK (forget_entry));
}

static void
on_undo_toast_dismissed (AdwToast       *undo_toast,
                         JswEntryDetail *self)
{
  if (self->undo_toast == undo_toast)
    self->undo_toast = NULL;
  _jsw_entry_detail_cancel_now (self);
  _jsw_entry_detail_update (self);
}

/* Cancel waits for the toast's Undo before the server is told: a
 * cancelled entry cannot come back there. */
static void
cancel_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  g_autofree char *message = NULL;
  AdwToast *undo_toast;

  if (_jsw_entry_detail_shown_id (self) == NULL)
    return;
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);  /* the one before is cancelled now */
  self->cancelling_id = g_strdup (_jsw_entry_detail_shown_id (self));
  /* TRANSLATORS: %s is a job's title */
  message = g_strdup_printf (_("Application for “%s” cancelled"), jsw_entry_item_get_title (self->item));
  undo_toast = adw_toast_new (message);
  adw_toast_set_button_label (undo_toast, _("_Undo"));
  adw_toast_set_action_name (undo_toast, "entry.undo-cancel");
  adw_toast_set_timeout (undo_toast, UNDO_SECONDS);
  g_signal_connect_object (undo_toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed), self, 0);
  self->undo_toast = undo_toast;
  adw_toast_overlay_add_toast (self->toast_overlay, undo_toast);
  _jsw_entry_detail_update (self);
}

static void
undo_cancel_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  JswEntryDetail *self = user_data;

  g_clear_pointer (&self->cancelling_id, g_free);
  _jsw_entry_detail_update (self);
}

static void
swiped_again (JswEntryDetail *self,
              const char     *entry_id)
{
  _jsw_entry_detail_toast (self, _("Queued again"));
}

static void
resubmit_swipe (JswEntryDetail *self,
                const char     *entry_id)
{
  g_autoptr(JswSession) session = _jsw_entry_detail_dup_application_part (self, "session");
  Rest *rest;

  if (session == NULL || self->item == NULL)
    return;
  rest = g_new0 (Rest, 1);
  rest->self = g_object_ref (self);
  rest->entry_id = g_strdup (entry_id);
  rest->what = g_strdup (_("Queueing it again"));
  rest->method = g_strdup ("POST");
  rest->path = g_strdup ("/v1/swipes");
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "direction");
    json_builder_add_string_value (builder, "right");
    json_builder_set_member_name (builder, "job");
    json_builder_add_value (builder, json_node_copy (jsw_job_get_node (jsw_entry_item_get_entry (self->item)->snapshot)));
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    rest->body = jsw_json_node_to_string (root);
  }
  rest->then = G_CALLBACK (swiped_again);
  send_rest (rest);
}

/* Retry: an entry that needs the person is queued again; a failed one
 * cannot be (PROTOCOL.md), so it is cancelled and its posting swiped
 * right again, which makes a new entry (and uses the quota again). */
static void
retry_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  JswEntry *entry = _jsw_entry_detail_shown_entry (self);

  if (entry == NULL)
    return;
  if (entry->state == JSW_STATE_FAILED)
    ask_server (self, entry->id, "cancel", NULL, _("Trying again"), G_CALLBACK (resubmit_swipe));
  else
    retry_needs_user (self, entry->id);
}

static void
posting_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JswEntryDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    _jsw_entry_detail_toast (self, error->message);
}

/* Open Posting: the person's own browser (gtk_show_uri() would do the
 * same; GtkUriLauncher is GTK 4.10). */
static void
open_posting_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  JswEntry *entry = _jsw_entry_detail_shown_entry (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GAppLaunchContext) context = NULL;

  if (entry == NULL)
    return;
  if (root != NULL)
    context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (root))));
  g_app_info_launch_default_for_uri_async (entry->snapshot->apply_url, context, NULL, posting_opened, g_object_ref (self));
}

/* Fix in Profile: the profile, at the row of the field the employer's
 * form refused, when one fits its label or the site's words about it
 * (jsw_profile_field_for_label()). */
static void
fix_in_profile_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  const char *entry_id = _jsw_entry_detail_shown_id (self);
  g_autoptr(JsonNode) record = entry_id && self->runner ? jsw_runner_dup_record (self->runner, entry_id) : NULL;
  g_autoptr(GPtrArray) blockers = _jsw_entry_detail_record_blockers (record ? json_node_get_object (record) : NULL);
  const JswProfileField *field = NULL;

  for (guint i = 0; i < blockers->len && field == NULL; i++)
    {
      JswBlocker *blocker = g_ptr_array_index (blockers, i);

      /* The field's label, or else the site's words, which name it
       * ("Phone number is invalid") when the form did not say which. */
      if (blocker->code == JSW_BLOCKER_FIELD_REJECTED)
        field = jsw_profile_field_for_label (blocker->label ? blocker->label : blocker->message);
    }
  if (field != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.profile-field", "s", field->name);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "app.profile", NULL);
}

static void
apply_now_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  JswEntryDetail *self = user_data;
  const char *entry_id = _jsw_entry_detail_shown_id (self);

  if (entry_id == NULL)
    return;
  /* Handed to the person by the server: queued again and moved to this
   * computer in one request (docs/server.md, Additions), so that no
   * worker takes it back meanwhile; applied to here once it is. */
  if (self->showing == SHOW_FROM_SERVER)
    ask_server (self, entry_id, "retry", "{\"target\":\"desktop\"}", _("Applying from this computer"),
                G_CALLBACK (apply_when_queued));
  gtk_widget_activate_action (GTK_WIDGET (self), "app.apply-now", "s", entry_id);
}

static void
route (JswEntryDetail *self,
       const char     *target)
{
  g_autofree char *body = g_strdup_printf ("{\"target\":\"%s\"}", target);

  if (_jsw_entry_detail_shown_id (self) != NULL)
    ask_server (self, _jsw_entry_detail_shown_id (self), "route", body, _("Choosing where it runs"), NULL);
}

static void
run_here_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  route (user_data, "desktop");
}

static void
run_on_server_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  route (user_data, "server");
}

/* needs_review, checked by the person (POST /v1/queue/{id}/resolve,
 * docs/server.md). */
static void
resolve (JswEntryDetail *self,
         gboolean        sent)
{
  const char *entry_id = _jsw_entry_detail_shown_id (self);

  if (entry_id != NULL)
    ask_server (self, entry_id, "resolve", sent ? "{\"sent\":true}" : "{\"sent\":false}",
                _("Saying whether it was sent"), NULL);
}

static void
mark_sent_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  resolve (user_data, TRUE);
}

static void
mark_not_sent_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  resolve (user_data, FALSE);
}

static const GActionEntry entry_actions[] = {
  { "continue", continue_action, NULL, NULL, NULL },
  { "later", later_action, NULL, NULL, NULL },
  { "send", send_action, NULL, NULL, NULL },
  { "dont-send", dont_send_action, NULL, NULL, NULL },
  { "cancel", cancel_action, NULL, NULL, NULL },
  { "undo-cancel", undo_cancel_action, NULL, NULL, NULL },
  { "retry", retry_action, NULL, NULL, NULL },
  { "open-posting", open_posting_action, NULL, NULL, NULL },
  { "apply-now", apply_now_action, NULL, NULL, NULL },
  { "fix-in-profile", fix_in_profile_action, NULL, NULL, NULL },
  { "run-here", run_here_action, NULL, NULL, NULL },
  { "run-on-server", run_on_server_action, NULL, NULL, NULL },
  { "mark-sent", mark_sent_action, NULL, NULL, NULL },
  { "mark-not-sent", mark_not_sent_action, NULL, NULL, NULL },
};

/* The keyboard: the pane's shortcuts work anywhere in its window (a
 * managed controller), on the selected entry. */
static void
add_shortcuts (JswEntryDetail *self)
{
  static const struct { const char *accel; const char *action; } shortcuts[] = {
    { "<Control>Return", "entry.continue" },
    { "<Control>l", "entry.later" },
    { "<Control><Shift>Return", "entry.send" },
    { "<Control>Delete", "entry.cancel" },
    { "<Control>r", "entry.retry" },
    { "<Control><Shift>o", "entry.open-posting" },
    { "<Control>z", "entry.undo-cancel" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (shortcuts[i].accel),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/**
 * jsw_entry_detail_get_menu:
 *
 * What can be done with an entry, for a row's context menu: the entry.*
 * actions of jsw_entry_detail_get_actions(), on the selected entry.
 *
 * Returns: (transfer full): the menu
 */
GMenuModel *
jsw_entry_detail_get_menu (void)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();

  g_menu_append (section, _("_Continue"), "entry.continue");
  g_menu_append (section, _("_Retry"), "entry.retry");
  g_menu_append (section, _("_Apply Now"), "entry.apply-now");
  g_menu_append (section, _("Run on the _Server"), "entry.run-on-server");
  g_menu_append (section, _("Run on _This Computer"), "entry.run-here");
  g_menu_append (section, _("Mark as S_ent"), "entry.mark-sent");
  g_menu_append (section, _("Mark as _Not Sent"), "entry.mark-not-sent");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  section = g_menu_new ();
  g_menu_append (section, _("_Open Posting"), "entry.open-posting");
  g_menu_append (section, _("_Cancel Application"), "entry.cancel");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  return G_MENU_MODEL (menu);
}


/* The entry.* actions on @self, and their shortcuts. */
void
_jsw_entry_detail_add_actions (JswEntryDetail *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entry_actions, G_N_ELEMENTS (entry_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "entry", G_ACTION_GROUP (self->actions));
  add_shortcuts (self);
}
