/* jsw-runner-browsers.c
 *
 * The runner's browsers: the run's (shown in a window's slot when one
 * shows it, else held unseen), and those parked with a page the person
 * has to get past (a captcha, a sign-in, an e-mailed code) until they do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-runner"

#include "config.h"

#include "jsw-runner-private.h"

static void
forget_parked_order (JswRunner  *self,
                     const char *entry_id)
{
  guint index;

  if (g_ptr_array_find_with_equal_func (self->parked_order, entry_id, g_str_equal, &index))
    g_ptr_array_remove_index (self->parked_order, index);
}

/* Pages kept for the person at once, each a web process: the oldest goes
 * first (its entry then starts again from the posting). */
#define MAX_PARKED 4

/* A run handed to the person keeps its page (parked, with its browser):
 * a wall is got past there, and Continue goes on from there, so that the
 * person does not meet the same captcha or sign-in again. The next run
 * gets a browser of its own. */
void
_jsw_runner_park_page (JswRunner      *self,
                       const char     *entry_id,
                       JswApplyResult *result)
{
  if (result->outcome != JSW_OUTCOME_NEEDS_USER || self->browser == NULL)
    return;
  if (g_hash_table_size (self->parked) >= MAX_PARKED)
    {
      g_hash_table_remove (self->parked, self->parked_order->pdata[0]);
      g_ptr_array_remove_index (self->parked_order, 0);
    }
  jsw_browser_keep_page (self->browser, TRUE);
  g_hash_table_replace (self->parked, g_strdup (entry_id), g_steal_pointer (&self->browser));
  g_ptr_array_add (self->parked_order, g_strdup (entry_id));
  self->browser = jsw_browser_new (self->engine);
}

/* Returns: (transfer full) (nullable): the page parked for @entry_id,
 * which a new run of it goes on from, taken out of the parked ones */
JswBrowser *
_jsw_runner_take_parked (JswRunner  *self,
                         const char *entry_id)
{
  JswBrowser *parked = NULL;

  g_hash_table_steal_extended (self->parked, entry_id, NULL, (gpointer *) &parked);
  forget_parked_order (self, entry_id);
  if (parked != NULL)
    jsw_browser_keep_page (parked, FALSE);
  return parked;
}

/* The person is done with @entry_id: its parked page goes. */
void
_jsw_runner_forget_parked (JswRunner  *self,
                           const char *entry_id)
{
  g_hash_table_remove (self->parked, entry_id);
  forget_parked_order (self, entry_id);
}

/* The browser that shows @entry_id: its run's, or the page parked for the
 * person. Returns: (transfer none) (nullable) */
JswBrowser *
jsw_runner_get_browser (JswRunner  *self,
                        const char *entry_id)
{
  if (entry_id == NULL)
    return NULL;
  if (self->current != NULL && g_str_equal (entry_id, self->current))
    return self->browser;
  return g_hash_table_lookup (self->parked, entry_id);
}

/* Puts @entry_id's browser into @slot, a window's, for the person to
 * watch and use. Returns FALSE when no run shows it (the slot is left
 * empty). */
gboolean
jsw_runner_show_browser (JswRunner  *self,
                         const char *entry_id,
                         GtkBox     *slot)
{
  JswBrowser *browser = jsw_runner_get_browser (self, entry_id);

  if (browser != NULL && jsw_browser_is_in (browser, slot))
    return TRUE;
  jsw_runner_hide_browser (self, slot);
  if (browser == NULL)
    return FALSE;
  jsw_browser_show_in (browser, slot);
  return TRUE;
}

static void
take_from_slot (JswRunner  *self,
                JswBrowser *browser,
                GtkBox     *slot)
{
  /* A run goes on unseen; a parked page waits unseen; an idle browser
   * goes away. */
  gboolean keep = browser != self->browser || self->current != NULL;

  jsw_browser_take_from (browser, slot, keep);
}

/* The window closes or shows another entry: whatever browser @slot holds
 * goes back to running unseen, or away when nothing needs it. */
void
jsw_runner_hide_browser (JswRunner *self,
                         GtkBox    *slot)
{
  GHashTableIter iter;
  gpointer browser;

  if (self->browser != NULL && jsw_browser_is_in (self->browser, slot))
    take_from_slot (self, self->browser, slot);
  g_hash_table_iter_init (&iter, self->parked);
  while (g_hash_table_iter_next (&iter, NULL, &browser))
    if (jsw_browser_is_in (browser, slot))
      take_from_slot (self, browser, slot);
}
