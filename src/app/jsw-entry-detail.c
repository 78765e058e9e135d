/* jsw-entry-detail.c
 *
 * The pane shows its `item` and follows the item's changes (its notify),
 * the runner's (`current`, `reviewing`, and its signals) and what a run of
 * the entry left on this computer (jsw_runner_dup_record()). Its action
 * area is computed from those alone, never from what happened to be shown
 * before: a window opened later, or after a restart, shows the same.
 *
 * The entry.* actions act on the shown entry; the window may insert the
 * same group (jsw_entry_detail_get_actions()) for its rows' menus. They
 * ask the server through the application's session, the runner directly,
 * and the application for the rest (app.review, app.preferences).
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
#include "jsw-wrap-box.h"

G_DEFINE_FINAL_TYPE (JswEntryDetail, jsw_entry_detail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_RUNNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


JswEntry *
_jsw_entry_detail_shown_entry (JswEntryDetail *self)
{
  return self->item ? jsw_entry_item_get_entry (self->item) : NULL;
}

const char *
_jsw_entry_detail_shown_id (JswEntryDetail *self)
{
  return self->item ? jsw_entry_item_get_id (self->item) : NULL;
}

/* The application's part @name (its property), or NULL outside a window. */
gpointer
_jsw_entry_detail_dup_application_part (JswEntryDetail *self,
                                        const char     *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  gpointer part = NULL;

  if (application != NULL)
    g_object_get (application, name, &part, NULL);
  return part;
}

void
_jsw_entry_detail_toast (JswEntryDetail *self,
                         const char     *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The action area */

/* Returns: (transfer full): the blockers of the last run here */
GPtrArray *
_jsw_entry_detail_record_blockers (JsonObject *record)
{
  JsonArray *array = NULL;
  GPtrArray *blockers = g_ptr_array_new_with_free_func ((GDestroyNotify) jsw_blocker_free);

  if (record != NULL)
    jsw_json_get_array (record, "blockers", 0, &array, NULL);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JswBlocker *blocker = JSON_NODE_HOLDS_OBJECT (node) ? jsw_blocker_from_json (json_node_get_object (node)) : NULL;

      if (blocker != NULL)
        g_ptr_array_add (blockers, blocker);
    }
  return blockers;
}

/* Needs you without a run of it here (another device ran it, or it ran
 * before this version): the questions, one a line, are what the result
 * said. */
static void
add_questions_from_error (GPtrArray *blockers,
                          JswEntry  *entry)
{
  g_auto(GStrv) lines = g_strsplit (entry->error ? entry->error : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_ptr_array_add (blockers, jsw_blocker_new (JSW_BLOCKER_UNKNOWN_QUESTION, lines[i]));
}

static gboolean
any_blocker (GPtrArray      *blockers,
             JswBlockerCode  code)
{
  for (guint i = 0; i < blockers->len; i++)
    if (((JswBlocker *) g_ptr_array_index (blockers, i))->code == code)
      return TRUE;
  return FALSE;
}

static gboolean
needs_page (GPtrArray *blockers)
{
  for (guint i = 0; i < blockers->len; i++)
    if (jsw_blocker_needs_page (g_ptr_array_index (blockers, i)))
      return TRUE;
  return FALSE;
}

static void
on_answer_activated (JswEntryDetail *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "entry.continue", NULL);
}

/* One row per question, rebuilt only when the questions change, so that
 * what the person typed survives a progress tick or a row moving. */
static void
ask_questions (JswEntryDetail *self,
               GPtrArray      *blockers)
{
  g_autofree char *json = jsw_blockers_to_json (blockers);
  g_autofree char *key = g_strconcat (_jsw_entry_detail_shown_id (self), "\n", json, NULL);
  GtkWidget *child;

  if (g_strcmp0 (key, self->questions_of) == 0)
    return;
  g_free (self->questions_of);
  self->questions_of = g_steal_pointer (&key);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list))) != NULL)
    gtk_list_box_remove (self->questions_list, child);
  for (guint i = 0; i < blockers->len; i++)
    {
      JswBlocker *blocker = g_ptr_array_index (blockers, i);
      GtkWidget *row;

      if (blocker->code != JSW_BLOCKER_UNKNOWN_QUESTION && blocker->code != JSW_BLOCKER_MISSING_FILE)
        continue;
      row = jsw_question_row_new (blocker);
      if (ADW_IS_ENTRY_ROW (row))
        g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (on_answer_activated), self);
      gtk_list_box_append (self->questions_list, row);
    }
}

/* What the entry's state asks of the person now. */
static Showing
what_to_show (JswEntryDetail *self,
              JswEntry       *entry,
              GPtrArray      *blockers)
{
  const char *current = self->runner ? jsw_runner_get_current (self->runner) : NULL;
  const char *reviewing = self->runner ? jsw_runner_get_reviewing (self->runner) : NULL;

  if (g_strcmp0 (reviewing, entry->id) == 0)
    return SHOW_REVIEW;
  if (g_strcmp0 (current, entry->id) == 0)
    return SHOW_RUNNING;
  switch (entry->state)
    {
    case JSW_STATE_NEEDS_USER:
      if (g_strcmp0 (self->later_id, entry->id) == 0)
        return SHOW_LATER;
      /* Run there, so nothing of it is on this computer: its message, and
       * Apply Now, which finishes it here (the questions asked here). */
      if (entry->target == JSW_TARGET_SERVER)
        return SHOW_FROM_SERVER;
      if (needs_page (blockers))
        return SHOW_WALL;
      if (any_blocker (blockers, JSW_BLOCKER_FIELD_REJECTED))
        return SHOW_REJECTED;
      return SHOW_QUESTIONS;
    case JSW_STATE_QUEUED:
      return entry->target == JSW_TARGET_UNDECIDED ? SHOW_CHOICE : SHOW_QUEUED;
    case JSW_STATE_CLAIMED:
    case JSW_STATE_RUNNING:
      return SHOW_ELSEWHERE;
    case JSW_STATE_FAILED:
      return SHOW_FAILED;
    case JSW_STATE_NEEDS_REVIEW:
      return SHOW_CHECK;
    case JSW_STATE_SUBMITTED:
    case JSW_STATE_CANCELLED:
    default:
      return SHOW_DONE;
    }
}

static void
set_action (JswEntryDetail *self,
            const char     *name,
            gboolean        enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Whether a row asks for an answer to remember (a file goes into the
 * profile, remembered or not). */
static gboolean
asks_for_answers (JswEntryDetail *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->questions_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (jsw_question_row_get_kind (row) != JSW_ASK_FILE)
      return TRUE;
  return FALSE;
}

/* The buttons of @showing, and the actions that go with them. */
static void
show_buttons (JswEntryDetail *self,
              Showing         showing,
              JswEntry       *entry)
{
  gboolean cancellable = entry != NULL && self->cancelling_id == NULL &&
                         (entry->state == JSW_STATE_QUEUED || entry->state == JSW_STATE_NEEDS_USER ||
                          entry->state == JSW_STATE_FAILED) && showing != SHOW_RUNNING;
  gboolean answering = showing == SHOW_WALL || showing == SHOW_QUESTIONS || showing == SHOW_REJECTED ||
                       showing == SHOW_FROM_SERVER;
  gboolean runnable_here = showing == SHOW_QUEUED && entry->target == JSW_TARGET_DESKTOP &&
                           self->runner != NULL && jsw_runner_get_current (self->runner) == NULL;

  gtk_widget_set_visible (self->open_posting_button, entry != NULL && (showing == SHOW_DONE || showing == SHOW_FAILED ||
                                                                       showing == SHOW_CHECK || showing == SHOW_ELSEWHERE));
  gtk_widget_set_visible (self->cancel_button, cancellable && (showing == SHOW_QUEUED || showing == SHOW_CHOICE ||
                                                               showing == SHOW_FAILED || showing == SHOW_FROM_SERVER));
  gtk_widget_set_visible (self->profile_button, showing == SHOW_REJECTED);
  gtk_widget_set_visible (self->not_sent_button, showing == SHOW_CHECK);
  gtk_widget_set_visible (self->sent_button, showing == SHOW_CHECK);
  gtk_widget_set_visible (self->later_button, answering);
  gtk_widget_set_visible (self->run_server_button, showing == SHOW_CHOICE);
  gtk_widget_set_visible (self->run_here_button, showing == SHOW_CHOICE);
  gtk_widget_set_visible (self->dont_send_button, showing == SHOW_REVIEW);
  gtk_widget_set_visible (self->send_button, showing == SHOW_REVIEW);
  gtk_widget_set_visible (self->apply_button, (showing == SHOW_QUEUED && entry->target == JSW_TARGET_DESKTOP) ||
                                              showing == SHOW_FROM_SERVER);
  gtk_widget_set_visible (self->retry_button, showing == SHOW_REJECTED || showing == SHOW_FAILED);
  gtk_widget_set_visible (self->continue_button, showing == SHOW_WALL || showing == SHOW_QUESTIONS ||
                                                 showing == SHOW_LATER);
  gtk_button_set_label (GTK_BUTTON (self->continue_button), showing == SHOW_LATER ? _("_Answer Now") : _("_Continue"));
  gtk_widget_set_visible (GTK_WIDGET (self->remember_check), showing == SHOW_QUESTIONS && asks_for_answers (self));
  gtk_widget_set_visible (GTK_WIDGET (self->questions_list), showing == SHOW_QUESTIONS);

  set_action (self, "open-posting", entry != NULL);
  set_action (self, "cancel", cancellable);
  set_action (self, "later", answering);
  set_action (self, "continue", showing == SHOW_WALL || showing == SHOW_QUESTIONS || showing == SHOW_LATER);
  set_action (self, "retry", showing == SHOW_REJECTED || showing == SHOW_FAILED ||
                             showing == SHOW_WALL || showing == SHOW_QUESTIONS);
  set_action (self, "send", showing == SHOW_REVIEW);
  set_action (self, "dont-send", showing == SHOW_REVIEW);
  set_action (self, "apply-now", runnable_here || showing == SHOW_FROM_SERVER);
  set_action (self, "run-here", showing == SHOW_CHOICE);
  set_action (self, "run-on-server", showing == SHOW_CHOICE);
  set_action (self, "fix-in-profile", showing == SHOW_REJECTED);
  set_action (self, "mark-sent", showing == SHOW_CHECK);
  set_action (self, "mark-not-sent", showing == SHOW_CHECK);
}

/* The web view only for the entry whose page is live here: running, in
 * review, or waiting for the person on a page; anything else shows its
 * posting and its last run. */
static gboolean
show_content (JswEntryDetail *self,
              JswEntry       *entry)
{
  /* Between a run's end here and the server's word on it, the entry is
   * still running there: its page stays where it is. */
  gboolean ending_here = self->showing == SHOW_ELSEWHERE && entry != NULL && self->runner != NULL &&
                         jsw_runner_get_browser (self->runner, entry->id) != NULL;
  gboolean wanted = self->showing == SHOW_RUNNING || self->showing == SHOW_REVIEW || self->showing == SHOW_WALL ||
                    ending_here;
  gboolean live = wanted && entry != NULL && self->runner != NULL &&
                  jsw_runner_show_browser (self->runner, entry->id, self->browser_slot);

  if (!live && self->runner != NULL)
    jsw_runner_hide_browser (self->runner, self->browser_slot);
  gtk_stack_set_visible_child_name (self->content, live ? "browser" : "details");
  return live;
}

void
_jsw_entry_detail_update (JswEntryDetail *self)
{
  JswEntry *entry = _jsw_entry_detail_shown_entry (self);
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GPtrArray) blockers = NULL;
  JsonObject *record_object;
  gboolean live;

  if (entry == NULL)
    {
      gtk_label_set_label (self->detail_title, _("Nothing selected"));
      gtk_label_set_label (self->detail_company, "");
      gtk_label_set_label (self->detail_facts, "");
      gtk_label_set_label (self->detail_state, "");
      gtk_widget_set_visible (GTK_WIDGET (self->detail_progress), FALSE);
      gtk_widget_set_visible (self->action_area, FALSE);
      gtk_widget_set_visible (self->sent_box, FALSE);
      show_buttons (self, SHOW_NOTHING, NULL);
      show_content (self, NULL);
      return;
    }

  record = self->runner ? jsw_runner_dup_record (self->runner, entry->id) : NULL;
  record_object = record ? json_node_get_object (record) : NULL;
  blockers = _jsw_entry_detail_record_blockers (record_object);
  if (entry->state == JSW_STATE_NEEDS_USER && blockers->len == 0)
    add_questions_from_error (blockers, entry);

  gtk_label_set_label (self->detail_title, jsw_entry_item_get_title (self->item));
  gtk_label_set_label (self->detail_company, jsw_entry_item_get_company (self->item));
  _jsw_entry_detail_show_state_line (self, entry);
  _jsw_entry_detail_show_facts (self, entry);
  _jsw_entry_detail_show_last_run (self, entry, record_object);

  self->showing = what_to_show (self, entry, blockers);
  /* Cancelled, while the toast offers Undo: nothing else to do with it. */
  if (g_strcmp0 (self->cancelling_id, entry->id) == 0)
    self->showing = SHOW_NOTHING;
  gtk_widget_set_visible (GTK_WIDGET (self->detail_progress), self->showing == SHOW_RUNNING ||
                                                              self->showing == SHOW_ELSEWHERE);
  if (self->showing != SHOW_RUNNING)
    gtk_progress_bar_set_text (self->detail_progress, jsw_entry_item_get_state_label (self->item));
  gtk_progress_bar_set_fraction (self->detail_progress, jsw_entry_item_get_progress (self->item));

  live = show_content (self, entry);
  if (self->showing == SHOW_QUESTIONS)
    ask_questions (self, blockers);
  _jsw_entry_detail_show_texts (self, self->showing, entry, blockers, live);
  show_buttons (self, self->showing, entry);
  gtk_widget_set_visible (self->action_area, self->showing != SHOW_RUNNING);
  /* What waits for the person stands out. */
  if (self->showing == SHOW_WALL || self->showing == SHOW_QUESTIONS || self->showing == SHOW_REJECTED ||
      self->showing == SHOW_REVIEW || self->showing == SHOW_CHOICE || self->showing == SHOW_FROM_SERVER)
    gtk_widget_add_css_class (self->action_area, "needs-you");
  else
    gtk_widget_remove_css_class (self->action_area, "needs-you");
}

/* The runner's signals */

static void
on_run_progress (JswRunner      *runner,
                 const char     *entry_id,
                 int             percent,
                 const char     *step,
                 const char     *message,
                 JswEntryDetail *self)
{
  if (g_strcmp0 (entry_id, _jsw_entry_detail_shown_id (self)) != 0)
    return;
  gtk_progress_bar_set_fraction (self->detail_progress, percent / 100.0);
  gtk_progress_bar_set_text (self->detail_progress, message);
}

static void
on_run_finished (JswRunner      *runner,
                 const char     *entry_id,
                 int             outcome,
                 const char     *text,
                 const char     *missing,
                 JswEntryDetail *self)
{
  if (g_strcmp0 (entry_id, _jsw_entry_detail_shown_id (self)) == 0)
    _jsw_entry_detail_update (self);
}

static const char *showing_names[] = {
  [SHOW_NOTHING] = "nothing", [SHOW_RUNNING] = "running", [SHOW_REVIEW] = "review", [SHOW_WALL] = "wall",
  [SHOW_QUESTIONS] = "questions", [SHOW_REJECTED] = "rejected", [SHOW_LATER] = "later", [SHOW_CHOICE] = "choice",
  [SHOW_QUEUED] = "queued", [SHOW_ELSEWHERE] = "elsewhere", [SHOW_FAILED] = "failed", [SHOW_CHECK] = "check",
  [SHOW_DONE] = "done", [SHOW_FROM_SERVER] = "from-server",
};

const char *
_jsw_entry_detail_get_showing (JswEntryDetail *self)
{
  if (self->cancelling_id != NULL && g_strcmp0 (self->cancelling_id, _jsw_entry_detail_shown_id (self)) == 0)
    return "cancelled";
  return showing_names[self->showing];
}

const char *
_jsw_entry_detail_get_text (JswEntryDetail *self)
{
  return gtk_label_get_label (self->action_text);
}

GtkListBox *
_jsw_entry_detail_get_questions (JswEntryDetail *self)
{
  return self->questions_list;
}

GtkBox *
_jsw_entry_detail_get_slot (JswEntryDetail *self)
{
  return self->browser_slot;
}

/* Returns: (transfer none): the entry.* actions, for a window's rows */
GActionGroup *
jsw_entry_detail_get_actions (JswEntryDetail *self)
{
  return G_ACTION_GROUP (self->actions);
}

JswEntryItem *
jsw_entry_detail_get_item (JswEntryDetail *self)
{
  g_return_val_if_fail (JSW_IS_ENTRY_DETAIL (self), NULL);
  return self->item;
}

/* @item: (nullable): the entry to show, followed through its notify */
void
jsw_entry_detail_set_item (JswEntryDetail *self,
                           JswEntryItem   *item)
{
  g_return_if_fail (JSW_IS_ENTRY_DETAIL (self));

  if (item == self->item)
    return;
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, _jsw_entry_detail_update, self);
  g_set_object (&self->item, item);
  /* Later lasts until the person looks at another entry. */
  if (item == NULL || g_strcmp0 (self->later_id, jsw_entry_item_get_id (item)) != 0)
    g_clear_pointer (&self->later_id, g_free);
  if (item != NULL)
    g_signal_connect_object (item, "notify", G_CALLBACK (_jsw_entry_detail_update), self, G_CONNECT_SWAPPED);
  _jsw_entry_detail_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

JswRunner *
jsw_entry_detail_get_runner (JswEntryDetail *self)
{
  g_return_val_if_fail (JSW_IS_ENTRY_DETAIL (self), NULL);
  return self->runner;
}

static void
forget_runner (JswEntryDetail *self)
{
  if (self->runner == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->runner, self);
  jsw_runner_hide_browser (self->runner, self->browser_slot);
  g_clear_object (&self->runner);
}

/* @runner: (nullable): whose runs the pane shows, and whose browsers it
 * holds while it shows them */
void
jsw_entry_detail_set_runner (JswEntryDetail *self,
                             JswRunner      *runner)
{
  g_return_if_fail (JSW_IS_ENTRY_DETAIL (self));

  if (runner == self->runner)
    return;
  forget_runner (self);
  if (runner != NULL)
    {
      self->runner = g_object_ref (runner);
      g_signal_connect (runner, "run-progress", G_CALLBACK (on_run_progress), self);
      g_signal_connect (runner, "run-finished", G_CALLBACK (on_run_finished), self);
      g_signal_connect_swapped (runner, "notify::current", G_CALLBACK (_jsw_entry_detail_update), self);
      g_signal_connect_swapped (runner, "notify::reviewing", G_CALLBACK (_jsw_entry_detail_update), self);
    }
  _jsw_entry_detail_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);
}

/* A narrow window (its leaflet folded) puts the last page's picture below
 * what was filled in. Only for looks: side by side fits 360 px as well, so
 * that the pane's minimum width does not depend on the leaflet's state
 * when the window is sized (issue 10; the buttons wrap on their own,
 * jsw-wrap-box.c). */
static void
on_folded (JswEntryDetail *self)
{
  gboolean folded = self->leaflet != NULL && adw_leaflet_get_folded (self->leaflet);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->sent_box),
                                  folded ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (GTK_WIDGET (self->detail_picture), folded ? GTK_ALIGN_START : GTK_ALIGN_END);
}

static void
forget_leaflet (JswEntryDetail *self)
{
  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_func (self->leaflet, on_folded, self);
  self->leaflet = NULL;
}

static void
jsw_entry_detail_root (GtkWidget *widget)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (widget);

  GTK_WIDGET_CLASS (jsw_entry_detail_parent_class)->root (widget);
  forget_leaflet (self);
  self->leaflet = ADW_LEAFLET (gtk_widget_get_ancestor (widget, ADW_TYPE_LEAFLET));
  if (self->leaflet != NULL)
    g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_folded), self);
  on_folded (self);
}

static void
jsw_entry_detail_unroot (GtkWidget *widget)
{
  forget_leaflet (JSW_ENTRY_DETAIL (widget));
  GTK_WIDGET_CLASS (jsw_entry_detail_parent_class)->unroot (widget);
}

GtkWidget *
jsw_entry_detail_new (void)
{
  return g_object_new (JSW_TYPE_ENTRY_DETAIL, NULL);
}

static void
jsw_entry_detail_dispose (GObject *object)
{
  JswEntryDetail *self = (JswEntryDetail *) object;

  /* A cancel waiting for its Undo goes out as the window closes. */
  self->undo_toast = NULL;
  _jsw_entry_detail_cancel_now (self);
  forget_runner (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, _jsw_entry_detail_update, self);
  g_clear_object (&self->item);
  g_clear_object (&self->actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_ENTRY_DETAIL);
  G_OBJECT_CLASS (jsw_entry_detail_parent_class)->dispose (object);
}

static void
jsw_entry_detail_finalize (GObject *object)
{
  JswEntryDetail *self = (JswEntryDetail *) object;

  g_free (self->questions_of);
  g_free (self->later_id);
  g_free (self->cancelling_id);
  G_OBJECT_CLASS (jsw_entry_detail_parent_class)->finalize (object);
}

static void
jsw_entry_detail_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM: g_value_set_object (value, self->item); break;
    case PROP_RUNNER: g_value_set_object (value, self->runner); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_entry_detail_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JswEntryDetail *self = JSW_ENTRY_DETAIL (object);

  switch (prop_id)
    {
    case PROP_ITEM: jsw_entry_detail_set_item (self, g_value_get_object (value)); break;
    case PROP_RUNNER: jsw_entry_detail_set_runner (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_entry_detail_class_init (JswEntryDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jsw_entry_detail_dispose;
  object_class->finalize = jsw_entry_detail_finalize;
  object_class->get_property = jsw_entry_detail_get_property;
  object_class->set_property = jsw_entry_detail_set_property;
  widget_class->root = jsw_entry_detail_root;
  widget_class->unroot = jsw_entry_detail_unroot;

  g_type_ensure (JSW_TYPE_WRAP_BOX);

  /* The selected entry: bound to the window's selection. */
  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, JSW_TYPE_ENTRY_ITEM, flags);
  /* The application's runner, once signed in. */
  properties[PROP_RUNNER] = g_param_spec_object ("runner", NULL, NULL, JSW_TYPE_RUNNER, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-entry-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_title);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_company);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_state);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_progress);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, action_area);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, action_title);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, action_text);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, questions_list);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, remember_check);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, open_posting_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, not_sent_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, sent_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, profile_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, later_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, run_server_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, run_here_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, dont_send_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, send_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, apply_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, continue_button);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, buttons);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, content);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, browser_slot);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_facts);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, sent_box);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, sent_heading);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, sent_label);
  gtk_widget_class_bind_template_child (widget_class, JswEntryDetail, detail_picture);
}

static void
jsw_entry_detail_init (JswEntryDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child, not a template child: AdwBin unparents it. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));

  _jsw_entry_detail_add_actions (self);
  _jsw_entry_detail_update (self);
}
