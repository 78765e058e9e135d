/* jsw-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-window"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-item.h"
#include "jsw-queue-model.h"
#include "jsw-runner.h"
#include "jsw-screenshot.h"
#include "jsw-session.h"
#include "jsw-window.h"

struct _JswWindow
{
  AdwApplicationWindow  parent_instance;

  /* The application's parts (its properties), watched, not called: */
  JswSession           *session;
  JswRunner            *runner;      /* once signed in */
  GtkSingleSelection   *selection;   /* over the application's JswQueueModel */
  JswEntryItem         *shown;       /* the selected item, whose changes the pane follows */
  char                 *needs_you_id;

  AdwWindowTitle       *window_title;
  GtkToggleButton      *auto_apply_button;
  GtkRevealer          *needs_you_revealer;
  GtkLabel             *needs_you_label;
  GtkListBox           *questions_list;
  GtkListView          *queue_view;
  GtkLabel             *detail_title;
  GtkLabel             *detail_company;
  GtkLabel             *detail_state;
  GtkProgressBar       *detail_progress;
  GtkPicture           *detail_picture;
  GtkBox               *browser_slot;
  GtkStack             *pages;
  AdwEntryRow          *server_row;
  AdwEntryRow          *email_row;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *token_row;
  GtkLabel             *detail_facts;
  GtkLabel             *sign_in_error;
  GtkWidget            *apply_now_button;
  GtkWidget            *skip_button;
  GtkWidget            *save_answers_button;
  GtkWidget            *send_button;
  GtkWidget            *dont_send_button;
  char                 *review_id;
};

G_DEFINE_FINAL_TYPE (JswWindow, jsw_window, ADW_TYPE_APPLICATION_WINDOW)

static JswEntry *
selected_entry (JswWindow *self)
{
  return self->shown ? jsw_entry_item_get_entry (self->shown) : NULL;
}

/* The history: a finished application shows the picture of its last page
 * (the confirmation, or what the form said), when this computer ran it. */
static void
show_last_page (JswWindow *self,
                JswEntry  *entry)
{
  JswRunner *runner = self->runner;
  g_autofree char *path = jsw_runner_screenshot_path (entry->id);
  gboolean running_now = runner != NULL && g_strcmp0 (jsw_runner_get_current (runner), entry->id) == 0;

  if (entry->has_result && !running_now && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gtk_picture_set_filename (self->detail_picture, path);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_picture), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->detail_picture), FALSE);
}

/* The posting as it was when swiped: where, for how much, what kind, and
 * its description. */
static void
show_snapshot_facts (JswWindow *self,
                     JswEntry  *entry)
{
  JsonObject *job = json_node_get_object (jsw_job_get_node (entry->snapshot));
  static const char *members[] = { "location", "salary", "employment_type" };
  g_autoptr(GString) facts = g_string_new (NULL);
  const char *description = json_object_get_string_member_with_default (job, "description", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value = json_object_get_string_member_with_default (job, members[i], NULL);

      if (value == NULL || *value == '\0')
        continue;
      if (facts->len > 0)
        g_string_append (facts, " · ");
      g_string_append (facts, value);
    }
  if (description != NULL && *description != '\0')
    g_string_append_printf (facts, "%s%s", facts->len > 0 ? "\n\n" : "", description);
  gtk_label_set_label (self->detail_facts, facts->str);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_facts), facts->len > 0);
}

static void
show_detail (JswWindow *self)
{
  JswEntry *entry = selected_entry (self);
  g_autofree char *state = NULL;
  JswRunner *runner = self->runner;
  gboolean can_apply;

  if (entry == NULL)
    {
      gtk_label_set_label (self->detail_title, _("Nothing selected"));
      gtk_label_set_label (self->detail_company, "");
      gtk_label_set_label (self->detail_facts, "");
      gtk_label_set_label (self->detail_state, "");
      gtk_progress_bar_set_fraction (self->detail_progress, 0);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-now", FALSE);
      return;
    }

  gtk_label_set_label (self->detail_title, jsw_entry_item_get_title (self->shown));
  gtk_label_set_label (self->detail_company, jsw_entry_item_get_company (self->shown));
  show_snapshot_facts (self, entry);
  if (entry->has_result && entry->confirmation != NULL)
    state = g_strdup_printf ("%s — %s", jsw_entry_item_get_state_label (self->shown), entry->confirmation);
  else if (entry->has_result && entry->error != NULL)
    state = g_strdup_printf ("%s — %s", jsw_entry_item_get_state_label (self->shown), entry->error);
  else
    state = g_strdup (jsw_entry_item_get_state_label (self->shown));
  gtk_label_set_label (self->detail_state, state);
  gtk_progress_bar_set_fraction (self->detail_progress, jsw_entry_item_get_progress (self->shown));
  show_last_page (self, entry);

  can_apply = entry->state == JSW_STATE_QUEUED && entry->target == JSW_TARGET_DESKTOP &&
              runner != NULL && jsw_runner_get_current (runner) == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-now", can_apply);
}

void
jsw_window_select_entry (JswWindow  *self,
                         const char *entry_id)
{
  GListModel *model = gtk_single_selection_get_model (self->selection);
  guint position;

  if (model != NULL && jsw_queue_model_find (JSW_QUEUE_MODEL (model), entry_id, &position))
    gtk_single_selection_set_selected (self->selection, position);
}

/* The pane shows the selected item and follows its changes; the list's
 * rows follow theirs through their bindings (resources/ui/jsw-entry-row.ui). */
static void
on_selected_item_changed (JswWindow *self)
{
  JswEntryItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item != self->shown)
    {
      if (self->shown != NULL)
        g_signal_handlers_disconnect_by_func (self->shown, show_detail, self);
      g_set_object (&self->shown, item);
      if (item != NULL)
        g_signal_connect_object (item, "notify", G_CALLBACK (show_detail), self, G_CONNECT_SWAPPED);
    }
  show_detail (self);
}

static void
screenshot_soon (JswWindow  *self,
                 const char *name,
                 guint       delay_ms)
{
  jsw_screenshot_soon (GTK_WIDGET (self), name, delay_ms);
}

static void
on_run_progress (JswRunner  *runner,
                 const char *entry_id,
                 int         percent,
                 const char *step,
                 const char *message,
                 JswWindow  *self)
{
  if (self->shown == NULL || g_strcmp0 (entry_id, jsw_entry_item_get_id (self->shown)) != 0)
    jsw_window_select_entry (self, entry_id);
  gtk_progress_bar_set_fraction (self->detail_progress, percent / 100.0);
  gtk_progress_bar_set_text (self->detail_progress, message);
  /* Mid-run, with the form being filled in; one frame later, so the
   * widgets changed just now are drawn. */
  if (g_strcmp0 (step, "answering") == 0)
    screenshot_soon (self, "applying", 50);
}

/* The banner asks either for answers (needs you) or for a decision
 * (review before sending). */
static void
show_banner_buttons (JswWindow *self,
                     gboolean   review)
{
  gtk_widget_set_visible (self->skip_button, !review);
  gtk_widget_set_visible (self->save_answers_button, !review);
  gtk_widget_set_visible (self->send_button, review);
  gtk_widget_set_visible (self->dont_send_button, review);
}

static void
on_review_needed (JswRunner  *runner,
                  const char *entry_id,
                  JswWindow  *self)
{
  GtkWidget *child;

  g_free (self->review_id);
  self->review_id = g_strdup (entry_id);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list))) != NULL)
    gtk_list_box_remove (self->questions_list, child);
  gtk_label_set_label (self->needs_you_label,
                       _("The application is filled in. Look it over below (you can change anything), then send it."));
  show_banner_buttons (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->questions_list), FALSE);
  gtk_revealer_set_reveal_child (self->needs_you_revealer, TRUE);
  jsw_window_select_entry (self, entry_id);
  screenshot_soon (self, "review", 700);
}

static void
finish_review (JswWindow *self,
               gboolean   send)
{
  g_autofree char *entry_id = g_steal_pointer (&self->review_id);

  gtk_revealer_set_reveal_child (self->needs_you_revealer, FALSE);
  if (entry_id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.review", "(sb)", entry_id, send);
}

static void
send_reviewed (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  finish_review (JSW_WINDOW (widget), TRUE);
}

static void
dont_send (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  finish_review (JSW_WINDOW (widget), FALSE);
}

static void
clear_questions (JswWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list))) != NULL)
    gtk_list_box_remove (self->questions_list, child);
}

/* The engine handed the run to the person: say what is needed, and offer
 * to remember the answers for next time. */
static void
on_run_finished (JswRunner  *runner,
                 const char *entry_id,
                 int         outcome,
                 const char *text,
                 const char *missing,
                 JswWindow  *self)
{
  g_auto(GStrv) questions = NULL;

  if (outcome == JSW_OUTCOME_SUBMITTED)
    screenshot_soon (self, "submitted", 700);
  if (outcome != JSW_OUTCOME_NEEDS_USER)
    return;

  g_free (self->needs_you_id);
  self->needs_you_id = g_strdup (entry_id);
  gtk_label_set_label (self->needs_you_label,
                       _("This application needs you. Answer what the form asks here, or in the page below, then continue."));
  clear_questions (self);
  questions = g_strsplit (missing ? missing : "", "\n", -1);
  for (guint i = 0; questions[i] != NULL; i++)
    {
      GtkWidget *row;

      if (*questions[i] == '\0')
        continue;
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), questions[i]);
      gtk_list_box_append (self->questions_list, row);
    }
  show_banner_buttons (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->questions_list), TRUE);
  gtk_revealer_set_reveal_child (self->needs_you_revealer, TRUE);
  jsw_window_select_entry (self, entry_id);
  screenshot_soon (self, "needs-you", 700);
}

static void
apply_now (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  JswWindow *self = JSW_WINDOW (widget);
  JswEntry *entry = selected_entry (self);

  if (entry != NULL)
    gtk_widget_activate_action (widget, "app.apply-now", "s", entry->id);
  gtk_widget_action_set_enabled (widget, "win.apply-now", FALSE);
}

static void
skip (GtkWidget  *widget,
      const char *action,
      GVariant   *parameter)
{
  JswWindow *self = JSW_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->needs_you_revealer, FALSE);
  g_clear_pointer (&self->needs_you_id, g_free);
}

static void
save_answers (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  JswWindow *self = JSW_WINDOW (widget);
  GVariantBuilder answers;

  g_variant_builder_init (&answers, G_VARIANT_TYPE ("a{ss}"));
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *question = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *answer = gtk_editable_get_text (GTK_EDITABLE (row));

      if (answer != NULL && *answer != '\0')
        g_variant_builder_add (&answers, "{ss}", question, answer);
    }

  /* The answers go into the saved answers, for this and every next form
   * that asks the same; then the entry is queued again and run. */
  if (self->needs_you_id != NULL)
    gtk_widget_activate_action (widget, "app.answer", "(sa{ss})", self->needs_you_id, &answers);
  else
    g_variant_builder_clear (&answers);
  skip (widget, NULL, NULL);
}

static void
signed_in (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JswWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in", TRUE);
  if (!jsw_session_sign_in_finish (JSW_SESSION (source), result, &error))
    {
      gtk_label_set_label (self->sign_in_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), TRUE);
    }
  /* On success the session's signed-in changes, which this window watches. */
}

static void
sign_in (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  JswWindow *self = JSW_WINDOW (widget);

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);
  gtk_widget_action_set_enabled (widget, "win.sign-in", FALSE);
  jsw_session_sign_in_async (self->session,
                             gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->email_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->token_row)),
                             NULL, signed_in, g_object_ref (self));
}

static void
jsw_window_dispose (GObject *object)
{
  JswWindow *self = (JswWindow *) object;

  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->runner, self);
      jsw_runner_hide_browser (self->runner, self->browser_slot);
    }
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    g_signal_handlers_disconnect_by_data (gtk_window_get_application (GTK_WINDOW (self)), self);
  g_clear_object (&self->runner);
  g_clear_object (&self->session);
  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_func (self->shown, show_detail, self);
  g_clear_object (&self->shown);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_WINDOW);
  G_OBJECT_CLASS (jsw_window_parent_class)->dispose (object);
}

static void
jsw_window_finalize (GObject *object)
{
  JswWindow *self = (JswWindow *) object;

  g_free (self->needs_you_id);
  g_free (self->review_id);
  G_OBJECT_CLASS (jsw_window_parent_class)->finalize (object);
}

static void
jsw_window_class_init (JswWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jsw_window_dispose;
  object_class->finalize = jsw_window_finalize;

  /* For the <lookup type="JswEntryItem"> of the rows. */
  g_type_ensure (JSW_TYPE_ENTRY_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JswWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, auto_apply_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, needs_you_revealer);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, needs_you_label);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, questions_list);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, queue_view);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail_company);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail_state);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail_progress);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail_picture);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, browser_slot);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail_facts);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, sign_in_error);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, apply_now_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, skip_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, save_answers_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, dont_send_button);

  gtk_widget_class_install_action (widget_class, "win.apply-now", NULL, apply_now);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, skip);
  gtk_widget_class_install_action (widget_class, "win.save-answers", NULL, save_answers);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in);
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_reviewed);
  gtk_widget_class_install_action (widget_class, "win.dont-send", NULL, dont_send);
}

static void
jsw_window_init (JswWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_list_view_set_model (self->queue_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selected_item_changed), self);
}

/* For bench/app-cold-start: the moment the first frame was drawn, on the
 * monotonic clock the benchmark started the process by. */
static void
on_first_paint (GdkFrameClock *clock,
                JswWindow     *self)
{
  g_printerr ("first-frame-monotonic-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
}

static void
on_realize_report_first_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), widget);
}

static void
on_connected_changed (JswWindow *self)
{
  adw_window_title_set_subtitle (self->window_title,
                                 jsw_session_get_connected (self->session)
                                 ? _("Connected") : _("Offline — changes are kept and sent later"));
}

/* Signed in, and the application's queue is there: the queue replaces the
 * sign-in page. */
static void
show_queue_when_ready (JswWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(JswQueueModel) queue = NULL;
  g_autoptr(JswRunner) runner = NULL;

  if (self->runner != NULL || application == NULL || !jsw_session_get_signed_in (self->session))
    return;
  g_object_get (application, "queue-model", &queue, "runner", &runner, NULL);
  if (queue == NULL || runner == NULL)
    return;
  self->runner = g_steal_pointer (&runner);

  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (queue));
  g_signal_connect_object (self->session, "notify::connected", G_CALLBACK (on_connected_changed), self, G_CONNECT_SWAPPED);
  on_connected_changed (self);
  g_signal_connect (self->runner, "run-progress", G_CALLBACK (on_run_progress), self);
  g_signal_connect (self->runner, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (self->runner, "review-needed", G_CALLBACK (on_review_needed), self);
  jsw_runner_show_browser (self->runner, self->browser_slot);

  gtk_stack_set_visible_child_name (self->pages, "queue");
  gtk_widget_set_visible (self->apply_now_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->auto_apply_button), TRUE);
  show_detail (self);
}

/* @application: a JswApplication, whose `session`, `queue-model` and
 * `runner` properties the window shows and follows */
JswWindow *
jsw_window_new (GtkApplication *application)
{
  JswWindow *self = g_object_new (JSW_TYPE_WINDOW, "application", application, NULL);
  g_autofree char *server = NULL;

  g_object_get (application, "session", &self->session, NULL);
  server = jsw_session_dup_server_url (self->session);

  if (g_getenv ("JOBSWIPE_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (on_realize_report_first_frame), NULL);

  /* First run: the sign-in page, with what is known filled in. */
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server && *server ? server : "https://");
  gtk_stack_set_visible_child_name (self->pages, "sign-in");
  gtk_widget_set_visible (self->apply_now_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->auto_apply_button), FALSE);

  g_signal_connect_object (self->session, "notify::signed-in", G_CALLBACK (show_queue_when_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::runner", G_CALLBACK (show_queue_when_ready), self, G_CONNECT_SWAPPED);
  show_queue_when_ready (self);
  if (self->runner == NULL)
    screenshot_soon (self, "sign-in", 700);
  return self;
}
