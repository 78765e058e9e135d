/* jsw-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-window"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-entry-detail.h"
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
  JswEntryItem         *shown;       /* the selected item, whose state Apply now follows */

  AdwWindowTitle       *window_title;
  GtkToggleButton      *auto_apply_button;
  GtkListView          *queue_view;
  JswEntryDetail       *detail;
  GtkStack             *pages;
  AdwEntryRow          *server_row;
  AdwEntryRow          *email_row;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *token_row;
  GtkLabel             *sign_in_error;
  GtkWidget            *apply_now_button;
};

G_DEFINE_FINAL_TYPE (JswWindow, jsw_window, ADW_TYPE_APPLICATION_WINDOW)

static JswEntry *
selected_entry (JswWindow *self)
{
  return self->shown ? jsw_entry_item_get_entry (self->shown) : NULL;
}

/* Apply now is for the selected entry, while it waits on this computer and
 * nothing else runs. */
static void
update_apply_now (JswWindow *self)
{
  JswEntry *entry = selected_entry (self);
  JswRunner *runner = self->runner;
  gboolean can_apply;

  can_apply = entry != NULL && entry->state == JSW_STATE_QUEUED && entry->target == JSW_TARGET_DESKTOP &&
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

/* The pane (JswEntryDetail) shows the selected item and follows its
 * changes; the list's rows follow theirs through their bindings
 * (resources/ui/jsw-entry-row.ui). */
static void
on_selected_item_changed (JswWindow *self)
{
  JswEntryItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item != self->shown)
    {
      if (self->shown != NULL)
        g_signal_handlers_disconnect_by_func (self->shown, update_apply_now, self);
      g_set_object (&self->shown, item);
      if (item != NULL)
        g_signal_connect_object (item, "notify", G_CALLBACK (update_apply_now), self, G_CONNECT_SWAPPED);
    }
  jsw_entry_detail_set_item (self->detail, item);
  update_apply_now (self);
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
  /* Mid-run, with the form being filled in; one frame later, so the
   * widgets changed just now are drawn. */
  if (g_strcmp0 (step, "answering") == 0)
    screenshot_soon (self, "applying", 50);
}

static void
on_review_needed (JswRunner  *runner,
                  const char *entry_id,
                  JswWindow  *self)
{
  jsw_window_select_entry (self, entry_id);
  screenshot_soon (self, "review", 700);
}

/* The run's end is shown where it happened: its entry is selected. */
static void
on_run_finished (JswRunner  *runner,
                 const char *entry_id,
                 int         outcome,
                 const char *text,
                 const char *missing,
                 JswWindow  *self)
{
  if (outcome == JSW_OUTCOME_SUBMITTED)
    screenshot_soon (self, "submitted", 700);
  if (outcome != JSW_OUTCOME_NEEDS_USER)
    return;
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
    g_signal_handlers_disconnect_by_data (self->runner, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    g_signal_handlers_disconnect_by_data (gtk_window_get_application (GTK_WINDOW (self)), self);
  g_clear_object (&self->runner);
  g_clear_object (&self->session);
  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_func (self->shown, update_apply_now, self);
  g_clear_object (&self->shown);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_WINDOW);
  G_OBJECT_CLASS (jsw_window_parent_class)->dispose (object);
}

static void
jsw_window_class_init (JswWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jsw_window_dispose;

  /* For the <lookup type="JswEntryItem"> of the rows. */
  g_type_ensure (JSW_TYPE_ENTRY_ITEM);
  g_type_ensure (JSW_TYPE_ENTRY_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JswWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, auto_apply_button);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, queue_view);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, sign_in_error);
  gtk_widget_class_bind_template_child (widget_class, JswWindow, apply_now_button);

  gtk_widget_class_install_action (widget_class, "win.apply-now", NULL, apply_now);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in);
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
  /* After the window's own handlers, which select the run's entry first. */
  jsw_entry_detail_set_runner (self->detail, self->runner);

  gtk_stack_set_visible_child_name (self->pages, "queue");
  gtk_widget_set_visible (self->apply_now_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->auto_apply_button), TRUE);
  update_apply_now (self);
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
