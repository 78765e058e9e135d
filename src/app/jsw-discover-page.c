/* jsw-discover-page.c
 *
 * The Discover view: the postings of the person's feed as a deck of cards
 * (JswDeckView over JswDeckModel), with Pass and Apply below it, the
 * arrow keys doing the same, and a toast with Undo (Ctrl+Z too) after each
 * swipe for 10 s.
 *
 * Apply on a posting whose form asks required questions the profile does
 * not answer (as the engine's own matcher decides: JswMatcher, which runs
 * resources/adapters/matcher.js without a web view) asks them
 * first (jsw-deck-questions.c), saves the answers to the profile, and then
 * swipes, so the application can run unattended.
 *
 * The server's refusals are said in the person's terms
 * (jsw-discover-page-refusals.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-discover-page"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-deck-questions.h"
#include "jsw-discover-page-private.h"
#include "jsw-json.h"
#include "jsw-plan-page.h"
#include "jsw-screenshot.h"

/* How long after a swipe the person counts as busy swiping: runs do not
 * take the window to the applications view meanwhile. */
#define SWIPING_SECONDS 120
#define UNDO_SECONDS    10

G_DEFINE_FINAL_TYPE (JswDiscoverPage, jsw_discover_page, GTK_TYPE_WIDGET)

/* Questions before applying */

/* Returns: (transfer none) (nullable): the posting's required questions the
 * profile does not answer; %NULL when that is not known (the source does
 * not publish its questions, or there is no profile) */
static JsonArray *
unanswered_questions (JswDiscoverPage *self,
                      JsonObject      *posting)
{
  const char *posting_id = posting_string (posting, "posting_id");
  JsonNode *questions = json_object_get_member (posting, "questions");
  JswProfile *profile = self->profile_store ? jsw_profile_store_get_profile (self->profile_store) : NULL;
  g_autofree char *profile_json = NULL;
  g_autoptr(JsonNode) profile_node = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *unanswered = NULL;

  if (g_hash_table_contains (self->unanswered, posting_id))
    return g_hash_table_lookup (self->unanswered, posting_id);
  /* A source that does not publish its form's questions (null): the
   * engine asks on the form, as without the deck. */
  if (questions == NULL || !JSON_NODE_HOLDS_ARRAY (questions) || profile == NULL)
    return NULL;
  if (self->matcher == NULL)
    self->matcher = jsw_matcher_new ();
  /* PROFILE.json whole: the matcher needs to know there is a resume
   * (resume_path), which the form filler is given as a file instead. */
  profile_json = jsw_profile_to_json (profile);
  profile_node = jsw_json_parse (profile_json, -1, &error);
  if (profile_node != NULL && JSON_NODE_HOLDS_OBJECT (profile_node))
    unanswered = jsw_matcher_uncovered (self->matcher, json_node_get_object (profile_node),
                                        json_node_get_array (questions), &error);
  if (unanswered == NULL)
    g_warning ("The questions of posting %s are not checked: %s", posting_id, error ? error->message : "no profile");
  g_hash_table_insert (self->unanswered, g_strdup (posting_id), unanswered);
  return unanswered;
}

/**
 * jsw_discover_page_count_unanswered:
 *
 * Returns: how many required questions of @posting the profile does not
 *   answer, or -1 when that is not known
 */
int
jsw_discover_page_count_unanswered (JswDiscoverPage *self,
                                    JsonObject      *posting)
{
  JsonArray *unanswered = unanswered_questions (self, posting);

  return unanswered ? (int) json_array_get_length (unanswered) : -1;
}

static void
show_cards (JswDiscoverPage *self)
{
  JswDeckWhere where = jsw_deck_model_get_where (self->model);

  for (guint i = 0; i < 3; i++)
    {
      JswSwipeCard *card = jsw_deck_view_get_card (self->deck_view, i);
      JsonObject *posting = jsw_deck_model_get_posting (self->model, i);

      if (posting == NULL)
        continue;
      jsw_swipe_card_set_where (card, where);
      jsw_swipe_card_set_unanswered (card, jsw_discover_page_count_unanswered (self, posting));
    }
}

/* The profile changed: what it answers is asked again. */
static void
on_profile_changed (JswDiscoverPage *self)
{
  g_hash_table_remove_all (self->unanswered);
  if (self->model != NULL)
    show_cards (self);
}

typedef struct {
  JswDiscoverPage *self;
  JsonObject      *posting;
} Answering;

static void
questions_answered (GHashTable *answers,
                    gpointer    data)
{
  Answering *answering = data;
  g_autoptr(JswDiscoverPage) self = answering->self;
  g_autoptr(JsonObject) posting = answering->posting;
  g_autoptr(GError) error = NULL;

  g_free (answering);
  self->asking = NULL;
  if (answers == NULL)
    return;
  if (!jsw_profile_store_add_answers (self->profile_store, answers, &error))
    {
      add_toast (self, adw_toast_new_format (_("Your answers could not be saved: %s"), error->message));
      return;
    }
  on_profile_changed (self);
  /* Still the front card (nothing else swipes while the dialog is up). */
  if (jsw_deck_model_get_posting (self->model, 0) == posting ||
      g_strcmp0 (posting_string (jsw_deck_model_get_posting (self->model, 0), "posting_id"),
                 posting_string (posting, "posting_id")) == 0)
    jsw_deck_view_throw (self->deck_view, TRUE);
}

static void
ask_questions (JswDiscoverPage *self,
               JsonObject      *posting,
               JsonArray       *questions)
{
  Answering *answering = g_new0 (Answering, 1);

  answering->self = g_object_ref (self);
  answering->posting = json_object_ref (posting);
  self->asking = jsw_deck_questions_ask (GTK_WIDGET (self), posting, questions, questions_answered, answering);
  jsw_screenshot_soon (GTK_WIDGET (self->asking), "deck-questions", 700);
}

/* Swiping */

/* A right swipe whose questions are unanswered asks them instead. */
static gboolean
on_throw_requested (JswDiscoverPage *self,
                    gboolean         right)
{
  JsonObject *posting = jsw_deck_model_get_posting (self->model, 0);
  JsonArray *questions = posting && right ? unanswered_questions (self, posting) : NULL;

  if (self->asking != NULL)
    return FALSE;
  if (questions != NULL && json_array_get_length (questions) > 0)
    {
      ask_questions (self, posting, questions);
      return FALSE;
    }
  return TRUE;
}

/**
 * jsw_discover_page_swipe:
 * @right: Apply (%TRUE) or Pass
 *
 * What the buttons and the arrow keys do: the front card is thrown, after
 * its questions are answered for an Apply. Pressed again while a card is
 * still being thrown, the thrown one lands at once and the next card goes
 * (a press is never dropped); nothing happens while a card is dragged.
 */
void
jsw_discover_page_swipe (JswDiscoverPage *self,
                         gboolean         right)
{
  g_return_if_fail (JSW_IS_DISCOVER_PAGE (self));

  if (self->model == NULL)
    return;
  jsw_deck_view_land (self->deck_view);
  if (jsw_deck_model_get_posting (self->model, 0) == NULL || jsw_deck_view_get_busy (self->deck_view))
    return;
  if (on_throw_requested (self, right))
    jsw_deck_view_throw (self->deck_view, right);
}

static void
on_toast_dismissed (JswDiscoverPage *self,
                    AdwToast        *toast)
{
  if (self->toast == toast)
    self->toast = NULL;
}

static void
undo (JswDiscoverPage *self)
{
  if (self->model == NULL || !jsw_deck_model_can_undo (self->model))
    return;
  jsw_deck_model_undo (self->model);
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
}

static void
show_swipe_toast (JswDiscoverPage *self,
                  JsonObject      *posting,
                  gboolean         right)
{
  const char *title = posting_string (posting, "title");
  AdwToast *toast = right ? adw_toast_new_format (_("Applying to %s"), title)
                          : adw_toast_new_format (_("Passed on %s"), title);

  /* One swipe's toast at a time: the newest, at once. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, UNDO_SECONDS);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, G_CONNECT_SWAPPED);
  self->toast = toast;
  add_toast (self, toast);
}

typedef struct {
  JswDiscoverPage *self;
  JsonObject      *posting;
  gboolean         right;
} SwipeToast;

static void
swipe_toast_free (gpointer data)
{
  SwipeToast *toast = data;

  g_object_unref (toast->self);
  json_object_unref (toast->posting);
  g_free (toast);
}

static gboolean
show_swipe_toast_cb (gpointer data)
{
  SwipeToast *toast = data;

  show_swipe_toast (toast->self, toast->posting, toast->right);
  return G_SOURCE_REMOVE;
}

static void
on_thrown (JswDiscoverPage *self,
           gboolean         right)
{
  g_autoptr(JsonObject) posting = json_object_ref (jsw_deck_model_get_posting (self->model, 0));
  gboolean allow_duplicate = right && g_strcmp0 (self->allow_duplicate, posting_string (posting, "posting_id")) == 0;
  SwipeToast *toast = g_new0 (SwipeToast, 1);

  g_clear_pointer (&self->allow_duplicate, g_free);
  self->last_swipe = g_get_monotonic_time ();
  jsw_deck_model_swipe (self->model, right, allow_duplicate);
  /* In the next frame: it slides in from out of sight, so the frame that
   * brings the next card up would only pay for making it. */
  toast->self = g_object_ref (self);
  toast->posting = g_steal_pointer (&posting);
  toast->right = right;
  jsw_deck_view_after_frame (self->deck_view, show_swipe_toast_cb, toast, swipe_toast_free);
}

/* State */

const char *
jsw_discover_page_get_state (JswDiscoverPage *self)
{
  g_return_val_if_fail (JSW_IS_DISCOVER_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
update_waiting (JswDiscoverPage *self)
{
  guint waiting = jsw_deck_model_get_n_waiting (self->model);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->waiting_label), waiting > 0 && !jsw_session_get_connected (self->session));
  if (waiting == 0)
    return;
  text = g_strdup_printf (ngettext ("Offline: %u swipe is kept and sent when JobSwipe is back online",
                                   "Offline: %u swipes are kept and sent when JobSwipe is back online", waiting), waiting);
  /* Only a change: each swipe waits here a moment, and the label would be
   * laid out again in the frame after the swipe (hidden or not). */
  if (g_strcmp0 (gtk_label_get_label (self->waiting_label), text) != 0)
    gtk_label_set_label (self->waiting_label, text);
}

static void
on_model_changed (JswDiscoverPage *self)
{
  static const char *pages[] = {
    [JSW_DECK_STATE_LOADING] = "loading",
    [JSW_DECK_STATE_READY] = "cards",
    [JSW_DECK_STATE_EMPTY] = "empty",
    [JSW_DECK_STATE_OFFLINE] = "offline",
  };
  JswDeckState state = jsw_deck_model_get_state (self->model);

  /* A card being thrown finishes first: the page changes after it. */
  if (!jsw_deck_view_get_busy (self->deck_view))
    gtk_stack_set_visible_child_name (self->stack, pages[state]);
  jsw_deck_view_refresh (self->deck_view);
  show_cards (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deck.pass", state == JSW_DECK_STATE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deck.apply", state == JSW_DECK_STATE_READY);
  update_waiting (self);
}

/* Actions */

static void
pass_action (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  jsw_discover_page_swipe (JSW_DISCOVER_PAGE (widget), FALSE);
}

static void
apply_action (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  jsw_discover_page_swipe (JSW_DISCOVER_PAGE (widget), TRUE);
}

static void
undo_action (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  undo (JSW_DISCOVER_PAGE (widget));
}

static void
reload_action (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  JswDiscoverPage *self = JSW_DISCOVER_PAGE (widget);

  if (self->model != NULL)
    jsw_deck_model_reload (self->model);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Preferences, on one of its pages: "search" (JswSearchPage), or the Plan
 * page. */
static void
open_preferences_on (JswDiscoverPage *self,
                     const char      *page)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));

  if (application == NULL)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      {
        GtkWidget *plan = g_str_equal (page, "plan") ? find_descendant (l->data, JSW_TYPE_PLAN_PAGE) : NULL;

        if (plan != NULL)
          adw_preferences_window_set_visible_page (l->data, ADW_PREFERENCES_PAGE (plan));
        else
          adw_preferences_window_set_visible_page_name (l->data, page);
        break;
      }
}

static void
edit_search_action (GtkWidget  *widget,
                    const char *action,
                    GVariant   *parameter)
{
  open_preferences_on (JSW_DISCOVER_PAGE (widget), "search");
}

static void
upgrade_action (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  open_preferences_on (JSW_DISCOVER_PAGE (widget), "plan");
}

/* The arrow keys and Ctrl+Z, wherever the focus is in the window, while
 * the deck is shown; elsewhere they do what they always do. */
static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   data)
{
  const char *action = data;

  if (!gtk_widget_get_mapped (widget) || JSW_DISCOVER_PAGE (widget)->asking != NULL)
    return FALSE;
  if (g_str_equal (action, "undo") && (JSW_DISCOVER_PAGE (widget)->model == NULL ||
                                       !jsw_deck_model_can_undo (JSW_DISCOVER_PAGE (widget)->model)))
    return FALSE;
  {
    g_autofree char *name = g_strconcat ("deck.", action, NULL);

    gtk_widget_activate_action (widget, name, NULL);
  }
  return TRUE;
}

static void
add_shortcut (GtkShortcutController *controller,
              guint                  key,
              GdkModifierType        modifiers,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                                          gtk_callback_action_new (shortcut_cb, (gpointer) action, NULL)));
}

static void
jsw_discover_page_dispose (GObject *object)
{
  JswDiscoverPage *self = JSW_DISCOVER_PAGE (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->profile_store != NULL)
    g_signal_handlers_disconnect_by_data (self->profile_store, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->model);
  g_clear_object (&self->session);
  g_clear_object (&self->profile_store);
  g_clear_object (&self->matcher);
  g_clear_pointer (&self->unanswered, g_hash_table_unref);
  g_clear_pointer (&self->allow_duplicate, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_DISCOVER_PAGE);
  G_OBJECT_CLASS (jsw_discover_page_parent_class)->dispose (object);
}

static void
jsw_discover_page_class_init (JswDiscoverPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_discover_page_dispose;

  g_type_ensure (JSW_TYPE_DECK_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-discover-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JswDiscoverPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JswDiscoverPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JswDiscoverPage, deck_view);
  gtk_widget_class_bind_template_child (widget_class, JswDiscoverPage, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, JswDiscoverPage, buttons);

  gtk_widget_class_install_action (widget_class, "deck.pass", NULL, pass_action);
  gtk_widget_class_install_action (widget_class, "deck.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "deck.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "deck.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "deck.edit-search", NULL, edit_search_action);
  gtk_widget_class_install_action (widget_class, "deck.upgrade", NULL, upgrade_action);
}

static void
jsw_discover_page_init (JswDiscoverPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->unanswered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);

  /* Managed by the window, and ahead of its own arrow-key focus moves:
   * shortcut_cb passes them on while the deck is not shown. */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Left, 0, "pass");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Right, 0, "apply");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_z, GDK_CONTROL_MASK, "undo");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_swapped (self->deck_view, "throw-requested", G_CALLBACK (on_throw_requested), self);
  g_signal_connect_swapped (self->deck_view, "thrown", G_CALLBACK (on_thrown), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deck.pass", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deck.apply", FALSE);
}

/**
 * jsw_discover_page_start:
 * @session: the signed-in session
 * @cache: where the deck keeps its postings and its outbox
 * @profile_store: (nullable): the profile whose answers cover questions,
 *   and where answers given here are saved
 *
 * Signed in: the deck loads the person's feed.
 */
void
jsw_discover_page_start (JswDiscoverPage *self,
                         JswSession      *session,
                         JswCache        *cache,
                         JswProfileStore *profile_store)
{
  g_return_if_fail (JSW_IS_DISCOVER_PAGE (self));

  if (self->model != NULL)
    return;
  self->session = g_object_ref (session);
  self->profile_store = profile_store ? g_object_ref (profile_store) : NULL;
  self->model = jsw_deck_model_new (session, cache);
  jsw_deck_view_set_model (self->deck_view, self->model);
  g_signal_connect_swapped (self->model, "changed", G_CALLBACK (on_model_changed), self);
  g_signal_connect_swapped (self->model, "refused", G_CALLBACK (_jsw_discover_page_on_refused), self);
  g_signal_connect_swapped (self->model, "notify::where", G_CALLBACK (show_cards), self);
  g_signal_connect_swapped (self->model, "notify::n-waiting", G_CALLBACK (update_waiting), self);
  g_signal_connect_swapped (session, "notify::connected", G_CALLBACK (update_waiting), self);
  if (profile_store != NULL)
    g_signal_connect_swapped (profile_store, "notify::profile", G_CALLBACK (on_profile_changed), self);
  on_model_changed (self);
}

JswDeckModel *
jsw_discover_page_get_model (JswDiscoverPage *self)
{
  g_return_val_if_fail (JSW_IS_DISCOVER_PAGE (self), NULL);

  return self->model;
}

JswDeckView *
jsw_discover_page_get_view (JswDiscoverPage *self)
{
  g_return_val_if_fail (JSW_IS_DISCOVER_PAGE (self), NULL);

  return self->deck_view;
}

/* The person swiped a moment ago: runs that start now are not to take
 * the window away from the deck. */
gboolean
jsw_discover_page_get_swiping (JswDiscoverPage *self)
{
  g_return_val_if_fail (JSW_IS_DISCOVER_PAGE (self), FALSE);

  return gtk_widget_get_mapped (GTK_WIDGET (self)) && self->last_swipe != 0 &&
         g_get_monotonic_time () - self->last_swipe < SWIPING_SECONDS * G_USEC_PER_SEC;
}
