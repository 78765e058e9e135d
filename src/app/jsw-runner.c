/* jsw-runner.c
 *
 * An entry is run only after the server granted its lease. Each step
 * reached is written to the cache before anything else happens, so after a
 * crash an attempt that got to `submitting` is never started again; the
 * server turns it into needs_review when its lease runs out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-runner"

#include "config.h"

#include <glib/gi18n.h>

#include <webkit/webkit.h>

#include "jsw-runner-private.h"
#include "jsw-time.h"

G_DEFINE_FINAL_TYPE (JswRunner, jsw_runner, G_TYPE_OBJECT)

enum {
  RUN_STARTED,
  RUN_PROGRESS,
  RUN_FINISHED,
  REVIEW_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_AUTO_APPLY,
  PROP_REVIEW,
  PROP_PROFILE,
  PROP_CURRENT,
  PROP_REVIEWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static gboolean
look_for_work_cb (gpointer data)
{
  JswRunner *self = data;

  self->look_id = 0;
  _jsw_runner_look_for_work (self);
  return G_SOURCE_REMOVE;
}

void
_jsw_runner_look_soon (JswRunner *self)
{
  if (self->look_id == 0)
    self->look_id = g_idle_add (look_for_work_cb, self);
}

/* The run's browser between runs (the others: jsw-runner-browsers.c). */

static gboolean
drop_unseen_browser (gpointer user_data)
{
  JswRunner *self = user_data;

  self->drop_id = 0;
  if (self->current == NULL && self->browser != NULL && !jsw_browser_is_shown (self->browser))
    jsw_browser_drop_view (self->browser);
  return G_SOURCE_REMOVE;
}

/* Unseen, the browser is not kept between runs: a few seconds' grace for
 * the next entry in line. */
void
_jsw_runner_finished_running (JswRunner *self)
{
  g_clear_handle_id (&self->drop_id, g_source_remove);
  self->drop_id = g_timeout_add_seconds (5, drop_unseen_browser, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}


/* `submitting` must be on record at the server before the application can
 * leave, as the worker does it (docs/server.md, Additions): a desktop
 * killed right after pressing send must leave an entry the server makes
 * needs_review, never one that is queued again and sent a second time
 * (from another computer of the person's, or from the server). The engine
 * asks before it presses send (JswApplyRun::ready-to-send), for a form the
 * person reviewed too: the runner asks the server to acknowledge
 * `submitting` (5 s at most), writes the step to the cache and lets the
 * engine send; without the ack the engine withholds the send and ends the
 * run unsent, and the run is given back (run_done()). Only once it is on
 * record is the step written to the cache: a crash in between leaves an
 * attempt the server will not hand out again. */
typedef struct {
  JswRunner   *runner;
  JswApplyRun *run;
} SendAsked;

static void
submitting_on_record (GObject      *source,
                      GAsyncResult *res,
                      gpointer      user_data)
{
  SendAsked *asked = user_data;
  g_autoptr(JswRunner) self = asked->runner;
  g_autoptr(JswApplyRun) run = asked->run;
  g_autoptr(GError) error = NULL;
  gboolean on_record = jsw_queue_client_progress_confirmed_finish (JSW_QUEUE_CLIENT (source), res, &error);

  g_free (asked);
  if (self->run != run || self->current == NULL)
    return;  /* that run ended meanwhile (stopped): nothing of it is sent */
  if (!on_record)
    {
      g_message ("%s not sent: `submitting` is not on record at the server (%s)", self->current, error->message);
      jsw_apply_run_withhold (run, _("Not sent: the server could not be told it was being sent"));
      return;
    }
  jsw_cache_run_reached (JSW_CACHE (jsw_queue_client_get_store (self->client)), self->current, JSW_STEP_SUBMITTING, NULL);
  jsw_apply_run_allow_send (run);
}

static gboolean
on_ready_to_send (JswApplyRun *run,
                  int          percent,
                  const char  *message,
                  JswRunner   *self)
{
  SendAsked *asked = g_new0 (SendAsked, 1);

  asked->runner = g_object_ref (self);
  asked->run = g_object_ref (run);
  jsw_queue_client_progress_confirmed_async (self->client, self->lease, percent, JSW_STEP_SUBMITTING, message,
                                             SUBMITTING_ACK_TIMEOUT_MS, NULL, submitting_on_record, asked);
  return TRUE;
}

static void
on_progress (JswApplyRun *run,
             int          percent,
             const char  *step_name,
             const char  *message,
             JswRunner   *self)
{
  JswCache *cache = JSW_CACHE (jsw_queue_client_get_store (self->client));
  JswStep step = JSW_STEP_NONE;

  jsw_step_from_string (step_name, &step);
  /* `submitting` is on record and in the cache already: it was what let
   * the engine send (submitting_on_record()). */
  if (step != JSW_STEP_SUBMITTING)
    {
      /* First on disk, then on the wire: see the comment at the top. */
      jsw_cache_run_reached (cache, self->current, step, NULL);
      jsw_queue_client_progress (self->client, self->lease, percent, step, message);
    }
  g_signal_emit (self, signals[RUN_PROGRESS], 0, self->current, percent, step_name, message);
}

typedef struct {
  JswRunner      *runner;
  char           *entry_id;
  char           *lease;
  JswApplyResult *result;
} Finished;

static void
finished_free (Finished *finished)
{
  g_object_unref (finished->runner);
  g_free (finished->entry_id);
  g_free (finished->lease);
  jsw_apply_result_free (finished->result);
  g_free (finished);
}

static void
report_result (Finished   *finished,
               const char *screenshot_sha256)
{
  JswRunner *self = finished->runner;
  JswApplyResult *result = finished->result;
  g_autofree char *missing = NULL;

  if (result->missing->len > 0)
    {
      g_ptr_array_add (result->missing, NULL);
      missing = g_strjoinv ("\n", (char **) result->missing->pdata);
      g_ptr_array_remove_index (result->missing, result->missing->len - 1);
    }

  g_clear_object (&self->run);
  jsw_queue_client_result (self->client, finished->lease, result->outcome, result->confirmation,
                           result->outcome == JSW_OUTCOME_NEEDS_USER ? missing : result->error,
                           screenshot_sha256);
  g_signal_emit (self, signals[RUN_FINISHED], 0, finished->entry_id, (int) result->outcome,
                 result->confirmation ? result->confirmation : result->error, missing);
  _jsw_runner_finished_running (self);
  _jsw_runner_look_soon (self);
}

static void
last_page_saved (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Finished *finished = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = jsw_browser_save_last_page_finish (JSW_BROWSER (source), res, &error);

  if (sha == NULL)
    g_debug ("no picture of the last page: %s", error->message);
  report_result (finished, sha);
  finished_free (finished);
}

void
_jsw_runner_run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(JswRunner) self = user_data;
  g_autoptr(GError) error = NULL;
  JswApplyResult *result = jsw_apply_run_finish (JSW_APPLY_RUN (source), res, &error);
  g_autofree char *entry_id = NULL;
  g_autofree char *lease = NULL;
  const char *stop;
  Finished *finished;

  if (result != NULL && result->outcome == JSW_OUTCOME_SUBMITTED && !result->submitted)
    {
      /* Filled in and not sent: the person looks it over. The lease stays
       * ours (its heartbeats go on) until they decide. */
      self->in_review = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEWING]);
      g_signal_emit (self, signals[REVIEW_NEEDED], 0, self->current);
      jsw_apply_result_free (result);
      return;
    }
  if (self->in_review)
    {
      self->in_review = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEWING]);
    }
  entry_id = g_steal_pointer (&self->current);
  lease = g_steal_pointer (&self->lease);

  jsw_cache_run_finished (JSW_CACHE (jsw_queue_client_get_store (self->client)), entry_id, NULL);

  /* LinkedIn's own stops (issue 16): the server pauses LinkedIn; after its
   * daily-limit panel or its fast-pace warning the entry goes back to the
   * queue as it was, for when LinkedIn applications may start again. */
  stop = result ? jsw_blockers_linkedin_stop (result->blockers) : NULL;
  if (stop != NULL)
    jsw_queue_client_linkedin_stop_async (self->client, stop, NULL, NULL, NULL);
  if (stop != NULL && (g_str_equal (stop, "daily_limit") || g_str_equal (stop, "throttled")))
    {
      g_clear_object (&self->run);
      jsw_queue_client_release (self->client, lease);
      g_signal_emit (self, signals[RUN_FINISHED], 0, entry_id, -1,
                     g_ptr_array_index (result->missing, 0), NULL);
      jsw_apply_result_free (result);
      _jsw_runner_finished_running (self);
      return;
    }

  if (result == NULL)
    {
      g_clear_object (&self->run);
      /* Stopped by the person or by quitting, or not sent because the
       * server could not put `submitting` on record: give the entry back,
       * unless it may already have been sent. */
      if (jsw_cache_run_may_start (JSW_CACHE (jsw_queue_client_get_store (self->client)), entry_id))
        jsw_queue_client_release (self->client, lease);
      else
        jsw_queue_client_let_go (self->client, lease);
      g_signal_emit (self, signals[RUN_FINISHED], 0, entry_id, -1, error->message, NULL);
      _jsw_runner_finished_running (self);
      return;
    }

  /* The last page, kept for the history, before the result goes out;
   * self->run stays set meanwhile, so nothing else starts. */
  finished = g_new0 (Finished, 1);
  finished->runner = g_object_ref (self);
  finished->entry_id = g_steal_pointer (&entry_id);
  finished->lease = g_steal_pointer (&lease);
  finished->result = result;
  _jsw_runner_keep_record (self, finished->entry_id, result);
  {
    g_autofree char *path = jsw_runner_screenshot_path (finished->entry_id);
    g_autoptr(JswBrowser) browser = g_object_ref (self->browser);

    _jsw_runner_park_page (self, finished->entry_id, result);
    jsw_browser_save_last_page_async (browser, path, NULL, last_page_saved, finished);
  }
}

static void
start_run (JswRunner  *self,
           const char *entry_id,
           const char *lease)
{
  JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);
  JswBrowser *parked;
  g_autoptr(GHashTable) once = NULL;

  if (item == NULL)
    {
      /* Gone from the queue while it was being claimed. */
      jsw_queue_client_release (self->client, lease);
      _jsw_runner_look_soon (self);
      return;
    }
  self->current = g_strdup (entry_id);
  self->lease = g_strdup (lease);
  jsw_cache_run_started (JSW_CACHE (jsw_queue_client_get_store (self->client)), entry_id, lease, NULL);
  g_clear_handle_id (&self->drop_id, g_source_remove);

  /* A page the person got past a wall on: the run goes on from there. */
  parked = _jsw_runner_take_parked (self, entry_id);
  if (parked != NULL)
    {
      g_clear_object (&self->browser);
      self->browser = parked;
    }
  /* What the run before left is of the past now, but for the answers
   * given for this run. */
  once = _jsw_runner_dup_answers_once (self, entry_id);
  _jsw_runner_clear_record (self, entry_id);

  /* Told first, so that whoever shows the browser puts it somewhere. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
  g_signal_emit (self, signals[RUN_STARTED], 0, entry_id);
  if (!jsw_browser_is_shown (self->browser))
    jsw_browser_hold (self->browser, FALSE);
  self->run = jsw_apply_run_new (jsw_browser_get_view (self->browser), self->profile,
                                 jsw_entry_item_get_entry (item)->snapshot->apply_url);
  jsw_apply_run_set_on_page (self->run, parked != NULL);
  if (once != NULL)
    jsw_apply_run_add_answers (self->run, once);
  jsw_apply_run_set_submit (self->run, !self->review);
  /* LinkedIn stops on its review step unless the server said otherwise */
  jsw_apply_run_set_linkedin_auto_send (self->run, jsw_queue_client_sends_linkedin_automatically (self->client, lease));
  g_signal_connect (self->run, "progress", G_CALLBACK (on_progress), self);
  g_signal_connect (self->run, "ready-to-send", G_CALLBACK (on_ready_to_send), self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  jsw_apply_run_start (self->run, self->cancellable, _jsw_runner_run_done, g_object_ref (self));
}

typedef struct {
  JswRunner *runner;
  char      *entry_id;
} Claim;

static void
claimed (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Claim *claim = user_data;
  g_autoptr(JswRunner) self = claim->runner;
  g_autofree char *entry_id = claim->entry_id;
  g_autoptr(GError) error = NULL;
  g_autofree char *lease = jsw_queue_client_claim_finish (JSW_QUEUE_CLIENT (source), res, &error);

  g_free (claim);
  self->claiming = FALSE;
  if (lease == NULL)
    {
      g_debug ("claim of %s refused: %s", entry_id, error->message);
      _jsw_runner_hold_back (self, entry_id, error->message, jsw_queue_client_claim_retry_at (res));
      _jsw_runner_look_soon (self);
      return;
    }
  _jsw_runner_stop_holding (self, entry_id);
  if (self->run != NULL || self->profile == NULL)
    {
      g_debug ("claimed %s but %s: released", entry_id, self->run ? "busy" : "no profile");
      jsw_queue_client_release (self->client, lease);
      return;
    }
  g_debug ("claimed %s: running", entry_id);
  start_run (self, entry_id, lease);
}

static void
claim (JswRunner  *self,
       const char *entry_id)
{
  Claim *data = g_new0 (Claim, 1);

  g_debug ("claiming %s", entry_id);
  data->runner = g_object_ref (self);
  data->entry_id = g_strdup (entry_id);
  self->claiming = TRUE;
  jsw_queue_client_claim_async (self->client, entry_id, NULL, claimed, data);
}

static gboolean
is_runnable (JswRunner    *self,
             JswEntryItem *item)
{
  const char *entry_id = jsw_entry_item_get_id (item);

  return jsw_entry_item_get_state (item) == JSW_STATE_QUEUED && !_jsw_runner_is_held (self, entry_id) &&
         jsw_entry_item_get_target (item) == JSW_TARGET_DESKTOP &&
         (jsw_cache_run_may_start (JSW_CACHE (jsw_queue_client_get_store (self->client)), entry_id) ||
          _jsw_runner_refused_last_time (self, entry_id));
}

/* What to apply to next: first what the person asked for with Apply now,
 * then, when applying automatically, the oldest queued desktop entry. The
 * queue model is in the window's order, the oldest of a group last, and
 * only queued entries are runnable: the last runnable item is the one. */
void
_jsw_runner_look_for_work (JswRunner *self)
{
  GListModel *queue = G_LIST_MODEL (self->queue);

  if (self->run != NULL || self->claiming || self->profile == NULL ||
      !jsw_queue_client_is_connected (self->client))
    {
      g_debug ("not looking for work:%s%s%s%s", self->run ? " running" : "", self->claiming ? " claiming" : "",
               self->profile ? "" : " no profile", jsw_queue_client_is_connected (self->client) ? "" : " offline");
      return;
    }

  for (guint i = 0; i < self->requested->len; i++)
    {
      const char *entry_id = g_ptr_array_index (self->requested, i);
      JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);
      JswState state = item ? jsw_entry_item_get_state (item) : JSW_STATE_QUEUED;

      /* Not here yet (the stream is still catching up), still waiting to
       * be queued again after the person answered, still leased by a
       * run this computer was in the middle of, or queued again for the
       * server a moment before it is moved here (Apply Now on an entry
       * the server handed to the person: two changes in a row): wait for
       * it, without holding up the others. */
      if (item == NULL || state == JSW_STATE_NEEDS_USER || state == JSW_STATE_CLAIMED || state == JSW_STATE_RUNNING ||
          (state == JSW_STATE_QUEUED && jsw_entry_item_get_target (item) == JSW_TARGET_SERVER) ||
          _jsw_runner_is_held (self, entry_id))
        {
          g_debug ("waiting for %s to be queued", entry_id);
          continue;
        }
      if (is_runnable (self, item))
        {
          claim (self, jsw_entry_item_get_id (item));
          g_ptr_array_remove_index (self->requested, i);
          return;
        }
      /* Done, cancelled, or for the server now: no longer asked for. */
      g_ptr_array_remove_index (self->requested, i--);
    }

  if (!self->auto_apply)
    return;

  for (guint i = g_list_model_get_n_items (queue); i > 0; i--)
    {
      g_autoptr(JswEntryItem) item = g_list_model_get_item (queue, i - 1);

      if (is_runnable (self, item))
        {
          claim (self, jsw_entry_item_get_id (item));
          return;
        }
    }
}

/* Applies to @entry_id as soon as possible: now, or after the run going
 * on, or once the entry has reached this computer. */
gboolean
jsw_runner_apply_now (JswRunner  *self,
                      const char *entry_id)
{
  JswEntryItem *item = jsw_queue_model_lookup (self->queue, entry_id);

  /* The person asks for one more try of an entry held back: one claim. */
  _jsw_runner_release_hold (self, entry_id);
  if (item != NULL && jsw_entry_item_get_state (item) != JSW_STATE_NEEDS_USER && !is_runnable (self, item))
    {
      g_debug ("%s cannot be applied to now (%s)", entry_id, jsw_state_to_string (jsw_entry_item_get_state (item)));
      return FALSE;
    }
  if (!g_ptr_array_find_with_equal_func (self->requested, entry_id, g_str_equal, NULL))
    g_ptr_array_add (self->requested, g_strdup (entry_id));
  _jsw_runner_look_soon (self);
  return TRUE;
}

/* For the parts in other files (jsw-runner-review.c). */
void
_jsw_runner_emit_run_finished (JswRunner  *self,
                               const char *entry_id,
                               int         outcome,
                               const char *message)
{
  g_signal_emit (self, signals[RUN_FINISHED], 0, entry_id, outcome, message, NULL);
}

void
_jsw_runner_notify_reviewing (JswRunner *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEWING]);
}

/* Fill each form in and wait for the person before sending it. */
void
jsw_runner_set_review (JswRunner *self,
                       gboolean   review)
{
  review = !!review;
  if (self->review == review)
    return;
  self->review = review;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEW]);
}

const char *
jsw_runner_get_current (JswRunner *self)
{
  return self->current;
}

void
jsw_runner_stop (JswRunner *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Apply to every queued desktop entry, oldest first, not only to those
 * the person asks for. */
void
jsw_runner_set_auto_apply (JswRunner *self,
                           gboolean   auto_apply)
{
  auto_apply = !!auto_apply;
  if (self->auto_apply == auto_apply)
    return;
  self->auto_apply = auto_apply;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_APPLY]);
  _jsw_runner_look_soon (self);
}

void
jsw_runner_set_profile (JswRunner  *self,
                        JswProfile *profile)
{
  if (self->profile == profile)
    return;
  g_clear_pointer (&self->profile, jsw_profile_unref);
  self->profile = profile ? jsw_profile_ref (profile) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  _jsw_runner_look_soon (self);
}

/* The entry filled in and waiting for the person's Send or Don't Send,
 * or NULL. */
const char *
jsw_runner_get_reviewing (JswRunner *self)
{
  return self->in_review ? self->current : NULL;
}

static void
on_queue_changed (JswRunner *self)
{
  _jsw_runner_look_soon (self);
}

static void
jsw_runner_dispose (GObject *object)
{
  JswRunner *self = (JswRunner *) object;

  g_clear_handle_id (&self->look_id, g_source_remove);
  g_clear_handle_id (&self->held_id, g_source_remove);
  g_clear_handle_id (&self->drop_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  jsw_runner_stop (self);
  g_clear_object (&self->run);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->browser);
  g_clear_pointer (&self->parked, g_hash_table_unref);
  g_clear_pointer (&self->parked_order, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->profile, jsw_profile_unref);

  G_OBJECT_CLASS (jsw_runner_parent_class)->dispose (object);
}

static void
jsw_runner_finalize (GObject *object)
{
  JswRunner *self = (JswRunner *) object;

  g_free (self->current);
  g_free (self->lease);
  g_ptr_array_unref (self->requested);
  g_hash_table_unref (self->held);
  G_OBJECT_CLASS (jsw_runner_parent_class)->finalize (object);
}

static void
jsw_runner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JswRunner *self = JSW_RUNNER (object);

  switch (prop_id)
    {
    case PROP_AUTO_APPLY: g_value_set_boolean (value, self->auto_apply); break;
    case PROP_REVIEW: g_value_set_boolean (value, self->review); break;
    case PROP_PROFILE: g_value_set_object (value, self->profile); break;
    case PROP_CURRENT: g_value_set_string (value, self->current); break;
    case PROP_REVIEWING: g_value_set_string (value, jsw_runner_get_reviewing (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_runner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JswRunner *self = JSW_RUNNER (object);

  switch (prop_id)
    {
    case PROP_AUTO_APPLY: jsw_runner_set_auto_apply (self, g_value_get_boolean (value)); break;
    case PROP_REVIEW: jsw_runner_set_review (self, g_value_get_boolean (value)); break;
    case PROP_PROFILE: jsw_runner_set_profile (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_runner_class_init (JswRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jsw_runner_dispose;
  object_class->finalize = jsw_runner_finalize;
  object_class->get_property = jsw_runner_get_property;
  object_class->set_property = jsw_runner_set_property;

  /* Bound to the GSettings keys auto-apply and review-before-submit by
   * the application. */
  properties[PROP_AUTO_APPLY] = g_param_spec_boolean ("auto-apply", NULL, NULL, FALSE, flags);
  properties[PROP_REVIEW] = g_param_spec_boolean ("review", NULL, NULL, FALSE, flags);
  /* What forms are filled in with; bound to JswProfileStore:profile. */
  properties[PROP_PROFILE] = g_param_spec_object ("profile", NULL, NULL, JSW_TYPE_PROFILE, flags);
  /* The entry being applied to, and the one filled in and waiting for
   * the person (Send, Don't Send), what windows show. */
  properties[PROP_CURRENT] = g_param_spec_string ("current", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVIEWING] = g_param_spec_string ("reviewing", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RUN_STARTED] = g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[RUN_PROGRESS] = g_signal_new ("run-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 4,
                                        G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);
  /* entry id, outcome (-1: stopped), confirmation or error, the questions
   * a person must answer (one per line) */
  signals[REVIEW_NEEDED] = g_signal_new ("review-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 4,
                                        G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);
}

static void
jsw_runner_init (JswRunner *self)
{
  self->requested = g_ptr_array_new_with_free_func (g_free);
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->parked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->parked_order = g_ptr_array_new_with_free_func (g_free);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
}

/* Runs this computer was in the middle of when the app stopped (a form
 * filled in and waiting for review, say): each is applied to again, first
 * in line, once the server has it queued again (its lease runs out), and
 * so comes back to the person. A run that may have sent its form
 * (jsw_cache_run_may_start()) never runs again. */
static void
resume_interrupted_runs (JswRunner *self)
{
  JswCache *cache = JSW_CACHE (jsw_queue_client_get_store (self->client));
  g_autoptr(GPtrArray) ids = jsw_cache_interrupted_runs (cache);

  for (guint i = 0; i < ids->len; i++)
    if (jsw_cache_run_may_start (cache, g_ptr_array_index (ids, i)))
      g_ptr_array_add (self->requested, g_strdup (g_ptr_array_index (ids, i)));
}

/* The runner claims through @client and picks from @queue, which it
 * watches: any entry added, moved or changed may be work. */
JswRunner *
jsw_runner_new (JswQueueClient *client,
                JswQueueModel  *queue,
                JswEngine      *engine,
                JswProfile     *profile)
{
  JswRunner *self = g_object_new (JSW_TYPE_RUNNER, NULL);

  self->client = g_object_ref (client);
  self->queue = g_object_ref (queue);
  self->engine = g_object_ref (engine);
  self->profile = profile ? jsw_profile_ref (profile) : NULL;
  self->browser = jsw_browser_new (engine);
  resume_interrupted_runs (self);
  g_signal_connect_swapped (queue, "items-changed", G_CALLBACK (on_queue_changed), self);
  g_signal_connect_swapped (queue, "item-updated", G_CALLBACK (on_queue_changed), self);
  g_signal_connect_swapped (client, "connection-changed", G_CALLBACK (on_queue_changed), self);
  return self;
}
