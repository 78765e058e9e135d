/* jsw-deck-demo.c
 *
 * tools/run-demo's person: with JOBSWIPE_DEMO_SWIPES set to a list such
 * as "apply,pass,apply", the Discover view makes those swipes itself once
 * its cards are shown, one every two seconds, as the buttons make them,
 * and leaves a picture of the deck before the first (JOBSWIPE_SCREENSHOT_DIR,
 * "deck.png": the README's). Two seconds after the last, the person goes
 * to the Applications view. Without the variable nothing happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-demo"

#include "config.h"

#include "jsw-deck-demo.h"
#include "jsw-screenshot.h"

#define SWIPE_EVERY_MS 2000

typedef struct {
  GWeakRef  page;
  char    **swipes;
  guint     next;
} Demo;

static void
demo_free (Demo *demo)
{
  g_weak_ref_clear (&demo->page);
  g_strfreev (demo->swipes);
  g_free (demo);
}

/* Done swiping, the person looks at their applications: the window then
 * shows each run as it goes, and the demo's pictures of a sent
 * application and of one that needs the person are of those entries. */
static void
show_applications (JswDiscoverPage *page)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (page), ADW_TYPE_VIEW_STACK);

  if (stack != NULL)
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "applications");
}

static gboolean
swipe_next_cb (gpointer data)
{
  Demo *demo = data;
  g_autoptr(JswDiscoverPage) page = g_weak_ref_get (&demo->page);

  if (page == NULL)
    return G_SOURCE_REMOVE;
  if (demo->swipes[demo->next] == NULL)
    {
      show_applications (page);
      return G_SOURCE_REMOVE;
    }
  /* Not before the cards are there (the feed is loading). */
  if (g_strcmp0 (jsw_discover_page_get_state (page), "cards") != 0)
    return G_SOURCE_CONTINUE;
  if (demo->next == 0 && demo->swipes[0] != NULL && !g_object_get_data (G_OBJECT (page), "jsw-demo-shot"))
    {
      /* The deck as the person first sees it, then the swipes. */
      g_object_set_data (G_OBJECT (page), "jsw-demo-shot", GINT_TO_POINTER (TRUE));
      jsw_screenshot_soon (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (page))), "deck", 300);
      return G_SOURCE_CONTINUE;
    }
  g_message ("The demo swipes %s", demo->swipes[demo->next]);
  jsw_discover_page_swipe (page, g_str_equal (g_strstrip (demo->swipes[demo->next]), "apply"));
  demo->next++;
  return G_SOURCE_CONTINUE;
}

/**
 * jsw_deck_demo_start:
 *
 * Makes the swipes JOBSWIPE_DEMO_SWIPES lists ("apply" or "pass", comma
 * separated) on @page, if it is set.
 */
void
jsw_deck_demo_start (JswDiscoverPage *page)
{
  const char *swipes = g_getenv ("JOBSWIPE_DEMO_SWIPES");
  Demo *demo;

  if (swipes == NULL || *swipes == '\0')
    return;
  demo = g_new0 (Demo, 1);
  g_weak_ref_init (&demo->page, page);
  demo->swipes = g_strsplit (swipes, ",", -1);
  g_timeout_add_full (G_PRIORITY_DEFAULT, SWIPE_EVERY_MS, swipe_next_cb, demo, (GDestroyNotify) demo_free);
}
